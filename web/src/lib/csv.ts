// Minimal RFC 4180 CSV: quoted fields, doubled quotes, commas and newlines inside quotes,
// CRLF or LF line ends.

export type CsvCell = string | number | null

/** Parses CSV text into rows of raw strings. Blank lines are skipped. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = []
  let row: string[] = []
  let field = ''
  let quoted = false
  let i = 0
  const input = text.startsWith('\uFEFF') ? text.slice(1) : text
  const endRow = () => {
    row.push(field)
    if (row.length > 1 || row[0].trim() !== '') rows.push(row)
    row = []
    field = ''
  }
  while (i < input.length) {
    const c = input[i]
    if (quoted) {
      if (c === '"' && input[i + 1] === '"') {
        field += '"'
        i += 2
        continue
      }
      if (c === '"') quoted = false
      else field += c
      i += 1
      continue
    }
    if (c === '"') quoted = true
    else if (c === ',') {
      row.push(field)
      field = ''
    } else if (c === '\n' || c === '\r') {
      endRow()
      if (c === '\r' && input[i + 1] === '\n') i += 1
    } else field += c
    i += 1
  }
  if (field !== '' || row.length > 0) endRow()
  return rows
}

/** Renders rows as CSV, quoting only where needed. null becomes an empty cell. */
export function toCsv(rows: CsvCell[][]): string {
  return rows.map((row) => row.map(csvCell).join(',')).join('\r\n') + '\r\n'
}

function csvCell(cell: CsvCell): string {
  if (cell === null) return ''
  const text = String(cell)
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text
}
