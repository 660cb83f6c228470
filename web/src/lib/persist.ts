// Keeps the planner's inputs across a reload of the tab (sessionStorage). The form is stored
// without its assets; an uploaded portfolio is stored apart, and only up to a size limit: a
// larger one is dropped and the planner asks for it again rather than fill the browser's quota.
import type { Asset } from '../api/types'
import { DEMO_PORTFOLIO } from './demo'
import { initialForm, type PlannerForm, type PortfolioSource } from './plannerForm'

const FORM_KEY = 'slb-planner/form/v1'
const ASSETS_KEY = 'slb-planner/assets/v1'

/** Characters of JSON kept for a portfolio (about 4 MB of the usual 5 MB quota of UTF-16). */
export const MAX_STORED_PORTFOLIO_CHARS = 2_000_000

type StoredForm = Omit<PlannerForm, 'assets'> & { assetCount: number }

function storage(): Storage | null {
  try {
    return typeof window === 'undefined' ? null : window.sessionStorage
  } catch {
    return null
  }
}

/** Saves everything but the assets; cheap enough for every keystroke. */
export function saveForm(form: PlannerForm): void {
  const { assets, ...rest } = form
  const stored: StoredForm = { ...rest, assetCount: assets.length }
  write(FORM_KEY, JSON.stringify(stored))
}

/** Whether a portfolio is small enough to keep (the demo and unusable files need nothing kept). */
export function portfolioFits(source: PortfolioSource, assets: Asset[], limit = MAX_STORED_PORTFOLIO_CHARS): boolean {
  if (source.kind !== 'file' && source.kind !== 'run') return true
  // Cheap bound first: an asset serialises to at least ~150 characters.
  return assets.length * 150 <= limit && JSON.stringify(assets).length <= limit
}

/**
 * Saves the assets of an upload or a run (the demo needs none). Returns false when the
 * portfolio is over the limit or the browser refused it: it will not survive a reload.
 */
export function saveAssets(source: PortfolioSource, assets: Asset[], limit = MAX_STORED_PORTFOLIO_CHARS): boolean {
  const store = storage()
  if (store === null) return false
  if (source.kind !== 'file' && source.kind !== 'run') {
    store.removeItem(ASSETS_KEY)
    return true
  }
  const text = JSON.stringify(assets)
  if (text.length > limit) {
    store.removeItem(ASSETS_KEY)
    return false
  }
  return write(ASSETS_KEY, text)
}

/** The form kept by this tab, or null (nothing kept, or unreadable). */
export function restoreForm(): PlannerForm | null {
  const store = storage()
  const text = store?.getItem(FORM_KEY)
  if (!store || !text) return null
  try {
    const stored = JSON.parse(text) as Partial<StoredForm>
    if (typeof stored !== 'object' || stored === null || typeof stored.brief !== 'string' || !stored.source) return null
    const { assetCount = 0, ...rest } = stored
    const form: PlannerForm = { ...initialForm(), ...rest } as PlannerForm
    form.assets = restoredAssets(store, form.source, assetCount)
    if (form.assets.length === 0 && (form.source.kind === 'file' || form.source.kind === 'run')) {
      form.source = { kind: 'missing', name: form.source.kind === 'file' ? form.source.fileName : `the portfolio of run ${form.source.runId.slice(0, 8)}`, count: assetCount }
      form.spec = null
    }
    if (form.source.kind === 'invalid') form.assets = []
    return form
  } catch {
    return null
  }
}

function restoredAssets(store: Storage, source: PortfolioSource, count: number): Asset[] {
  if (source.kind === 'demo') return DEMO_PORTFOLIO.assets
  if (source.kind !== 'file' && source.kind !== 'run') return []
  try {
    const assets = JSON.parse(store.getItem(ASSETS_KEY) ?? 'null') as unknown
    return Array.isArray(assets) && assets.length === count ? (assets as Asset[]) : []
  } catch {
    return []
  }
}

function write(key: string, text: string): boolean {
  try {
    storage()?.setItem(key, text)
    return true
  } catch {
    // Over quota or storage disabled: the form simply does not survive a reload.
    return false
  }
}
