// End-to-end tests of the web UI: a real browser (Debian's chromium, driven by playwright-core)
// against the real `slb serve` binary on a throw-away SQLite store, with the built-in planner.
//
//   node e2e/run.mjs        (after `npm run build` and `cargo build -p slb-cli`)
//
// SLB_BIN overrides the server binary (default target/debug/slb), CHROMIUM_PATH the browser.
// Screenshots of every main view land in e2e/screenshots/. Prints "N passed, N failed" and
// exits non-zero when a test fails.
//
// Two servers: one in open mode (no API key in its store: the flows of the planner), and one
// whose store has keys (made with `slb keys create` before it starts: sign-in, roles, funds,
// who ran what, revocation).
import { execFile, spawn } from 'node:child_process'
import { mkdtemp, mkdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { createInterface } from 'node:readline'
import { promisify } from 'node:util'
import { chromium } from 'playwright-core'

const HERE = import.meta.dirname
const ROOT = path.resolve(HERE, '../..')
const SERVER_BIN = process.env.SLB_BIN ?? path.join(ROOT, 'target/debug/slb')
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const SCREENSHOTS = path.join(HERE, 'screenshots')
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
]
const STEP_TIMEOUT_MS = 15_000
const BRIEF = 'Raise $250M through a sale-leaseback, keeping net leverage below 3.75x and fixed charge coverage above 2.5x.'
const STORES_BRIEF = 'Raise $250M from stores, keep leverage under 3.5x'
const PREVIEW_BRIEF = 'Raise $200M from stores and distribution centers, keep leverage under 3.75x, nothing in Dallas.'
const BRIEF_LABEL = 'What should the program raise, and under which limits?'
const PHONE = { width: 390, height: 844 }
const DESKTOP = { width: 1280, height: 800 }

const REGIONAL_CSV = `asset_id,name,asset_type,market,market_tier,noi,book_value,criticality,leaseability_score
R1,Reno Store,store,"Reno, NV",2,2400000,30000000,0.2,0.85
R2,Boise Store,store,"Boise, ID",3,1800000,21000000,0.3,0.8
R3,Tucson DC,distribution_center,"Tucson, AZ",2,3100000,42000000,0.4,0.75
R4,Fresno Office,office,"Fresno, CA",3,1200000,15000000,0.6,0.5
R5,Spokane Mixed,mixed_use,"Spokane, WA",3,900000,11000000,0.1,0.6
R6,Omaha Store,store,"Omaha, NE",2,1500000,19000000,0.25,0.7
`

const BAD_CSV = `asset_id,asset_type,market,noi,book_value,criticality,leaseability_score
B1,store,Reno,1000000,9000000,0.2,0.8
B2,store,Boise,-5,9000000,2,0.8
B1,warehouse,Omaha,1000000,9000000,0.2,0.8
`

/** The environment of `slb`: the built-in planner and the SQLite store, whatever the caller's says. */
function serverEnv() {
  const env = { ...process.env, RUST_LOG: 'warn' }
  for (const name of ['SLB_LLM_BASE_URL', 'SLB_LLM_API_KEY', 'OPENAI_API_KEY', 'SLB_DATABASE_URL', 'SLB_DATA_DIR', 'SLB_PORT', 'SLB_HOST']) delete env[name]
  return env
}

/** `slb keys …` against the store in `dataDir`; resolves with its stdout. */
async function keys(dataDir, ...args) {
  const { stdout } = await promisify(execFile)(SERVER_BIN, ['keys', ...args, '--data-dir', dataDir], { env: serverEnv() })
  return stdout
}

/** Creates an API key in the store of `dataDir` and resolves with its token (the last line). */
async function createKey(dataDir, name, role, funds = []) {
  const stdout = await keys(dataDir, 'create', name, '--role', role, ...funds.flatMap((fund) => ['--fund', fund]))
  const token = stdout.trim().split('\n').at(-1)
  assert(/^slb_\S+$/.test(token), `slb keys create printed no token: ${stdout}`)
  return token
}

