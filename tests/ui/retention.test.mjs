// Browser tests of the access log (个人信息访问记录, /admin/access-log), retention (个人信息保存期限,
// /admin/retention), correcting a person (/admin/people, 更正) and the export dialogs' field choice:
// staff open a class roster and the admin finds that view in the access log (filtered by who and
// when); the admin saves the retention periods, makes a dry run, then the run itself, and the
// history shows both; staff correct a person's name and number (a number already in the class is
// refused with the server's message); the roster downloads without and with mobile numbers; the
// access log and retention pages at 390 px (cards, a tap opens a row; axe). Registered with the
// harness (ui.test.mjs imports it; XIEHUI_UI_ONLY=^retention runs only these), or run alone:
// `node tests/ui/retention.test.mjs` with run.sh's environment.
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { pathToFileURL } from 'node:url'
import { inflateRawSync } from 'node:zlib'
import {
  accounts,
  apiSession,
  axe,
  choose,
  fieldError,
  input,
  layoutProblems,
  loginAs,
  newPage,
  open,
  openMenu,
  run,
  screenshot,
  sel,
  settle,
  test,
  toast,
  waitForPath,
} from './harness.mjs'

// Unique per run (and apart from the other files' numbers: 136…), so the tests can be re-run
// against a long-lived server.
const RUN = String(Date.now() % 100000).padStart(5, '0')
let serial = 0
const newMobile = () => `136${RUN}${String(++serial).padStart(3, '0')}`

const staffApi = () => apiSession(accounts.staff.username, accounts.staff.password)
const adminApi = () => apiSession(accounts.admin.username, accounts.admin.password)
const rows = (page, table) => page.locator(`${sel(table)} .el-table__body-wrapper .el-table__row`)

// A date `days` from today in Asia/Shanghai, YYYY-MM-DD.
function shanghaiDate(days = 0) {
  return new Date(Date.now() + 8 * 3600 * 1000 + days * 86400 * 1000).toISOString().slice(0, 10)
}

// The text of every XML part of an xlsx (a zip), read through its central directory.
function xlsxText(bytes) {
  let end = bytes.length - 22
  while (end >= 0 && bytes.readUInt32LE(end) !== 0x06054b50) end--
  assert.ok(end >= 0, 'an xlsx is a zip')
  const count = bytes.readUInt16LE(end + 10)
  let at = bytes.readUInt32LE(end + 16)
  let text = ''
  for (let i = 0; i < count; i++) {
    const method = bytes.readUInt16LE(at + 10)
    const size = bytes.readUInt32LE(at + 20)
    const nameLength = bytes.readUInt16LE(at + 28)
    const skip = nameLength + bytes.readUInt16LE(at + 30) + bytes.readUInt16LE(at + 32)
    const name = bytes.subarray(at + 46, at + 46 + nameLength).toString()
    const local = bytes.readUInt32LE(at + 42)
    const start = local + 30 + bytes.readUInt16LE(local + 26) + bytes.readUInt16LE(local + 28)
    const data = bytes.subarray(start, start + size)
    if (name.endsWith('.xml')) text += (method === 8 ? inflateRawSync(data) : data).toString('utf8')
    at += 46 + skip
  }
  return text
}

