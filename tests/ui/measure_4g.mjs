// Transferred bytes and load time of the login page and the signed-in home page on a simulated
// 4G network (issue 11, item 7). Not part of the test run; re-run it by hand:
//
//   node tests/ui/measure_4g.mjs [--bin build/xiehui] [--ui web/ui/dist] [--runs 5]
//
// Starts `<bin> serve --demo` on a fresh SQLite file in /tmp with the given UI folder, and loads
// each page with a cold cache in headless Debian chromium under CDP network emulation: 20 ms
// latency, 4 Mbit/s down, 3 Mbit/s up. Prints, per page, the median over the runs of
//   bytes  — the sum of encodedDataLength of Network.loadingFinished (what crossed the wire,
//            headers included) until the network is idle;
//   load   — the navigation's loadEventEnd;
//   shown  — when the page's main content is visible (the login form, or the home section).
// The home page is measured as a fresh load of / by a signed-in user (demo staff account mishu,
// see services/demo/demo_seed.cpp); the sign-in itself is not measured.
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { chromium } from 'playwright-core'

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..')
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`)
  return i > 0 ? process.argv[i + 1] : fallback
}
const BIN = path.resolve(ROOT, arg('bin', 'build/xiehui'))
const UI = path.resolve(ROOT, arg('ui', 'web/ui/dist'))
const RUNS = Number(arg('runs', '5'))
const PROFILE = {
  offline: false,
  latency: 20, // ms, added to every round trip
  downloadThroughput: (4 * 1000 * 1000) / 8, // bytes/s
  uploadThroughput: (3 * 1000 * 1000) / 8,
}
const STAFF = { username: 'mishu', password: 'Demo-Staff-2026' }

async function startServer() {
  const work = mkdtempSync(path.join(tmpdir(), 'xiehui-4g-'))
  const config = path.join(work, 'config.json')
  writeFileSync(config, JSON.stringify({ ui_dir: UI }))
  const args = ['serve', '--config', config, '--db', `sqlite3://db=${work}/xiehui.db`]
  const server = spawn(BIN, [...args, '--listen', '127.0.0.1:0', '--demo'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let err = ''
  server.stderr.on('data', (d) => (err += d))
  const url = await new Promise((resolve, reject) => {
    let out = ''
    const timer = setTimeout(() => reject(new Error(`no address in 60 s: ${err}`)), 60000)
    server.stdout.on('data', (d) => {
      out += d
      const m = /listening on (http:\/\/[0-9.]+:[0-9]+)/.exec(out)
      if (m) {
        clearTimeout(timer)
        resolve(m[1])
      }
    })
    server.on('exit', (code) => reject(new Error(`xiehui exited (${code}): ${err}`)))
  })
  return { server, url, work }
}

// One cold load of `target` in `page` under the 4G profile; `visible` is the selector of the
// page's main content.
async function measure(page, target, visible) {
  const cdp = await page.context().newCDPSession(page)
  await cdp.send('Network.enable')
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true })
  await cdp.send('Network.emulateNetworkConditions', PROFILE)
  let bytes = 0
  let requests = 0
  const encodings = {}
  const urls = new Map()
  cdp.on('Network.responseReceived', (e) => {
    const enc = e.response.headers['content-encoding'] || e.response.headers['Content-Encoding']
    urls.set(e.requestId, enc || 'identity')
  })
  cdp.on('Network.loadingFinished', (e) => {
    bytes += e.encodedDataLength
    requests += 1
    const enc = urls.get(e.requestId) || 'identity'
    encodings[enc] = (encodings[enc] || 0) + 1
  })
  await page.goto(target, { waitUntil: 'load' })
  await page.locator(visible).first().waitFor({ state: 'visible' })
  const shown = await page.evaluate(() => performance.now())
  await page.waitForLoadState('networkidle')
  const load = await page.evaluate(() => performance.getEntriesByType('navigation')[0].loadEventEnd)
  await cdp.detach()
  return { bytes, requests, load, shown, encodings }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

async function main() {
  const { server, url, work } = await startServer()
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  })
  const results = { login: [], home: [] }
  try {
    for (let i = 0; i < RUNS; i++) {
      const context = await browser.newContext({ baseURL: url, viewport: { width: 390, height: 844 }, locale: 'zh-CN' })
      const page = await context.newPage()
      results.login.push(await measure(page, '/login', '[data-test="login-submit"]'))
      // Sign in without emulation, then measure a fresh load of the home page.
      await page.locator('[data-test="login-username"] input, input[data-test="login-username"]').fill(STAFF.username)
      await page.locator('[data-test="login-password"] input, input[data-test="login-password"]').fill(STAFF.password)
      await page.locator('[data-test="login-submit"]').click()
      await page.locator('[data-test="home"]').waitFor()
      results.home.push(await measure(page, '/', '[data-test="home"]'))
      await context.close()
    }
  } finally {
    await browser.close()
    server.kill('SIGTERM')
    await new Promise((r) => server.on('exit', r))
    rmSync(work, { recursive: true, force: true })
  }
  console.log(`xiehui ${BIN}, UI ${UI}, ${RUNS} cold loads each, 4G: 20 ms, 4 Mbit/s down, 3 Mbit/s up`)
  for (const [name, runs] of Object.entries(results)) {
    const b = median(runs.map((r) => r.bytes))
    const load = median(runs.map((r) => r.load))
    const shown = median(runs.map((r) => r.shown))
    console.log(
      `${name.padEnd(5)}: ${(b / 1024).toFixed(1)} KiB transferred in ${runs[0].requests} requests ` +
        `(${JSON.stringify(runs[0].encodings)}), load ${load.toFixed(0)} ms, shown ${shown.toFixed(0)} ms`,
    )
  }
}

main().catch((e) => {
  console.error(e)
  process.exit(1)
})