/** Starts `slb serve` on a free port and resolves with its base URL. */
async function startServer(dataDir) {
  const env = serverEnv()
  const server = spawn(SERVER_BIN, ['serve', '--port', '0', '--data-dir', dataDir], { env, stdio: ['ignore', 'pipe', 'inherit'] })
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${SERVER_BIN} did not print SLB_LISTENING within 60 s`)), 60_000)
    server.once('error', (e) => reject(new Error(`cannot start ${SERVER_BIN}: ${e.message}`)))
    server.once('exit', (code) => reject(new Error(`${SERVER_BIN} exited early with code ${code}`)))
    createInterface({ input: server.stdout }).on('line', (line) => {
      const match = /^SLB_LISTENING (\S+)/.exec(line)
      if (match) {
        clearTimeout(timer)
        resolve(match[1])
      }
    })
  })
  server.removeAllListeners('exit')
  return { server, url }
}

/** SIGTERM, then the exit (at most 10 s). */
function stop(server) {
  if (server.exitCode !== null || server.signalCode !== null) return Promise.resolve()
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, 10_000)
    server.once('exit', () => {
      clearTimeout(timer)
      resolve()
    })
    server.kill('SIGTERM')
  })
}

function assert(condition, message) {
  if (!condition) throw new Error(message)
}

async function screenshot(page, name, fullPage = true) {
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage })
}

/** The planner with a fresh form: the tab keeps the last one in sessionStorage, across reloads. */
async function freshPlanner(page, base) {
  await page.goto(`${base}/`)
  await page.evaluate(() => window.sessionStorage.clear())
  await page.reload()
  await page.getByRole('heading', { level: 1, name: 'Plan a sale-leaseback program' }).waitFor()
}

/** The page scrolls sideways (wider than the viewport) — a phone layout must not. */
async function horizontalOverflow(page) {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
}

/** The source badge of the spec field labelled `label`. */
function specField(page, label) {
  return page.locator('#spec-preview .spec-field').filter({ has: page.locator('label, .label', { hasText: new RegExp(`^${label}$`) }) })
}

/** The outcome of a stored run, from the API. */
async function outcomeOf(base, runUrl) {
  const id = runUrl.split('/').at(-1)
  const run = await (await fetch(`${base}/api/runs/${id}`)).json()
  return run.response.outcome
}

async function downloadText(page, buttonName) {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: buttonName }).click()])
  return { name: download.suggestedFilename(), text: await readFile(await download.path(), 'utf8') }
}

/** The tests, in order; later ones use what earlier ones created (kept in `state`). */
function tests(base, state) {
  return [
    [
      'the server answers the UI at / and JSON for unknown API paths',
      async () => {
        const home = await fetch(`${base}/`)
        const html = await home.text()
        assert(home.ok && html.includes('<div id="root">'), `GET / did not return the web UI (is web/dist built and the UI wired into the router?): ${html.slice(0, 200)}`)
        const csp = home.headers.get('content-security-policy') ?? ''
        assert(/script-src 'self'(;|$)/.test(csp) && /style-src 'self'(;|$)/.test(csp), `the UI is not served with a strict CSP: ${csp}`)
        assert(!/<script(?![^>]*\bsrc=)[^>]*>/.test(html) && !/<style\b/.test(html) && !/\sstyle=/.test(html), 'index.html has an inline script or style the CSP would block')
        const api = await fetch(`${base}/api/nope`)
        const body = await api.json()
        assert(api.status === 404 && body.code === 'NOT_FOUND', `GET /api/nope answered ${api.status} ${JSON.stringify(body)}`)
      },
    ],
    [
      'the planner opens on the demo portfolio',
      async (page) => {
        await freshPlanner(page, base)
        await page.getByRole('heading', { level: 1, name: 'Plan a sale-leaseback program' }).waitFor()
        const rows = await page.getByRole('region', { name: 'Portfolio' }).getByRole('row').count()
        assert(rows === 49, `expected 48 demo assets and a header row, found ${rows} rows`)
        await screenshot(page, 'planner', false)
        await screenshot(page, 'planner-full')
        // The first Tab reaches the skip link; following it lands in the main region.
        await page.keyboard.press('Tab')
        assert((await page.evaluate(() => document.activeElement?.textContent)) === 'Skip to main content', 'the first Tab does not reach the skip link')
        await page.keyboard.press('Enter')
        assert((await page.evaluate(() => document.activeElement?.id)) === 'main', 'the skip link does not move the focus to the main content')
      },
    ],
    [
      'the UI runs under its CSP, whose violations the tests would see',
      async (page) => {
        await freshPlanner(page, base)
        // Everything the UI did so far ran under the CSP: no violation was logged (checked after
        // every test). A <style> element is refused, and logged, as a new one would be.
        const refused = await page.evaluate(
          () =>
            new Promise((resolve) => {
              document.addEventListener('securitypolicyviolation', (e) => resolve(e.violatedDirective), { once: true })
              const style = document.createElement('style')
              style.textContent = 'body { outline: 1px solid red }'
              document.head.append(style)
              setTimeout(() => resolve(null), 2000)
            }),
        )
        assert(refused !== null && refused.startsWith('style-src'), `an inline <style> was not refused by the CSP: ${refused}`)
      },
      { expectedErrors: /Content Security Policy/ },
    ],
    [
      'running a program on the demo portfolio shows its results',
      async (page) => {
        await freshPlanner(page, base)
        await page.getByLabel('What should the program raise, and under which limits?').fill(BRIEF)
        await page.getByRole('button', { name: 'Run program' }).click()
        await page.waitForURL(/\/runs\/[0-9a-f-]{36}$/)
        await page.getByRole('heading', { level: 1, name: 'Program result' }).waitFor()
        state.runUrl = page.url()
        for (const section of ['Target vs achieved', 'Insights', 'Before → after', 'Credit view', 'Transaction', 'Cost of capital', 'Constraint checklist', 'Explanation', 'Audit trail', 'Warnings']) {
          await page.getByRole('region', { name: section }).waitFor()
        }
        const selected = page.getByRole('region', { name: /Selected assets/ }).getByRole('row')
        assert((await selected.count()) >= 3, 'no selected assets are listed')
        await page.getByText('Completed', { exact: true }).waitFor()
        await page.getByRole('heading', { name: 'Initial run' }).waitFor()
        await screenshot(page, 'run-result')
        await page.setViewportSize({ width: 1440, height: 900 })
        await screenshot(page, 'run-result-1440', false)
        await page.setViewportSize({ width: 1280, height: 800 })
      },
    ],
    [
      'a run with assumptions set in the panel shows the credit view',
      async (page) => {
        await freshPlanner(page, base)
        await page.getByLabel('What should the program raise, and under which limits?').fill(BRIEF)
        const panel = page.getByRole('region', { name: 'Assumptions' })
        await panel.getByRole('heading', { name: 'Assumptions' }).click()
        await panel.getByLabel('Tax rate').fill('75%')
        await panel.getByText('Tax rate must be between 0% and 60%.').waitFor()
        assert(await page.getByRole('button', { name: 'Run program' }).isDisabled(), 'running is possible with a tax rate of 75%')
        await panel.getByLabel('Tax rate').fill('21%')
        await panel.getByLabel('Cost of debt').fill('6.5%')
        await panel.getByLabel('Lease term (years)').fill('20')
        await panel.getByLabel('Rent escalator').fill('2.5%')
        await panel.getByLabel('Cap-rate shift (bps)').fill('-25')
        await panel.getByRole('button', { name: 'Add a cap-rate override' }).click()
        await panel.getByLabel('Asset type of override 1').selectOption('distribution_center')
        await panel.getByLabel('Cap rate of override 1').fill('5.25%')
        await panel.getByText('6 set').waitFor()
        await screenshot(page, 'planner-assumptions')
        await page.getByRole('button', { name: 'Run program' }).click()
        await page.waitForURL(/\/runs\/[0-9a-f-]{36}$/)
        await page.getByRole('heading', { level: 1, name: 'Program result' }).waitFor()
        for (const section of ['Insights', 'Credit view', 'Transaction', 'Cost of capital', 'Assumptions used']) {
          await page.getByRole('region', { name: section, exact: true }).waitFor()
        }
        const lenses = page.getByRole('region', { name: 'Credit view' }).getByRole('listitem')
        assert((await lenses.count()) === 6, `expected 6 credit lenses, found ${await lenses.count()}`)
        const leaseAdjusted = await page.getByRole('listitem', { name: 'Lease-adjusted leverage' }).textContent()
        assert(/\d\.\d\dx → .*\d\.\d\dx/.test(leaseAdjusted.replace(/\s+/g, ' ')), `lease-adjusted leverage shows no before → after: ${leaseAdjusted}`)
        await page.getByRole('img', { name: /^Transaction waterfall/ }).waitFor()
        const used = await page.getByRole('region', { name: 'Assumptions used' }).textContent()
        for (const expected of ['21% (default 25%)', '20 years (default 15 years)', 'Distribution center, tier 1: 5.25%', '−25 bps']) {
          assert(used.includes(expected), `the assumptions used do not show "${expected}": ${used}`)
        }
        const cost = await page.getByRole('region', { name: 'Cost of capital' }).textContent()
        assert(/(Cheaper|Dearer) than debt\./.test(cost), `no cheaper/dearer reading: ${cost}`)
        assert(cost.includes('depreciation tax shields and exit taxes are not modelled'), 'the cost of capital does not state its simplifications')
        await screenshot(page, 'run-credit')
        const top = await page.locator('#credit').boundingBox()
        const bottom = await page.locator('.credit-columns').boundingBox()
        const scroll = await page.evaluate(() => window.scrollY)
        await page.screenshot({
          path: path.join(SCREENSHOTS, 'run-credit-view.png'),
          fullPage: true,
          clip: { x: 0, y: top.y + scroll - 12, width: 1280, height: bottom.y + bottom.height - top.y + 24 },
        })
        // Back on the planner, the assumptions are still there.
        await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Planner' }).click()
        const kept = await page.getByRole('region', { name: 'Assumptions' }).getByLabel('Tax rate').inputValue()
        assert(kept === '21%', `the tax rate was not kept on the planner: "${kept}"`)
        await page.getByRole('region', { name: 'Assumptions' }).getByRole('button', { name: 'Reset to defaults' }).click()
      },
    ],
    [
      'the program exports as CSV and JSON',
      async (page) => {
        await page.goto(state.runUrl)
        await page.getByRole('heading', { level: 1, name: 'Program result' }).waitFor()
        const csv = await downloadText(page, 'Export CSV')
        assert(/^slb-program-[0-9a-f]{8}\.csv$/.test(csv.name), `unexpected CSV name ${csv.name}`)
        assert(csv.text.startsWith('order,asset_id,name,asset_type,market'), `unexpected CSV: ${csv.text.slice(0, 80)}`)
        const json = await downloadText(page, 'Export JSON')
        const run = JSON.parse(json.text)
        assert(state.runUrl.endsWith(run.run_id) && run.response.outcome.selected_assets.length > 0, 'the JSON export is not this run')
      },
    ],
    [
      'from a run, the analyses trace the frontier and run a grid; a point and a cell open as runs',
      async (page) => {
        await page.goto(state.runUrl)
        await page.getByRole('heading', { level: 1, name: 'Program result' }).waitFor()
        await page.getByRole('link', { name: 'Analyses', exact: true }).click()
        await page.waitForURL(/\/runs\/[0-9a-f-]{36}\/analyses$/)
        const analysesUrl = page.url()
        await page.getByRole('heading', { level: 1, name: 'How much, at what cost?' }).waitFor()
        await page.getByLabel('Metric', { exact: true }).selectOption('new_rent')
        await page.getByLabel('Points', { exact: true }).fill('1')
        await page.getByText('A whole number from 2 to 50.').waitFor()
        assert(await page.getByRole('button', { name: 'Trace frontier' }).isDisabled(), 'a frontier of 1 point can be asked for')
        await page.getByLabel('Points', { exact: true }).fill('8')
        await page.getByRole('button', { name: 'Trace frontier' }).click()
        const chart = page.getByRole('group', { name: /^Most gross proceeds for each ceiling/ })
        await chart.waitFor()
        const points = chart.getByRole('button', { name: /^Point \d+:/ })
        const count = await points.count()
        assert(count >= 3 && count <= 8, `expected 3 to 8 frontier points for new rent, found ${count}`)
        assert((await page.locator('table.frontier-points tbody tr').count()) === count, 'the points table does not list every point')
        await chart.getByText('this run', { exact: true }).waitFor()
        await chart.getByText(/^target /).waitFor()
        await page.getByRole('button', { name: 'Run grid' }).click()
        const heat = page.locator('table.heatmap')
        await heat.waitFor()
        assert((await heat.locator('td.heat-cell').count()) === 25, 'the default grid is not 5 × 5')
        assert((await heat.locator('td.heat-cell.base').count()) === 1, 'the run’s own cell is not marked')
        await screenshot(page, 'analyses')
        // A point opens as a run that sells exactly its assets.
        const point = points.nth(Math.floor(count / 2))
        const label = await point.getAttribute('aria-label')
        const assets = Number(/, (\d+) assets/.exec(label)[1])
        await point.click()
        await page.waitForURL((url) => /\/runs\/[0-9a-f-]{36}$/.test(url.pathname) && url.href !== state.runUrl)
        await page.getByRole('heading', { level: 1, name: 'Program result' }).waitFor()
        const outcome = await outcomeOf(base, page.url())
        assert(outcome.status === 'ok' && outcome.selected_assets.length === assets, `the point's run sold ${outcome.selected_assets.length} assets (${outcome.status}), the point ${assets}`)
        // A cell opens as a run with its values.
        await page.goto(analysesUrl)
        await page.getByRole('button', { name: 'Run grid' }).click()
        const cell = page.locator('table.heatmap td.heat-cell').first().getByRole('button')
        const proceeds = /: (\$[\d.]+[MB])/.exec(await cell.getAttribute('aria-label'))[1]
        await cell.click()
        await page.waitForURL((url) => /\/runs\/[0-9a-f-]{36}$/.test(url.pathname))
        await page.getByRole('heading', { level: 1, name: 'Program result' }).waitFor()
        const cellOutcome = await outcomeOf(base, page.url())
        const shown = `$${(cellOutcome.proceeds / (cellOutcome.proceeds >= 1e9 ? 1e9 : 1e6)).toFixed(cellOutcome.proceeds >= 1e9 ? 2 : 1)}${cellOutcome.proceeds >= 1e9 ? 'B' : 'M'}`
        assert(shown === proceeds, `the cell showed ${proceeds}, its run raised ${shown}`)
      },
    ],
    [
      'an uploaded CSV portfolio is shown and can be run',
      async (page) => {
        await freshPlanner(page, base)
        await page.getByLabel('Upload a portfolio (CSV or JSON)').setInputFiles({ name: 'regional.csv', mimeType: 'text/csv', buffer: Buffer.from(REGIONAL_CSV) })
        const portfolio = page.getByRole('region', { name: 'Portfolio' })
        await portfolio.getByText('regional.csv').waitFor()
        const rows = await portfolio.getByRole('row').count()
        assert(rows === 7, `expected 6 uploaded assets and a header row, found ${rows} rows`)
        await portfolio.getByLabel('Filter assets').fill('store')
        assert((await portfolio.getByRole('row').count()) === 4, 'filtering by "store" should leave 3 assets')
        await portfolio.getByLabel('Filter assets').fill('')
        await screenshot(page, 'upload')
        await page.getByLabel('What should the program raise, and under which limits?').fill('Raise $40M through a sale-leaseback.')
        await page.getByRole('button', { name: 'Run program' }).click()
        await page.waitForURL(/\/runs\/[0-9a-f-]{36}$/)
        const assets = page.getByRole('region', { name: /Selected assets/ })
        await assets.getByRole('row').nth(1).waitFor()
        const text = await assets.textContent()
        assert(/R[1-6]/.test(text) && !/P0\d\d/.test(text), 'the run did not use the uploaded assets')
      },
    ],
    [
      'validation errors are shown per row and field',
      async (page) => {
        await freshPlanner(page, base)
        await page.getByLabel('Upload a portfolio (CSV or JSON)').setInputFiles({ name: 'broken.csv', mimeType: 'text/csv', buffer: Buffer.from(BAD_CSV) })
        const alert = page.getByRole('region', { name: 'Portfolio' }).getByRole('alert')
        await alert.waitFor()
        const text = await alert.textContent()
        for (const expected of [
          'Row 2 (B2): NOI must be greater than 0.',
          'Row 2 (B2): Criticality must be between 0 and 1.',
          'Row 3 (B1): Asset type must be one of store, distribution_center, office, mixed_use, other (got "warehouse").',
          'Row 3 (B1): Asset ID duplicates row 1.',
        ]) {
          assert(text.includes(expected), `missing "${expected}" in: ${text}`)
        }
        assert(!text.includes('[object Object]'), 'an error shows [object Object]')
        assert(await page.getByRole('button', { name: 'Run program' }).isDisabled(), 'running is possible with a broken portfolio')
        await page.getByText('Advanced: overrides and fund').click()
        await page.getByLabel('Maximum net leverage (x)').fill('12')
        await page.getByText('Maximum net leverage must be between 0 and 10 (exclusive).').first().waitFor()
        await screenshot(page, 'validation')
      },
    ],
    [
      'a 3-scenario set runs and shows the comparison',
      async (page) => {
        await freshPlanner(page, base)
        await page.getByLabel('What should the program raise, and under which limits?').fill(BRIEF)
        await page.getByLabel('Scenarios').selectOption('3')
        await page.getByRole('button', { name: 'Run scenario analysis (3)' }).click()
        await page.waitForURL(/\/scenario-sets\/[0-9a-f-]{36}$/)
        await page.getByRole('heading', { level: 1, name: 'Scenario comparison' }).waitFor()
        state.setUrl = page.url()
        const cards = page.locator('article.card')
        assert((await cards.count()) === 3, `expected 3 scenario cards, found ${await cards.count()}`)
        assert((await page.locator('article.card .rationale').count()) === 3, 'every scenario card shows its rationale')
        assert((await page.locator('article.card').getByText('Lease-adjusted leverage after').count()) === 3, 'every scenario card shows its lease-adjusted leverage')
        assert((await page.locator('article.card .badge-strategy').count()) === 3, 'every scenario card says its strategy')
        assert((await page.locator('article.card').getByText('After-tax proceeds').count()) === 3, 'every scenario card shows its after-tax proceeds')
        for (const chart of ['Proceeds versus target by scenario', 'Net leverage after the program by scenario', 'Fixed-charge coverage after the program by scenario']) {
          await page.getByRole('img', { name: chart }).waitFor()
        }
        await screenshot(page, 'scenario-set')
        const label = (await cards.first().getByRole('heading').textContent()).trim()
        await cards.first().getByRole('link', { name: 'View run →' }).click()
        await page.getByRole('heading', { level: 1, name: label }).waitFor()
        await page.getByRole('link', { name: 'View scenario set' }).waitFor()
        await screenshot(page, 'scenario-run', false)
      },
    ],
    [
      'preview the spec, edit it, run it, and re-run the stored request',
      async (page) => {
        await freshPlanner(page, base)
        await page.getByLabel(BRIEF_LABEL).fill(PREVIEW_BRIEF)
        await page.getByText('Advanced: overrides and fund').click()
        await page.getByLabel('Fund ID').fill('FUND-E2E')
        await page.getByRole('button', { name: 'Preview spec' }).click()
        const spec = page.getByRole('region', { name: 'Spec to run' })
        await spec.waitFor()
        const badge = (label) => specField(page, label).locator('.badge-source').textContent()
        assert((await badge('Target')) === 'Brief', `target badge: ${await badge('Target')}`)
        assert((await badge('Maximum net leverage')) === 'Brief', `leverage badge: ${await badge('Maximum net leverage')}`)
        assert((await badge('Minimum fixed-charge coverage')) === 'Default', `coverage badge: ${await badge('Minimum fixed-charge coverage')}`)
        assert((await badge('Minimum interest coverage')) === 'Not set', 'an unset limit is not marked')
        const targetCaption = await specField(page, 'Target').textContent()
        assert(targetCaption.includes('Read from “$200M”'), `the target does not quote the brief: ${targetCaption}`)
        await specField(page, 'Excluded markets').getByText('Dallas, TX').waitFor()
        // Edit: a tighter leverage limit and one asset kept out of the sale.
        await specField(page, 'Maximum net leverage').getByRole('textbox').fill('3.6')
        assert((await badge('Maximum net leverage')) === 'Override', 'an edited field is not marked as an override')
        await spec.getByLabel('Add to Excluded assets').fill('Nashville Distribution')
        const option = specField(page, 'Excluded assets').getByRole('button', { name: /^Add Nashville Distribution Center/ }).first()
        const picked = (await option.getAttribute('aria-label')).replace(/^Add /, '').replace(/, .*$/, '')
        await option.click()
        await specField(page, 'Excluded assets').getByText(picked).waitFor()
        await spec.getByText('2 fields edited').waitFor()
        await screenshot(page, 'planner-preview')
        await page.setViewportSize(PHONE)
        assert((await horizontalOverflow(page)) <= 0, 'the planner scrolls sideways on a phone')
        await spec.screenshot({ path: path.join(SCREENSHOTS, 'planner-preview-phone.png') })
        await page.setViewportSize(DESKTOP)
        // A reload keeps the form and the edited preview.
        await page.reload()
        await page.getByRole('region', { name: 'Spec to run' }).waitFor()
        assert((await specField(page, 'Maximum net leverage').getByRole('textbox').inputValue()) === '3.6', 'the edit did not survive a reload')
        assert((await page.getByLabel(BRIEF_LABEL).inputValue()) === PREVIEW_BRIEF, 'the brief did not survive a reload')

        await page.getByRole('button', { name: 'Run this spec' }).click()
        await page.waitForURL(/\/runs\/[0-9a-f-]{36}$/)
        await page.getByRole('heading', { level: 1, name: 'Program result' }).waitFor()
        state.specRunUrl = page.url()
        await page.getByText('Confirmed spec', { exact: true }).waitFor()
        await page.locator('.badge-strategy', { hasText: 'Optimal' }).waitFor()
        const title = await page.title()
        assert(title.startsWith('Raise $200M from stores') && title.endsWith(' — Run — SLB Planner'), `the title does not name the run: ${title}`)
        const inputs = await page.getByRole('region', { name: 'Inputs' }).textContent()
        for (const expected of ['Confirmed on the planner', 'Optimal', '48', '$2,400,000,000']) assert(inputs.includes(expected), `the inputs do not show "${expected}": ${inputs}`)
        const checklist = await page.getByRole('region', { name: 'Constraint checklist' }).textContent()
        assert(checklist.includes('Net leverage ≤ 3.60x') && checklist.includes(picked.replace(/ \(P\d+\)$/, '')), `the run did not use the edited spec: ${checklist}`)
        const sold = await page.getByRole('region', { name: /Selected assets/ }).textContent()
        assert(!sold.includes(picked.replace(/ \(P\d+\)$/, '')), 'the excluded asset was sold')
        const audit = await fetch(`${base}/api/runs/${state.specRunUrl.split('/').at(-1)}`).then((r) => r.json())
        assert(audit.response.audit_trace.spec_source === 'request' && audit.request.selector_spec.hard_constraints.max_net_leverage === 3.6, 'the stored request does not carry the edited spec')
        assert(audit.fund_id === 'FUND-E2E', `fund ${audit.fund_id}`)
        await screenshot(page, 'run-page')
        await page.setViewportSize(PHONE)
        assert((await horizontalOverflow(page)) <= 0, 'the run page scrolls sideways on a phone')
        await screenshot(page, 'run-page-phone')
        await page.setViewportSize(DESKTOP)
        await page.emulateMedia({ media: 'print' })
        assert(!(await page.getByRole('navigation', { name: 'Sections' }).isVisible()), 'the site navigation is printed')
        assert(!(await page.getByRole('button', { name: 'Re-run' }).isVisible()), 'buttons are printed')
        await screenshot(page, 'run-print')
        await page.emulateMedia({ media: 'screen' })

        // Re-run: the stored request again, the same outcome bit for bit.
        await page.getByRole('button', { name: 'Re-run' }).click()
        await page.waitForURL((url) => /\/runs\/[0-9a-f-]{36}$/.test(url.pathname) && url.href !== state.specRunUrl)
        await page.getByRole('heading', { level: 1, name: 'Program result' }).waitFor()
        const [first, again] = await Promise.all([outcomeOf(base, state.specRunUrl), outcomeOf(base, page.url())])
        assert(JSON.stringify(first) === JSON.stringify(again), 'the re-run did not reproduce the outcome')
        const focused = await page.evaluate(() => document.activeElement?.tagName)
        assert(focused === 'H1', `the focus is on ${focused}, not the page heading, after the navigation`)

        // Open in planner: the run's inputs and its spec, under review again.
        await page.getByRole('button', { name: 'Open in planner' }).click()
        await page.waitForURL(`${base}/`)
        await page.getByRole('region', { name: 'Spec to run' }).waitFor()
        assert((await page.getByLabel(BRIEF_LABEL).inputValue()) === PREVIEW_BRIEF, 'Open in planner did not load the brief')
        assert((await specField(page, 'Maximum net leverage').getByRole('textbox').inputValue()) === '3.6', 'Open in planner did not load the spec')
        await page.getByRole('button', { name: 'Discard the preview' }).click()
      },
    ],
    [
      'an infeasible greedy run leads with the advice; the optimal strategy finds the program',
      async (page) => {
        await freshPlanner(page, base)
        await page.getByLabel(BRIEF_LABEL).fill(STORES_BRIEF)
        await page.getByText('Reference greedy', { exact: true }).click()
        await page.getByRole('button', { name: 'Run program' }).click()
        await page.waitForURL(/\/runs\/[0-9a-f-]{36}$/)
        await page.getByRole('heading', { level: 1, name: 'Program result' }).waitFor()
        await page.getByText('Infeasible', { exact: true }).first().waitFor()
        await page.locator('.badge-strategy', { hasText: 'Reference greedy' }).waitFor()
        const greedyUrl = page.url()
        const first = await page.locator('.report-body > section').first().getAttribute('id')
        assert(first === 'insights', `an infeasible run starts with #${first}, not the insights`)
        const advice = await page.getByRole('region', { name: 'Insights' }).textContent()
        for (const expected of ['Breached Before Any Sale', 'What Cures', 'The Exact Optimiser Finds a Program']) {
          assert(advice.includes(expected), `the advice lacks "${expected}": ${advice}`)
        }
        assert(!/\b[a-z]+_[a-z_]+\b/.test(await page.locator('article').textContent()), 'the run page shows a wire enum')
        await screenshot(page, 'run-infeasible', false)
        await page.setViewportSize(PHONE)
        assert((await horizontalOverflow(page)) <= 0, 'the infeasible run scrolls sideways on a phone')
        await screenshot(page, 'run-infeasible-phone', false)
        await page.setViewportSize(DESKTOP)
        await page.getByRole('button', { name: 'Re-run with the optimal strategy' }).click()
        await page.waitForURL((url) => /\/runs\/[0-9a-f-]{36}$/.test(url.pathname) && url.href !== greedyUrl)
        await page.getByText('Feasible', { exact: true }).first().waitFor()
        await page.locator('.badge-strategy', { hasText: 'Optimal' }).waitFor()
        const checklist = await page.getByRole('region', { name: 'Constraint checklist' }).textContent()
        assert(checklist.includes('Every limit of the spec holds'), `the optimal run is not feasible: ${checklist}`)
      },
    ],
    [
      'after a reload the runs list shows the run and the scenario set',
      async (page) => {
        await page.goto(`${base}/runs`)
        await page.getByRole('heading', { level: 1, name: 'Runs' }).waitFor()
        const table = page.getByRole('table')
        await table.getByText(BRIEF, { exact: true }).first().waitFor()
        await table.getByText('Scenario set').waitFor()
        assert((await table.locator('tr.in-group').count()) === 3, 'the scenario runs are not grouped under their set')
        const headers = await table.getByRole('columnheader').allTextContents()
        for (const column of ['Strategy', 'Target', 'Proceeds', 'Feasibility']) assert(headers.includes(column), `the runs list has no ${column} column: ${headers}`)
        await table.getByText('Infeasible', { exact: true }).first().waitFor()
        await screenshot(page, 'runs')
        // The fund filter: picked from the funds that have runs.
        await page.getByLabel('Fund', { exact: true }).fill('FUND-E2E')
        await page.getByText('Fund FUND-E2E').waitFor()
        await page.waitForFunction(() => document.querySelectorAll('table.runs-table tbody tr').length === 2)
        await page.getByRole('button', { name: 'Show all funds' }).click()
        await page.getByText('Scenario set', { exact: true }).waitFor()
        await table.getByRole('link', { name: 'Compare scenarios' }).click()
        await page.waitForURL(state.setUrl)
        await page.goto(state.setUrl) // a reload of a deep link is served the app
        await page.getByRole('heading', { level: 1, name: 'Scenario comparison' }).waitFor()
        await page.goto(`${base}/scenario-sets`)
        await page.getByRole('table').getByRole('link', { name: BRIEF }).waitFor()
        await screenshot(page, 'scenario-sets', false)
      },
    ],
  ]
}

