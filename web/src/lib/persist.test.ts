import { afterEach, describe, expect, it } from 'vitest'
import type { Asset } from '../api/types'
import { DEMO_PORTFOLIO } from './demo'
import { portfolioFits, restoreForm, saveAssets, saveForm } from './persist'
import { initialForm, type PlannerForm } from './plannerForm'

afterEach(() => window.sessionStorage.clear())

const upload = (assets: Asset[]): PlannerForm => ({ ...initialForm(), brief: 'Raise $40M.', source: { kind: 'file', fileName: 'mine.csv' }, assets })

describe('planner form across a reload', () => {
  it('restores nothing from a fresh tab', () => {
    expect(restoreForm()).toBeNull()
  })

  it('keeps the demo form without storing the demo assets', () => {
    const form = { ...initialForm(), brief: 'Raise $99M.', strategy: 'greedy' as const }
    saveForm(form)
    saveAssets(form.source, form.assets)
    expect(window.sessionStorage.length).toBe(1)
    const restored = restoreForm()!
    expect(restored.brief).toBe('Raise $99M.')
    expect(restored.strategy).toBe('greedy')
    expect(restored.assets).toBe(DEMO_PORTFOLIO.assets)
  })

  it('keeps an uploaded portfolio within the limit', () => {
    const form = upload(DEMO_PORTFOLIO.assets.slice(0, 5))
    saveForm(form)
    expect(saveAssets(form.source, form.assets)).toBe(true)
    const restored = restoreForm()!
    expect(restored.source).toEqual({ kind: 'file', fileName: 'mine.csv' })
    expect(restored.assets).toEqual(form.assets)
  })

  it('drops a portfolio over the limit and asks for it again', () => {
    const form = upload(DEMO_PORTFOLIO.assets)
    const limit = 2_000
    expect(portfolioFits(form.source, form.assets, limit)).toBe(false)
    saveForm(form)
    expect(saveAssets(form.source, form.assets, limit)).toBe(false)
    const restored = restoreForm()!
    expect(restored.brief).toBe('Raise $40M.')
    expect(restored.assets).toEqual([])
    expect(restored.source).toEqual({ kind: 'missing', name: 'mine.csv', count: DEMO_PORTFOLIO.assets.length })
  })

  it('ignores what it cannot read', () => {
    window.sessionStorage.setItem('slb-planner/form/v1', '{not json')
    expect(restoreForm()).toBeNull()
  })
})