// An open class (once per run) and people signed up for it by staff for a non-member unit, with
// the notice's version in force as their consent: {id, name, mobile, email}.
let openClass = null
async function newPerson(staff, label) {
  if (!openClass) {
    const course = await staff.post('/api/courses', {
      title: `保存期限测试课程${RUN}`,
      description: '浏览器测试建立的课程',
      topics: ['测试'],
    })
    assert.equal(course.status, 201, course.text)
    const cls = await staff.post(`/api/courses/${course.json.id}/classes`, {
      title: `保存期限测试班${RUN}`,
      venue: '长沙市岳麓区协会培训中心',
      starts_at: `${shanghaiDate(40)}T09:00:00+08:00`,
      ends_at: `${shanghaiDate(40)}T17:00:00+08:00`,
      signup_deadline: shanghaiDate(39),
      capacity: 20,
      per_member_quota: null,
      fee_fen: 0,
      min_attendance_percent: 80,
      status: 'open',
    })
    assert.equal(cls.status, 201, cls.text)
    openClass = { id: cls.json.id, title: cls.json.title }
  }
  const notice = await staff.get('/api/privacy/notice')
  assert.equal(notice.status, 200, notice.text)
  const mobile = newMobile()
  const person = { name: `保存${label}${RUN}`, mobile, email: `p${mobile}@example.com`, classId: openClass.id }
  const r = await staff.post(`/api/classes/${openClass.id}/enrollments`, {
    member_id: null,
    org_name: `保存期限测试单位${RUN}`,
    attendee: { name: person.name, title: '办公室主任', mobile: person.mobile, email: person.email },
    consent_version: notice.json.version,
  })
  assert.equal(r.status, 201, r.text)
  return person
}

// ---------------------------------------------------------------------------------------------
test('retention: access log — staff open a class roster; the admin finds that view, by who and when', async ({ page }) => {
  const staff = await staffApi()
  const person = await newPerson(staff, '甲')

  // Staff read the roster (unmasked mobiles): one personal.view row.
  const other = await newPage()
  try {
    await loginAs(other.page, 'staff')
    await open(other.page, `/training/classes/${person.classId}`)
    await rows(other.page, 'roster-table').filter({ hasText: person.mobile }).waitFor()
    assert.deepEqual(other.problems, [], 'no errors in the staff page')
  } finally {
    await other.context.close()
  }
  const admin = await adminApi()
  const logged = await admin.get(`/api/access-log?actor=${accounts.staff.username}&page_size=50`)
  assert.equal(logged.status, 200, logged.text)
  const view = logged.json.items.find(
    (i) => i.action === 'personal.view' && String(i.entity_id) === String(person.classId),
  )
  assert.ok(view, `the roster view is in the access log: ${JSON.stringify(logged.json.items.slice(0, 3))}`)

  await loginAs(page, 'admin')
  await openMenu(page)
  await page.locator(`${sel('side-menu')} [data-menu="accessLog"]`).click()
  await waitForPath(page, (u) => u.pathname === '/admin/access-log', 'the access log page')
  await page.locator(sel('access-log-page')).waitFor()
  assert.equal(await page.locator('h1').innerText(), '个人信息访问记录')
  await settle(page)

  // Who: staff1's rows only.
  await page.locator(input('access-actor')).fill(accounts.staff.username)
  const [byActor] = await Promise.all([
    page.waitForResponse((r) => r.url().includes('/api/access-log') && r.url().includes(`actor=${accounts.staff.username}`)),
    page.locator(sel('access-search')).click(),
  ])
  assert.equal(byActor.status(), 200)
  await settle(page)
  const actors = await page.locator(`${sel('access-table')} ${sel('access-row-actor')}`).allInnerTexts()
  assert.ok(actors.length > 0 && actors.every((a) => a.trim() === accounts.staff.username), actors.join(','))

  // When: today (Asia/Shanghai) to today.
  const today = shanghaiDate()
  // (Element Plus keeps a range picker's attributes off its inputs: found by their placeholders.)
  await page.getByPlaceholder('开始日期').fill(today)
  await page.getByPlaceholder('结束日期').fill(today)
  await page.getByPlaceholder('结束日期').press('Enter')
  const [byDate] = await Promise.all([
    page.waitForResponse((r) => r.url().includes('/api/access-log') && r.url().includes(`from=${today}`) && r.url().includes(`to=${today}`)),
    page.locator(sel('access-search')).click(),
  ])
  assert.equal(byDate.status(), 200)
  await settle(page)

  // The roster view: 查看, by staff1, the class, a summary.
  const row = rows(page, 'access-table').filter({ has: page.locator(`${sel('access-row')}[data-id="${view.id}"]`) })
  await row.waitFor()
  assert.equal(await row.locator(sel('access-row-action')).innerText(), '查看')
  const text = await row.innerText()
  assert.match(text, new RegExp(`${accounts.staff.username}[\\s\\S]*查看`))
  assert.ok(text.includes(`#${person.classId}`), `the class is named: ${text}`)
  assert.match(text, /\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}/)
  if (view.summary) assert.ok(text.includes(view.summary.slice(0, 10)), 'the summary is shown')
  assert.deepEqual(await axe(page), [], 'access log: axe')
  assert.deepEqual(await layoutProblems(page), [], 'access log: layout')
  await screenshot(page, 'desktop', 'access-log')

  // Reset: every actor again.
  await page.locator(sel('access-reset')).click()
  await settle(page)
  assert.equal(await page.locator(input('access-actor')).inputValue(), '')
})