const SIGN_IN_HEADING = 'Sign in with an API key'
/** Chromium logs every refused fetch ("Failed to load resource: … status of 401"): expected here. */
const REFUSALS = /Failed to load resource: the server responded with a status of 40[13]/

async function signIn(page, token) {
  await page.getByLabel('API key', { exact: true }).fill(token)
  await page.getByRole('button', { name: 'Sign in' }).click()
}

async function signOut(page) {
  await page.locator('.masthead').getByRole('button', { name: 'Sign out' }).click()
  await page.getByRole('heading', { level: 1, name: SIGN_IN_HEADING }).waitFor()
}

const storedKey = (page) => page.evaluate(() => window.sessionStorage.getItem('slb.apiKey'))

/** The tests against the server whose store has keys (`tokens`: analyst, viewer, fund). */
function authTests(base, dataDir, tokens) {
  return [
    [
      'a server with keys asks for one; a wrong key shows the server’s reason',
      async (page) => {
        await page.goto(`${base}/`)
        await page.getByRole('heading', { level: 1, name: SIGN_IN_HEADING }).waitFor()
        assert((await page.title()) === 'Sign in — SLB Planner', `title ${await page.title()}`)
        assert((await page.getByLabel('API key', { exact: true }).getAttribute('type')) === 'password', 'the key is shown as it is typed')
        await signIn(page, `slb_${'0'.repeat(64)}`)
        await page.getByText('The server does not know this API key: check that it was pasted whole.').waitFor()
        assert((await storedKey(page)) === null, 'a refused key was kept')
        await screenshot(page, 'sign-in-error', false)
      },
      { expectedErrors: REFUSALS },
    ],
    [
      'signed in with a key, the header says who, and a run says who ran it',
      async (page) => {
        await signIn(page, tokens.analyst)
        await page.getByRole('heading', { level: 1, name: 'Plan a sale-leaseback program' }).waitFor()
        const who = page.locator('.masthead').getByRole('group', { name: 'Signed in' })
        const text = await who.textContent()
        for (const expected of ['Signed in as e2e-analyst', 'Analyst', 'All funds', 'Sign out']) assert(text.includes(expected), `the header lacks "${expected}": ${text}`)
        assert((await storedKey(page)) === tokens.analyst, 'the key is not in sessionStorage')
        assert(!(await page.evaluate(() => JSON.stringify({ ...window.localStorage }))).includes(tokens.analyst), 'the key is in localStorage')
        await screenshot(page, 'signed-in', false)
        await page.setViewportSize(PHONE)
        assert((await horizontalOverflow(page)) <= 0, 'the signed-in header scrolls sideways on a phone')
        await screenshot(page, 'signed-in-phone', false)
        await page.setViewportSize(DESKTOP)

        await page.getByLabel(BRIEF_LABEL).fill(BRIEF)
        await page.getByRole('button', { name: 'Run program' }).click()
        await page.waitForURL(/\/runs\/[0-9a-f-]{36}$/)
        await page.getByRole('heading', { level: 1, name: 'Program result' }).waitFor()
        await page.getByText('Run by e2e-analyst', { exact: true }).waitFor()
        const runId = page.url().split('/').at(-1)
        const stored = await fetch(`${base}/api/runs/${runId}`, { headers: { Authorization: `Bearer ${tokens.analyst}` } }).then((r) => r.json())
        assert(stored.created_by === 'e2e-analyst', `created_by ${stored.created_by}`)
        await screenshot(page, 'run-by', false)

        // A reload keeps the tab signed in; the runs list says who ran what.
        await page.goto(`${base}/runs`)
        const table = page.getByRole('table')
        await table.getByText(BRIEF, { exact: true }).waitFor()
        const headers = await table.getByRole('columnheader').allTextContents()
        assert(headers.includes('Run by'), `the runs list has no Run by column: ${headers}`)
        await table.getByRole('cell', { name: 'e2e-analyst', exact: true }).waitFor()
        await screenshot(page, 'runs-run-by', false)
      },
    ],
    [
      'a viewer reads the runs but its run buttons are disabled, saying why',
      async (page) => {
        await signOut(page)
        await page.getByText('You signed out.').waitFor()
        assert((await storedKey(page)) === null, 'signing out left the key in sessionStorage')
        await signIn(page, tokens.viewer)
        await page.getByRole('heading', { level: 1, name: 'Runs' }).waitFor()
        await page.getByRole('table').getByRole('cell', { name: 'e2e-analyst', exact: true }).waitFor()
        await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Planner' }).click()
        await page.getByLabel(BRIEF_LABEL).fill(BRIEF)
        for (const name of ['Preview spec', 'Run program', 'Run scenario analysis (3)']) {
          assert(await page.getByRole('button', { name }).isDisabled(), `a viewer can press ${name}`)
        }
        await page.getByText('The key “e2e-viewer” is a viewer: it can read runs and scenario sets but not start them.', { exact: false }).waitFor()
        await page.getByRole('region', { name: 'Brief' }).screenshot({ path: path.join(SCREENSHOTS, 'viewer-brief.png') })
        // The server refuses a viewer's run whatever the page allows: 403 in words.
        const refused = await fetch(`${base}/api/runs`, { method: 'POST', headers: { Authorization: `Bearer ${tokens.viewer}`, 'Content-Type': 'application/json' }, body: '{}' })
        assert(refused.status === 403, `a viewer's POST answered ${refused.status}`)
      },
      { expectedErrors: REFUSALS },
    ],
    [
      'a fund-scoped key runs in one of its funds; once revoked, the tab asks for a key again',
      async (page) => {
        await signOut(page)
        await signIn(page, tokens.fund)
        await page.getByRole('heading', { level: 1, name: 'Plan a sale-leaseback program' }).waitFor()
        await page.locator('.masthead').getByText('Funds FUND-X, FUND-Y').waitFor()
        await page.getByText('Advanced: overrides and fund').click()
        const fund = page.getByLabel('Fund ID')
        const options = await fund.locator('option').allTextContents()
        assert(JSON.stringify(options) === JSON.stringify(['FUND-X', 'FUND-Y']), `the Fund ID offers ${options}`)
        assert((await fund.inputValue()) === 'FUND-X', `the Fund ID defaults to ${await fund.inputValue()}`)
        await fund.selectOption('FUND-Y')
        await page.getByRole('region', { name: 'Company' }).screenshot({ path: path.join(SCREENSHOTS, 'fund-scoped-company.png') })
        await page.getByLabel(BRIEF_LABEL).fill(BRIEF)
        await page.getByRole('button', { name: 'Run program' }).click()
        await page.waitForURL(/\/runs\/[0-9a-f-]{36}$/)
        await page.getByText('Run by e2e-fund', { exact: true }).waitFor()
        assert((await page.locator('.eyebrow').first().textContent()).includes('Fund FUND-Y'), 'the run is not in FUND-Y')

        await keys(dataDir, 'revoke', 'e2e-fund')
        await page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: 'Runs' }).click()
        await page.getByRole('heading', { level: 1, name: SIGN_IN_HEADING }).waitFor()
        await page.getByText('This API key has been revoked: ask an admin for a new one.').waitFor()
        assert((await storedKey(page)) === null, 'a revoked key was kept')
        await screenshot(page, 'sign-in-revoked', false)
      },
      { expectedErrors: REFUSALS },
    ],
  ]
}

