// Browser tests of the dues (会费) pages: staff set the year's schedule through the dialog (the
// charter's thresholds shown live), issue the invoices as a job (dry run first), record a payment
// (the amount defaulting to what is outstanding, an over-payment refused with the outstanding
// amount), print the 会费收据 with the amount in Chinese capitals and check it signed out,
// reverse a payment; a member sees only its own unit's invoices, receipts and the bank details;
// every dues page at phone and desktop size (screenshots SHOTS/{desktop,phone}/dues-*.png, no
// horizontal scroll). Registered with the harness; run by ui.test.mjs (tests/ui/run.sh) against a
// server started with --demo (member1 represents unit 1, 长沙经济技术开发区).
import assert from 'node:assert/strict'
import {
  accounts,
  apiSession,
  choose,
  fieldError,
  input,
  layoutProblems,
  loginAs as signIn,
  menuNames,
  newPage,
  open,
  screenshot,
  sel,
  settle,
  test,
  toast,
  waitForPath,
} from './harness.mjs'
import { fenToYuanInput, randomUuid } from '../../web/ui/src/dues/money.js'
import { formatFen } from '../../web/ui/src/utils/format.js'

const RUN = String(Date.now() % 100000).padStart(5, '0')
// The current year in Asia/Shanghai.
const Y = Number(new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 4))
const BANK = { account_name: '湖南省开发区协会', bank_name: '中国工商银行长沙芙蓉支行', account_no: '1901 0049 0920 0123 456' }
const TIERS = { member: 200000, council: 500000, standing_council: 1000000, vice_president: 2000000, president: 3000000 }
const DECISION = {
  meeting_name: '第三届第二次会员大会',
  held_on: `${Y - 1}-12-20`,
  entitled: 60,
  present: 45,
  votes_for: 40,
  votes_against: 3,
  abstentions: 2,
  secret_ballot: true,
  resolution_id: null,
}

const staffApi = () => apiSession(accounts.staff.username, accounts.staff.password)
const memberApi = () => apiSession(accounts.member.username, accounts.member.password)
const rows = (page, table) => page.locator(`${sel(table)} .el-table__body-wrapper .el-table__row`)

// The year's schedule, set and published, and the association's bank account (idempotent).
async function ensureSchedule(staff) {
  const settings = await staff.put('/api/dues/settings', { bank: BANK })
  assert.equal(settings.status, 200, settings.text)
  const current = await staff.get(`/api/dues/schedules/${Y}`)
  if (current.status === 404) {
    const set = await staff.put(`/api/dues/schedules/${Y}`, { tiers: TIERS, effective_on: `${Y}-01-01`, decision: DECISION })
    assert.equal(set.status, 200, set.text)
  }
  const published = await staff.post(`/api/dues/schedules/${Y}/publish`)
  assert.ok([200, 409].includes(published.status), published.text)
}

// The year's invoices issued (running the bill again creates only what is missing).
async function ensureBilled(staff) {
  await ensureSchedule(staff)
  const run = await staff.post('/api/dues/bill-runs', { year: Y })
  assert.equal(run.status, 200, run.text)
}

// An open invoice of this year of a unit other than unit 1, with at least `min` 分 outstanding.
async function openInvoice(staff, min = 200000) {
  for (const status of ['unpaid', 'partial']) {
    const list = await staff.get(`/api/dues/invoices?year=${Y}&status=${status}&page_size=200`)
    assert.equal(list.status, 200, list.text)
    const found = list.json.items.find((i) => i.member_id !== 1 && i.outstanding_fen >= min)
    if (found) return found
  }
  throw new Error('no open invoice to pay')
}

async function pay(staff, invoiceId, amountFen, method = 'bank_transfer') {
  const r = await staff.post(
    `/api/dues/invoices/${invoiceId}/payments`,
    { amount_fen: amountFen, paid_on: new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10), method, reference: `UI${RUN}` },
    { 'Idempotency-Key': randomUuid() },
  )
  assert.equal(r.status, 201, r.text)
  return r.json
}

