// Browser tests of 个人信息查询与删除 (/admin/people, staff): a person signed up for a class through
// the API is found by name and by mobile number, their data downloaded (xlsx and JSON), then erased
// through the dialog — which says it cannot be undone, wants the reason and the number typed again
// — and the page shows what was erased while a new search finds nothing. At phone size (390×844)
// the list keeps its key columns, a tap opens the record, the dialogs are full-screen sheets; axe
// at both sizes. Registered with the harness (ui.test.mjs imports it; XIEHUI_UI_ONLY=privacy runs
// only these), or run alone: `node tests/ui/privacy.test.mjs` with run.sh's environment.
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { pathToFileURL } from 'node:url'
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
  noticeVersion,
  openMenu,
  run,
  screenshot,
  sel,
  settle,
  test,
  toast,
  waitForPath,
} from './harness.mjs'

// Unique per run (and apart from the other files' numbers), so the tests can be re-run against a
// long-lived server.
const RUN = String(Date.now() % 100000).padStart(5, '0')
let serial = 0
const newMobile = () => `135${RUN}${String(++serial).padStart(3, '0')}`

const staffApi = () => apiSession(accounts.staff.username, accounts.staff.password)
const rows = (page, table) => page.locator(`${sel(table)} .el-table__body-wrapper .el-table__row`)

// A date `days` from today in Asia/Shanghai, YYYY-MM-DD.
function shanghaiDate(days) {
  return new Date(Date.now() + 8 * 3600 * 1000 + days * 86400 * 1000).toISOString().slice(0, 10)
}

// An open class (once per run) and one person signed up for it by staff, for a non-member unit:
// {name, mobile, className}.
let openClass = null
async function newPerson(staff, label) {
  if (!openClass) {
    const course = await staff.post('/api/courses', {
      title: `隐私测试课程${RUN}`,
      description: '浏览器测试建立的课程',
      topics: ['测试'],
    })
    assert.equal(course.status, 201, course.text)
    // The class's own title is what a record names it by (the course's is not part of it).
    const cls = await staff.post(`/api/courses/${course.json.id}/classes`, {
      title: `隐私测试班${RUN}`,
      venue: '长沙市岳麓区协会培训中心',
      starts_at: `${shanghaiDate(50)}T09:00:00+08:00`,
      ends_at: `${shanghaiDate(50)}T17:00:00+08:00`,
      signup_deadline: shanghaiDate(49),
      capacity: 20,
      per_member_quota: null,
      fee_fen: 0,
      min_attendance_percent: 80,
      status: 'open',
    })
    assert.equal(cls.status, 201, cls.text)
    openClass = { id: cls.json.id, title: cls.json.title }
  }
  const person = { name: `隐私${label}${RUN}`, mobile: newMobile(), className: openClass.title }
  const r = await staff.post(`/api/classes/${openClass.id}/enrollments`, {
    member_id: null,
    org_name: `隐私测试单位${RUN}`,
    attendee: { name: person.name, title: '办公室主任', mobile: person.mobile },
    consent_version: await noticeVersion(),
  })
  assert.equal(r.status, 201, r.text)
  return person
}

async function searchBy(page, by, text) {
  await choose(page, 'people-by', by === 'mobile' ? '按手机号' : '按姓名')
  await page.locator(input('people-query')).fill(text)
  await page.locator(sel('people-search')).click()
  await settle(page)
}

