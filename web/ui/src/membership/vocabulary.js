// The membership vocabulary in one table: the codes the server stores (services/membership/
// membership_rules.cpp, core/validate.cpp) in the order forms and filters offer them. Their labels
// live in the i18n files under the same names: t(`tiers.${code}`), t(`cities.${code}`), ...

// Member tiers (会员层级), lowest first.
export const TIERS = ['member', 'council', 'standing_council', 'vice_president', 'president']

// A unit's membership status.
export const STATUSES = ['active', 'lapsed', 'suspended', 'withdrawn', 'expelled']

export const ORG_TYPES = [
  'development_zone',
  'customs_zone',
  'industrial_park',
  'research_institute',
  'platform_company',
  'individual',
]

export const ORG_LEVELS = ['national', 'provincial', 'other']

// Hunan's 14 prefecture-level divisions, GB/T 2260 codes (labels: t(`cities.${code}`)).
export const CITY_CODES = [
  '430100',
  '430200',
  '430300',
  '430400',
  '430500',
  '430600',
  '430700',
  '430800',
  '430900',
  '431000',
  '431100',
  '431200',
  '431300',
  '433100',
]

export const CONTACT_ROLES = ['representative', 'liaison', 'finance']

export const APPLICATION_STATUSES = ['pending', 'approved', 'rejected', 'withdrawn']

// Kinds of entries in a unit's history (GET /api/members/{id}/history).
export const HISTORY_KINDS = ['tier', 'name', 'representative', 'status']

// The i18n section holding each vocabulary's labels.
export const LABEL_SECTIONS = {
  tier: ['tiers', TIERS],
  status: ['memberStatus', STATUSES],
  type: ['orgTypes', ORG_TYPES],
  level: ['orgLevels', ORG_LEVELS],
  city: ['cities', CITY_CODES],
  contactRole: ['contactRoles', CONTACT_ROLES],
  applicationStatus: ['applicationStatus', APPLICATION_STATUSES],
  historyKind: ['historyKinds', HISTORY_KINDS],
}

// labelKey('city', '430100') → 'cities.430100'; an unknown code → null (show the code itself).
export function labelKey(kind, code) {
  const [section, codes] = LABEL_SECTIONS[kind] ?? []
  if (!section || !codes.includes(code)) return null
  return `${section}.${code}`
}

// A status change staff may make from `from` (the server's rules: lapsed only follows unpaid dues,
// an expelled unit stays expelled, a withdrawn unit can only be reinstated).
export function statusTargets(from) {
  if (!STATUSES.includes(from) || from === 'expelled') return []
  if (from === 'withdrawn') return ['active']
  return STATUSES.filter((s) => s !== from && s !== 'lapsed')
}

// Element-style tag colour of a status.
export function statusTagType(status) {
  return (
    {
      active: 'success',
      lapsed: 'warning',
      suspended: 'warning',
      withdrawn: 'info',
      expelled: 'danger',
      pending: 'warning',
      approved: 'success',
      rejected: 'danger',
    }[status] ?? 'info'
  )
}