// A free year after this one (no schedule yet), for the schedule dialog's tests.
async function freeYear(staff, from = Y + 1) {
  for (let y = from; y < from + 20; y++) {
    if ((await staff.get(`/api/dues/schedules/${y}`)).status === 404) return y
  }
  throw new Error('no free year')
}

// ---------------------------------------------------------------------------------------------
test('dues: staff set a schedule; the charter thresholds are checked live; copy, publish', async ({ page }) => {
  const staff = await staffApi()
  const year = await freeYear(staff)
  await signIn(page, 'staff')
  await page.goto(`/dues/schedules/${year}`)
  await page.locator(sel('schedule-missing')).waitFor()
  await page.locator(sel('schedule-edit')).click()
  const dialog = page.locator(sel('schedule-dialog'))
  await dialog.locator(sel('schedule-save')).waitFor()

  // Required fields first.
  await dialog.locator(sel('schedule-save')).click()
  await fieldError(dialog, 'decision-meeting').filter({ hasText: '请填写会议名称' }).waitFor()

  const tiersYuan = { member: '2000', council: '5000', standing_council: '10000', vice_president: '20000', president: '30000.5' }
  for (const [tier, yuan] of Object.entries(tiersYuan)) await dialog.locator(input(`schedule-tier-${tier}`)).fill(yuan)
  await dialog.locator(input('decision-meeting')).fill(`第三届第${RUN}次会员大会`)
  const heldOn = dialog.locator(input('decision-held-on'))
  await heldOn.click()
  await heldOn.fill(`${year - 1}-12-20`)
  await heldOn.press('Enter')
  await page.locator('.el-dialog__title:visible').click()

  const check = (name) => dialog.locator(sel(`decision-check-${name}`))
  await dialog.locator(input('decision-entitled')).fill('60')
  // 2/3 of 60 is 40: 39 present is short of the quorum, 40 reaches it ("以上" includes 40).
  await dialog.locator(input('decision-present')).fill('39')
  await dialog.locator(input('decision-for')).fill('30')
  await dialog.locator(input('decision-for')).press('Tab')
  await page.waitForFunction(() => document.querySelector('[data-test="decision-check-quorum"]')?.dataset.ok === 'false')
  assert.match(await check('quorum').innerText(), /不少于 40 人/)
  await dialog.locator(input('decision-present')).fill('40')
  await dialog.locator(input('decision-present')).press('Tab')
  await page.waitForFunction(() => document.querySelector('[data-test="decision-check-quorum"]')?.dataset.ok === 'true')
  // Votes for: at least 1/2 of the 40 present, 20.
  await dialog.locator(input('decision-for')).fill('19')
  await dialog.locator(input('decision-for')).press('Tab')
  await page.waitForFunction(() => document.querySelector('[data-test="decision-check-majority"]')?.dataset.ok === 'false')
  await dialog.locator(input('decision-for')).fill('20')
  await dialog.locator(input('decision-for')).press('Tab')
  await page.waitForFunction(() => document.querySelector('[data-test="decision-check"]')?.dataset.passes === 'true')
  // Not by secret ballot: the decision does not pass and is not sent.
  await dialog.locator(sel('decision-secret')).click()
  await page.waitForFunction(() => document.querySelector('[data-test="decision-check"]')?.dataset.passes === 'false')
  await dialog.locator(sel('schedule-save')).click()
  await dialog.locator('.el-form-item__error').filter({ hasText: '不符合' }).first().waitFor()
  await dialog.locator(sel('decision-secret')).click()
  await dialog.locator(sel('schedule-save')).click()
  await toast(page, '会费标准已保存')
  await dialog.waitFor({ state: 'hidden' })

  // Saved in 分, exactly: 30000.5 元 is 3000050 分.
  const saved = await staff.get(`/api/dues/schedules/${year}`)
  assert.equal(saved.status, 200, saved.text)
  assert.deepEqual(saved.json.tiers, { member: 200000, council: 500000, standing_council: 1000000, vice_president: 2000000, president: 3000050 })
  assert.equal(await page.locator(sel('schedule-state')).getAttribute('data-published'), 'false')
  assert.equal((await page.locator(sel('schedule-amount-president')).innerText()).trim().startsWith('¥30,000.50'), true)

  // Publish, after a confirmation.
  await page.locator(sel('schedule-publish')).click()
  await page.locator('.el-message-box .el-button--primary').click()
  await toast(page, '会费标准已公布')
  await page.waitForFunction(() => document.querySelector('[data-test="schedule-state"]')?.dataset.published === 'true')

  // The next year keeps it: copied from the previous year.
  await page.goto(`/dues/schedules/${year + 1}`)
  const next = await staff.get(`/api/dues/schedules/${year + 1}`)
  if (next.status === 404) {
    await page.locator(sel('schedule-copy')).click()
    await page.locator('.el-message-box .el-button--primary').click()
    await toast(page, `已沿用${year}年度标准`)
    await page.locator(sel('schedule-state')).waitFor()
    assert.match(await page.locator(sel('dues-schedule-page')).innerText(), new RegExp(`沿用${year}年度会费标准`))
  }
})

