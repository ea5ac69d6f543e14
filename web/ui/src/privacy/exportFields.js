// Exports of personal data name their fields: a class roster (GET /api/classes/{id}/enrollments
// ?format=xlsx) and the member list (GET /api/members/export) leave out mobiles and e-mail
// addresses unless asked with `fields=mobile,email`. The export dialog offers these, unticked.

export const EXPORT_FIELDS = ['mobile', 'email']

// withFields({format: 'xlsx'}, ['email', 'mobile']) → {format: 'xlsx', fields: 'mobile,email'}:
// the download's own query kept, the chosen fields added in EXPORT_FIELDS order (an unknown one
// dropped); none chosen → the query without `fields`.
export function withFields(query = {}, chosen = []) {
  const picked = EXPORT_FIELDS.filter((f) => chosen.includes(f))
  const { fields: _old, ...rest } = query
  return picked.length > 0 ? { ...rest, fields: picked.join(',') } : rest
}
