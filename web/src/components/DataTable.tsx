// A ruled table with sortable columns and an optional text filter over all columns.
import { useId, useMemo, useState, type ReactNode } from 'react'

export type Column<T> = {
  key: string
  header: string
  /** The value sorted and filtered on. */
  value: (row: T) => string | number | null
  /** How the cell shows; defaults to the value. */
  render?: (row: T) => ReactNode
  numeric?: boolean
  sortable?: boolean
  /** Extra class of the column's cells, e.g. to keep them on one line. */
  className?: string
}

type Sort = { key: string; descending: boolean }

type Props<T> = {
  rows: T[]
  columns: Column<T>[]
  rowKey: (row: T) => string
  caption: string
  /** Shows a filter box with this label. */
  filterLabel?: string
  initialSort?: Sort
  footer?: ReactNode
  empty?: string
  tall?: boolean
}

export function DataTable<T>({ rows, columns, rowKey, caption, filterLabel, initialSort, footer, empty, tall }: Props<T>) {
  const [sort, setSort] = useState<Sort | null>(initialSort ?? null)
  const [filter, setFilter] = useState('')
  const filterId = useId()

  const visible = useMemo(() => {
    const needle = filter.trim().toLowerCase()
    const matching = needle
      ? rows.filter((row) => columns.some((c) => String(c.value(row) ?? '').toLowerCase().includes(needle)))
      : rows
    const column = sort && columns.find((c) => c.key === sort.key)
    if (!sort || !column) return matching
    const direction = sort.descending ? -1 : 1
    return [...matching].sort((a, b) => direction * compare(column.value(a), column.value(b)))
  }, [rows, columns, filter, sort])

  const toggle = (key: string) =>
    setSort((current) =>
      current?.key === key ? { key, descending: !current.descending } : { key, descending: columns.find((c) => c.key === key)?.numeric === true },
    )

  return (
    <div>
      {filterLabel && (
        <div className="table-tools">
          <div className="field table-filter">
            <label htmlFor={filterId}>{filterLabel}</label>
            <input id={filterId} type="search" value={filter} onChange={(e) => setFilter(e.target.value)} placeholder="Type to filter rows" />
          </div>
          <span className="muted small" aria-live="polite">
            {visible.length === rows.length ? `${rows.length} rows` : `${visible.length} of ${rows.length} rows`}
          </span>
        </div>
      )}
      <div className={tall ? 'table-scroll tall' : 'table-scroll'}>
        <table className="data">
          <caption className="visually-hidden">{caption}</caption>
          <thead>
            <tr>
              {columns.map((c) => {
                const sorted = sort?.key === c.key
                const ariaSort = sorted ? (sort.descending ? 'descending' : 'ascending') : undefined
                return (
                  <th key={c.key} scope="col" className={cellClass(c)} aria-sort={ariaSort}>
                    {c.sortable === false ? (
                      c.header
                    ) : (
                      <button type="button" className="sort-button" onClick={() => toggle(c.key)} title={`Sort by ${c.header}`}>
                        {c.header}
                        <span className="sort-indicator" aria-hidden="true">
                          {sorted ? (sort.descending ? '▼' : '▲') : ''}
                        </span>
                      </button>
                    )}
                  </th>
                )
              })}
            </tr>
          </thead>
          <tbody>
            {visible.map((row) => (
              <tr key={rowKey(row)}>
                {columns.map((c) => (
                  <td key={c.key} className={cellClass(c)}>
                    {c.render ? c.render(row) : c.value(row)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
          {footer && <tfoot>{footer}</tfoot>}
        </table>
      </div>
      {visible.length === 0 && <p className="empty">{rows.length === 0 ? (empty ?? 'Nothing to show.') : 'No rows match the filter.'}</p>}
    </div>
  )
}

function cellClass<T>(column: Column<T>): string | undefined {
  return [column.numeric ? 'num' : '', column.className ?? ''].filter(Boolean).join(' ') || undefined
}

/** Nulls last; numbers numerically; text naturally ("P2" before "P10"). */
function compare(a: string | number | null, b: string | number | null): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1
  if (typeof a === 'number' && typeof b === 'number') return a - b
  return String(a).localeCompare(String(b), 'en', { numeric: true, sensitivity: 'base' })
}