test('dues: staff issue the year\'s invoices — a dry run first, then a job with its progress', async ({ page }) => {
  const staff = await staffApi()
  await ensureSchedule(staff)
  await signIn(page, 'staff')
  await page.goto(`/dues/bill-run?year=${Y}`)
  await page.locator(sel('bill-run-check')).click()
  const preview = page.locator(sel('bill-run-preview'))
  await preview.waitFor()
  const wouldCreate = Number(await preview.getAttribute('data-created'))
  if (wouldCreate > 0) {
    // What it would create, unit by unit, before anything is written.
    assert.equal(await rows(page, 'bill-run-items').count(), wouldCreate)
    assert.match(await page.locator(sel('bill-run-summary')).innerText(), new RegExp(`将生成 ${wouldCreate} 张通知单`))
    const before = await staff.get(`/api/dues/invoices?year=${Y}&page_size=1`)
    await page.locator(sel('bill-run-run')).click()
    await page.locator('.el-message-box .el-button--primary').click()
    const result = page.locator(sel('bill-run-result'))
    await result.waitFor({ timeout: 60000 })
    assert.equal(Number(await result.getAttribute('data-created')), wouldCreate)
    assert.match(await result.innerText(), new RegExp(`已生成 ${wouldCreate} 张通知单`))
    const after = await staff.get(`/api/dues/invoices?year=${Y}&page_size=1`)
    assert.equal(after.json.total, before.json.total + wouldCreate)
    await page.locator(sel('bill-run-invoices')).click()
    await waitForPath(page, (u) => u.pathname === '/dues/invoices', 'the invoices')
    await rows(page, 'invoices-table').first().waitFor()
  } else {
    // Already issued (a re-run against the same server): nothing to create, nothing to run.
    assert.match(await page.locator(sel('bill-run-summary')).innerText(), /没有需要生成的通知单/)
    assert.ok(await page.locator(sel('bill-run-run')).isDisabled())
  }
})

