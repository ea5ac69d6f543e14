// Browser tests of the membership pages: applying, reviewing, the directory, a unit's page and
// contacts, importing, exporting, the certificate and its public verification. Registered with
// the harness; run by ui.test.mjs (tests/ui/run.sh) against a server started with --demo (62 units,
// 3 pending applications; member1 belongs to unit 1, 长沙经济技术开发区).
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import {
  BASE,
  accounts,
  apiSession,
  choose,
  fieldError,
  input,
  login,
  loginAs,
  menuNames,
  newPage,
  noticeVersion,
  sel,
  test,
  tickConsent,
  toast,
  waitForPath,
} from './harness.mjs'
import { withCheckChar } from '../../web/ui/src/utils/uscc.js'

// Unique per run, so the tests can also be re-run against a long-lived server.
const RUN = String(Date.now() % 100000).padStart(5, '0')
let serial = 0
// A valid fictitious credit code of a Changsha organisation: 91430100MA4L + 5 characters + check.
function newUscc() {
  serial += 1
  const five = String((Number(RUN) * 7 + serial * 13) % 100000).padStart(5, '0')
  return withCheckChar(`9143010${serial % 10}MA4L${five}`)
}
// The same code with a wrong check character.
function badUscc() {
  const good = newUscc()
  const alphabet = '0123456789ABCDEFGHJKLMNPQRTUWXY'
  const wrong = alphabet[(alphabet.indexOf(good[17]) + 1) % alphabet.length]
  return good.slice(0, 17) + wrong
}

const rows = (page, table) => page.locator(`${sel(table)} .el-table__body-wrapper .el-table__row`)
const headers = (page, table) =>
  page
    .locator(`${sel(table)} .el-table__header-wrapper th`)
    .evaluateAll((ths) => ths.map((th) => th.textContent.trim()))