test('retention: settings — the admin saves the periods, makes a dry run, then the run; the history shows both', async ({ page }) => {
  const admin = await adminApi()
  const before = await admin.get('/api/retention/settings')
  assert.equal(before.status, 200, before.text)
  const runsBefore = (await admin.get('/api/retention-runs')).json?.items?.length ?? 0

  await loginAs(page, 'admin')
  await openMenu(page)
  await page.locator(`${sel('side-menu')} [data-menu="retention"]`).click()
  await waitForPath(page, (u) => u.pathname === '/admin/retention', 'the retention page')
  await page.locator(sel('retention-page')).waitFor()
  await settle(page)
  assert.equal(await page.locator('h1').innerText(), '个人信息保存期限')
  // The run is offered only after a dry run.
  assert.equal(await page.locator(sel('retention-run')).isDisabled(), true, 'no run before a dry run')

  // The longest periods: this server's other tests' records stay as they are.
  const values = {
    enrollment_years: 50,
    visit_delegate_years: 49,
    meeting_attendee_years: 48,
    rejected_application_years: 47,
    outbox_days: 3650,
  }
  for (const [key, value] of Object.entries(values)) {
    const field = page.locator(input(`retention-${key}`))
    await field.fill(String(value))
    await field.blur()
  }
  await page.locator(sel('retention-unsaved')).waitFor()
  assert.equal(await page.locator(sel('retention-dry-run')).isDisabled(), true, 'no dry run of unsaved settings')
  await page.locator(sel('retention-save')).click()
  await toast(page, '保存期限已保存')
  await page.locator(sel('retention-unsaved')).waitFor({ state: 'hidden' })
  const saved = await admin.get('/api/retention/settings')
  assert.deepEqual(saved.json, { ...saved.json, ...values, daily: before.json.daily }, 'the server holds the new periods')

  // A dry run: what would be anonymised, by kind.
  await page.locator(sel('retention-dry-run')).click()
  const result = page.locator(`${sel('retention-result')}[data-dry="true"]`)
  await result.waitFor()
  const dryTotal = Number(await result.getAttribute('data-total'))
  assert.ok(Number.isInteger(dryTotal) && dryTotal >= 0, `dry total ${dryTotal}`)
  assert.match(await result.locator(sel('retention-result-title')).innerText(), new RegExp(`试运行[\\s\\S]*共 ${dryTotal} 条`))
  const kinds = await result.locator(sel('retention-item')).evaluateAll((els) => els.map((e) => e.dataset.kind))
  assert.deepEqual([...kinds].sort(), ['enrollment', 'meeting_attendee', 'outbox', 'rejected_application', 'visit_delegate'])
  assert.match(await rows(page, 'retention-items').first().innerText(), /培训学员|考察团成员|参会人员|未通过的入会申请|发送的通知/)
  assert.match(await rows(page, 'retention-items').first().innerText(), /\d{4}-\d{2}-\d{2}/)
  assert.deepEqual(await axe(page), [], 'dry run: axe')
  await screenshot(page, 'desktop', 'retention-dry-run')

  // The run: confirmed with the number the dry run found.
  await page.locator(sel('retention-run')).click()
  const box = page.locator('.el-message-box')
  await box.waitFor()
  assert.match(await box.innerText(), new RegExp(`将匿名化 ${dryTotal} 条记录[\\s\\S]*不可撤销`))
  await box.locator('.el-button--primary').click()
  await toast(page, `已匿名化 ${dryTotal} 条记录`)
  const done = page.locator(`${sel('retention-result')}[data-dry="false"]`)
  await done.waitFor()
  assert.equal(Number(await done.getAttribute('data-total')), dryTotal, 'the run anonymised what the dry run found')
  assert.equal(await page.locator(sel('retention-run')).isDisabled(), true, 'a new run takes a new dry run')

  // The history: the run, then the dry run, newest first; the API agrees.
  await settle(page)
  const history = await page
    .locator(`${sel('retention-history')} ${sel('retention-run-row')}`)
    .evaluateAll((els) => els.map((e) => ({ id: e.dataset.id, dry: e.dataset.dry, total: Number(e.dataset.total) })))
  assert.ok(history.length >= 2, 'two runs at least')
  assert.deepEqual(history.slice(0, 2).map((h) => [h.dry, h.total]), [['false', dryTotal], ['true', dryTotal]])
  const runs = (await admin.get('/api/retention-runs')).json.items
  assert.equal(runs.length, Math.min(50, runsBefore + 2))
  assert.deepEqual(runs.slice(0, 2).map((r) => [String(r.id), r.dry_run, r.actor]), [
    [history[0].id, false, accounts.admin.username],
    [history[1].id, true, accounts.admin.username],
  ])
  const first = rows(page, 'retention-history').first()
  assert.match(await first.innerText(), new RegExp(`${accounts.admin.username}[\\s\\S]*执行`))
  assert.match(await rows(page, 'retention-history').nth(1).innerText(), /试运行/)
  assert.deepEqual(await layoutProblems(page), [], 'retention: layout')
  await screenshot(page, 'desktop', 'retention')

  // The periods as they were.
  const { daily, ...periods } = before.json
  const restored = await admin.put('/api/retention/settings', { ...periods, daily })
  assert.equal(restored.status, 200, restored.text)
})