async function main() {
  await mkdir(SCREENSHOTS, { recursive: true })
  const dataDir = await mkdtemp(path.join(tmpdir(), 'slb-e2e-'))
  const authDir = await mkdtemp(path.join(tmpdir(), 'slb-e2e-auth-'))
  const tokens = {
    analyst: await createKey(authDir, 'e2e-analyst', 'analyst'),
    viewer: await createKey(authDir, 'e2e-viewer', 'viewer'),
    fund: await createKey(authDir, 'e2e-fund', 'analyst', ['FUND-X', 'FUND-Y']),
  }
  const { server, url } = await startServer(dataDir)
  const { server: authServer, url: authUrl } = await startServer(authDir)
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS })
  let passed = 0
  let failed = 0
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true })
    context.setDefaultTimeout(STEP_TIMEOUT_MS)
    const page = await context.newPage()
    const pageErrors = []
    page.on('pageerror', (e) => pageErrors.push(e.message))
    page.on('console', (m) => m.type() === 'error' && pageErrors.push(m.text()))
    const state = {}
    for (const [name, test, options = {}] of [...tests(url, state), ...authTests(authUrl, authDir, tokens)]) {
      const started = Date.now()
      pageErrors.length = 0
      try {
        await test(page)
        const unexpected = pageErrors.filter((e) => !(options.expectedErrors && options.expectedErrors.test(e)))
        assert(unexpected.length === 0, `the page logged errors: ${unexpected.join(' | ')}`)
        passed += 1
        console.log(`  ✓ ${name} (${Date.now() - started} ms)`)
      } catch (e) {
        failed += 1
        console.log(`  ✗ ${name}\n      ${e instanceof Error ? e.message.split('\n')[0] : e}`)
        await screenshot(page, `failure-${passed + failed}`).catch(() => {})
      }
    }
  } finally {
    await browser.close()
    // Each server checkpoints its store as it stops: remove the stores once they have.
    await Promise.all([stop(server), stop(authServer)])
    await rm(dataDir, { recursive: true, force: true })
    await rm(authDir, { recursive: true, force: true })
  }
  console.log(`\nScreenshots: ${SCREENSHOTS}`)
  console.log(`${passed} passed, ${failed} failed`)
  process.exitCode = failed === 0 ? 0 : 1
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e)
  console.log('0 passed, 1 failed')
  process.exitCode = 1
})