// ---------------------------------------------------------------------------------------------
test('privacy: staff find a person by name and mobile, download their data, erase it; a new search finds nothing', async ({
  page,
}) => {
  const staff = await staffApi()
  const person = await newPerson(staff, '甲')

  await loginAs(page, 'staff')
  await openMenu(page)
  await page.locator(`${sel('side-menu')} [data-menu="people"]`).click()
  await waitForPath(page, (u) => u.pathname === '/admin/people', 'the people page')
  await page.locator(sel('people-page')).waitFor()
  assert.equal(await page.locator('h1').innerText(), '个人信息查询与删除')

  // A number that is not a mobile is refused before anything is sent.
  await page.locator(input('people-query')).fill('12345')
  await page.locator(sel('people-search')).click()
  assert.equal((await page.locator(sel('people-query-error')).innerText()).trim(), '请输入正确的手机号')

  // By name: the record, but no export or erasure (the name may be someone else's).
  await searchBy(page, 'name', person.name)
  const record = rows(page, 'people-records').filter({ hasText: person.name })
  await record.waitFor()
  assert.match(await record.innerText(), new RegExp(`培训学员[\\s\\S]*${person.mobile}[\\s\\S]*${person.className}[\\s\\S]*已确认`))
  await page.locator(sel('people-name-hint')).waitFor()
  assert.equal(await page.locator(sel('people-erase')).count(), 0, 'no erasure by name')
  assert.equal(await page.locator(sel('people-export-xlsx')).count(), 0, 'no export by name')

  // Its number searches by mobile: now the person's data can be exported and erased.
  await record.locator(sel('people-search-mobile')).click()
  await page.locator(sel('people-erase')).waitFor()
  assert.equal(await page.locator(input('people-query')).inputValue(), person.mobile)
  assert.equal(await rows(page, 'people-records').count(), 1)
  // Dates as stored (YYYY-MM-DD …).
  assert.match(await rows(page, 'people-records').first().innerText(), /\d{4}-\d{2}-\d{2}/)
  assert.match(await page.locator(sel('people-summary')).innerText(), /共 1 条记录/)
  assert.deepEqual(await axe(page), [], 'results: axe')
  assert.deepEqual(await layoutProblems(page), [], 'results: layout')
  await screenshot(page, 'desktop', 'privacy-people')

  // The downloads: the server answers 200 and the files hold the person.
  const [xlsxResponse, xlsx] = await Promise.all([
    page.waitForResponse((r) => r.url().includes('/api/people/export') && r.url().includes('format=xlsx')),
    page.waitForEvent('download'),
    page.locator(sel('people-export-xlsx')).click(),
  ])
  assert.equal(xlsxResponse.status(), 200)
  assert.equal(xlsx.suggestedFilename(), '个人信息.xlsx')
  assert.equal(readFileSync(await xlsx.path()).subarray(0, 2).toString(), 'PK')
  const [jsonResponse, json] = await Promise.all([
    page.waitForResponse((r) => r.url().includes('/api/people/export') && r.url().includes('format=json')),
    page.waitForEvent('download'),
    page.locator(sel('people-export-json')).click(),
  ])
  assert.equal(jsonResponse.status(), 200)
  const data = JSON.parse(readFileSync(await json.path(), 'utf8'))
  assert.deepEqual(data.records.map((r) => [r.kind, r.name, r.mobile]), [['enrollment', person.name, person.mobile]])

  // Erasure: the dialog says it cannot be undone and wants the reason and the number again.
  await page.locator(sel('people-erase')).click()
  const dialog = page.locator(sel('erase-dialog'))
  await dialog.locator(sel('erase-warning')).waitFor()
  assert.match(await dialog.locator(sel('erase-warning')).innerText(), /不可撤销[\s\S]*无法恢复/)
  assert.match(await dialog.innerText(), new RegExp(person.mobile))
  assert.deepEqual(await axe(page), [], 'erase dialog: axe')
  await dialog.locator(sel('erase-submit')).click()
  await fieldError(dialog, 'erase-reason').filter({ hasText: '请填写删除依据' }).waitFor()
  await fieldError(dialog, 'erase-confirm').filter({ hasText: '请填写手机号' }).waitFor()
  await dialog.locator(input('erase-reason')).fill('本人书面申请删除（浏览器测试）')
  await dialog.locator(input('erase-confirm')).fill(`139${person.mobile.slice(3)}`)
  await dialog.locator(sel('erase-submit')).click()
  await fieldError(dialog, 'erase-confirm').filter({ hasText: '与要删除的手机号不一致' }).waitFor()
  assert.equal((await staff.get(`/api/people?mobile=${person.mobile}`)).json.records.length, 1, 'nothing erased yet')
  await dialog.locator(input('erase-confirm')).fill(person.mobile)
  await dialog.locator(sel('erase-submit')).click()
  await toast(page, '已删除此人的个人信息')
  await dialog.waitFor({ state: 'hidden' })

  // What was erased, and the search run again: nothing holds the number any more.
  const erased = page.locator(sel('people-erased'))
  await erased.waitFor()
  assert.match(await erased.innerText(), new RegExp(`已删除手机号 ${person.mobile} 的个人信息`))
  assert.equal(await erased.locator(sel('erased-records')).getAttribute('data-count'), '1')
  assert.match(await erased.locator(sel('erased-records')).innerText(), /个人信息记录 1 条/)
  // The sign-up's own audit row (enrollment.create) named the person.
  assert.ok(Number(await erased.locator(sel('erased-audit_rows')).getAttribute('data-count')) >= 1, 'audit rows')
  for (const key of ['messages', 'notifications', 'other_rows']) {
    assert.match(await erased.locator(sel(`erased-${key}`)).getAttribute('data-count'), /^\d+$/, key)
  }
  await settle(page)
  assert.match(await page.locator(sel('people-summary')).innerText(), /共 0 条记录，0 条发送的通知/)
  await page.locator(`${sel('people-records')} ${sel('list-empty')}`).filter({ hasText: '没有找到记录' }).waitFor()
  assert.equal(await page.locator(sel('people-erase')).count(), 0, 'nothing left to erase')
  await screenshot(page, 'desktop', 'privacy-erased')

  // A new search, by name and by number, finds nothing; so does the API, and the export is gone.
  await searchBy(page, 'name', person.name)
  await page.locator(`${sel('people-records')} ${sel('list-empty')}`).waitFor()
  assert.equal(await rows(page, 'people-records').count(), 0)
  assert.equal(await page.locator(sel('people-erased')).count(), 0, 'a search by hand clears the erasure report')
  await searchBy(page, 'mobile', person.mobile)
  assert.equal(await rows(page, 'people-records').count(), 0)
  assert.equal(await rows(page, 'people-messages').count(), 0)
  const after = await staff.get(`/api/people?mobile=${person.mobile}`)
  assert.equal(after.status, 200)
  assert.deepEqual(after.json, { records: [], messages: [] })
  assert.equal((await staff.get(`/api/people/export?mobile=${person.mobile}`)).status, 404)
  assert.deepEqual(await axe(page), [], 'after erasure: axe')
})

