// Browser tests of the reports (统计报表) and the dashboard (数据看板): each role's home shows the
// figures the API gives for the demo data — the leader's and staff's dashboard (headline figures
// with their change on last year, the member-unit count checked against the member directory, the
// charts), a member's own unit's card only; a chart's bar drills down to the units behind it; the
// leader opens every report page, changes a filter (the address and the figures follow), and the
// xlsx/csv downloads answer with the right content type; the engagement report's years; a member
// is refused the report pages; every report page at phone and desktop size (screenshots
// SHOTS/{desktop,phone}/reports-*.png, no horizontal scroll, one h1, axe-core without serious or
// critical violations). Registered with the harness; run by ui.test.mjs (tests/ui/run.sh) against
// a server started with --demo (member1 represents unit 1, 长沙经济技术开发区).
import assert from 'node:assert/strict'
import {
  accounts,
  apiSession,
  axe,
  choose,
  layoutProblems,
  login,
  loginAs as signIn,
  newPage,
  open,
  screenshot,
  sel,
  settle,
  test,
  waitForPath,
} from './harness.mjs'
import zh from '../../web/ui/src/i18n/zh-CN.js'
import { figureText, yoyChange, yoyText } from '../../web/ui/src/reports/figures.js'
import { formatFen } from '../../web/ui/src/utils/format.js'

// The current year in Asia/Shanghai.
const Y = Number(new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 4))
// The statuses of a current member (the `units` figure and the membership report's `total`).
const CURRENT = ['active', 'lapsed', 'suspended']
const AREAS = ['membership', 'dues', 'training', 'meetings', 'visits', 'engagement', 'annual']

const leaderApi = () => apiSession(accounts.leader.username, accounts.leader.password)
const memberApi = () => apiSession(accounts.member.username, accounts.member.password)
const text = async (locator) => (await locator.innerText()).replace(/\s+/g, ' ').trim()
const qs = (o) => new URLSearchParams(Object.entries(o).filter(([, v]) => v !== '' && v != null)).toString()

async function get(api, path) {
  const r = await api.get(path)
  assert.equal(r.status, 200, `${path}: ${r.text}`)
  return r.json
}

// How many units of the directory hold one of `statuses` (and the other filters).
async function directoryCount(api, filters = {}, statuses = CURRENT) {
  let n = 0
  for (const status of statuses) n += (await get(api, `/api/members?${qs({ ...filters, status, page_size: 1 })}`)).total
  return n
}

// The figure a report page shows under `key` (FigureGrid).
const figure = (page, key) => text(page.locator(`${sel(`figure-${key}`)} ${sel('figure-value')}`))

// Clicks the bar `index` of the bar chart inside `chart` (its plot area is fixed: data-grid),
// just above the axis, where every bar with a count starts.
async function clickBar(page, chart, index) {
  const card = page.locator(sel(chart))
  const grid = JSON.parse(await card.getAttribute('data-grid'))
  const keys = JSON.parse(await card.getAttribute('data-keys'))
  const canvas = card.locator(`${sel('echart')} canvas`).first()
  await canvas.waitFor()
  // Drawn at once: the browser asks for reduced motion, so the bars do not grow into place.
  await settle(page)
  const box = await card.locator(sel('echart')).boundingBox()
  const width = box.width - grid.left - grid.right
  const x = grid.left + ((index + 0.5) * width) / keys.length
  const y = box.height - grid.bottom - 3
  await card.locator(sel('echart')).click({ position: { x, y } })
}

