#include "services/meetings/meeting_service.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>

#include "core/crypto.hpp"
#include "core/file_store.hpp"
#include "core/time.hpp"
#include "services/meetings/booking_rules.hpp"
#include "services/meetings/booking_service.hpp"
#include "services/meetings/material_rules.hpp"
#include "services/meetings/meeting_repository.hpp"
#include "services/meetings/meetings_audit.hpp"
#include "services/meetings/room_repository.hpp"

namespace xiehui::meetings {
namespace {

namespace mr = meeting_repository;
namespace rr = room_repository;

Error no_such_meeting() { return not_found_error({"会议", "meeting"}); }
Error no_such_material() { return not_found_error({"会议材料", "material"}); }

Error final_meeting() {
  return make_error(ErrorCode::conflict,
                    {"已取消的会议不能再修改", "a cancelled meeting cannot be changed"});
}

// Whether the caller may see the meeting: staff and leaders, its invited unit, its guests.
bool may_see(soci::session& s, long long id, const Principal& who) {
  if (sees_all_meetings(who)) return true;
  if (who.member_id && mr::find_invitee(s, id, *who.member_id)) return true;
  return who.user_id && mr::is_guest(s, id, who.user_id);
}

// Books the meeting's room inside the caller's transaction (the room row locked first).
// A room switched off later keeps the meetings already in it: only a move into it is refused.
Result<std::optional<long long>> book_room(soci::session& s, const Meeting& m,
                                           std::optional<long long> except_booking,
                                           std::optional<long long> old_room,
                                           const Principal& actor, Timestamp now) {
  if (!m.room_id) return std::optional<long long>{};
  auto room = rr::find_room(s, *m.room_id, true);
  if (!room) return std::unexpected(not_found_error({"会议室", "room"}));
  if (!room->active && m.room_id != old_room) {
    return std::unexpected(make_error(
        ErrorCode::conflict, {"会议室「" + room->name + "」已停用", "the room is not in use"}));
  }
  if (auto other =
          rr::first_overlap(s, *m.room_id, {m.starts_at, m.ends_at}, except_booking.value_or(0))) {
    return std::unexpected(booking_conflict(*other));
  }
  if (except_booking) {
    auto b = *rr::find_booking(s, *except_booking);
    b.room_id = *m.room_id;
    b.starts_at = m.starts_at;
    b.ends_at = m.ends_at;
    b.title = m.title;
    rr::update_booking(s, b, now);
    return except_booking;
  }
  Booking b;
  b.room_id = *m.room_id;
  b.starts_at = m.starts_at;
  b.ends_at = m.ends_at;
  b.title = m.title;
  b.booked_for = "会议";
  b.meeting_id = m.id;
  b.created_by = actor_id(actor);
  const long long id = rr::insert_booking(s, b, now);
  audit(s, actor, "booking.create", "booking", id, room->name + " " + m.title, now);
  return std::optional<long long>(id);
}

std::string when_text(const Meeting& m) {
  const std::string s = format_instant(m.starts_at);
  return s.substr(0, 10) + " " + s.substr(11, 5);
}

// Invites units and people, notifying each new invitee; returns how many were new.
int invite_all(soci::session& s, const Meeting& m, const std::vector<long long>& units,
               const std::string& source, const std::vector<long long>& users, Timestamp now) {
  int added = 0;
  const std::string message = "会议通知：" + m.title + "，" + when_text(m) + "，请于截止前提交回执";
  const std::string message_en =
      "Meeting notice: " + m.title + ", " + when_text(m) + "; please reply before the deadline";
  for (long long unit : units) {
    if (!mr::insert_invitee(s, m.id, unit, source, random_token(24), now)) continue;
    mr::notify(s, unit, std::nullopt, "meeting.invited", message, m.id, now, message_en);
    ++added;
  }
  for (long long user : users) {
    if (!mr::insert_guest(s, m.id, user, now)) continue;
    mr::notify(s, std::nullopt, user, "meeting.invited", message, m.id, now, message_en);
    ++added;
  }
  return added;
}

std::vector<FieldError> check_texts(const Meeting& m) {
  std::vector<FieldError> errors;
  if (m.title.size() > 200) errors.push_back({"title", {"会议名称过长", "title too long"}});
  if (m.venue.size() > 200) errors.push_back({"venue", {"地点过长", "venue too long"}});
  for (const auto& a : m.agenda) {
    if (a.title.empty() || a.title.size() > 200 || a.presenter.size() > 100) {
      errors.push_back({"agenda", {"每项议程需有 1–200 字节的标题", "each item needs a title"}});
      break;
    }
  }
  return errors;
}

std::filesystem::path material_path(const std::string& data_dir, const Material& m) {
  return std::filesystem::path(data_dir) / "materials" / std::to_string(m.meeting_id) /
         m.stored_name;
}

}  // namespace

Result<MeetingSettings> MeetingService::settings() {
  return db_.with_session([&](soci::session& s) -> Result<MeetingSettings> {
    return settings_from_text(mr::read_settings(s));
  });
}

Result<MeetingSettings> MeetingService::put_settings(const MeetingSettings& next,
                                                     const Principal& actor) {
  if (auto errors = check_settings(next); !errors.empty()) {
    return std::unexpected(invalid_fields(std::move(errors)));
  }
  const Timestamp now = clock_.now();
  return db_.with_transaction([&](soci::session& s) -> Result<MeetingSettings> {
    std::string summary;
    for (const auto& [name, value] : settings_to_text(next)) {
      mr::write_setting(s, name, value, now);
      summary += name + "=" + value + "; ";
    }
    audit(s, actor, "meetings.settings", "settings", 0, summary, now);
    return next;
  });
}

Result<Meeting> MeetingService::next_number(const std::string& kind) {
  if (!is_meeting_kind(kind)) {
    return std::unexpected(invalid_fields({{"kind", {"未知的会议类型", "unknown meeting kind"}}}));
  }
  return db_.with_session([&](soci::session& s) -> Result<Meeting> {
    Meeting m;
    m.kind = kind;
    std::tie(m.term_no, m.session_no) = meetings::next_number(mr::last_number(s, kind));
    m.title = compose_title(kind, m.term_no, m.session_no);
    return m;
  });
}

Result<Meeting> MeetingService::create(MeetingDraft d, const Principal& actor) {
  Meeting& m = d.meeting;
  if (is_governing_kind(m.kind) && m.title.empty()) {
    m.title = compose_title(m.kind, m.term_no, m.session_no);
  }
  std::vector<FieldError> errors = check_meeting(m);
  auto more = check_texts(m);
  errors.insert(errors.end(), more.begin(), more.end());
  if (m.room_id && !m.venue.empty()) {
    errors.push_back({"venue", {"会议室与外部地点只能选一个", "a room or a venue, not both"}});
  }
  if (!errors.empty()) return std::unexpected(invalid_fields(std::move(errors)));
  auto conf = settings();
  if (!conf) return std::unexpected(conf.error());
  const Timestamp now = clock_.now();
  m.status = "scheduled";
  return db_.with_transaction([&](soci::session& s) -> Result<Meeting> {
    if (m.room_id && !rr::find_room(s, *m.room_id, true)) {
      return std::unexpected(not_found_error({"会议室", "room"}));
    }
    const auto units = mr::existing_units(s, d.member_ids);
    if (units.size() != std::set<long long>(d.member_ids.begin(), d.member_ids.end()).size()) {
      return std::unexpected(
          invalid_fields({{"invite.member_ids", {"有的会员单位不存在", "unknown member unit"}}}));
    }
    const auto users = mr::existing_users(s, d.user_ids);
    if (users.size() != std::set<long long>(d.user_ids.begin(), d.user_ids.end()).size()) {
      return std::unexpected(
          invalid_fields({{"invite.user_ids", {"有的用户不存在或已停用", "unknown user"}}}));
    }
    m.id = mr::insert_meeting(s, m, actor_id(actor), now);
    auto booking = book_room(s, m, std::nullopt, std::nullopt, actor, now);
    if (!booking) return std::unexpected(booking.error());
    m.booking_id = *booking;
    mr::update_meeting(s, m, now);
    mr::replace_agenda(s, m.id, m.agenda);
    int invited = 0;
    if (d.invite_rule && is_governing_kind(m.kind)) {
      const auto tiers = conf->invite_tiers[m.kind];
      invited += invite_all(s, m, mr::units_of_tiers(s, tiers, conf->lapsed_vote), "rule", {}, now);
    }
    invited += invite_all(s, m, units, "hand", users, now);
    audit(s, actor, "meeting.create", "meeting", m.id,
          m.title + " " + when_text(m) + ", " + std::to_string(invited) + " invited", now);
    return *mr::find_meeting(s, m.id, false);
  });
}

Result<Meeting> MeetingService::update(long long id, const MeetingPatch& p,
                                       const Principal& actor) {
  const Timestamp now = clock_.now();
  // The room to lock comes from a read before the transaction (lock before read on MariaDB).
  auto before = db_.with_session([&](soci::session& s) -> Result<std::optional<Meeting>> {
    return mr::find_meeting(s, id, false);
  });
  if (!before) return std::unexpected(before.error());
  if (!*before) return std::unexpected(no_such_meeting());
  return db_.with_transaction([&](soci::session& s) -> Result<Meeting> {
    std::set<long long> rooms;
    if ((*before)->room_id) rooms.insert(*(*before)->room_id);
    if (p.room_id && *p.room_id) rooms.insert(**p.room_id);
    for (long long r : rooms) rr::find_room(s, r, true);
    auto found = mr::find_meeting(s, id, true);
    if (!found) return std::unexpected(no_such_meeting());
    if (found->status == "cancelled") return std::unexpected(final_meeting());
    // The rooms locked above came from the read before the transaction.
    if (found->room_id != (*before)->room_id) {
      return std::unexpected(make_error(
          ErrorCode::conflict, {"该会议刚被他人修改，请刷新后重试", "changed meanwhile; reload"}));
    }
    Meeting m = *found;
    if (p.title) m.title = *p.title;
    if (p.mode) m.mode = *p.mode;
    if (p.venue) m.venue = *p.venue;
    if (p.description) m.description = *p.description;
    if (p.minutes) m.minutes = *p.minutes;
    if (p.starts_at) m.starts_at = *p.starts_at;
    if (p.ends_at) m.ends_at = *p.ends_at;
    if (p.rsvp_deadline) m.rsvp_deadline = *p.rsvp_deadline;
    if (p.room_id) m.room_id = *p.room_id;
    if (p.agenda) m.agenda = *p.agenda;
    if (p.room_id && *p.room_id) m.venue.clear();
    if (is_governing_kind(m.kind) && m.title.empty()) {
      m.title = compose_title(m.kind, m.term_no, m.session_no);
    }
    std::vector<FieldError> errors = check_meeting(m);
    auto more = check_texts(m);
    errors.insert(errors.end(), more.begin(), more.end());
    if (m.room_id && !m.venue.empty()) {
      errors.push_back({"venue", {"会议室与外部地点只能选一个", "a room or a venue, not both"}});
    }
    if (p.status && *p.status != "scheduled" && *p.status != "finished" &&
        *p.status != "cancelled") {
      errors.push_back({"status", {"状态应为 scheduled、finished 或 cancelled", "unknown status"}});
    }
    if (!errors.empty()) return std::unexpected(invalid_fields(std::move(errors)));
    if (p.status && !meeting_status_change_allowed(m.status, *p.status)) {
      return std::unexpected(make_error(
          ErrorCode::conflict, {"会议状态不能从 " + m.status + " 改为 " + *p.status,
                                "the status cannot change from " + m.status + " to " + *p.status}));
    }
    if (p.status) m.status = *p.status;
    if (m.status == "cancelled") {
      if (m.booking_id) rr::cancel_booking(s, *m.booking_id, now);
      for (const Invitee& i : mr::invitees(s, id)) {
        mr::notify(s, i.member_id, std::nullopt, "meeting.cancelled", "会议取消：" + m.title, id,
                   now, "Meeting cancelled: " + m.title);
      }
      for (const Guest& g : mr::guests(s, id)) {
        mr::notify(s, std::nullopt, g.user_id, "meeting.cancelled", "会议取消：" + m.title, id, now,
                   "Meeting cancelled: " + m.title);
      }
    } else if (m.room_id) {
      const bool same_booking = m.booking_id && found->room_id;
      auto booking =
          book_room(s, m, same_booking ? m.booking_id : std::nullopt, found->room_id, actor, now);
      if (!booking) return std::unexpected(booking.error());
      m.booking_id = *booking;
    } else if (m.booking_id) {
      rr::cancel_booking(s, *m.booking_id, now);
      m.booking_id.reset();
    }
    mr::update_meeting(s, m, now);
    if (p.agenda) mr::replace_agenda(s, id, m.agenda);
    audit(s, actor,
          m.status == "cancelled" && found->status != "cancelled" ? "meeting.cancel"
                                                                  : "meeting.update",
          "meeting", id, m.title + " " + when_text(m) + " " + m.status, now);
    return *mr::find_meeting(s, id, false);
  });
}

Result<Meeting> MeetingService::get(long long id, const Principal& who) {
  return db_.with_session([&](soci::session& s) -> Result<Meeting> {
    auto m = mr::find_meeting(s, id, false);
    if (!m || !may_see(s, id, who)) return std::unexpected(no_such_meeting());
    if (who.member_id) m->my_reply = mr::find_rsvp(s, id, *who.member_id);
    return *m;
  });
}

Result<std::vector<Meeting>> MeetingService::list(const MeetingFilterRequest& f,
                                                  const Principal& who) {
  if (!f.kind.empty() && !is_meeting_kind(f.kind)) {
    return std::unexpected(invalid_fields({{"kind", {"未知的会议类型", "unknown meeting kind"}}}));
  }
  if (!f.status.empty() && f.status != "scheduled" && f.status != "finished" &&
      f.status != "cancelled") {
    return std::unexpected(invalid_fields({{"status", {"未知的会议状态", "unknown status"}}}));
  }
  return db_.with_session([&](soci::session& s) -> Result<std::vector<Meeting>> {
    mr::MeetingFilter filter{f.from,
                             f.to,
                             f.kind,
                             f.status,
                             who.member_id,
                             who.user_id ? std::optional<long long>(who.user_id) : std::nullopt,
                             !sees_all_meetings(who)};
    auto list = mr::list_meetings(s, filter);
    if (who.member_id) {
      for (auto& m : list) m.my_reply = mr::find_rsvp(s, m.id, *who.member_id);
    }
    return list;
  });
}

Result<std::pair<std::vector<Invitee>, std::vector<Guest>>> MeetingService::invitees(long long id) {
  using Out = std::pair<std::vector<Invitee>, std::vector<Guest>>;
  return db_.with_session([&](soci::session& s) -> Result<Out> {
    if (!mr::find_meeting(s, id, false)) return std::unexpected(no_such_meeting());
    return Out{mr::invitees(s, id), mr::guests(s, id)};
  });
}

Result<int> MeetingService::invite(long long id, const std::vector<long long>& member_ids,
                                   const std::vector<long long>& user_ids, const Principal& actor) {
  const Timestamp now = clock_.now();
  return db_.with_transaction([&](soci::session& s) -> Result<int> {
    auto m = mr::find_meeting(s, id, true);
    if (!m) return std::unexpected(no_such_meeting());
    if (m->status == "cancelled") return std::unexpected(final_meeting());
    const auto units = mr::existing_units(s, member_ids);
    if (units.size() != std::set<long long>(member_ids.begin(), member_ids.end()).size()) {
      return std::unexpected(
          invalid_fields({{"member_ids", {"有的会员单位不存在", "unknown member unit"}}}));
    }
    const auto users = mr::existing_users(s, user_ids);
    if (users.size() != std::set<long long>(user_ids.begin(), user_ids.end()).size()) {
      return std::unexpected(
          invalid_fields({{"user_ids", {"有的用户不存在或已停用", "unknown user"}}}));
    }
    const int added = invite_all(s, *m, units, "hand", users, now);
    audit(s, actor, "meeting.invite", "meeting", id, std::to_string(added) + " invited", now);
    return added;
  });
}

Status MeetingService::uninvite(long long id, long long member_id, const Principal& actor) {
  const Timestamp now = clock_.now();
  return db_.with_transaction([&](soci::session& s) -> Status {
    if (!mr::find_meeting(s, id, true)) return std::unexpected(no_such_meeting());
    auto i = mr::find_invitee(s, id, member_id);
    if (!i) return std::unexpected(not_found_error({"受邀单位", "invitee"}));
    // A unit holding another's proxy stays, or the giver's vote would go with it.
    if (mr::find_rsvp(s, id, member_id) || mr::proxies_held(s, id, member_id, 0) > 0 ||
        mr::checked_in(s, id).contains(member_id)) {
      return std::unexpected(make_error(ErrorCode::conflict,
                                        {"该单位已提交回执、持有委托或已签到，不能移出邀请",
                                         "the unit has replied, holds a proxy or is checked in"}));
    }
    mr::delete_invitee(s, id, member_id);
    audit(s, actor, "meeting.uninvite", "meeting", id, i->member_name, now);
    return {};
  });
}

Result<Material> MeetingService::upload(long long id, const std::string& filename,
                                        const std::string& content, const Principal& actor) {
  auto type = check_material(filename, content);
  if (!type) return std::unexpected(type.error());
  auto conf = settings();
  if (!conf) return std::unexpected(conf.error());
  if (static_cast<long long>(content.size()) > conf->material_max_bytes) {
    Error e = make_error(ErrorCode::invalid_argument,
                         {"文件超过大小上限", "the file is larger than the limit"});
    e.fields.push_back(
        {"file",
         {"文件最大 " + std::to_string(conf->material_max_bytes / 1024 / 1024) + " MB",
          "at most " + std::to_string(conf->material_max_bytes) + " bytes"}});
    e.figures.push_back({"max_bytes", conf->material_max_bytes});
    return std::unexpected(std::move(e));
  }
  Material m;
  m.meeting_id = id;
  m.filename = type->filename;
  m.content_type = type->content_type;
  m.size = static_cast<long long>(content.size());
  m.sha256 = sha256_hex(content);
  m.stored_name = random_token(18) + "." + type->extension;
  const auto path = material_path(data_dir_, m);
  // A failed transaction removes the stored file, so no row points at a missing file.
  if (auto st = store_file(path, content); !st) return std::unexpected(st.error());
  const Timestamp now = clock_.now();
  auto r = db_.with_transaction([&](soci::session& s) -> Result<Material> {
    auto meeting = mr::find_meeting(s, id, true);
    if (!meeting) return std::unexpected(no_such_meeting());
    if (meeting->status == "cancelled") return std::unexpected(final_meeting());
    m.id = mr::insert_material(s, m, actor_id(actor), now);
    m.uploaded_at = now;
    audit(s, actor, "material.upload", "material", m.id,
          meeting->title + ": " + m.filename + " " + std::to_string(m.size) + " B", now);
    return m;
  });
  if (!r) discard_file(path);
  return r;
}

Result<MaterialFile> MeetingService::material(long long id, long long material_id,
                                              const Principal& who) {
  auto found = db_.with_session([&](soci::session& s) -> Result<Material> {
    // Materials go to invitees and staff (docs/API.md), not to every reader of meetings.
    const bool invited = (who.member_id && mr::find_invitee(s, id, *who.member_id)) ||
                         (who.user_id && mr::is_guest(s, id, who.user_id));
    if (!mr::find_meeting(s, id, false) || !(is_staff(who) || invited)) {
      return std::unexpected(no_such_meeting());
    }
    auto m = mr::find_material(s, id, material_id);
    if (!m) return std::unexpected(no_such_material());
    return *m;
  });
  if (!found) return std::unexpected(found.error());
  auto content = load_file(material_path(data_dir_, *found));
  if (!content) return std::unexpected(no_such_material());
  return MaterialFile{*found, std::move(*content)};
}

Status MeetingService::delete_material(long long id, long long material_id,
                                       const Principal& actor) {
  const Timestamp now = clock_.now();
  // The file stays on disk: the audit trail may need what was shared.
  return db_.with_transaction([&](soci::session& s) -> Status {
    if (!mr::find_meeting(s, id, true)) return std::unexpected(no_such_meeting());
    auto m = mr::find_material(s, id, material_id);
    if (!m) return std::unexpected(no_such_material());
    mr::delete_material(s, material_id, now);
    audit(s, actor, "material.delete", "material", material_id, m->filename, now);
    return {};
  });
}

}  // namespace xiehui::meetings
