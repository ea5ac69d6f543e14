// Retention (个人信息保存期限): the settings (GET|PUT /api/retention/settings), each with the range
// the server accepts, and the kinds of record a run anonymises (POST /api/retention-runs).

// [key, min, max, unit]: years for the records, days for the outbox.
export const RETENTION_SETTINGS = [
  ['enrollment_years', 1, 50, 'years'],
  ['visit_delegate_years', 1, 50, 'years'],
  ['meeting_attendee_years', 1, 50, 'years'],
  ['rejected_application_years', 1, 50, 'years'],
  ['outbox_days', 30, 3650, 'days'],
]

export const RETENTION_DEFAULTS = {
  enrollment_years: 3,
  visit_delegate_years: 3,
  meeting_attendee_years: 3,
  rejected_application_years: 1,
  outbox_days: 365,
  daily: false,
}

// The kinds of record a run names (items[].kind), in the order the page lists them.
export const RETENTION_KINDS = ['enrollment', 'visit_delegate', 'meeting_attendee', 'rejected_application', 'outbox']

// settingsOf(answer) → the form's values: the server's, each missing one at its default.
export function settingsOf(answer) {
  const out = { ...RETENTION_DEFAULTS }
  for (const key of Object.keys(RETENTION_DEFAULTS)) {
    if (answer && answer[key] !== undefined && answer[key] !== null) out[key] = answer[key]
  }
  out.daily = Boolean(out.daily)
  return out
}

// Whether the form differs from the settings last saved (or loaded).
export function settingsChanged(form, saved) {
  if (!saved) return false
  return Object.keys(RETENTION_DEFAULTS).some((key) => form[key] !== saved[key])
}

// The records a run counted: its `total`, or the sum of its items when the total is missing.
export function runTotal(run) {
  if (!run) return 0
  if (Number.isFinite(run.total)) return run.total
  return (run.items ?? []).reduce((n, item) => n + (Number(item.records) || 0), 0)
}