test('dues: staff record a payment and print the receipt with the amount in words; over-payment; reversal', async ({ page }) => {
  const staff = await staffApi()
  await ensureBilled(staff)
  const invoice = await openInvoice(staff)
  await signIn(page, 'staff')

  // From the menu to the invoice list, filtered by the unit's name.
  await page.locator('[data-menu="dues"]').click()
  await page.locator(sel('dues-overview')).waitFor()
  await page.locator('#tab-duesInvoices').click()
  await waitForPath(page, (u) => u.pathname === '/dues/invoices', 'the invoice list')
  await page.locator(input('invoices-q')).fill(invoice.member_name)
  await page.locator(sel('invoices-search')).click()
  await page.locator(sel(`invoice-link-${invoice.id}`)).waitFor()
  await page.locator(sel(`invoice-link-${invoice.id}`)).click()
  await waitForPath(page, (u) => u.pathname === `/dues/invoices/${invoice.id}`, 'the invoice page')
  assert.equal((await page.locator(sel('invoice-outstanding')).innerText()).trim(), formatFen(invoice.outstanding_fen))

  // The dialog starts with what is outstanding, today and bank transfer.
  await page.locator(sel('invoice-record-payment')).click()
  const dialog = page.locator(sel('payment-dialog'))
  const amount = dialog.locator(input('payment-amount'))
  await amount.waitFor()
  assert.equal(await amount.inputValue(), fenToYuanInput(invoice.outstanding_fen))
  assert.match(await dialog.locator(sel('payment-method')).innerText(), /银行转账/)
  // More than is outstanding: refused before sending; a malformed amount too.
  await amount.fill(fenToYuanInput(invoice.outstanding_fen + 1))
  await dialog.locator(sel('payment-save')).click()
  await fieldError(dialog, 'payment-amount').filter({ hasText: '尚欠' }).waitFor()
  await amount.fill('1000.055')
  await dialog.locator(sel('payment-save')).click()
  await fieldError(dialog, 'payment-amount').filter({ hasText: '最多两位小数' }).waitFor()
  // 1000.05 元 in cash: exactly 100005 分.
  await amount.fill('1000.05')
  await choose(page, 'payment-method', '现金')
  await dialog.locator(input('payment-reference')).fill(`现金 ${RUN}`)
  await dialog.locator(sel('payment-save')).click()
  await toast(page, '已登记收款')
  await dialog.waitFor({ state: 'hidden' })
  const recorded = page.locator(sel('invoice-recorded'))
  await recorded.waitFor()
  const receiptNo = /\d{4}-\d{6,}/.exec(await recorded.innerText())[0]
  assert.equal((await page.locator(sel('invoice-outstanding')).innerText()).trim(), formatFen(invoice.outstanding_fen - 100005))
  assert.equal(await page.locator(sel('invoice-status')).getAttribute('data-status'), 'partial')
  await page.locator(sel(`receipt-link-${receiptNo}`)).waitFor()

  // The receipt: A4, the amount in figures and in words, the payer, the year, the QR code.
  await page.locator(sel('invoice-recorded-receipt')).click()
  await waitForPath(page, (u) => u.pathname === `/dues/receipts/${receiptNo}`, 'the receipt page')
  const receipt = page.locator(sel('receipt'))
  await receipt.waitFor()
  assert.equal((await page.locator(sel('receipt-no')).innerText()).trim(), receiptNo)
  assert.equal((await page.locator(sel('receipt-amount')).innerText()).trim(), '¥1,000.05')
  assert.equal((await page.locator(sel('receipt-words')).innerText()).trim(), '人民币壹仟元零伍分')
  assert.equal((await page.locator(sel('receipt-payer')).innerText()).trim(), invoice.member_name)
  assert.equal((await page.locator(sel('receipt-item')).innerText()).trim(), `${Y}年度会费`)
  assert.equal((await page.locator(sel('receipt-method')).innerText()).trim(), '现金')
  assert.match(await page.locator(sel('receipt-uscc')).innerText(), /^[0-9A-Z]{18}$/)
  assert.equal(await page.locator(`${sel('receipt-qr')} svg`).count(), 1)
  assert.equal(await page.locator('h1').count(), 1)
  await screenshot(page, 'desktop', 'dues-receipt')
  // Printed: the page only — no print button, menu or header.
  await page.emulateMedia({ media: 'print' })
  assert.ok(!(await page.locator(sel('receipt-print')).isVisible()), 'the print button is not printed')
  assert.ok(!(await page.locator(sel('side-menu')).isVisible()), 'the menu is not printed')
  assert.ok(await receipt.isVisible())
  await page.emulateMedia({ media: 'screen' })
  assert.ok(await page.locator(sel('receipt-print')).isVisible())

  // Anyone can check it, signed out, from its QR code's address.
  const verifyUrl = new URL((await page.locator(sel('receipt-verify-url')).innerText()).trim())
  assert.match(verifyUrl.pathname, /^\/verify-receipt\/.+/)
  const anonymous = await newPage()
  try {
    await anonymous.page.goto(verifyUrl.pathname)
    await anonymous.page.locator(`${sel('receipt-verify-page')}[data-state="genuine"]`).waitFor()
    assert.equal((await anonymous.page.locator(sel('receipt-verify-name')).innerText()).trim(), invoice.member_name)
    assert.equal((await anonymous.page.locator(sel('receipt-verify-amount')).innerText()).trim(), '¥1,000.05')
    await anonymous.page.goto('/verify-receipt/NO-SUCH-CODE')
    await anonymous.page.locator(`${sel('receipt-verify-page')}[data-state="not-found"]`).waitFor()
    assert.deepEqual(anonymous.problems, [])
  } finally {
    await anonymous.context.close()
  }

  // Over-payment found by the server: someone records 1 元 while the dialog is open with the old
  // figure; the 409 names what is now outstanding, and a smaller amount then goes through.
  await page.goto(`/dues/invoices/${invoice.id}`)
  await page.locator(sel('invoice-record-payment')).click()
  await amount.waitFor()
  const before = invoice.outstanding_fen - 100005
  assert.equal(await amount.inputValue(), fenToYuanInput(before))
  const meanwhile = await pay(staff, invoice.id, 100)
  await dialog.locator(sel('payment-save')).click()
  await fieldError(dialog, 'payment-amount').filter({ hasText: formatFen(before - 100) }).waitFor()
  assert.equal((await dialog.locator(sel('payment-outstanding')).innerText()).trim(), formatFen(before - 100))
  await amount.fill('1')
  await dialog.locator(sel('payment-save')).click()
  await toast(page, '已登记收款')
  await dialog.waitFor({ state: 'hidden' })
  assert.equal((await page.locator(sel('invoice-outstanding')).innerText()).trim(), formatFen(before - 200))

  // Reverse (冲正) the payment recorded meanwhile: a reason is required; its receipt is void.
  await page.locator(sel(`payment-reverse-${meanwhile.payment_id}`)).click()
  const reverse = page.locator(sel('reverse-dialog'))
  await reverse.locator(sel('reverse-save')).click()
  await fieldError(reverse, 'reverse-reason').filter({ hasText: '请填写冲正原因' }).waitFor()
  await reverse.locator(input('reverse-reason')).fill('重复登记，界面测试冲正')
  await reverse.locator(sel('reverse-save')).click()
  await toast(page, `收据 ${meanwhile.receipt_no} 作废`)
  await page.locator(sel(`payment-status-${meanwhile.payment_id}`)).filter({ hasText: '作废' }).waitFor()
  assert.equal((await page.locator(sel('invoice-outstanding')).innerText()).trim(), formatFen(before - 100))
  await page.goto(`/dues/receipts/${meanwhile.receipt_no}`)
  await page.locator(`${sel('receipt')}[data-status="void"]`).waitFor()
  assert.ok(await page.locator(sel('receipt-void-stamp')).isVisible(), 'a void receipt carries the 作废 stamp')
  assert.equal((await page.locator(sel('receipt-no')).innerText()).trim(), meanwhile.receipt_no, 'it keeps its number')
})