// ---------------------------------------------------------------------------------------------
test("reports: the leader's dashboard shows the association's figures of the demo data", async ({ page }) => {
  const leader = await leaderApi()
  const dash = await get(leader, `/api/reports/dashboard?year=${Y}`)
  assert.equal(dash.scope, 'association')
  assert.equal(dash.year, Y)
  const units = dash.headline.find((h) => h.key === 'units')
  assert.ok(units, 'the headline has the member units')
  // Independent of the reports: the member directory's current units.
  const current = await directoryCount(leader)
  assert.equal(units.value, current, 'units = the directory\'s active, lapsed and suspended units')
  assert.equal(units.value, (await get(leader, `/api/reports/membership?year=${Y}`)).total, 'units = the membership report\'s total')
  // The dues collected this year: the dues report's figure.
  const duesCollected = dash.headline.find((h) => h.key === 'dues_collected_fen')
  if (duesCollected) {
    assert.equal(duesCollected.value, (await get(leader, `/api/reports/dues?year=${Y}`)).collected_fen, 'dues collected = the dues report')
  }

  await signIn(page, 'leader')
  const home = page.locator(sel('home-leader'))
  await home.locator(sel('headline-units')).waitFor()
  // Every headline figure as the API gives it: the value (money in 元, rates in percent) and the
  // change on last year.
  for (const h of dash.headline) {
    const card = home.locator(sel(`headline-${h.key}`))
    assert.equal(await text(card.locator(sel('headline-value'))), figureText(h.kind, h.value), `${h.key}: value`)
    const change = yoyText(yoyChange(h.value, h.previous, h.kind), zh.reports.yoy.pp)
    if (change) assert.ok((await text(card.locator(sel('headline-change')))).endsWith(change), `${h.key}: change ${change}`)
    assert.ok((await text(card)).includes(`上年 ${figureText(h.kind, h.previous)}`), `${h.key}: last year's figure`)
  }
  assert.equal(await text(home.locator(`${sel('headline-units')} ${sel('headline-value')}`)), String(current))
  // Each figure leads to its report, for the dashboard's year.
  const href = await home.locator(sel('headline-units')).getAttribute('href')
  assert.match(href, new RegExp(`^/reports/membership\\?(.*&)?year=${Y}`))

  // The charts: units by city in the API's order, with data drawn on a canvas.
  const byCity = home.locator(sel('chart-by_city'))
  assert.deepEqual(JSON.parse(await byCity.getAttribute('data-keys')), dash.charts.by_city.map((c) => c.key))
  await byCity.locator(`${sel('echart')} canvas`).waitFor()
  for (const chart of ['by_type', 'by_level', 'by_tier', 'by_status', 'dues_by_month', 'training_by_city', 'activity']) {
    await home.locator(sel(`chart-${chart}`)).waitFor()
  }
  assert.equal(
    Number(await home.locator(sel('chart-activity')).getAttribute('data-days')),
    (dash.charts.activity_days ?? []).filter((d) => d.date.startsWith(`${Y}-`)).length,
  )
  // The 换届 countdown: shown with the days left, hidden when no term is set.
  const term = home.locator(sel('dashboard-term'))
  if (dash.term?.days_left == null) {
    assert.equal(await term.count(), 0, 'no term: no countdown')
  } else {
    assert.equal(Number(await term.getAttribute('data-days')), dash.term.days_left)
  }

  // Last year's figures on choosing the year.
  const last = await get(leader, `/api/reports/dashboard?year=${Y - 1}`)
  await choose(page, 'dashboard-year', `${Y - 1}年`)
  await page.waitForFunction((y) => document.querySelector('[data-test="dashboard"]')?.dataset.year === String(y), Y - 1)
  const joined = last.headline.find((h) => h.key === 'joined')
  if (joined) {
    await page.waitForFunction(
      (v) => document.querySelector('[data-test="headline-joined"] [data-test="headline-value"]')?.textContent.trim() === v,
      figureText(joined.kind, joined.value),
    )
  }
})

test('reports: staff see the dashboard under their work queues', async ({ page }) => {
  const staff = await apiSession(accounts.staff.username, accounts.staff.password)
  const dash = await get(staff, `/api/reports/dashboard?year=${Y}`)
  await signIn(page, 'staff')
  const section = page.locator(`${sel('home-staff')} ${sel('dashboard')}`)
  await section.locator(sel('headline-units')).waitFor()
  const units = dash.headline.find((h) => h.key === 'units')
  assert.equal(await text(section.locator(`${sel('headline-units')} ${sel('headline-value')}`)), figureText('count', units.value))
})