// ---------------------------------------------------------------------------------------------
test('apply → staff approves → the new member signs in and manages its contacts', async ({ page }) => {
  const org = `界面测试产业园${RUN}`
  const username = `applicant${RUN}`
  const password = `Applicant-Pass-${RUN}`

  // From the login page to the form.
  await page.goto('/login')
  await page.locator(sel('login-apply')).click()
  await waitForPath(page, (u) => u.pathname === '/apply', '/apply')
  const form = page.locator(sel('apply-form'))

  // Client-side checks first: required fields, then a wrong check character and a bad mobile.
  await page.locator(sel('apply-submit')).click()
  await fieldError(form, 'apply-org-name').filter({ hasText: '请填写单位名称' }).waitFor()
  await fieldError(form, 'apply-uscc').filter({ hasText: '请填写统一社会信用代码' }).waitFor()
  await fieldError(form, 'apply-mobile').filter({ hasText: '请填写手机号码' }).waitFor()

  await page.locator(input('apply-org-name')).fill(org)
  await page.locator(input('apply-uscc')).fill(badUscc())
  await page.locator(input('apply-mobile')).fill('1381234')
  await page.locator(input('apply-org-name')).click() // blur
  await fieldError(form, 'apply-uscc').filter({ hasText: '校验位不正确' }).waitFor()
  await fieldError(form, 'apply-mobile').filter({ hasText: '11 位手机号码' }).waitFor()

  const uscc = newUscc()
  await page.locator(input('apply-uscc')).fill(uscc.toLowerCase()) // upper-cased on sending
  await choose(page, 'apply-type', '产业园区')
  await page.locator(`${sel('apply-level')} [data-value="provincial"]`).click()
  await choose(page, 'apply-city', '长沙市')
  await page.locator(input('apply-address')).fill('长沙市雨花区界面测试路 1 号')
  await page.locator(input('apply-contact-name')).fill('赵申请')
  await page.locator(input('apply-contact-title')).fill('办公室主任')
  await page.locator(input('apply-mobile')).fill('139 0000 1234')
  await page.locator(input('apply-email')).fill(`apply${RUN}@example.cn`)
  await tickConsent(form)
  // A username already taken passes the client's checks; the server's 409 shows under the field.
  await page.locator(input('apply-username')).fill('staff1')
  await page.locator(input('apply-password')).fill(password)
  await page.locator(input('apply-confirm')).fill(password)
  await page.locator(sel('apply-submit')).click()
  const usernameError = fieldError(form, 'apply-username')
  await usernameError.waitFor()
  assert.match(await usernameError.innerText(), /\S/, 'a server message under the username')

  await page.locator(input('apply-username')).fill(username)
  await page.locator(sel('apply-submit')).click()
  await page.locator(sel('apply-done')).waitFor()
  assert.match(await page.locator(sel('apply-done')).innerText(), new RegExp(`申请已提交[\\s\\S]*${username}`))

  // The applicant signs in and sees the application pending.
  await page.locator(sel('apply-go-login')).click()
  await login(page, username, password)
  const mine = page.locator(`${sel('home-applicant')} [data-status]`).filter({ hasText: org })
  await mine.waitFor()
  assert.equal(await mine.getAttribute('data-status'), 'pending')
  assert.match(await mine.innerText(), /待审核/)
  assert.deepEqual(await menuNames(page), ['home', 'notifications'])

  // The secretariat approves it as a council member.
  const staff = await newPage()
  try {
    await loginAs(staff.page, 'staff')
    await staff.page.locator('[data-menu="applications"]').click()
    const row = rows(staff.page, 'applications-table').filter({ hasText: org })
    await row.locator('button').first().click()
    const drawer = staff.page.locator(sel('application-drawer'))
    await drawer.locator(sel('approve')).waitFor()
    assert.match(await drawer.innerText(), new RegExp(uscc))
    await choose(staff.page, 'approve-tier', '理事单位')
    await drawer.locator(sel('approve')).click()
    await staff.page.locator('.el-message-box .el-button--primary').click()
    await toast(staff.page, '已批准入会')
    await drawer.locator(sel('application-member-link')).waitFor()
    assert.equal(await drawer.locator(sel('application-status')).innerText(), '已批准')
    await staff.page.keyboard.press('Escape')
    await drawer.locator('.el-drawer').waitFor({ state: 'hidden' })
    await staff.page.locator(sel('applications-tabs')).getByText('已批准').click()
    await rows(staff.page, 'applications-table').filter({ hasText: org }).waitFor()
  } finally {
    await staff.context.close()
  }

  // Back to the new member: its home now shows its unit; the menu has 本单位.
  await page.reload()
  await page.locator(sel('home-member')).waitFor()
  assert.ok((await menuNames(page)).includes('ownUnit'))
  await page.locator('[data-menu="ownUnit"]').click()
  await page.locator(sel('member-name')).filter({ hasText: org }).waitFor()
  assert.equal(await page.locator(sel('member-tier')).innerText(), '理事单位')
  assert.equal(await page.locator(sel('field-uscc')).innerText(), uscc)
  // The applicant's contact became the representative.
  await rows(page, 'contacts-table').filter({ hasText: '赵申请' }).filter({ hasText: '会员代表' }).waitFor()

  // Add a liaison (first with a bad mobile: the client says so), then change it.
  await page.locator(sel('contact-add')).click()
  const dialog = page.locator(sel('contact-dialog'))
  await dialog.locator(input('contact-name')).fill('钱联络')
  await dialog.locator(input('contact-title')).fill('招商科科员')
  await dialog.locator(input('contact-mobile')).fill('12345')
  await dialog.locator(sel('contact-save')).click()
  await fieldError(dialog, 'contact-mobile').filter({ hasText: '11 位手机号码' }).waitFor()
  await dialog.locator(input('contact-mobile')).fill('13700001111')
  await dialog.locator(input('contact-email')).fill(`liaison${RUN}@example.cn`)
  await dialog.locator(sel('contact-save')).click()
  await toast(page, '联系人已保存')
  const liaison = rows(page, 'contacts-table').filter({ hasText: '钱联络' })
  await liaison.waitFor()
  assert.match(await liaison.innerText(), /联络员[\s\S]*招商科科员[\s\S]*13700001111/)

  await liaison.locator('[data-test^="contact-edit-"]').click()
  await dialog.locator(input('contact-title')).fill('招商科科长')
  await dialog.locator(input('contact-mobile')).fill('137-0000-2222')
  await dialog.locator(sel('contact-save')).click()
  await toast(page, '联系人已保存')
  await rows(page, 'contacts-table').filter({ hasText: '招商科科长' }).filter({ hasText: '13700002222' }).waitFor()
  assert.equal(await rows(page, 'contacts-table').count(), 2)
  // After a reload (from the server, not the page's memory).
  await page.reload()
  await rows(page, 'contacts-table').filter({ hasText: '钱联络' }).filter({ hasText: '招商科科长' }).waitFor()

  // And removes it again.
  await rows(page, 'contacts-table').filter({ hasText: '钱联络' }).locator('[data-test^="contact-delete-"]').click()
  await page.locator('.el-message-box .el-button--primary').click()
  await toast(page, '联系人已删除')
  await rows(page, 'contacts-table').filter({ hasText: '钱联络' }).waitFor({ state: 'detached' })
  assert.equal(await rows(page, 'contacts-table').count(), 1)
})

