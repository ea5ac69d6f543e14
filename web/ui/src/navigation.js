// The side menu and the permission each page needs, in one table: the router guards routes with
// the same `anyOf` lists the menu is filtered by. Permission names are the server's
// (core/access.cpp); a user sees an item when they hold any one of its permissions.

// Capabilities whose pages are not built yet: their routes show the "under construction" page,
// but are still visible only to the roles that will use them.
export const upcoming = [
  { name: 'members', path: '/members', anyOf: ['members.read_all'] },
  { name: 'applications', path: '/applications', anyOf: ['applications.review'] },
  {
    name: 'dues',
    path: '/dues',
    anyOf: ['dues.manage', 'dues.record_payment', 'dues.read_own'],
  },
  { name: 'training', path: '/training', anyOf: ['training.manage', 'training.enroll'] },
  { name: 'visits', path: '/visits', anyOf: ['visits.manage', 'visits.apply'] },
  {
    name: 'meetings',
    path: '/meetings',
    anyOf: ['meetings.manage', 'meetings.rsvp', 'rooms.book'],
  },
  { name: 'reports', path: '/reports', anyOf: ['reports.read'] },
]

export const adminPages = [
  { name: 'users', path: '/admin/users', anyOf: ['users.manage'] },
  { name: 'audit', path: '/admin/audit', anyOf: ['audit.read'] },
]

// menuFor(canAny) → [{name, path} | {name, children: [...]}], the label key being `menu.<name>`.
export function menuFor(canAny) {
  const items = [{ name: 'home', path: '/' }]
  for (const item of upcoming) if (canAny(item.anyOf)) items.push(item)
  const admin = adminPages.filter((item) => canAny(item.anyOf))
  if (admin.length > 0) items.push({ name: 'system', children: admin })
  return items
}

export const ROLE_ORDER = ['admin', 'staff', 'leader', 'member']