test('retention: correcting — staff correct a person (a number already in the class refused), and the search shows them corrected', async ({ page }) => {
  const staff = await staffApi()
  const person = await newPerson(staff, '乙')
  const neighbour = await newPerson(staff, '丙')

  await loginAs(page, 'staff')
  await openMenu(page)
  await page.locator(`${sel('side-menu')} [data-menu="people"]`).click()
  await page.locator(sel('people-page')).waitFor()
  await choose(page, 'people-by', '按手机号')
  await page.locator(input('people-query')).fill(person.mobile)
  await page.locator(sel('people-search')).click()
  await settle(page)
  await rows(page, 'people-records').filter({ hasText: person.name }).waitFor()

  await page.locator(sel('people-correct')).click()
  const dialog = page.locator(sel('correct-dialog'))
  await dialog.locator(sel('correct-submit')).waitFor()
  assert.match(await dialog.innerText(), new RegExp(person.mobile))
  // The person as now, beside the fields.
  assert.equal(await dialog.locator(input('correct-name')).getAttribute('placeholder'), `现为：${person.name}`)
  assert.deepEqual(await axe(page), [], 'correct dialog: axe')

  // Nothing filled in: said so, and the reason is required.
  await dialog.locator(sel('correct-submit')).click()
  assert.equal((await dialog.locator(sel('correct-error')).innerText()).trim(), '请至少填写一项要更正的内容')
  await fieldError(dialog, 'correct-reason').filter({ hasText: '请填写更正依据' }).waitFor()

  // A number that already holds a place in the same class: the server's 409, in the dialog (under
  // the new number when the server names it, else above the form).
  const newName = `更正后${RUN}`
  await dialog.locator(input('correct-name')).fill(newName)
  await dialog.locator(input('correct-new_mobile')).fill(neighbour.mobile)
  await dialog.locator(input('correct-reason')).fill('本人申请更正姓名和手机号（浏览器测试）')
  const refused = page.waitForResponse((r) => r.url().endsWith('/api/people') && r.request().method() === 'PATCH')
  await dialog.locator(sel('correct-submit')).click()
  const answer = await refused
  assert.equal(answer.status(), 409, await answer.text())
  const conflict = await answer.json()
  if (conflict.details?.fields?.new_mobile) {
    await fieldError(dialog, 'correct-new_mobile').filter({ hasText: conflict.details.fields.new_mobile }).waitFor()
  } else {
    await dialog.locator(sel('correct-error')).filter({ hasText: conflict.message }).waitFor()
  }
  assert.equal((await staff.get(`/api/people?mobile=${person.mobile}`)).json.records[0].name, person.name, 'nothing changed')

  // A new number of their own: corrected; the search runs again by the new number.
  const fresh = newMobile()
  await dialog.locator(input('correct-new_mobile')).fill(fresh)
  await dialog.locator(sel('correct-submit')).click()
  await toast(page, '已更正 1 条记录')
  await dialog.waitFor({ state: 'hidden' })
  await settle(page)
  assert.equal(await page.locator(input('people-query')).inputValue(), fresh)
  const record = rows(page, 'people-records').first()
  assert.match(await record.innerText(), new RegExp(`${newName}[\\s\\S]*${fresh}`))
  assert.equal(await rows(page, 'people-records').count(), 1)

  // By the new name: found; the old name and number find nothing.
  await choose(page, 'people-by', '按姓名')
  await page.locator(input('people-query')).fill(newName)
  await page.locator(sel('people-search')).click()
  await settle(page)
  await rows(page, 'people-records').filter({ hasText: fresh }).waitFor()
  assert.deepEqual((await staff.get(`/api/people?mobile=${person.mobile}`)).json.records, [])
  assert.deepEqual((await staff.get(`/api/people?name=${encodeURIComponent(person.name)}`)).json.records, [])
  // The correction is in the access log.
  const admin = await adminApi()
  const logged = (await admin.get(`/api/access-log?actor=${accounts.staff.username}&page_size=20`)).json.items
  assert.ok(logged.some((i) => i.action === 'person.correct'), 'person.correct is logged')
})

