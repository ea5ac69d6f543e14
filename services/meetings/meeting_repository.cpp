#include "services/meetings/meeting_repository.hpp"

#include "core/db/where.hpp"
#include "services/meetings/meeting_rows.hpp"
#include "services/notifications/notification_repository.hpp"

namespace xiehui::meetings::meeting_repository {
namespace {

using rows::as_int;
using rows::nullable_id;
using rows::query;
using rows::text;
using rows::ts;

// Reply counts ride along with every meeting read.
constexpr const char* kMeetingColumns =
    "SELECT m.id, m.kind, m.term_no, m.session_no, m.title, m.starts_at, m.ends_at, m.mode, "
    "m.room_id, r.name, m.booking_id, m.venue, m.rsvp_deadline, m.status, m.description, "
    "m.minutes, m.version, m.updated_at, "
    "(SELECT COUNT(*) FROM meeting_invitees i WHERE i.meeting_id = m.id), "
    "(SELECT COUNT(*) FROM meeting_rsvps v WHERE v.meeting_id = m.id), "
    "(SELECT COUNT(*) FROM meeting_rsvps v WHERE v.meeting_id = m.id AND v.attending = 1) "
    "FROM meetings m LEFT JOIN rooms r ON r.id = m.room_id ";

Meeting read_meeting(const soci::row& r) {
  Meeting m;
  m.id = db::get_int64(r, 0);
  m.kind = r.get<std::string>(1);
  m.term_no = as_int(r, 2);
  m.session_no = as_int(r, 3);
  m.title = r.get<std::string>(4);
  m.starts_at = ts(r, 5);
  m.ends_at = ts(r, 6);
  m.mode = r.get<std::string>(7);
  m.room_id = nullable_id(r, 8);
  m.room_name = text(r, 9);
  m.booking_id = nullable_id(r, 10);
  m.venue = r.get<std::string>(11);
  m.rsvp_deadline = ts(r, 12);
  m.status = r.get<std::string>(13);
  m.description = r.get<std::string>(14);
  m.minutes = r.get<std::string>(15);
  m.version = as_int(r, 16);
  m.updated_at = ts(r, 17);
  m.invited = as_int(r, 18);
  m.replied = as_int(r, 19);
  m.attending = as_int(r, 20);
  return m;
}

Material read_material(const soci::row& r) {
  Material m;
  m.id = db::get_int64(r, 0);
  m.meeting_id = db::get_int64(r, 1);
  m.filename = r.get<std::string>(2);
  m.content_type = r.get<std::string>(3);
  m.size = db::get_int64(r, 4);
  m.sha256 = r.get<std::string>(5);
  m.stored_name = r.get<std::string>(6);
  m.uploaded_at = ts(r, 7);
  return m;
}

constexpr const char* kMaterialColumns =
    "SELECT id, meeting_id, filename, content_type, size_bytes, sha256, stored_name, uploaded_at "
    "FROM meeting_materials ";

constexpr const char* kInviteeColumns =
    "SELECT i.member_id, mb.name, mb.tier, mb.status, i.source, i.pass_token "
    "FROM meeting_invitees i JOIN members mb ON mb.id = i.member_id ";

Invitee read_invitee(const soci::row& r) {
  return {db::get_int64(r, 0),   r.get<std::string>(1), r.get<std::string>(2),
          r.get<std::string>(3), r.get<std::string>(4), r.get<std::string>(5)};
}

std::string id_list(const std::vector<long long>& ids) {
  std::string out;
  for (long long id : ids) {
    if (!out.empty()) out += ',';
    out += std::to_string(id);
  }
  return out;
}

}  // namespace

long long insert_meeting(soci::session& s, const Meeting& m, std::optional<long long> created_by,
                         Timestamp now) {
  const std::string at = format_db_timestamp(now), starts = format_db_timestamp(m.starts_at),
                    ends = format_db_timestamp(m.ends_at),
                    deadline = format_db_timestamp(m.rsvp_deadline);
  rows::NullableId room(m.room_id), booking(m.booking_id), by(created_by);
  s << "INSERT INTO meetings (kind, term_no, session_no, title, starts_at, ends_at, mode, room_id, "
       "booking_id, venue, rsvp_deadline, status, description, minutes, version, created_by, "
       "created_at, updated_at) VALUES (:k, :t, :s, :ti, :st, :en, :mo, :r, :b, :v, :d, :sta, "
       ":de, :mi, 1, :by, :at, :at2)",
      soci::use(m.kind), soci::use(m.term_no), soci::use(m.session_no), soci::use(m.title),
      soci::use(starts), soci::use(ends), soci::use(m.mode), soci::use(room.value, room.ind),
      soci::use(booking.value, booking.ind), soci::use(m.venue), soci::use(deadline),
      soci::use(m.status), soci::use(m.description), soci::use(m.minutes),
      soci::use(by.value, by.ind), soci::use(at), soci::use(at);
  long long id = 0;
  s.get_last_insert_id("meetings", id);
  return id;
}

void update_meeting(soci::session& s, const Meeting& m, Timestamp now) {
  const std::string at = format_db_timestamp(now), starts = format_db_timestamp(m.starts_at),
                    ends = format_db_timestamp(m.ends_at),
                    deadline = format_db_timestamp(m.rsvp_deadline);
  rows::NullableId room(m.room_id), booking(m.booking_id);
  s << "UPDATE meetings SET title = :ti, starts_at = :st, ends_at = :en, mode = :mo, "
       "room_id = :r, booking_id = :b, venue = :v, rsvp_deadline = :d, status = :sta, "
       "description = :de, minutes = :mi, version = version + 1, updated_at = :at WHERE id = :id",
      soci::use(m.title), soci::use(starts), soci::use(ends), soci::use(m.mode),
      soci::use(room.value, room.ind), soci::use(booking.value, booking.ind), soci::use(m.venue),
      soci::use(deadline), soci::use(m.status), soci::use(m.description), soci::use(m.minutes),
      soci::use(at), soci::use(m.id);
}

std::optional<Meeting> find_meeting(soci::session& s, long long id, bool lock) {
  if (lock && rows::is_mysql(s)) {
    // The bare lock first (DESIGN.md: lock before read); the read below then sees the latest.
    long long locked = 0;
    s << "SELECT id FROM meetings WHERE id = :id FOR UPDATE", soci::into(locked), soci::use(id);
    if (!s.got_data()) return std::nullopt;
  }
  auto found =
      query(s, std::string(kMeetingColumns) + "WHERE m.id = :id", read_meeting, soci::use(id));
  if (found.empty()) return std::nullopt;
  Meeting m = std::move(found.front());
  m.agenda = query(
      s, "SELECT title, presenter FROM meeting_agenda WHERE meeting_id = :id ORDER BY position",
      [](const soci::row& r) {
        return AgendaItem{r.get<std::string>(0), r.get<std::string>(1)};
      },
      soci::use(id));
  m.materials = query(
      s,
      std::string(kMaterialColumns) + "WHERE meeting_id = :id AND deleted_at IS NULL ORDER BY id",
      read_material, soci::use(id));
  return m;
}

void replace_agenda(soci::session& s, long long meeting_id, const std::vector<AgendaItem>& items) {
  s << "DELETE FROM meeting_agenda WHERE meeting_id = :id", soci::use(meeting_id);
  int position = 0;
  for (const AgendaItem& item : items) {
    s << "INSERT INTO meeting_agenda (meeting_id, position, title, presenter) VALUES "
         "(:m, :p, :t, :pr)",
        soci::use(meeting_id), soci::use(position), soci::use(item.title),
        soci::use(item.presenter);
    ++position;
  }
}

std::vector<Meeting> list_meetings(soci::session& s, const MeetingFilter& f) {
  db::Where w;
  if (f.from) w.add("m.ends_at", " > ", format_db_timestamp(*f.from));
  if (f.to) w.add("m.starts_at", " < ", format_db_timestamp(*f.to));
  w.add("m.kind", " = ", f.kind);
  w.add("m.status", " = ", f.status);
  if (f.restricted) {
    // Ids are numbers the service produced, not caller text.
    std::string who = "(1 = 0";
    if (f.member_id) {
      who += " OR m.id IN (SELECT meeting_id FROM meeting_invitees WHERE member_id = " +
             std::to_string(*f.member_id) + ")";
    }
    if (f.user_id) {
      who += " OR m.id IN (SELECT meeting_id FROM meeting_guests WHERE user_id = " +
             std::to_string(*f.user_id) + ")";
    }
    w.add_fixed(who + ")");
  }
  soci::row row;
  soci::statement st(s);
  st.exchange(soci::into(row));
  w.bind(st);
  db::prepare(st, std::string(kMeetingColumns) + w.sql() + " ORDER BY m.starts_at, m.id");
  st.execute(false);
  std::vector<Meeting> out;
  while (st.fetch()) out.push_back(read_meeting(row));
  return out;
}

std::optional<std::pair<int, int>> last_number(soci::session& s, const std::string& kind) {
  auto found = query(
      s,
      "SELECT term_no, session_no FROM meetings WHERE kind = :k AND status <> 'cancelled' "
      "ORDER BY term_no DESC, session_no DESC LIMIT 1",
      [](const soci::row& r) { return std::pair<int, int>(as_int(r, 0), as_int(r, 1)); },
      soci::use(kind));
  if (found.empty()) return std::nullopt;
  return found.front();
}

std::vector<long long> units_of_tiers(soci::session& s, const std::vector<std::string>& tiers,
                                      bool with_lapsed) {
  std::vector<long long> out;
  for (const auto& tier : tiers) {
    auto ids = query(
        s,
        std::string("SELECT id FROM members WHERE tier = :t AND ") +
            (with_lapsed ? "status IN ('active', 'lapsed')" : "status = 'active'"),
        [](const soci::row& r) { return db::get_int64(r, 0); }, soci::use(tier));
    out.insert(out.end(), ids.begin(), ids.end());
  }
  return out;
}

std::vector<long long> existing_units(soci::session& s, const std::vector<long long>& ids) {
  if (ids.empty()) return {};
  return query(s, "SELECT id FROM members WHERE id IN (" + id_list(ids) + ")",
               [](const soci::row& r) { return db::get_int64(r, 0); });
}

std::vector<long long> existing_users(soci::session& s, const std::vector<long long>& ids) {
  if (ids.empty()) return {};
  return query(s, "SELECT id FROM users WHERE disabled = 0 AND id IN (" + id_list(ids) + ")",
               [](const soci::row& r) { return db::get_int64(r, 0); });
}

bool insert_invitee(soci::session& s, long long meeting_id, long long member_id,
                    const std::string& source, const std::string& token, Timestamp now) {
  long long n = 0;
  s << "SELECT COUNT(*) FROM meeting_invitees WHERE meeting_id = :m AND member_id = :u",
      soci::into(n), soci::use(meeting_id), soci::use(member_id);
  if (n > 0) return false;
  const std::string at = format_db_timestamp(now);
  s << "INSERT INTO meeting_invitees (meeting_id, member_id, source, pass_token, invited_at) "
       "VALUES (:m, :u, :s, :t, :at)",
      soci::use(meeting_id), soci::use(member_id), soci::use(source), soci::use(token),
      soci::use(at);
  return true;
}

void delete_invitee(soci::session& s, long long meeting_id, long long member_id) {
  s << "DELETE FROM meeting_attendance WHERE meeting_id = :m AND member_id = :u",
      soci::use(meeting_id), soci::use(member_id);
  s << "DELETE FROM meeting_invitees WHERE meeting_id = :m AND member_id = :u",
      soci::use(meeting_id), soci::use(member_id);
}

bool insert_guest(soci::session& s, long long meeting_id, long long user_id, Timestamp now) {
  if (is_guest(s, meeting_id, user_id)) return false;
  const std::string at = format_db_timestamp(now);
  s << "INSERT INTO meeting_guests (meeting_id, user_id, invited_at) VALUES (:m, :u, :at)",
      soci::use(meeting_id), soci::use(user_id), soci::use(at);
  return true;
}

std::vector<Invitee> invitees(soci::session& s, long long meeting_id) {
  return query(s,
               std::string(kInviteeColumns) + "WHERE i.meeting_id = :m ORDER BY mb.sort_key, mb.id",
               read_invitee, soci::use(meeting_id));
}

std::optional<Invitee> find_invitee(soci::session& s, long long meeting_id, long long member_id) {
  auto found =
      query(s, std::string(kInviteeColumns) + "WHERE i.meeting_id = :m AND i.member_id = :u",
            read_invitee, soci::use(meeting_id), soci::use(member_id));
  if (found.empty()) return std::nullopt;
  return found.front();
}

std::optional<std::pair<long long, long long>> invitee_by_token(soci::session& s,
                                                                const std::string& token) {
  auto found = query(
      s, "SELECT meeting_id, member_id FROM meeting_invitees WHERE pass_token = :t",
      [](const soci::row& r) {
        return std::pair<long long, long long>(db::get_int64(r, 0), db::get_int64(r, 1));
      },
      soci::use(token));
  if (found.empty()) return std::nullopt;
  return found.front();
}

std::vector<Guest> guests(soci::session& s, long long meeting_id) {
  return query(
      s,
      "SELECT g.user_id, u.display_name FROM meeting_guests g JOIN users u ON u.id = g.user_id "
      "WHERE g.meeting_id = :m ORDER BY g.user_id",
      [](const soci::row& r) {
        return Guest{db::get_int64(r, 0), r.get<std::string>(1)};
      },
      soci::use(meeting_id));
}

bool is_guest(soci::session& s, long long meeting_id, long long user_id) {
  long long n = 0;
  s << "SELECT COUNT(*) FROM meeting_guests WHERE meeting_id = :m AND user_id = :u", soci::into(n),
      soci::use(meeting_id), soci::use(user_id);
  return n > 0;
}

std::vector<Rsvp> rsvps(soci::session& s, long long meeting_id) {
  auto replies = query(
      s,
      "SELECT v.member_id, mb.name, v.attending, v.proxy_to_member_id, p.name, v.note, "
      "v.replied_at, v.consent_version FROM meeting_rsvps v JOIN members mb ON mb.id = "
      "v.member_id "
      "LEFT JOIN members p ON p.id = v.proxy_to_member_id WHERE v.meeting_id = :m "
      "ORDER BY mb.sort_key, mb.id",
      [&](const soci::row& r) {
        Rsvp x;
        x.meeting_id = meeting_id;
        x.member_id = db::get_int64(r, 0);
        x.member_name = r.get<std::string>(1);
        x.attending = db::get_int64(r, 2) != 0;
        x.proxy_to_member_id = nullable_id(r, 3);
        x.proxy_to_name = text(r, 4);
        x.note = r.get<std::string>(5);
        x.replied_at = ts(r, 6);
        if (const long long v = db::get_int64(r, 7); v > 0) x.consent_version = v;
        return x;
      },
      soci::use(meeting_id));
  auto people = query(
      s,
      "SELECT member_id, name, title, mobile FROM meeting_rsvp_attendees WHERE meeting_id = :m "
      "ORDER BY member_id, position",
      [](const soci::row& r) {
        return std::pair<long long, RsvpAttendee>(
            db::get_int64(r, 0),
            {r.get<std::string>(1), r.get<std::string>(2), r.get<std::string>(3)});
      },
      soci::use(meeting_id));
  std::map<long long, Rsvp*> by_unit;
  for (auto& x : replies) by_unit[x.member_id] = &x;
  for (auto& [unit, person] : people) {
    if (auto it = by_unit.find(unit); it != by_unit.end()) {
      it->second->attendees.push_back(std::move(person));
    }
  }
  return replies;
}

std::optional<Rsvp> find_rsvp(soci::session& s, long long meeting_id, long long member_id) {
  for (auto& r : rsvps(s, meeting_id)) {
    if (r.member_id == member_id) return std::move(r);
  }
  return std::nullopt;
}

void upsert_rsvp(soci::session& s, const Rsvp& r, std::optional<long long> replied_by,
                 Timestamp now) {
  const std::string at = format_db_timestamp(now);
  rows::NullableId proxy(r.proxy_to_member_id), by(replied_by);
  const int attending = r.attending ? 1 : 0;
  s << "DELETE FROM meeting_rsvp_attendees WHERE meeting_id = :m AND member_id = :u",
      soci::use(r.meeting_id), soci::use(r.member_id);
  s << "DELETE FROM meeting_rsvps WHERE meeting_id = :m AND member_id = :u",
      soci::use(r.meeting_id), soci::use(r.member_id);
  const long long consent = r.consent_version.value_or(0);
  s << "INSERT INTO meeting_rsvps (meeting_id, member_id, attending, proxy_to_member_id, note, "
       "replied_by, replied_at, consent_version) VALUES (:m, :u, :a, :p, :n, :by, :at, :cv)",
      soci::use(r.meeting_id), soci::use(r.member_id), soci::use(attending),
      soci::use(proxy.value, proxy.ind), soci::use(r.note), soci::use(by.value, by.ind),
      soci::use(at), soci::use(consent);
  int i = 0;
  for (const RsvpAttendee& a : r.attendees) {
    s << "INSERT INTO meeting_rsvp_attendees (meeting_id, member_id, position, name, title, "
         "mobile) VALUES (:m, :u, :p, :n, :t, :mo)",
        soci::use(r.meeting_id), soci::use(r.member_id), soci::use(i), soci::use(a.name),
        soci::use(a.title), soci::use(a.mobile);
    ++i;
  }
}

int proxies_held(soci::session& s, long long meeting_id, long long holder, long long giver) {
  long long n = 0;
  s << "SELECT COUNT(*) FROM meeting_rsvps WHERE meeting_id = :m AND proxy_to_member_id = :h "
       "AND member_id <> :g",
      soci::into(n), soci::use(meeting_id), soci::use(holder), soci::use(giver);
  return static_cast<int>(n);
}

std::vector<long long> take_unreminded(soci::session& s, long long meeting_id,
                                       const std::string& today) {
  auto ids = query(
      s,
      "SELECT i.member_id FROM meeting_invitees i WHERE i.meeting_id = :m AND "
      "(i.reminded_on IS NULL OR i.reminded_on <> :d) AND NOT EXISTS (SELECT 1 FROM "
      "meeting_rsvps v WHERE v.meeting_id = i.meeting_id AND v.member_id = i.member_id) "
      "ORDER BY i.member_id",
      [](const soci::row& r) { return db::get_int64(r, 0); }, soci::use(meeting_id),
      soci::use(today));
  for (long long id : ids) {
    s << "UPDATE meeting_invitees SET reminded_on = :d WHERE meeting_id = :m AND member_id = :u",
        soci::use(today), soci::use(meeting_id), soci::use(id);
  }
  return ids;
}

bool set_attendance(soci::session& s, long long meeting_id, long long member_id, bool present,
                    std::optional<long long> by, Timestamp now) {
  long long n = 0;
  s << "SELECT COUNT(*) FROM meeting_attendance WHERE meeting_id = :m AND member_id = :u",
      soci::into(n), soci::use(meeting_id), soci::use(member_id);
  if (!present) {
    s << "DELETE FROM meeting_attendance WHERE meeting_id = :m AND member_id = :u",
        soci::use(meeting_id), soci::use(member_id);
    return n > 0;
  }
  if (n > 0) return false;
  const std::string at = format_db_timestamp(now);
  rows::NullableId who(by);
  s << "INSERT INTO meeting_attendance (meeting_id, member_id, checked_at, checked_by) VALUES "
       "(:m, :u, :at, :by)",
      soci::use(meeting_id), soci::use(member_id), soci::use(at), soci::use(who.value, who.ind);
  return true;
}

std::set<long long> checked_in(soci::session& s, long long meeting_id) {
  auto ids = query(
      s, "SELECT member_id FROM meeting_attendance WHERE meeting_id = :m",
      [](const soci::row& r) { return db::get_int64(r, 0); }, soci::use(meeting_id));
  return {ids.begin(), ids.end()};
}

long long insert_material(soci::session& s, const Material& m, std::optional<long long> by,
                          Timestamp now) {
  const std::string at = format_db_timestamp(now);
  rows::NullableId who(by);
  s << "INSERT INTO meeting_materials (meeting_id, filename, content_type, size_bytes, sha256, "
       "stored_name, uploaded_by, uploaded_at) VALUES (:m, :f, :c, :sz, :h, :sn, :by, :at)",
      soci::use(m.meeting_id), soci::use(m.filename), soci::use(m.content_type), soci::use(m.size),
      soci::use(m.sha256), soci::use(m.stored_name), soci::use(who.value, who.ind), soci::use(at);
  long long id = 0;
  s.get_last_insert_id("meeting_materials", id);
  return id;
}

std::optional<Material> find_material(soci::session& s, long long meeting_id, long long id) {
  auto found = query(
      s,
      std::string(kMaterialColumns) + "WHERE id = :id AND meeting_id = :m AND deleted_at IS NULL",
      read_material, soci::use(id), soci::use(meeting_id));
  if (found.empty()) return std::nullopt;
  return found.front();
}

void delete_material(soci::session& s, long long id, Timestamp now) {
  const std::string at = format_db_timestamp(now);
  s << "UPDATE meeting_materials SET deleted_at = :at WHERE id = :id", soci::use(at), soci::use(id);
}

std::map<std::string, std::string> read_settings(soci::session& s) {
  std::map<std::string, std::string> out;
  for (auto& [name, value] :
       query(s, "SELECT name, value FROM settings WHERE name LIKE 'meetings.%'",
             [](const soci::row& r) {
               return std::pair<std::string, std::string>(r.get<std::string>(0),
                                                          r.get<std::string>(1));
             })) {
    out[name.substr(9)] = value;
  }
  return out;
}

void write_setting(soci::session& s, const std::string& name, const std::string& value,
                   Timestamp now) {
  const std::string key = "meetings." + name, at = format_db_timestamp(now);
  s << "DELETE FROM settings WHERE name = :n", soci::use(key);
  s << "INSERT INTO settings (name, value, updated_at) VALUES (:n, :v, :at)", soci::use(key),
      soci::use(value), soci::use(at);
}

void notify(soci::session& s, std::optional<long long> member_id, std::optional<long long> user_id,
            const std::string& kind, const std::string& message, long long meeting_id,
            Timestamp now, const std::string& message_en) {
  notifications::notify(s, {member_id, user_id, kind, message, "meeting", meeting_id, message_en},
                        now);
}

}  // namespace xiehui::meetings::meeting_repository
