#include "core/access.hpp"

#include <algorithm>

namespace xiehui {
namespace {

using P = Permission;

constexpr Permission kAdmin[] = {P::users_manage, P::audit_read, P::settings_manage,
                                 P::directory_read};
constexpr Permission kStaff[] = {
    P::directory_read,      P::members_read_all, P::members_write,       P::applications_read,
    P::applications_review, P::dues_manage,      P::dues_record_payment, P::training_manage,
    P::training_enroll,     P::visits_manage,    P::visits_apply,        P::meetings_manage,
    P::meetings_rsvp,       P::rooms_book,       P::reports_read,        P::people_manage};
// Leadership reads everything and books rooms for its own meetings; it changes nothing else.
constexpr Permission kLeader[] = {P::directory_read, P::members_read_all, P::applications_read,
                                  P::reports_read, P::rooms_book};
constexpr Permission kMember[] = {P::directory_read,  P::own_unit_manage, P::dues_read_own,
                                  P::training_enroll, P::visits_apply,    P::meetings_rsvp};

}  // namespace

std::string_view to_string(Role role) {
  switch (role) {
    case Role::admin:
      return "admin";
    case Role::staff:
      return "staff";
    case Role::leader:
      return "leader";
    case Role::member:
      return "member";
  }
  return "member";
}

std::optional<Role> parse_role(std::string_view name) {
  for (Role r : kAllRoles) {
    if (to_string(r) == name) return r;
  }
  return std::nullopt;
}

std::string_view to_string(Permission p) {
  switch (p) {
    case P::users_manage:
      return "users.manage";
    case P::audit_read:
      return "audit.read";
    case P::settings_manage:
      return "settings.manage";
    case P::directory_read:
      return "directory.read";
    case P::members_read_all:
      return "members.read_all";
    case P::members_write:
      return "members.write";
    case P::own_unit_manage:
      return "members.manage_own";
    case P::applications_read:
      return "applications.read";
    case P::applications_review:
      return "applications.review";
    case P::dues_manage:
      return "dues.manage";
    case P::dues_record_payment:
      return "dues.record_payment";
    case P::dues_read_own:
      return "dues.read_own";
    case P::training_manage:
      return "training.manage";
    case P::training_enroll:
      return "training.enroll";
    case P::visits_manage:
      return "visits.manage";
    case P::visits_apply:
      return "visits.apply";
    case P::meetings_manage:
      return "meetings.manage";
    case P::meetings_rsvp:
      return "meetings.rsvp";
    case P::rooms_book:
      return "rooms.book";
    case P::reports_read:
      return "reports.read";
    case P::people_manage:
      return "people.manage";
  }
  return "unknown";
}

std::span<const Permission> permissions_of(Role role) {
  switch (role) {
    case Role::admin:
      return kAdmin;
    case Role::staff:
      return kStaff;
    case Role::leader:
      return kLeader;
    case Role::member:
      return kMember;
  }
  return {};
}

bool grants(std::span<const Role> roles, Permission p) {
  return std::ranges::any_of(roles, [p](Role r) {
    return std::ranges::find(permissions_of(r), p) != permissions_of(r).end();
  });
}

bool Principal::has_role(Role r) const { return std::ranges::find(roles, r) != roles.end(); }

bool Access::allows(const Principal* principal) const {
  switch (kind_) {
    case Kind::public_route:
      return true;
    case Kind::signed_in:
      return principal != nullptr;
    case Kind::permission:
      return principal != nullptr && (principal->can(permission_) || principal->can(alternative_));
  }
  return false;
}

}  // namespace xiehui
