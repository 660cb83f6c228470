// The built-in demo portfolio (examples/demo_portfolio.json), checked like an upload.
import demoFile from '../../../examples/demo_portfolio.json'
import type { CorporateState } from '../api/types'
import { readPortfolioJson, type Portfolio } from './portfolio'

function loadDemo(): Portfolio & { corporateState: CorporateState } {
  const reading = readPortfolioJson(JSON.stringify(demoFile))
  if (!reading.ok || reading.portfolio.corporateState === null) {
    throw new Error('examples/demo_portfolio.json is not a valid portfolio')
  }
  return { assets: reading.portfolio.assets, corporateState: reading.portfolio.corporateState }
}

export const DEMO_PORTFOLIO = loadDemo()

export const DEMO_DESCRIPTION = demoFile.description
