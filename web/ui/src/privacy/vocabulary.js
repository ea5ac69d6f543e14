// The personal-data requests' vocabulary (个人信息查询与删除): the kinds of record that hold a person
// (services/privacy/privacy.hpp, PersonRecord::kind) and where each kind's status code is labelled.
// Labels: t(`personKinds.${kind}`); a status through statusKey(). A code not listed shows as is.

export const PERSON_KINDS = ['member_contact', 'application', 'enrollment', 'meeting_attendee', 'visit_delegate']

// The i18n section labelling a record's `status`, by its kind: a contact's is its role in the unit,
// the others' the state of the application, sign-up or delegate place. A meeting attendee has none.
export const STATUS_SECTIONS = {
  member_contact: 'contactRoles',
  application: 'applicationStatus',
  enrollment: 'enrollmentStatus',
  visit_delegate: 'delegateStatus',
}

// statusKey('enrollment', 'confirmed') → 'enrollmentStatus.confirmed'; null when the kind has no
// labelled statuses (then the code itself is shown, '—' when empty).
export function statusKey(kind, status) {
  const section = STATUS_SECTIONS[kind]
  return section && status ? `${section}.${status}` : null
}

// What an erasure changed (the answer of POST /api/people/erase), in the order the page lists them.
export const ERASURE_COUNTS = ['records', 'messages', 'notifications', 'audit_rows', 'other_rows']
