// Turning problems (from the browser's checks or the API's `errors[]`) into sentences.
import type { Asset, FieldError } from '../api/types'
import { fieldLabel, specFieldLabel } from './labels'
import type { Problem } from './portfolio'

const ASSET_PATH = /^(?:base_request\.)?assets\[(\d+)\](?:\.(.+))?$/

/** Maps the API's field paths (`assets[3].noi`, `base_request.corporate_state.ebitda`) to rows. */
export function problemsFromFieldErrors(errors: FieldError[], assets: Asset[] = []): Problem[] {
  return errors.map(({ field, message }) => {
    const asset = ASSET_PATH.exec(field)
    if (asset) {
      const index = Number(asset[1])
      return { row: index + 1, assetId: assets[index]?.asset_id ?? null, field: asset[2] ?? null, message }
    }
    return { row: null, assetId: null, field: field.replace(/^base_request\./, '') || null, message }
  })
}

/** "Row 3 (P003): NOI must be greater than 0." */
export function describeProblem(problem: Problem): string {
  const where =
    problem.row === null
      ? ''
      : `Row ${problem.row}${problem.assetId ? ` (${problem.assetId})` : ''}: `
  const subject = problem.field === null ? '' : `${fieldPathLabel(problem.field)} `
  return sentence(`${where}${subject}${problem.message}`)
}

function fieldPathLabel(path: string): string {
  // A field of a confirmed spec: "selector_spec.hard_constraints.max_net_leverage" → "Maximum net leverage".
  const spec = /^selector_spec\.(.+)$/.exec(path)
  if (spec) return specFieldLabel(spec[1])
  const [first, ...rest] = path.split('.').map((part) => fieldLabel(part))
  const tail = rest.map((label) => (isAcronym(label) ? label : label.charAt(0).toLowerCase() + label.slice(1)))
  const label = [first, ...tail].join(', ')
  return label.charAt(0).toUpperCase() + label.slice(1)
}

function isAcronym(label: string): boolean {
  return /^[A-Z]{2}/.test(label)
}

function sentence(text: string): string {
  const trimmed = text.trim()
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`
}