test('a rejected applicant sees the reason on its home page', async ({ page }) => {
  const username = `rejected${RUN}`
  const password = `Rejected-Pass-${RUN}`
  const org = `界面测试退回单位${RUN}`
  const submitted = await fetch(`${BASE}/api/applications`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      org: {
        name: org,
        short_name: '',
        uscc: newUscc(),
        type: 'platform_company',
        level: 'other',
        city_code: '430300',
        address: '',
      },
      contact: { name: '孙申请', title: '', mobile: '13600003333', email: `r${RUN}@example.cn` },
      account: { username, password },
      consent_version: await noticeVersion(),
    }),
  })
  assert.equal(submitted.status, 201, await submitted.clone().text())

  await loginAs(page, 'staff')
  await page.goto('/applications?status=pending')
  await rows(page, 'applications-table').filter({ hasText: org }).locator('button').first().click()
  const drawer = page.locator(sel('application-drawer'))
  // A reason is required.
  await drawer.locator(sel('reject')).click()
  await fieldError(drawer, 'reject-reason').filter({ hasText: '请填写原因' }).waitFor()
  await drawer.locator(input('reject-reason')).fill('材料不全，请补充园区批复文件后重新申请')
  await drawer.locator(sel('reject')).click()
  await toast(page, '已退回申请')

  const applicant = await newPage()
  try {
    await applicant.page.goto('/login')
    await login(applicant.page, username, password)
    const mine = applicant.page.locator(`${sel('home-applicant')} [data-status="rejected"]`)
    await mine.waitFor()
    assert.match(await mine.innerText(), /未通过[\s\S]*材料不全，请补充园区批复文件后重新申请/)
  } finally {
    await applicant.context.close()
  }
})

test('leader reads the review queue without approve or reject buttons', async ({ page }) => {
  await loginAs(page, 'leader')
  assert.ok((await menuNames(page)).includes('applications'))
  await page.locator('[data-menu="applications"]').click()
  const first = rows(page, 'applications-table').first()
  await first.waitFor()
  await first.locator('button').first().click()
  const drawer = page.locator(sel('application-drawer'))
  await drawer.locator(sel('application-read-only')).waitFor()
  assert.equal(await drawer.locator(sel('approve')).count(), 0)
  assert.equal(await drawer.locator(sel('reject')).count(), 0)
  assert.equal(await drawer.locator(sel('application-decide')).count(), 0)
  // The server agrees: a leader's approval is refused.
  const leader = await apiSession(accounts.leader.username, accounts.leader.password)
  const pending = await leader.get('/api/applications?status=pending')
  assert.equal(pending.status, 200)
  const refused = await leader.post(`/api/applications/${pending.json.items[0].id}/approve`, { tier: 'member' })
  assert.equal(refused.status, 403)
  // A unit's page: no buttons that change it, and no import in the directory.
  await page.goto('/members/1')
  await page.locator(sel('member-fields')).waitFor()
  await page.locator(sel('contacts-table')).waitFor()
  for (const button of ['member-edit', 'member-change-status', 'member-change-tier', 'contact-add']) {
    assert.equal(await page.locator(sel(button)).count(), 0, `no ${button} for a leader`)
  }
  await page.goto('/members')
  await page.locator(sel('export-xlsx')).waitFor()
  assert.equal(await page.locator(sel('members-import')).count(), 0)
})