test('reports: a bar of units by city drills down to the units of that city', async ({ page }) => {
  const leader = await leaderApi()
  const dash = await get(leader, `/api/reports/dashboard?year=${Y}`)
  const cities = dash.charts.by_city
  assert.ok(cities.length > 0, 'the demo data has units in some city')
  const index = cities.reduce((best, c, i) => (c.count > cities[best].count ? i : best), 0)
  const city = cities[index]
  await signIn(page, 'leader')
  await page.locator(`${sel('home-leader')} ${sel('headline-units')}`).waitFor()
  await clickBar(page, 'chart-by_city', index)
  await waitForPath(
    page,
    (u) => u.pathname === '/reports/drill' && u.searchParams.get('dimension') === 'city' && u.searchParams.get('key') === city.key,
    `the units of ${city.key}`,
  )
  assert.equal(new URL(page.url()).searchParams.get('report'), 'membership')
  const drill = await get(leader, `/api/reports/drill?report=membership&dimension=city&key=${city.key}&year=${Y}`)
  const total = page.locator(sel('drill-total'))
  await page.waitForFunction((n) => document.querySelector('[data-test="drill-total"]')?.dataset.total === String(n), drill.total)
  assert.match(await text(total), new RegExp(`共 ${drill.total} 家单位`))
  assert.match(await text(page.locator(sel('drill-heading'))), new RegExp(zh.cities[city.key] ?? city.key))
  // The bar's count is the units behind it, each in that city, each a link to its page.
  assert.equal(drill.total, city.count, 'the drill-down lists the bar\'s units')
  assert.ok(drill.items.every((u) => u.city_code === city.key))
  const first = drill.items[0]
  const link = page.locator(sel(`drill-unit-${first.member_id}`))
  assert.equal(await text(link), first.name)
  assert.equal(await link.getAttribute('href'), `/members/${first.member_id}`)
  // Independent of the reports: the directory's units of that city.
  assert.equal(drill.total, await directoryCount(leader, { city_code: city.key }))
  await link.click()
  await waitForPath(page, (u) => u.pathname === `/members/${first.member_id}`, 'the unit\'s page')
})

test('reports: a count in a report table drills down too (membership by tier)', async ({ page }) => {
  const leader = await leaderApi()
  const report = await get(leader, `/api/reports/membership?year=${Y}`)
  const tier = report.by_tier.find((r) => r.count > 0)
  assert.ok(tier, 'some tier has units')
  await signIn(page, 'leader')
  await page.goto(`/reports/membership?year=${Y}`)
  await page.locator(sel(`drill-tier-${tier.key}`)).click()
  await waitForPath(page, (u) => u.pathname === '/reports/drill' && u.searchParams.get('key') === tier.key, 'the tier\'s units')
  await page.waitForFunction((n) => document.querySelector('[data-test="drill-total"]')?.dataset.total === String(n), tier.count)
})

// The figure each report page is checked by after a filter changes: [figure key, API field, kind].
const CHECK = {
  membership: ['total', 'total', 'count'],
  dues: ['billed_fen', 'billed_fen', 'fen'],
  training: ['places', 'places', 'count'],
  meetings: ['invitations', 'invitations', 'count'],
  visits: ['delegates', 'delegates', 'count'],
  engagement: ['total', 'total', 'count'],
}

