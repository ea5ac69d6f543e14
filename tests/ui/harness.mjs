// What every browser test file shares: the server's address, the accounts, one headless chromium,
// a fresh context per test, selectors and small helpers for Element Plus, and the runner.
//
// A test file registers tests with test(name, fn); ui.test.mjs imports them all and calls run().
// XIEHUI_UI_ONLY=<regex> runs only the tests whose names match (when working on one).
import assert from 'node:assert/strict'
import { mkdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { chromium } from 'playwright-core'

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')

export const BASE = process.env.XIEHUI_URL
assert.ok(BASE, 'XIEHUI_URL is not set')
export const SHOTS = process.env.XIEHUI_UI_SCREENSHOTS || 'build/ui-screenshots'
export const DIST = process.env.XIEHUI_UI_DIST || 'web/ui/dist'
mkdirSync(SHOTS, { recursive: true })

// Created by run.sh before the server starts (staff1, leader1, member1 of unit 1 — the demo
// data's 长沙经济技术开发区 — and the first admin).
export const accounts = {
  admin: { username: 'admin', password: process.env.XIEHUI_UI_ADMIN_PASSWORD },
  staff: { username: 'staff1', password: process.env.XIEHUI_UI_STAFF_PASSWORD },
  leader: { username: 'leader1', password: process.env.XIEHUI_UI_LEADER_PASSWORD },
  member: { username: 'member1', password: process.env.XIEHUI_UI_MEMBER_PASSWORD },
}

export const TIMEOUT = 15000
let browser = null

// Records, in every page, when the home page first appears (performance.now() in ms).
const MARK_HOME = () => {
  const mark = () => {
    if (!window.__homeAt && document.querySelector('[data-test="home"]')) {
      window.__homeAt = performance.now()
    }
  }
  new MutationObserver(mark).observe(document, { childList: true, subtree: true })
}

// The two sizes every page is built for: a desktop and a phone (an iPhone 12-class screen).
export const DESKTOP = { width: 1280, height: 800 }
export const PHONE = { width: 390, height: 844 }
export const SIZES = { desktop: DESKTOP, phone: PHONE }

// Requests each page has in flight, for settle().
const inflight = new WeakMap()
function trackRequests(page) {
  const state = { count: 0, lastChange: Date.now() }
  inflight.set(page, state)
  const change = (d) => {
    state.count += d
    state.lastChange = Date.now()
  }
  page.on('request', () => change(1))
  page.on('requestfinished', () => change(-1))
  page.on('requestfailed', () => change(-1))
}

// A fresh browser context (no cookies, empty localStorage) and one page in it; `problems` collects
// script errors and console errors (other than the browser's own "failed: 4xx" lines).
// phone: true → 390×844, touch, a phone's device scale; bypassCSP only for injecting axe-core.
// The browser asks for reduced motion, as a user may in the system settings: the UI then has no
// transitions, so a test never catches a dialog or a menu half-drawn and never waits for one.
export async function newPage({ acceptDownloads = false, phone = false, bypassCSP = false } = {}) {
  const context = await browser.newContext({
    baseURL: BASE,
    viewport: phone ? PHONE : DESKTOP,
    ...(phone ? { isMobile: true, hasTouch: true, deviceScaleFactor: 2 } : {}),
    locale: 'zh-CN',
    reducedMotion: 'reduce',
    acceptDownloads,
    bypassCSP,
  })
  context.setDefaultTimeout(TIMEOUT)
  await context.addInitScript(MARK_HOME)
  context.on('page', trackRequests)
  const page = await context.newPage()
  await answerConsentDialog(page)
  const requests = []
  const problems = []
  page.on('request', (r) => requests.push(r.url()))
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`))
  // Playwright itself tries to run its helper script in every frame; in a sandboxed frame without
  // allow-scripts (the e-mail preview) Chromium blocks it and says so. That is the sandbox working.
  const sandboxed = /Blocked script execution in 'about:srcdoc' because the document's frame is sandboxed/
  page.on('console', (m) => {
    if (m.type() === 'error' && !/status of 4\d\d/.test(m.text()) && !sandboxed.test(m.text())) {
      problems.push(`console: ${m.text()}`)
    }
  })
  return { context, page, requests, problems }
}

// A full-page screenshot at SHOTS/<size>/<name>.png (size: 'desktop' or 'phone').
export async function screenshot(page, size, name) {
  const dir = path.join(SHOTS, size)
  mkdirSync(dir, { recursive: true })
  const file = path.join(dir, `${name}.png`)
  await page.screenshot({ path: file, fullPage: true })
  return file
}

// The page's layout problems at its size: a horizontal page scroll, and text squeezed to one
// character per line (an element at least 4 lines tall holding ≤ 1 character per line).
export async function layoutProblems(page) {
  return page.evaluate(() => {
    const problems = []
    const doc = document.documentElement
    if (doc.scrollWidth > doc.clientWidth + 1) {
      const wide = [...document.querySelectorAll('body *')]
        .filter((e) => {
          const r = e.getBoundingClientRect()
          return r.width > 0 && r.right > doc.clientWidth + 1 && !e.closest('.el-table, .el-scrollbar, [aria-hidden="true"]')
        })
        .slice(0, 3)
        .map((e) => `${e.tagName.toLowerCase()}.${[...e.classList].join('.')}`)
      problems.push(`horizontal scroll: ${doc.scrollWidth} > ${doc.clientWidth} (${wide.join(', ')})`)
    }
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT)
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const text = n.textContent.trim()
      if (text.length < 3) continue
      const el = n.parentElement
      if (!el || el.closest('.el-table__body-wrapper .cell, [aria-hidden="true"], .visually-hidden, .skip-link')) continue
      const style = getComputedStyle(el)
      if (style.display === 'none' || style.visibility === 'hidden') continue
      const range = document.createRange()
      range.selectNodeContents(n)
      const lines = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)))
      if (lines.size >= 3 && text.length / lines.size <= 1.5) {
        problems.push(`one character per line: "${text.slice(0, 20)}" in ${el.tagName.toLowerCase()}.${[...el.classList].join('.')}`)
      }
    }
    return problems
  })
}

// Waits until the page has its data: no request in flight for 100 ms, no loading mask showing,
// its fonts loaded and two frames drawn. (Playwright's 'networkidle' waits 500 ms of quiet, and
// a page of the layout tests would spend most of its time in that wait.)
export async function settle(page) {
  const state = inflight.get(page)
  const until = Date.now() + TIMEOUT
  while (state && (state.count > 0 || Date.now() - state.lastChange < 100)) {
    if (Date.now() > until) throw new Error(`settle: ${state.count} requests still in flight at ${pathOf(page)}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  await page
    .waitForFunction(
      () => ![...document.querySelectorAll('.el-loading-mask')].some((e) => e.getClientRects().length > 0),
      null,
      { timeout: 5000 },
    )
    .catch(() => {})
  await page.evaluate(() =>
    document.fonts.ready.then(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))),
  )
}