test('member: other units show public fields only, its own unit in full', async ({ page }) => {
  await loginAs(page, 'member')
  assert.deepEqual((await menuNames(page)).slice(0, 3), ['home', 'ownUnit', 'members'])
  const listed = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/members')
  await page.locator('[data-menu="members"]').click()
  const list = await (await listed).json()
  assert.ok(list.total >= 62, 'the demo units')
  for (const item of list.items) {
    assert.ok(!('uscc' in item) && !('status' in item) && !('member_no' in item), `public fields of ${item.name}`)
  }
  await rows(page, 'members-table').first().waitFor()
  const columns = await headers(page, 'members-table')
  assert.ok(columns.includes('单位名称') && columns.includes('会员层级'), columns.join())
  for (const hidden of ['会员编号', '状态', '入会日期']) assert.ok(!columns.includes(hidden), `no ${hidden} column`)
  assert.equal(await page.locator(sel('members-status')).count(), 0, 'no status filter')
  assert.equal(await page.locator(sel('export-xlsx')).count(), 0, 'no export')

  // Another unit: public fields, no contacts, nothing to change.
  const other = list.items.find((m) => m.id !== 1)
  await page.locator(sel(`member-link-${other.id}`)).click()
  await page.locator(sel('member-public-only')).waitFor()
  assert.equal(await page.locator(sel('member-name')).innerText(), other.name)
  const absentOnOthers = ['field-uscc', 'field-member-no', 'field-address', 'member-contacts']
  for (const absent of [...absentOnOthers, 'member-edit', 'member-certificate']) {
    assert.equal(await page.locator(sel(absent)).count(), 0, `no ${absent} on another unit`)
  }

  // Its own unit: everything, contacts, and an edit limited to short name and address.
  await page.locator('[data-menu="ownUnit"]').click()
  await waitForPath(page, (u) => u.pathname === '/members/1', '/members/1')
  await page.locator(sel('field-uscc')).waitFor()
  assert.equal(await page.locator(sel('member-public-only')).count(), 0)
  assert.match(await page.locator(sel('field-member-no')).innerText(), /^XH\d+/)
  await rows(page, 'contacts-table').first().waitFor()
  assert.equal(await page.locator(sel('member-change-status')).count(), 0)
  await page.locator(sel('member-edit')).click()
  const dialog = page.locator(sel('member-edit-dialog'))
  await dialog.locator(input('edit-short-name')).waitFor()
  assert.equal(await dialog.locator(sel('edit-name')).count(), 0, 'the name is the secretariat’s to change')
  assert.equal(await dialog.locator(sel('edit-sort-reading')).count(), 0)
  const address = `长沙经开区界面测试大道 ${RUN} 号`
  await dialog.locator(input('edit-address')).fill(address)
  await dialog.locator(sel('edit-save')).click()
  await toast(page, '资料已保存')
  assert.equal(await page.locator(sel('field-address')).innerText(), address)
})

