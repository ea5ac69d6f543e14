// The access log's (个人信息访问记录) vocabulary and query: the actions the server writes for a view
// of unmasked personal data and for the subject requests (docs/API.md, Privacy: access log).
// Labels: codeLabel('accessActions', action); a code not listed shows as is.

export const ACCESS_ACTIONS = [
  'personal.view',
  'personal.export',
  'person.search',
  'person.export',
  'person.correct',
  'person.erase',
]

// accessQuery({actor: ' mishu ', dates: ['2026-03-01', '2026-03-31']}) → the query of
// GET /api/access-log without paging: {actor: 'mishu', from: '2026-03-01', to: '2026-03-31'};
// empty filters are left out (undefined, which the client does not send).
export function accessQuery({ actor = '', dates = null } = {}) {
  const who = String(actor ?? '').trim()
  const [from, to] = Array.isArray(dates) ? dates : []
  return {
    actor: who || undefined,
    from: from || undefined,
    to: to || undefined,
  }
}