// Opens `path` as a click on a link in the app does (the router, no reload) once the app is
// loaded, then settles: a reload re-parses and re-runs the whole bundle (and axe-core), most of a
// page visit's CPU. The first visit, and a page outside the app, load normally. The pointer is
// moved off the page first: whatever the new page puts under it would be checked in its hover
// colours, not as the page rests (the hover colours have their own test in a11y.test.mjs).
export async function open(page, path) {
  await page.mouse.move(-1, -1)
  const moved = await page
    .evaluate(async (to) => {
      const router = document.querySelector('#app')?.__vue_app__?.config.globalProperties.$router
      if (!router) return false
      await router.push(to)
      return true
    }, path)
    .catch(() => false)
  if (!moved) await page.goto(path)
  // The new page's requests start after the navigation: settle() waits for a quiet spell from now.
  const state = inflight.get(page)
  if (state) state.lastChange = Date.now()
  await settle(page)
}

// axe-core's violations on the page as it is now: [{id, impact, nodes, target, within}].
export async function axeViolations(page) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(AXE)
  return page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] })
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      nodes: v.nodes.length,
      target: v.nodes[0]?.target?.join(' ') ?? '',
      within:
        v.nodes.length === 1 ? document.querySelector(v.nodes[0].target[0])?.closest('[data-test]')?.dataset.test : undefined,
    }))
  })
}

export const FAILING_IMPACT = new Set(['serious', 'critical'])

// The serious and critical violations, as lines for a failure message.
export async function axe(page) {
  const violations = await axeViolations(page)
  return violations
    .filter((v) => FAILING_IMPACT.has(v.impact))
    .map((v) => `${v.id} (${v.impact}, ${v.nodes}× e.g. ${v.target})`)
}

export const sel = (name) => `[data-test="${name}"]`
// Element Plus puts an <el-input>'s attributes on the inner <input>; accept either place.
export const input = (name) => {
  const at = `[data-test="${name}"]`
  return `:is(input${at}, textarea${at}, ${at} input, ${at} textarea)`
}

// The error text Element Plus shows under the form item holding `name`.
export const fieldError = (scope, name) =>
  scope.locator(`.el-form-item:has(${sel(name)}) .el-form-item__error`)