test('staff imports a CSV: row errors, fix, import, the unit is in the directory', async ({ page }) => {
  const staff = await apiSession(accounts.staff.username, accounts.staff.password)
  // The template's columns (GET /api/members/import/template).
  const header = ['单位名称', '简称', '统一社会信用代码', '类型', '级别', '所在市州', '地址', '会员层级',
    '入会日期', '会员代表', '代表职务', '代表手机', '代表邮箱']
  const names = [`界面导入甲园区${RUN}`, `界面导入乙园区${RUN}`, `界面导入丙园区${RUN}`]
  const codes = [newUscc(), newUscc(), newUscc()]
  const unit = (name, uscc, mobile) => ({
    单位名称: name,
    简称: name.replace('界面导入', '').slice(0, 6),
    统一社会信用代码: uscc,
    类型: '产业园区',
    级别: '省级',
    所在市州: '长沙市',
    会员层级: '会员单位',
    入会日期: '2026-01-15',
    会员代表: '周代表',
    代表职务: '办公室主任',
    代表手机: mobile,
    代表邮箱: '',
    地址: '长沙市（界面测试）',
  })
  const csv = (units) =>
    '\uFEFF' + [header.join(','), ...units.map((u) => header.map((h) => u[h] ?? '').join(','))].join('\r\n') + '\r\n'
  const broken = csv([
    unit(names[0], codes[0], '13800001111'),
    unit(names[1], codes[1].slice(0, 17) + (codes[1][17] === '0' ? '1' : '0'), '13800002222'), // bad check character
    unit(names[2], codes[2], '12345'), // bad mobile
  ])
  const fixed = csv([
    unit(names[0], codes[0], '13800001111'),
    unit(names[1], codes[1], '13800002222'),
    unit(names[2], codes[2], '13800003333'),
  ])

  await loginAs(page, 'staff')
  await page.locator('[data-menu="members"]').click()
  await page.locator(sel('members-import')).click()
  await page.locator(sel('import-page')).waitFor()
  const template = page.waitForEvent('download')
  await page.locator(sel('import-template')).click()
  const templateFile = readFileSync(await (await template).path())
  assert.equal(templateFile.subarray(0, 2).toString(), 'PK', 'the template is an xlsx')

  // The broken file: a dry run lists the two bad rows by their spreadsheet row (header = row 1).
  const file = (name, text) => ({ name, mimeType: 'text/csv', buffer: Buffer.from(text) })
  await page.locator(sel('import-file')).setInputFiles(file('units.csv', broken))
  assert.match(await page.locator(sel('import-file-name')).innerText(), /units\.csv/)
  await page.locator(sel('import-dry-run')).click()
  const result = page.locator(`${sel('import-result')}[data-dry-run="true"]`)
  await result.waitFor()
  const errors = rows(page, 'import-errors')
  await errors.first().waitFor()
  const errorText = await errors.evaluateAll((trs) => trs.map((tr) => tr.innerText.replace(/\s+/g, ' ')))
  assert.equal(errorText.length, 2, errorText.join(' | '))
  assert.match(errorText.find((t) => t.startsWith('3 ')) ?? '', /统一社会信用代码/, errorText.join(' | '))
  assert.match(errorText.find((t) => t.startsWith('4 ')) ?? '', /手机/, errorText.join(' | '))
  assert.match(await result.innerText(), /有 2 行存在错误/)
  assert.equal(await result.locator(`${sel('count-rows')} .el-statistic__number`).innerText(), '3')
  assert.equal(await result.locator(`${sel('count-created')} .el-statistic__number`).innerText(), '1')
  // Nothing written by a dry run.
  assert.equal((await staff.get(`/api/members?q=${encodeURIComponent(names[0])}`)).json.total, 0)

  // The fixed file: no errors; import it.
  await page.locator(sel('import-file')).setInputFiles(file('units-fixed.csv', fixed))
  await page.locator(sel('import-dry-run')).click()
  await result.waitFor()
  await page.locator(`${sel('import-result')}`).getByText('没有发现错误').waitFor()
  assert.equal(await rows(page, 'import-errors').count(), 0)
  // Note whether the progress bars appear while the import runs (it may be quick).
  await page.evaluate(() => {
    window.__sawProgress = false
    new MutationObserver(() => {
      if (document.querySelector('[data-test="import-job-progress"]')) window.__sawProgress = true
    }).observe(document.body, { childList: true, subtree: true })
  })
  await page.locator(sel('import-confirm')).click()
  await page.locator(sel('import-done')).waitFor()
  assert.ok(await page.evaluate(() => window.__sawProgress), 'a progress bar while importing')
  const done = page.locator(`${sel('import-result')}[data-dry-run="false"]`)
  assert.equal(await done.locator(`${sel('count-created')} .el-statistic__number`).innerText(), '3')
  // … and gone now.
  assert.equal(await page.locator(sel('import-progress')).count(), 0)

  await page.locator(sel('import-directory')).click()
  await page.locator(input('members-q')).fill(names[1])
  await page.locator(sel('members-search')).click()
  const row = rows(page, 'members-table').filter({ hasText: names[1] })
  await row.waitFor()
  assert.equal(await rows(page, 'members-table').count(), 1)
  assert.match(await row.innerText(), /产业园区[\s\S]*长沙市[\s\S]*会员单位/)
})

