// node --test src/ — the menu each role sees, from the permissions the server grants it.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { menuFor } from './navigation.js'

// As core/access.cpp grants them.
const permissions = {
  admin: ['users.manage', 'audit.read', 'settings.manage', 'directory.read'],
  staff: [
    'directory.read', 'members.read_all', 'members.write', 'applications.read',
    'applications.review', 'dues.manage', 'dues.record_payment', 'training.manage',
    'training.enroll', 'visits.manage', 'visits.apply', 'meetings.manage', 'meetings.rsvp',
    'rooms.book', 'reports.read',
  ],
  leader: ['directory.read', 'members.read_all', 'applications.read', 'reports.read', 'rooms.book'],
  member: [
    'directory.read', 'members.manage_own', 'dues.read_own', 'training.enroll', 'visits.apply',
    'meetings.rsvp',
  ],
  applicant: [],
}

function menu(role, memberId = null) {
  const granted = permissions[role]
  const canAny = (list) => list.length === 0 || list.some((p) => granted.includes(p))
  return menuFor(canAny, { memberId }).flatMap((item) => (item.children ? item.children : [item]))
}
const names = (role, memberId) => menu(role, memberId).map((i) => i.name)

test('menu per role', () => {
  assert.deepEqual(names('admin'), ['home', 'members', 'users', 'audit'])
  // Capabilities without pages yet (dues, visits, meetings, reports) are not in the menu.
  assert.deepEqual(names('staff'), ['home', 'members', 'applications', 'training'])
  // Leaders browse the training catalogue (read-only).
  assert.deepEqual(names('leader'), ['home', 'members', 'applications', 'training'])
  assert.deepEqual(names('member', 7), ['home', 'ownUnit', 'members', 'training'])
  assert.deepEqual(names('applicant'), ['home'])
})

test("a member's own unit links to its page", () => {
  assert.equal(menu('member', 7).find((i) => i.name === 'ownUnit').path, '/members/7')
  // Without a unit (not yet linked) there is no such item.
  assert.ok(!names('member', null).includes('ownUnit'))
  // Staff have no unit of their own.
  assert.ok(!names('staff', 7).includes('ownUnit'))
})