test('retention: roster export — the dialog downloads without mobile numbers, then with them when ticked', async ({ page }) => {
  const staff = await staffApi()
  const person = await newPerson(staff, '丁')

  await loginAs(page, 'staff')
  await open(page, `/training/classes/${person.classId}`)
  await rows(page, 'roster-table').filter({ hasText: person.mobile }).waitFor()

  async function exportWith(fields) {
    await page.locator(sel('roster-export')).click()
    const dialog = page.locator(sel('export-dialog'))
    await dialog.locator(sel('export-download')).waitFor()
    // Nothing ticked on opening; the note says the export is recorded.
    for (const f of ['mobile', 'email']) {
      assert.equal(await dialog.locator(`${sel(`export-field-${f}`)} input`).isChecked(), false, `${f} unticked`)
    }
    assert.match(await dialog.locator(sel('export-note')).innerText(), /导出的个人信息将被记录/)
    for (const f of fields) await dialog.locator(sel(`export-field-${f}`)).click()
    const [request, download] = await Promise.all([
      page.waitForRequest((r) => r.url().includes(`/api/classes/${person.classId}/enrollments?`)),
      page.waitForEvent('download'),
      dialog.locator(sel('export-download')).click(),
    ])
    await dialog.waitFor({ state: 'hidden' })
    const query = new URL(request.url()).searchParams
    const bytes = readFileSync(await download.path())
    assert.equal(bytes.subarray(0, 2).toString(), 'PK')
    return { query, text: xlsxText(bytes), name: download.suggestedFilename() }
  }

  const plain = await exportWith([])
  assert.equal(plain.query.get('format'), 'xlsx')
  assert.equal(plain.query.has('fields'), false, 'no fields asked')
  assert.match(plain.name, /\.xlsx$/)
  assert.ok(plain.text.includes(person.name), 'the roster names the person')
  assert.ok(!plain.text.includes(person.mobile), 'no mobile number without asking')
  assert.ok(!plain.text.includes(person.email), 'no e-mail address without asking')

  const mobiles = await exportWith(['mobile'])
  assert.equal(mobiles.query.get('format'), 'xlsx')
  assert.equal(mobiles.query.get('fields'), 'mobile')
  assert.ok(mobiles.text.includes(person.mobile), 'the mobile number when asked')
  assert.ok(!mobiles.text.includes(person.email), 'still no e-mail address')

  // Both exports are in the access log, with their fields.
  const admin = await adminApi()
  const logged = (await admin.get(`/api/access-log?actor=${accounts.staff.username}&page_size=20`)).json.items
  const exports = logged.filter((i) => i.action === 'personal.export' && String(i.entity_id) === String(person.classId))
  assert.ok(exports.length >= 2, `two exports logged: ${JSON.stringify(logged.slice(0, 3))}`)
})

