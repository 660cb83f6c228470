// How to show the engine's metrics and spec fields, by name.
import { decimal, moneyCompact, percent, ratio } from './format'

/** The engine's default target tolerance: proceeds within 2% of the target count as met. */
export const TARGET_TOLERANCE = 0.02

/** Formats a value by the metric or spec field it belongs to. */
export function formatMetric(name: string, value: number | null): string {
  if (/cost_of_capital|yield/.test(name)) return percent(value)
  if (/target|proceeds|amount|tax|rent|cash|gain|payoff|liability|npv|repaid/.test(name)) return moneyCompact(value)
  if (/critical_fraction|share/.test(name)) return percent(value)
  if (/leverage|coverage/.test(name)) return ratio(value)
  return decimal(value)
}
