// node --test src/ — the menu each role sees, from the permissions the server grants it.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { menuFor } from './navigation.js'

const permissions = {
  admin: ['users.manage', 'audit.read', 'settings.manage', 'directory.read'],
  staff: [
    'directory.read', 'members.read_all', 'members.write', 'applications.review', 'dues.manage',
    'dues.record_payment', 'training.manage', 'training.enroll', 'visits.manage', 'visits.apply',
    'meetings.manage', 'meetings.rsvp', 'rooms.book', 'reports.read',
  ],
  leader: ['directory.read', 'members.read_all', 'reports.read', 'rooms.book'],
  member: [
    'directory.read', 'members.manage_own', 'dues.read_own', 'training.enroll', 'visits.apply',
    'meetings.rsvp',
  ],
}

function names(role) {
  const granted = permissions[role]
  const canAny = (list) => list.length === 0 || list.some((p) => granted.includes(p))
  return menuFor(canAny).flatMap((item) => (item.children ? item.children : [item])).map((i) => i.name)
}

test('menu per role', () => {
  assert.deepEqual(names('admin'), ['home', 'users', 'audit'])
  assert.deepEqual(names('staff'), [
    'home', 'members', 'applications', 'dues', 'training', 'visits', 'meetings', 'reports',
  ])
  assert.deepEqual(names('leader'), ['home', 'members', 'meetings', 'reports'])
  assert.deepEqual(names('member'), ['home', 'dues', 'training', 'visits', 'meetings'])
})