test('retention (phone): access log and retention pages: cards, a tap opens a row; no sideways scroll; axe', async () => {
  const env = await newPage({ phone: true })
  const { page } = env
  try {
    await loginAs(page, 'admin')
    await openMenu(page)
    await page.locator(`${sel('side-menu')} [data-menu="accessLog"]`).click()
    await page.locator(sel('access-log-page')).waitFor()
    await settle(page)
    // One column of cards.
    const headers = await page
      .locator(`${sel('access-table')} .el-table__header-wrapper th`)
      .evaluateAll((ths) => ths.map((th) => th.innerText.trim()).filter(Boolean))
    assert.deepEqual(headers, ['内容'])
    const card = rows(page, 'access-table').first()
    await card.waitFor()
    assert.match(await card.locator(sel('access-row-action')).innerText(), /查看|导出|查找个人|导出个人数据|更正|删除/)
    assert.deepEqual(await layoutProblems(page), [], 'access log: layout')
    assert.deepEqual(await axe(page), [], 'access log: axe')
    await screenshot(page, 'phone', 'access-log')

    await card.click()
    const details = page.locator(sel('access-details'))
    await details.waitFor()
    assert.equal(await page.locator('.el-dialog.is-fullscreen:visible').count(), 1, 'details: a full-screen sheet')
    assert.match(await details.innerText(), /来源地址[\s\S]*操作[\s\S]*对象[\s\S]*内容/)
    assert.deepEqual(await axe(page), [], 'details: axe')
    await details.locator(sel('access-details-close')).click()
    await details.waitFor({ state: 'hidden' })

    await open(page, '/admin/retention')
    await page.locator(sel('retention-page')).waitFor()
    await settle(page)
    assert.deepEqual(await layoutProblems(page), [], 'retention: layout')
    assert.deepEqual(await axe(page), [], 'retention: axe')
    await screenshot(page, 'phone', 'retention')
    assert.deepEqual(env.problems, [], 'no errors in the page')
  } finally {
    await env.context.close()
  }
})

// Run alone: `node tests/ui/retention.test.mjs` (ui.test.mjs imports this file and runs everything).
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { passed, failed } = await run()
  console.log(`${passed} passed, ${failed} failed`)
  process.exit(failed === 0 ? 0 : 1)
}