test('dues: a member sees only its own unit\'s invoices and receipts, and the bank details', async ({ page }) => {
  const staff = await staffApi()
  await ensureBilled(staff)
  // A payment of unit 1 (so it has a receipt) and an invoice of another unit.
  const own = (await staff.get(`/api/dues/invoices?year=${Y}&member_id=1`)).json.items[0]
  assert.ok(own, 'unit 1 has an invoice this year')
  let ownReceipt = null
  if (own.outstanding_fen >= 100) ownReceipt = (await pay(staff, own.id, 100)).receipt_no
  const other = await openInvoice(staff, 1)
  const otherPayment = await pay(staff, other.id, 100)

  await signIn(page, 'member')
  assert.ok((await menuNames(page)).includes('dues'), 'the member has a dues menu entry')
  // The home page says what the unit owes, with the way to the dues page.
  await page.locator(sel('home-member-dues')).waitFor()
  await page.locator(sel('home-dues-link')).click()
  await waitForPath(page, (u) => u.pathname === '/dues', 'the dues page')
  await page.locator(sel('dues-mine-page')).waitFor()
  assert.equal(await page.locator(sel('dues-tabs')).count(), 0, 'no staff tabs')
  await page.locator(sel('dues-mine-balance')).waitFor()

  // Its own invoices only (the server sends no other; the page shows what it sends).
  const mine = await memberApi()
  const listed = (await mine.get('/api/dues/invoices?page_size=200')).json.items
  assert.ok(listed.length > 0 && listed.every((i) => i.member_id === 1), 'the API lists only unit 1')
  await page.locator(sel(`mine-invoice-${own.id}`)).waitFor()
  assert.equal(await rows(page, 'mine-invoices-table').count(), listed.length)
  const text = await page.locator(sel('dues-mine-page')).innerText()
  assert.ok(!text.includes(other.member_name), 'no other unit is named')
  const owed = listed.filter((i) => ['unpaid', 'partial'].includes(i.status)).reduce((n, i) => n + i.outstanding_fen, 0)
  assert.equal(Number(await page.locator(sel('dues-mine-balance')).getAttribute('data-owed')), owed)

  // The association's bank account for the transfer.
  const bank = page.locator(sel('dues-mine-bank'))
  assert.equal((await bank.locator(sel('bank-account-no')).innerText()).trim(), BANK.account_no)
  assert.equal((await bank.locator(sel('bank-name')).innerText()).trim(), BANK.bank_name)
  assert.equal((await bank.locator(sel('bank-account-name')).innerText()).trim(), BANK.account_name)
  // The published schedule of the year, its own tier marked.
  assert.match(await page.locator(sel('dues-mine-schedule')).innerText(), /本单位/)
  // Its 开票信息 (before any was saved: its name and credit code).
  assert.match(await page.locator(input('invoicing-tax-no')).inputValue(), /^[0-9A-Z]{18}$/)

  // Its own receipt opens; another unit's invoice and receipt do not exist for it.
  if (ownReceipt) {
    await page.locator(sel(`mine-receipt-${ownReceipt}`)).click()
    await waitForPath(page, (u) => u.pathname === `/dues/receipts/${ownReceipt}`, 'its receipt')
    await page.locator(sel('receipt')).waitFor()
    assert.match(await page.locator(sel('receipt-payer')).innerText(), /长沙经济技术开发区/)
    assert.match(await page.locator(sel('receipt-words')).innerText(), /^人民币壹元整$/)
  }
  await page.goto(`/dues/invoices/${own.id}`)
  await page.locator(sel('invoice-title')).waitFor()
  assert.equal(await page.locator(sel('invoice-record-payment')).count(), 0, 'a member records no payment')
  await page.goto(`/dues/invoices/${other.id}`)
  await page.locator(sel('invoice-missing')).waitFor()
  await page.goto(`/dues/receipts/${otherPayment.receipt_no}`)
  await page.locator(sel('receipt-error')).waitFor()
  assert.equal(await page.locator(sel('receipt')).count(), 0)
  // Staff pages stay closed.
  await page.goto('/dues/invoices')
  await page.locator(sel('forbidden')).waitFor()
})

