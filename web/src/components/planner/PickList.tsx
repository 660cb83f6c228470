import { useId, useState } from 'react'

export type PickOption = { value: string; label: string; detail?: string }

type Props = {
  /** Id of the element that names the list (its label). */
  labelledBy: string
  /** The name of one item, for the messages: "asset", "market". */
  noun: string
  /** The accessible name of the search box, e.g. "Add to Excluded assets". */
  addLabel: string
  options: PickOption[]
  selected: string[]
  onChange: (selected: string[]) => void
  placeholder: string
  /** Ids of elements that describe the list (hint, error). */
  describedBy?: string
  invalid?: boolean
}

const MAX_MATCHES = 8

/** Chosen items as removable chips, and a search box that offers matching options to add. */
export function PickList({ labelledBy, noun, addLabel, options, selected, onChange, placeholder, describedBy, invalid }: Props) {
  const [query, setQuery] = useState('')
  const inputId = useId()
  const byValue = new Map(options.map((o) => [o.value, o]))
  const needle = query.trim().toLowerCase()
  const matches = needle
    ? options.filter((o) => !selected.includes(o.value) && `${o.label} ${o.value} ${o.detail ?? ''}`.toLowerCase().includes(needle)).slice(0, MAX_MATCHES)
    : []
  const add = (value: string) => {
    onChange([...selected, value])
    setQuery('')
  }
  return (
    <div className="pick-list" role="group" aria-labelledby={labelledBy}>
      {selected.length > 0 && (
        <ul className="chips">
          {selected.map((value) => {
            const option = byValue.get(value)
            const label = option?.label ?? value
            return (
              <li key={value} className={option ? 'chip' : 'chip chip-unknown'} title={option ? option.detail : `Not in the current portfolio`}>
                <span>{label}</span>
                {!option && <span className="chip-note"> (not in the portfolio)</span>}
                <button type="button" className="chip-remove" aria-label={`Remove ${label}`} onClick={() => onChange(selected.filter((v) => v !== value))}>
                  ×
                </button>
              </li>
            )
          })}
        </ul>
      )}
      <input
        id={inputId}
        type="search"
        value={query}
        placeholder={placeholder}
        aria-label={addLabel}
        aria-describedby={describedBy}
        aria-invalid={invalid ? true : undefined}
        autoComplete="off"
        onChange={(e) => setQuery(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault()
            if (matches.length > 0) add(matches[0].value)
          }
          if (e.key === 'Escape') setQuery('')
        }}
      />
      {needle !== '' && (
        <ul className="pick-options" aria-label={`Matching ${noun}s`}>
          {matches.length === 0 ? (
            <li className="muted small">No {noun} matches “{query.trim()}”.</li>
          ) : (
            matches.map((option) => (
              <li key={option.value}>
                <button type="button" className="pick-option" aria-label={`Add ${option.label}${option.detail ? `, ${option.detail}` : ''}`} onClick={() => add(option.value)}>
                  {option.label}
                  {option.detail && <span className="pick-detail"> · {option.detail}</span>}
                </button>
              </li>
            ))
          )}
        </ul>
      )}
    </div>
  )
}