test('staff filters the directory and exports it (xlsx and csv)', async ({ page }) => {
  await loginAs(page, 'staff')
  await page.locator('[data-menu="members"]').click()
  await rows(page, 'members-table').first().waitFor()
  const allTotal = await page.locator(`${sel('pager')} .el-pagination__total`).innerText()

  // City filter: only 长沙市 rows; the address keeps the filter.
  const filtered = page.waitForResponse((r) => r.url().includes('city_code=430100'))
  await choose(page, 'members-city', '长沙市')
  const list = await (await filtered).json()
  assert.ok(list.total > 0 && `共 ${list.total} 条` !== allTotal, `${list.total} vs ${allTotal}`)
  await waitForPath(page, (u) => u.searchParams.get('city_code') === '430100', 'the filter in the address')
  await page.waitForFunction(
    () => {
      const cells = [...document.querySelectorAll('[data-test="members-table"] .el-table__body-wrapper .el-table__row')]
      return cells.length > 0 && cells.every((r) => r.innerText.includes('长沙市'))
    },
    null,
    { timeout: 15000 },
  )
  // Names in the server's (pinyin) order, as sent.
  const shown = await rows(page, 'members-table').evaluateAll((trs) =>
    trs.map((tr) => tr.querySelectorAll('td')[1].innerText.trim()),
  )
  assert.deepEqual(shown, list.items.map((m) => m.name))

  // Status filter (staff only) and sorting by joining date.
  const byStatus = page.waitForResponse(
    (r) => r.url().includes('status=active') && r.url().includes('city_code=430100'),
  )
  await choose(page, 'members-status', '正常')
  const active = await (await byStatus).json()
  assert.ok(active.items.every((m) => m.status === 'active'))
  const joined = page.waitForResponse((r) => r.url().includes('sort=joined'))
  await page.locator(`${sel('members-sort')} [data-value="joined"]`).click()
  const byDate = (await (await joined).json()).items.map((m) => m.joined_on)
  assert.ok(byDate.length > 1)

  // Export what is filtered: an xlsx (a zip: "PK") and a CSV of Changsha's units only, through
  // the dialog that asks for the contacts' mobiles and e-mails (unticked: left out).
  const exportDialog = page.locator(sel('export-dialog'))
  await page.locator(sel('export-xlsx')).click()
  const [xlsxRequest, xlsxFile] = await Promise.all([
    page.waitForRequest((r) => r.url().includes('/api/members/export?')),
    page.waitForEvent('download'),
    exportDialog.locator(sel('export-download')).click(),
  ])
  assert.equal(new URL(xlsxRequest.url()).searchParams.has('fields'), false, 'no personal fields asked')
  assert.match(xlsxFile.suggestedFilename(), /\.xlsx$/)
  assert.equal(readFileSync(await xlsxFile.path()).subarray(0, 2).toString(), 'PK')
  await page.locator(sel('export-csv')).click()
  await exportDialog.locator(sel('export-field-mobile')).click()
  await exportDialog.locator(sel('export-field-email')).click()
  const [csvRequest, csv] = await Promise.all([
    page.waitForRequest((r) => r.url().includes('/api/members/export?')),
    page.waitForEvent('download'),
    exportDialog.locator(sel('export-download')).click(),
  ])
  const asked = new URL(csvRequest.url()).searchParams
  assert.deepEqual([asked.get('format'), asked.get('city_code'), asked.get('status'), asked.get('fields')], ['csv', '430100', 'active', 'mobile,email'])
  const text = readFileSync(await csv.path(), 'utf8').replace(/^\uFEFF/, '')
  const lines = text.split(/\r?\n/).filter(Boolean)
  assert.equal(lines.length - 1, active.total, 'one line per filtered unit')
  assert.ok(lines.slice(1).every((l) => l.includes('长沙市')), 'only Changsha in the export')
})