test('dues: staff import a bank statement: columns, suggested matches, bulk confirmation, no double recording', async ({ page }) => {
  const staff = await staffApi()
  await ensureBilled(staff)
  const invoice = await openInvoice(staff, 200000)
  const today = new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10)
  // A header the server has not seen (so it asks for the columns): one credit from the unit, one
  // from nobody it knows.
  const csv = [
    `记账日期,摘要,对方户名,支出金额,收入金额,备注${RUN}`,
    `${today},${Y}年会费,${invoice.member_name},,1000.00,`,
    `${today},货款,某某贸易有限公司${RUN},,50.00,`,
  ].join('\n')
  const file = { name: `statement-${RUN}.csv`, mimeType: 'text/csv', buffer: Buffer.from(`${csv}\n`, 'utf8') }

  await signIn(page, 'staff')
  await page.goto('/dues/statements')
  await page.locator(sel('statement-file')).setInputFiles(file)
  const mapping = page.locator(sel('statement-mapping'))
  await mapping.waitFor()
  assert.match(await page.locator(sel('statement-sample')).innerText(), new RegExp(invoice.member_name))
  // The four selects offer the same options: each pop-up closes before the next opens.
  const pick = async (name, text) => {
    await choose(page, name, text)
    await page.locator('.el-select__popper:visible').first().waitFor({ state: 'hidden' }).catch(() => {})
    await page.waitForFunction(() => ![...document.querySelectorAll('.el-select__popper')].some((p) => getComputedStyle(p).display !== 'none'))
  }
  await pick('map-date', '1. 记账日期')
  await pick('map-payer', '3. 对方户名')
  await pick('map-amount', '5. 收入金额')
  await mapping.locator(`${sel('map-amount-kind')} [data-value="credit"]`).click()
  await pick('map-reference', '2. 摘要')
  await page.locator(sel('map-apply')).click()

  // The lines in the file's order (numbered as the server numbers them).
  const lines = page.locator('[data-test^="statement-line-"]')
  const first = lines.nth(0)
  await first.waitFor()
  assert.equal(await lines.count(), 2)
  assert.match(await first.innerText(), /¥1,000\.00/)
  // The unit's invoice is suggested with a score; from 60 it is chosen already, else choose it.
  const choice = first.locator('[data-test^="statement-choice-"]')
  if (!(await choice.innerText()).includes(invoice.member_name)) {
    await choice.click()
    await page.locator('.el-select-dropdown__item:visible').filter({ hasText: invoice.member_name }).first().click()
  }
  assert.match(await choice.innerText(), new RegExp(invoice.member_name))
  // Nobody's: left out.
  assert.doesNotMatch(await lines.nth(1).locator('[data-test^="statement-choice-"]').innerText(), /分）/)
  assert.match(await page.locator(sel('statement-chosen')).innerText(), /已选 1 笔，合计 ¥1,000\.00/)
  await page.locator(sel('statement-confirm')).click()
  await page.locator(sel('statement-result')).filter({ hasText: '已入账 1 笔' }).waitFor()
  const after = (await staff.get(`/api/dues/invoices/${invoice.id}`)).json
  assert.equal(after.paid_fen, invoice.paid_fen + 100000)
  assert.ok(after.payments.some((p) => p.amount_fen === 100000 && p.method === 'bank_transfer' && p.status === 'valid'))

  // The same statement again: the columns are remembered, the line is marked recorded, and
  // nothing can be recorded twice.
  await page.locator(sel('statement-again')).waitFor()
  await page.goto('/dues/statements')
  await page.locator(sel('statement-file')).setInputFiles(file)
  await page.locator('[data-test^="statement-line-"]').first().waitFor()
  assert.equal(await page.locator('[data-test^="statement-line-"]').first().getAttribute('data-recorded'), 'true')
  assert.ok(await page.locator(sel('statement-confirm')).isDisabled())
  assert.equal((await staff.get(`/api/dues/invoices/${invoice.id}`)).json.paid_fen, after.paid_fen)
})