// Opens the <el-select data-test=name> and picks the option labelled exactly `text`.
export async function choose(page, name, text) {
  await page.locator(sel(name)).click()
  const exact = new RegExp(`^\\s*${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`)
  const option = page.locator('.el-select-dropdown__item:visible').filter({ hasText: exact }).first()
  await option.click()
  // Until its closing transition ends, this list still matches ':visible': the next choose on a
  // select with the same options (a second itinerary row) would pick the fading one. (A multiple
  // select stays open: then the wait just ends.)
  await option.waitFor({ state: 'hidden', timeout: 1500 }).catch(() => {})
}

// Waits for the success (or error) toast carrying `text`.
export const toast = (page, text, type = 'success') =>
  page.locator(`.el-message--${type}`).filter({ hasText: text }).first().waitFor()

export async function login(page, username, password) {
  await page.locator(input('login-username')).fill(username)
  await page.locator(input('login-password')).fill(password)
  await page.locator(sel('login-submit')).click()
}

export async function loginAs(page, role) {
  await page.goto('/login')
  await login(page, accounts[role].username, accounts[role].password)
  await page.locator(sel('home')).waitFor()
  await acceptConsentIfAsked(page)
}

// --- the privacy notice (个人信息保护声明) ---------------------------------------------------------
// A user who has not accepted the notice in force (a new account, or a new version) is asked at
// sign-in, in a dialog over the page. The shared accounts accept it before the first test (run());
// the accounts the tests create accept it as they sign in (loginAs, acceptConsentIfAsked) or, at
// the latest, at their next click: every page answers the dialog that way unless a test takes it
// over (keepConsentDialog: the consent tests).
export const consentDialog = (page) => page.locator(sel('privacy-consent-dialog'))

async function answerConsentDialog(page) {
  await page.addLocatorHandler(consentDialog(page), async (dialog) => {
    await dialog.locator(sel('privacy-consent-accept')).click()
  })
}

export async function keepConsentDialog(page) {
  await page.removeLocatorHandler(consentDialog(page))
}

// Accepts the notice when the sign-in asks for it (the dialog comes with the signed-in page).
export async function acceptConsentIfAsked(page) {
  const dialog = consentDialog(page)
  if (!(await dialog.isVisible())) return
  await dialog.locator(sel('privacy-consent-accept')).click()
  await dialog.waitFor({ state: 'hidden' })
}

// The version of the notice in force: what a form's consent_version must be.
export async function noticeVersion() {
  const r = await fetch(`${BASE}/api/privacy/notice`)
  assert.equal(r.status, 200, 'GET /api/privacy/notice')
  return (await r.json()).version
}

// Ticks a form's consent box (in `scope`, a page or a form) once the notice has loaded, unless it
// is ticked already. The box's square, not its middle: the notice's title in the sentence is a
// link that opens the notice.
export async function tickConsent(scope) {
  await scope.locator(`${sel('consent-checkbox')}[data-version]`).waitFor()
  if ((await scope.locator(`${sel('consent-checkbox')}.is-checked`).count()) > 0) return
  await scope.locator(`${sel('consent-checkbox')} .el-checkbox__inner`).click()
  await scope.locator(`${sel('consent-checkbox')}.is-checked`).waitFor()
}

// The account accepts the notice in force through the API (as its first sign-in would).
export async function acceptNotice(username, password) {
  const version = await noticeVersion()
  const api = await apiSession(username, password)
  const r = await api.post('/api/privacy/consent', { consent_version: version })
  assert.equal(r.status, 200, `${username} accepts the privacy notice: ${r.text}`)
  return r.json
}

// Opens the side menu: on a phone it lives in a drawer behind the ☰ button.
export async function openMenu(page) {
  const button = page.locator(sel('menu-button'))
  if (await button.isVisible()) {
    if (!(await page.locator(sel('side-menu')).isVisible())) await button.click()
  }
  await page.locator(sel('side-menu')).waitFor()
}

export async function menuNames(page) {
  await openMenu(page)
  return page.locator('[data-menu]').evaluateAll((els) => els.map((e) => e.dataset.menu))
}

export function pathOf(page) {
  const u = new URL(page.url())
  return u.pathname + u.search
}

export async function waitForPath(page, predicate, what) {
  await page.waitForURL((u) => predicate(new URL(u)), { timeout: TIMEOUT }).catch(() => {
    throw new Error(`expected ${what}, still at ${pathOf(page)}`)
  })
}

// An applicant's account shared by the test files (the server takes 5 applications an hour from
// one address): phone.test.mjs sets it after applying through the form; others create one if not.
export const shared = { applicant: null }