test('privacy (phone): key columns only, a tap opens the record, the erase dialog is a full-screen sheet; axe', async () => {
  const staff = await staffApi()
  const person = await newPerson(staff, '乙')
  const env = await newPage({ phone: true })
  const { page } = env
  try {
    await loginAs(page, 'staff')
    await openMenu(page)
    await page.locator(`${sel('side-menu')} [data-menu="people"]`).click()
    await page.locator(sel('people-page')).waitFor()
    await settle(page)
    assert.deepEqual(await layoutProblems(page), [], 'empty page: layout')
    assert.deepEqual(await axe(page), [], 'empty page: axe')

    await searchBy(page, 'mobile', person.mobile)
    const record = rows(page, 'people-records').first()
    await record.waitFor()
    // 类别, 姓名, 所属: the key columns only.
    const headers = await page
      .locator(`${sel('people-records')} .el-table__header-wrapper th`)
      .evaluateAll((ths) => ths.map((th) => th.innerText.trim()).filter(Boolean))
    assert.deepEqual(headers, ['类别', '姓名', '所属'])
    assert.match(await record.innerText(), new RegExp(`培训学员[\\s\\S]*${person.name}[\\s\\S]*${person.className}`))
    await screenshot(page, 'phone', 'privacy-people')
    assert.deepEqual(await layoutProblems(page), [], 'results: layout')
    assert.deepEqual(await axe(page), [], 'results: axe')

    // A tap opens every field of the record.
    await record.click()
    const details = page.locator(sel('people-details'))
    await details.waitFor()
    assert.match(await details.innerText(), new RegExp(`${person.mobile}[\\s\\S]*隐私测试单位${RUN}[\\s\\S]*已确认`))
    assert.equal(await page.locator('.el-dialog.is-fullscreen:visible').count(), 1, 'details: a full-screen sheet')
    assert.deepEqual(await axe(page), [], 'details: axe')
    await details.locator(sel('people-details-close')).click()
    await details.waitFor({ state: 'hidden' })

    // The erase dialog: a full-screen sheet; cancelled, nothing changes.
    await page.locator(sel('people-erase')).click()
    const dialog = page.locator(sel('erase-dialog'))
    await dialog.locator(sel('erase-warning')).waitFor()
    assert.equal(await page.locator('.el-dialog.is-fullscreen:visible').count(), 1, 'erase: a full-screen sheet')
    await settle(page)
    await screenshot(page, 'phone', 'privacy-erase-dialog')
    assert.deepEqual(await axe(page), [], 'erase dialog: axe')
    await dialog.getByRole('button', { name: '取消' }).click()
    await dialog.waitFor({ state: 'hidden' })
    assert.equal((await staff.get(`/api/people?mobile=${person.mobile}`)).json.records.length, 1, 'nothing erased')
    assert.deepEqual(env.problems, [], 'no errors in the page')
  } finally {
    await env.context.close()
  }
})

// Run alone: `node tests/ui/privacy.test.mjs` (ui.test.mjs imports this file and runs everything).
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { passed, failed } = await run()
  console.log(`${passed} passed, ${failed} failed`)
  process.exit(failed === 0 ? 0 : 1)
}