// The dues pages at both sizes: screenshots and the layout checks (no horizontal page scroll, no
// text squeezed to a character per line), the payment dialog as a full-screen sheet on a phone.
for (const size of ['desktop', 'phone']) {
  test(`dues (${size}): every dues page fits the screen; screenshots`, async () => {
    const staff = await staffApi()
    await ensureBilled(staff)
    const invoice = await openInvoice(staff, 1)
    const payments = await staff.get(`/api/dues/payments?year=${Y}&page_size=1`)
    const receiptNo = payments.json?.items?.[0]?.receipt_no ?? (await pay(staff, invoice.id, 100)).receipt_no
    const staffPages = {
      'dues-overview': '/dues',
      'dues-invoices': `/dues/invoices?year=${Y}`,
      'dues-invoice': `/dues/invoices/${invoice.id}`,
      'dues-receipt-page': `/dues/receipts/${receiptNo}`,
      'dues-arrears': '/dues/arrears',
      'dues-schedules': '/dues/schedules',
      'dues-schedule': `/dues/schedules/${Y}`,
      'dues-bill-run': `/dues/bill-run?year=${Y}`,
      'dues-reductions': '/dues/reductions',
      'dues-statements': '/dues/statements',
      'dues-fees': '/dues/fees',
      'dues-report': `/dues/report?year=${Y}`,
      'dues-settings': '/dues/settings',
    }
    const look = async (page, name) => {
      await settle(page)
      await screenshot(page, size, name)
      assert.deepEqual(await layoutProblems(page), [], `${name} at ${size}: layout`)
      assert.equal(await page.locator('h1').count(), 1, `${name}: one h1`)
    }
    for (const role of ['staff', 'leader', 'member']) {
      const env = await newPage({ phone: size === 'phone' })
      try {
        await signIn(env.page, role)
        const list =
          role === 'staff'
            ? staffPages
            : role === 'leader'
              ? { 'dues-leader': '/dues', 'dues-leader-report': `/dues/report?year=${Y}`, 'dues-leader-arrears': '/dues/arrears' }
              : { 'dues-member': '/dues' }
        for (const [name, path] of Object.entries(list)) {
          await open(env.page, path)
          await look(env.page, name)
        }
        if (role === 'staff') {
          // The payment dialog: a full-screen sheet on a phone.
          await env.page.goto(`/dues/invoices/${invoice.id}`)
          await env.page.locator(sel('invoice-record-payment')).click()
          const dialog = env.page.locator(sel('payment-dialog'))
          await dialog.locator(input('payment-amount')).waitFor()
          assert.equal(await env.page.locator('.el-dialog.is-fullscreen').count(), size === 'phone' ? 1 : 0)
          await look(env.page, 'dues-payment-dialog')
        }
        if (role === 'member') {
          const own = (await staff.get(`/api/dues/invoices?year=${Y}&member_id=1`)).json.items[0]
          await env.page.goto(`/dues/invoices/${own.id}`)
          await look(env.page, 'dues-member-invoice')
        }
        assert.deepEqual(env.problems, [], `${role}: no errors in the page`)
      } catch (error) {
        error.message = `[${size} ${role}] ${error.message}`
        await screenshot(env.page, size, `failed-dues-${role}`).catch(() => {})
        throw error
      } finally {
        await env.context.close()
      }
    }
    // The public receipt check, signed out.
    const anonymous = await newPage({ phone: size === 'phone' })
    try {
      await anonymous.page.goto('/verify-receipt/NO-SUCH-CODE')
      await anonymous.page.locator(`${sel('receipt-verify-page')}[data-state="not-found"]`).waitFor()
      await look(anonymous.page, 'dues-verify-receipt')
    } finally {
      await anonymous.context.close()
    }
  })
}