// The API as a signed-in user, outside the browser (for setting up and checking data).
export async function apiSession(username, password) {
  const r = await fetch(`${BASE}/api/session`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password }),
  })
  assert.equal(r.status, 200, `sign-in of ${username}`)
  const cookie = r.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ')
  const { csrf_token: csrf } = await r.json()
  const call = async (method, p, body, headers = {}) => {
    const res = await fetch(`${BASE}${p}`, {
      method,
      headers: {
        Cookie: cookie,
        'X-CSRF-Token': csrf,
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    const text = await res.text()
    let json = null
    try {
      json = text ? JSON.parse(text) : null
    } catch {
      json = null
    }
    return { status: res.status, json, text, headers: res.headers }
  }
  return {
    get: (p) => call('GET', p),
    post: (p, body, headers) => call('POST', p, body, headers),
    put: (p, body) => call('PUT', p, body),
    patch: (p, body) => call('PATCH', p, body),
    delete: (p) => call('DELETE', p),
  }
}

// ---------------------------------------------------------------------------------------------
const tests = []
// The *.test.mjs file that registered a test: the unit run.sh's lanes share out.
const fileOfCaller = () => /([\w-]+\.test\.mjs)/.exec(new Error().stack)?.[1] ?? 'ui.test.mjs'
export const test = (name, fn) => tests.push({ name, fn, file: fileOfCaller() })
export const metrics = {}

// Roughly how many seconds each file's tests take alone (from a full run), to share the files
// out between lanes: run.sh may run XIEHUI_UI_LANES copies of this runner at once, each with its
// own server and database. Files stay whole and keep their order within a lane (a file's tests
// may build on each other); the shares are the same on every run, so a lane's failure reproduces.
const SECONDS_OF_FILE = {
  'a11y.test.mjs': 116,
  'meetings.test.mjs': 116,
  'visits.test.mjs': 109,
  'dues.test.mjs': 71,
  'notifications.test.mjs': 70,
  'reports.test.mjs': 62,
  'phone.test.mjs': 57,
  'ui.test.mjs': 43,
  'membership.test.mjs': 41,
  'training.test.mjs': 34,
  'security.test.mjs': 18,
  'privacy.test.mjs': 7,
  'consent.test.mjs': 20,
  'retention.test.mjs': 15,
}

// The files lane `lane` of `lanes` runs: the longest first, each to the least loaded lane.
export function filesOfLane(files, lane, lanes) {
  const load = Array(lanes).fill(0)
  const mine = new Set()
  const weight = (f) => SECONDS_OF_FILE[f] ?? 60
  for (const f of [...files].sort((a, b) => weight(b) - weight(a) || a.localeCompare(b))) {
    const least = load.indexOf(Math.min(...load))
    load[least] += weight(f)
    if (least === lane) mine.add(f)
  }
  return mine
}

// Runs the registered tests one after another, each in a fresh context; prints "ok"/"FAIL" lines
// and returns {passed, failed}.
export async function run() {
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  })
  const only = process.env.XIEHUI_UI_ONLY ? new RegExp(process.env.XIEHUI_UI_ONLY) : null
  const lanes = Number(process.env.XIEHUI_UI_LANES || 1)
  const lane = Number(process.env.XIEHUI_UI_LANE || 0)
  assert.ok(Number.isInteger(lanes) && lanes >= 1 && lane >= 0 && lane < lanes, 'bad XIEHUI_UI_LANE(S)')
  const mine = filesOfLane(new Set(tests.map((t) => t.file)), lane, lanes)
  // The shared accounts have read the privacy notice (else every sign-in would ask first).
  for (const account of Object.values(accounts)) await acceptNotice(account.username, account.password)
  let passed = 0
  let failed = 0
  const secondsOf = {}
  for (const { name, fn, file } of tests) {
    if (!mine.has(file) || (only && !only.test(name))) continue
    const started = Date.now()
    const env = await newPage({ acceptDownloads: true })
    try {
      await fn(env)
      assert.deepEqual(env.problems, [], 'no errors in the page')
      passed++
      console.log(`ok   ${name} (${Date.now() - started} ms)`)
    } catch (error) {
      failed++
      const stack = String(error.stack || error).split('\n').slice(0, 6).join('\n     ')
      console.log(`FAIL ${name} (${Date.now() - started} ms)\n     ${stack}`)
      try {
        const shot = path.join(SHOTS, `failed-${name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60)}.png`)
        await env.page.screenshot({ path: shot, fullPage: true })
        console.log(`     screenshot: ${shot}; at ${pathOf(env.page)}`)
      } catch {
        // The page may be gone.
      }
    } finally {
      await env.context.close()
      secondsOf[file] = (secondsOf[file] ?? 0) + (Date.now() - started) / 1000
    }
  }
  await browser.close()
  // For SECONDS_OF_FILE, when the files' costs have moved.
  const took = Object.entries(secondsOf).map(([f, s]) => `${f} ${Math.round(s)} s`)
  console.log(`lane ${lane + 1} of ${lanes} ran ${took.join(', ') || 'nothing'}`)
  return { passed, failed }
}
