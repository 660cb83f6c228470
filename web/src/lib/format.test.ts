import { describe, expect, it } from 'vitest'
import { duration, durationMs, humanize, meaningfulRatio, money, moneyCompact, percent, ratio } from './format'

describe('formatting', () => {
  it('writes whole dollars with separators', () => {
    expect(money(1234567.4)).toBe('$1,234,567')
    expect(money(null)).toBe('n/m')
  })

  it('writes compact amounts', () => {
    expect(moneyCompact(250_000_000)).toBe('$250.0M')
    expect(moneyCompact(1_250_000_000)).toBe('$1.25B')
    expect(moneyCompact(750_000)).toBe('$750K')
    expect(moneyCompact(980)).toBe('$980')
    expect(moneyCompact(-2_500_000)).toBe('-$2.5M')
  })

  it('writes ratios and percentages, n/m when not meaningful', () => {
    expect(ratio(3.749)).toBe('3.75x')
    expect(ratio(0)).toBe('0.00x')
    expect(ratio(null)).toBe('n/m')
    expect(ratio(Number.NaN)).toBe('n/m')
    // Leverage on a negative EBITDA is not a ratio anyone can read: never "−48.00x".
    expect(ratio(-48)).toBe('n/m')
    expect(meaningfulRatio(-48)).toBeNull()
    expect(meaningfulRatio(3.5)).toBe(3.5)
    expect(percent(0.125)).toBe('12.5%')
    expect(percent(0.5, 0)).toBe('50%')
    expect(percent(undefined)).toBe('n/m')
  })

  it('measures durations between timestamps', () => {
    expect(durationMs('2025-12-12T10:00:00.000+00:00', '2025-12-12T10:00:01.500+00:00')).toBe(1500)
    expect(durationMs('2025-12-12T10:00:00+00:00', null)).toBeNull()
    expect(duration(420)).toBe('420 ms')
    expect(duration(1500)).toBe('1.5 s')
  })

  it('humanizes wire names', () => {
    expect(humanize('target_drop_exceeded')).toBe('Target drop exceeded')
  })
})
