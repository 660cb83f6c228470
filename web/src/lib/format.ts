// Number and label formatting for a financial report: tabular, compact where space is tight,
// and "n/m" (not meaningful) wherever the engine answers null or a ratio has no meaning.

export const NOT_MEANINGFUL = 'n/m'

const wholeDollars = new Intl.NumberFormat('en-US', {
  style: 'currency',
  currency: 'USD',
  maximumFractionDigits: 0,
})

/** $1,234,567 */
export function money(value: number | null | undefined): string {
  return isNumber(value) ? wholeDollars.format(value) : NOT_MEANINGFUL
}

/** $1.25B, $250.0M, $750K, $980 */
export function moneyCompact(value: number | null | undefined): string {
  if (!isNumber(value)) return NOT_MEANINGFUL
  const sign = value < 0 ? '-' : ''
  const abs = Math.abs(value)
  if (abs >= 1e9) return `${sign}$${(abs / 1e9).toFixed(2)}B`
  if (abs >= 1e6) return `${sign}$${(abs / 1e6).toFixed(1)}M`
  if (abs >= 1e3) return `${sign}$${Math.round(abs / 1e3)}K`
  return `${sign}$${Math.round(abs)}`
}

/**
 * 3.75x; n/m for a negative ratio. Every ratio shown here (leverage, coverage, multiples) has
 * a positive denominator when it means anything: a negative one comes from EBITDA ≤ 0.
 */
export function ratio(value: number | null | undefined, decimals = 2): string {
  return meaningfulRatio(value) === null ? NOT_MEANINGFUL : `${(value as number).toFixed(decimals)}x`
}

/** The ratio when it means something (finite, not negative), else null. */
export function meaningfulRatio(value: number | null | undefined): number | null {
  return isNumber(value) && value >= 0 ? value : null
}

/** 0.125 → 12.5% */
export function percent(value: number | null | undefined, decimals = 1): string {
  return isNumber(value) ? `${(value * 100).toFixed(decimals)}%` : NOT_MEANINGFUL
}

/** A plain decimal such as a 0–1 score: 0.75 */
export function decimal(value: number | null | undefined, decimals = 2): string {
  return isNumber(value) ? value.toFixed(decimals) : NOT_MEANINGFUL
}

const dateTimeFormat = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
})

const timeFormat = new Intl.DateTimeFormat('en-GB', {
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
})

/** 12 Dec 2025, 10:00 (local time) */
export function dateTime(iso: string): string {
  const date = new Date(iso)
  return Number.isNaN(date.getTime()) ? iso : dateTimeFormat.format(date)
}

/** 10:00:05 (local time) */
export function time(iso: string): string {
  const date = new Date(iso)
  return Number.isNaN(date.getTime()) ? iso : timeFormat.format(date)
}

/** Milliseconds between two timestamps, or null when either is missing or unreadable. */
export function durationMs(from: string, to: string | null): number | null {
  if (to === null) return null
  const ms = new Date(to).getTime() - new Date(from).getTime()
  return Number.isFinite(ms) ? ms : null
}

/** 420 ms, 1.3 s */
export function duration(ms: number | null): string {
  if (ms === null) return NOT_MEANINGFUL
  if (ms < 1) return 'under 1 ms'
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`
}

/** distribution_center → Distribution center */
export function humanize(wire: string): string {
  const words = wire.replaceAll('_', ' ')
  return words.charAt(0).toUpperCase() + words.slice(1)
}

/** A finite number (not null, undefined, NaN or ±Infinity). */
export function isNumber(value: number | null | undefined): value is number {
  return typeof value === 'number' && Number.isFinite(value)
}

/** At most `max` characters, ending in "…" when cut (always keeps at least one character). */
export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(1, max - 1))}…`
}