test('staff changes a unit: details with the pinyin reading, tier with a date, status; history', async ({ page }) => {
  await loginAs(page, 'staff')
  await page.goto('/members/3')
  await page.locator(sel('member-fields')).waitFor()

  await page.locator(sel('member-edit')).click()
  const edit = page.locator(sel('member-edit-dialog'))
  await edit.locator(input('edit-sort-reading')).waitFor()
  const shortName = `测试简称${RUN.slice(-3)}`
  const name = await page.locator(sel('member-name')).innerText()
  await edit.locator(input('edit-short-name')).fill(shortName)
  // The pinyin reading decides the directory's order: "a a" puts the unit first.
  await edit.locator(input('edit-sort-reading')).fill('a a')
  await edit.locator(sel('edit-save')).click()
  await toast(page, '资料已保存')
  assert.equal(await page.locator(sel('field-short-name')).innerText(), shortName)
  await page.locator(sel('member-back')).click()
  await rows(page, 'members-table').first().filter({ hasText: name }).waitFor()
  await page.goBack()
  await page.locator(sel('member-fields')).waitFor()

  const before = await page.locator(sel('member-tier')).innerText()
  const target = before === '理事单位' ? '常务理事单位' : '理事单位'
  await page.locator(sel('member-change-tier')).click()
  const tier = page.locator(sel('member-tier-dialog'))
  await choose(page, 'tier-new', target)
  await tier.locator(sel('tier-save')).click()
  await fieldError(tier, 'tier-reason').filter({ hasText: '请填写原因' }).waitFor()
  await tier.locator(input('tier-reason')).fill('第三届理事会增补')
  await tier.locator(sel('tier-save')).click()
  await toast(page, '会员层级已调整')
  assert.equal(await page.locator(sel('member-tier')).innerText(), target)
  // The demo's own tier entry is there before the page reloads the history: wait for this
  // change's entry, then check it comes first.
  const tierItems = page.locator(`${sel('member-history')} .el-timeline-item[data-kind="tier"]`)
  await tierItems.filter({ hasText: '第三届理事会增补' }).first().waitFor()
  const history = tierItems.first()
  assert.match(await history.innerText(), new RegExp(`${before}[\\s\\S]*${target}[\\s\\S]*第三届理事会增补`))
  assert.match(await history.innerText(), /\d{4}-\d{2}-\d{2}/)

  await page.locator(sel('member-change-status')).click()
  const status = page.locator(sel('member-status-dialog'))
  await status.locator(`${sel('status-new')} [data-value="suspended"]`).click()
  await status.locator(input('status-reason')).fill('界面测试：暂停')
  await status.locator(sel('status-save')).click()
  await toast(page, '状态已变更')
  assert.equal(await page.locator(sel('member-status')).innerText(), '暂停')
  // A suspended unit has no certificate link.
  assert.equal(await page.locator(sel('member-certificate')).count(), 0)
  await page.locator(sel('member-change-status')).click()
  await status.locator(`${sel('status-new')} [data-value="active"]`).click()
  await status.locator(input('status-reason')).fill('界面测试：恢复')
  await status.locator(sel('status-save')).click()
  // (The first change's toast may still be showing: wait for the tag itself.)
  await page.locator(sel('member-status')).filter({ hasText: /^\s*正常\s*$/ }).waitFor()
})

test('certificate: printable with the QR code; the verify page says genuine, signed out', async ({ page }) => {
  await loginAs(page, 'member')
  await page.goto('/members/1')
  await page.locator(sel('member-certificate')).click()
  await waitForPath(page, (u) => u.pathname === '/members/1/certificate', 'the certificate page')
  const cert = page.locator(sel('certificate'))
  await cert.waitFor()
  assert.match(await cert.innerText(), /湖南省开发区协会[\s\S]*会员证书/)
  assert.match(await page.locator(sel('certificate-member-no')).innerText(), /^XH\d+/)
  assert.match(await page.locator(sel('certificate-validity')).innerText(), /^\d{4}-\d{2}-\d{2} 至 \d{4}-\d{2}-\d{2}$/)
  assert.ok((await page.locator(`${sel('certificate-qr')} svg`).count()) === 1, 'the QR code is an inline svg')
  const verifyUrl = (await page.locator(sel('certificate-verify-url')).innerText()).trim()
  const verifyPath = new URL(verifyUrl, BASE).pathname
  assert.match(verifyPath, /^\/verify\/[^/]+$/)

  // Printed: the certificate only, no header, menu or buttons.
  await page.emulateMedia({ media: 'print' })
  assert.ok(!(await page.locator(sel('side-menu')).isVisible()), 'no menu on paper')
  assert.ok(!(await page.locator(sel('logout')).isVisible()), 'no header on paper')
  assert.ok(!(await page.locator(sel('certificate-print')).isVisible()), 'no print button on paper')
  assert.ok(await cert.isVisible())
  await page.emulateMedia({ media: 'screen' })

  // Someone who scans it, signed out.
  const visitor = await newPage()
  try {
    await visitor.page.goto(verifyPath)
    await visitor.page.locator(`${sel('verify-page')}[data-state="genuine"]`).waitFor()
    assert.match(await visitor.page.locator(sel('verify-result')).innerText(), /证书真实有效/)
    assert.equal(await visitor.page.locator(sel('verify-name')).innerText(), '长沙经济技术开发区')
    await visitor.page.goto('/verify/NO-SUCH-CODE-123')
    await visitor.page.locator(`${sel('verify-page')}[data-state="not-found"]`).waitFor()
    assert.match(await visitor.page.locator(sel('verify-result')).innerText(), /未找到该证书/)
    assert.equal(new URL(visitor.page.url()).pathname, '/verify/NO-SUCH-CODE-123', 'no redirect to /login')
  } finally {
    await visitor.context.close()
  }
})