test('reports: the leader opens every report; a filter changes the address and the figures; downloads', async ({ page }) => {
  const leader = await leaderApi()
  await signIn(page, 'leader')
  // From the menu to the index, then each report.
  await page.locator('[data-menu="reports"]').click()
  await waitForPath(page, (u) => u.pathname === '/reports', 'the reports index')
  for (const area of AREAS) await page.locator(sel(`reports-link-${area}`)).waitFor()

  const city = '430100'
  for (const area of Object.keys(CHECK)) {
    const [key, field, kind] = CHECK[area]
    await page.locator(sel(`reports-link-${area}`)).click()
    await waitForPath(page, (u) => u.pathname === `/reports/${area}`, `the ${area} report`)
    await page.locator(sel(`report-${area}`)).waitFor()
    await settle(page)
    const base = area === 'engagement' ? { years: 3 } : { year: Y }
    const before = await get(leader, `/api/reports/${area}?${qs(base)}`)
    assert.equal(await figure(page, key), figureText(kind, before[field]), `${area}: ${key} unfiltered`)

    // A city: the address keeps it, the figures are the city's.
    const answered = page.waitForResponse((r) => r.url().includes(`/api/reports/${area}?`) && r.url().includes(`city_code=${city}`))
    await choose(page, 'report-city', zh.cities[city])
    await answered
    await waitForPath(page, (u) => u.searchParams.get('city_code') === city, `${area}: city_code in the address`)
    await settle(page)
    const after = await get(leader, `/api/reports/${area}?${qs({ ...base, city_code: city })}`)
    assert.equal(await figure(page, key), figureText(kind, after[field]), `${area}: ${key} of ${city}`)
    // Reloading the address shows the same filter.
    await page.reload()
    await page.locator(sel(`report-${area}`)).waitFor()
    assert.match(await text(page.locator(sel('report-city'))), new RegExp(zh.cities[city]))

    // Downloads with the same filters: xlsx and csv.
    for (const [format, type] of [['xlsx', /spreadsheetml/], ['csv', /text\/csv/]]) {
      const url = await page.locator(sel(`report-export-${format}`)).getAttribute('data-url')
      assert.ok(url.includes(`city_code=${city}`) && url.includes(`format=${format}`), `${area} ${format}: ${url}`)
      const r = await page.request.get(url)
      assert.equal(r.status(), 200, `${area} ${format}: ${r.status()} ${url}`)
      assert.match(r.headers()['content-type'] ?? '', type, `${area} ${format}: content type`)
      if (format === 'csv') assert.equal((await r.body()).subarray(0, 3).toString('hex'), 'efbbbf', `${area} csv: UTF-8 BOM`)
    }
    // The button itself downloads a file.
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator(sel('report-export-xlsx')).click()])
    assert.match(download.suggestedFilename(), /\.xlsx$/)
    await page.locator(sel('report-print')).waitFor()
    await page.goto('/reports')
  }

  // The year: another year's figures and the year in the address.
  await page.goto(`/reports/membership?year=${Y}`)
  await page.locator(sel('report-membership')).waitFor()
  await choose(page, 'report-year', `${Y - 1}年`)
  await waitForPath(page, (u) => u.searchParams.get('year') === String(Y - 1), 'the year in the address')
  await settle(page)
  const lastYear = await get(leader, `/api/reports/membership?year=${Y - 1}`)
  assert.equal(await figure(page, 'at_year_end'), figureText('count', lastYear.at_year_end))
  // The flows table: a row per year with joins or leaves, up to that year.
  assert.equal(await page.locator(`${sel('table-flows')} .el-table__body-wrapper .el-table__row`).count(), lastYear.flows.length)

  // The annual figures: one printable sheet, with its xlsx.
  const annual = await get(leader, `/api/reports/annual?year=${Y}`)
  await page.goto(`/reports/annual?year=${Y}`)
  await page.locator(sel('annual-sheet')).waitFor()
  await settle(page)
  assert.equal(await text(page.locator(`${sel('annual-members_at_year_end')} ${sel('annual-value')}`)), figureText('count', annual.members_at_year_end))
  assert.equal(await text(page.locator(`${sel('annual-dues_income_fen')} ${sel('annual-value')}`)), formatFen(annual.dues_income_fen))
  const xlsx = await page.request.get(await page.locator(sel('report-export-xlsx')).getAttribute('data-url'))
  assert.equal(xlsx.status(), 200)
  assert.match(xlsx.headers()['content-type'] ?? '', /spreadsheetml/)
  // Printing leaves out the menu, the tabs and the buttons.
  await page.emulateMedia({ media: 'print' })
  assert.equal(await page.locator(sel('report-export-xlsx')).isVisible(), false)
  assert.equal(await page.locator(sel('side-menu')).isVisible(), false)
  assert.equal(await page.locator(sel('annual-sheet')).isVisible(), true)
  await page.emulateMedia({ media: 'screen' })
})

test('reports: engagement — the years, the inactive units highlighted, those drifting away first', async ({ page }) => {
  const leader = await leaderApi()
  const three = await get(leader, '/api/reports/engagement?years=3&page_size=20')
  await signIn(page, 'leader')
  await page.goto('/reports/engagement')
  await page.locator(sel('report-engagement')).waitFor()
  await settle(page)
  // Three years by default.
  assert.match(await text(page.locator(sel('report-years'))), /近3年/)
  assert.equal(await figure(page, 'inactive_units'), figureText('count', three.inactive_units))
  if (three.inactive_units > 0) {
    assert.match(await page.locator(sel('figure-inactive_units')).getAttribute('class'), /highlight/)
  }
  // The server's order: the first row is the API's first unit.
  if (three.items.length > 0) {
    const firstRow = page.locator(`${sel('table-engagement')} .el-table__body-wrapper .el-table__row`).first()
    assert.match(await text(firstRow), new RegExp(three.items[0].name.replace(/[()（）]/g, '.')))
  }
  const five = await get(leader, '/api/reports/engagement?years=5&page_size=20')
  await choose(page, 'report-years', '近5年')
  await waitForPath(page, (u) => u.searchParams.get('years') === '5', 'years=5 in the address')
  await settle(page)
  assert.equal(await figure(page, 'inactive_units'), figureText('count', five.inactive_units))
  assert.ok(five.inactive_units <= three.inactive_units, 'a longer look back finds no more inactive units')
  // The pager shows the whole count.
  assert.match(await text(page.locator(`${sel('table-engagement')} ${sel('pager')}`)), new RegExp(`共 ${five.total} 条`))
})

