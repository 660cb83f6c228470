// "On this page": links to the sections of a long report.
export function SectionIndex({ sections }: { sections: { id: string; label: string }[] }) {
  return (
    <nav className="section-index" aria-label="Sections of this page">
      <h2>On this page</h2>
      <ol>
        {sections.map((s) => (
          <li key={s.id}>
            <a href={`#${s.id}`}>{s.label}</a>
          </li>
        ))}
      </ol>
    </nav>
  )
}