test("reports: a member sees its own unit's figures only and is refused the reports", async ({ page }) => {
  const member = await memberApi()
  const own = await get(member, '/api/reports/dashboard')
  assert.equal(own.scope, 'unit')
  assert.equal(own.unit.member_id, 1)
  assert.equal(own.headline, undefined, 'no association figures for a member')
  for (const area of ['membership', 'dues', 'training', 'meetings', 'visits', 'annual']) {
    assert.equal((await member.get(`/api/reports/${area}?year=${Y}`)).status, 403, `${area}: 403 for a member`)
  }
  assert.equal((await member.get(`/api/reports/drill?report=membership&dimension=city&key=430100&year=${Y}`)).status, 403)
  await signIn(page, 'member')
  const card = page.locator(sel('home-unit-figures'))
  await card.waitFor()
  assert.equal(await card.getAttribute('data-member'), '1')
  assert.match(await text(card.locator(sel('unit-outstanding'))), new RegExp(formatFen(own.unit.dues.outstanding_fen).replace(/[.$]/g, '\\$&')))
  const oldest = own.unit.dues.oldest_arrears_year
  assert.match(await text(card.locator(sel('unit-oldest-arrears'))), oldest ? new RegExp(`${oldest}年`) : /无欠费/)
  assert.equal(await card.locator('.el-table__body-wrapper .el-table__row').count(), own.unit.years.length)
  // No association dashboard, no reports in the menu.
  assert.equal(await page.locator(sel('dashboard')).count(), 0)
  assert.equal(await page.locator('[data-menu="reports"]').count(), 0)
  for (const path of ['/reports', '/reports/membership', '/reports/engagement', '/reports/drill?report=membership&dimension=city&key=430100']) {
    await page.goto(path)
    await page.locator(sel('forbidden')).waitFor()
  }
})

// Every report page at both sizes: screenshots, the layout checks, one h1, axe.
for (const size of ['desktop', 'phone']) {
  test(`reports (${size}): the dashboard and every report page fit the screen and pass axe; screenshots`, async () => {
    const leader = await leaderApi()
    const dash = await get(leader, `/api/reports/dashboard?year=${Y}`)
    const city = dash.charts.by_city[0]?.key ?? '430100'
    const pages = {
      'reports-home': '/',
      'reports-index': '/reports',
      ...Object.fromEntries(AREAS.map((a) => [`reports-${a}`, `/reports/${a}`])),
      'reports-drill': `/reports/drill?report=membership&dimension=city&key=${city}&year=${Y}`,
    }
    const env = await newPage({ phone: size === 'phone' })
    const failures = []
    try {
      await signIn(env.page, 'leader')
      for (const [name, path] of Object.entries(pages)) {
        await open(env.page, path)
        if (name === 'reports-home') await env.page.locator(`${sel('chart-by_city')} canvas`).first().waitFor()
        await screenshot(env.page, size, name)
        for (const p of await layoutProblems(env.page)) failures.push(`${size} ${name}: ${p}`)
        const h1 = await env.page.locator('h1').count()
        if (h1 !== 1) failures.push(`${size} ${name}: ${h1} h1`)
        for (const v of await axe(env.page)) failures.push(`${size} ${name}: ${v}`)
      }
      // A member's home with its unit's card.
      const member = await newPage({ phone: size === 'phone' })
      try {
        await signIn(member.page, 'member')
        await member.page.locator(sel('home-unit-figures')).waitFor()
        await settle(member.page)
        await screenshot(member.page, size, 'reports-member-home')
        for (const p of await layoutProblems(member.page)) failures.push(`${size} member home: ${p}`)
        for (const v of await axe(member.page)) failures.push(`${size} member home: ${v}`)
        assert.deepEqual(member.problems, [], 'no errors in the member\'s page')
      } finally {
        await member.context.close()
      }
      assert.deepEqual(failures, [])
      assert.deepEqual(env.problems, [], 'no errors in the page')
    } finally {
      await env.context.close()
    }
  })
}
