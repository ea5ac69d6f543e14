#include "services/notifications/notification_repository.hpp"

#include "core/db/rows.hpp"
#include "core/time.hpp"

namespace xiehui::notifications {
namespace {

namespace rows = db::rows;

constexpr const char* kNoticeColumns =
    "n.id, n.member_id, n.user_id, n.kind, n.message, n.message_en, n.action_url, n.link, "
    "n.entity_type, n.entity_id, n.created_at, r.read_at ";

NoticeRow read_notice(const soci::row& r) {
  NoticeRow n;
  n.id = db::get_int64(r, 0);
  n.member_id = rows::nullable_id(r, 1);
  n.user_id = rows::nullable_id(r, 2);
  n.kind = r.get<std::string>(3);
  n.message = r.get<std::string>(4);
  n.message_en = rows::text(r, 5);
  n.action_url = rows::text(r, 6);
  if (r.get_indicator(7) == soci::i_ok) n.link = r.get<std::string>(7);
  n.entity_type = r.get<std::string>(8);
  n.entity_id = db::get_int64(r, 9);
  n.created_at = rows::ts(r, 10);
  if (r.get_indicator(11) == soci::i_ok) n.read_at = rows::ts(r, 11);
  return n;
}

// The notices of a user, from the user's own and the unit's rows (member 0 matches nothing).
std::string mine_where(const InboxFilter& f) {
  std::string where =
      " FROM notifications n LEFT JOIN notification_reads r ON r.notification_id = n.id "
      "AND r.user_id = :u1 WHERE n.in_app = 1 AND (n.user_id = :u2 OR n.member_id = :m)";
  if (f.unread_only) where += " AND r.read_at IS NULL";
  if (!f.kind.empty()) where += " AND n.kind = :k";
  return where;
}

}  // namespace

void notify(soci::session& s, const Notice& n, Timestamp now) {
  const std::string at = format_db_timestamp(now);
  long long member = n.member_id.value_or(0), user = n.user_id.value_or(0);
  soci::indicator member_ind = n.member_id ? soci::i_ok : soci::i_null;
  soci::indicator user_ind = n.user_id ? soci::i_ok : soci::i_null;
  soci::indicator en_ind = n.message_en.empty() ? soci::i_null : soci::i_ok;
  soci::indicator url_ind = n.action_url.empty() ? soci::i_null : soci::i_ok;
  const std::string link = n.link.value_or(std::string());
  soci::indicator link_ind = n.link ? soci::i_ok : soci::i_null;
  int in_app = kind_info(n.kind).in_app ? 1 : 0;
  s << "INSERT INTO notifications (member_id, user_id, kind, message, entity_type, entity_id, "
       "created_at, message_en, action_url, link, in_app) VALUES (:m, :u, :k, :msg, :t, :e, :at, "
       ":en, :url, :l, :ia)",
      soci::use(member, member_ind), soci::use(user, user_ind), soci::use(n.kind),
      soci::use(n.message), soci::use(n.entity_type), soci::use(n.entity_id), soci::use(at),
      soci::use(n.message_en, en_ind), soci::use(n.action_url, url_ind), soci::use(link, link_ind),
      soci::use(in_app);
}

namespace notification_repository {

std::vector<NoticeRow> inbox(soci::session& s, long long user_id,
                             std::optional<long long> member_id, const InboxFilter& f) {
  const long long m = member_id.value_or(0);
  const int limit = f.page_size, offset = (f.page - 1) * f.page_size;
  const std::string sql = std::string("SELECT ") + kNoticeColumns + mine_where(f) +
                          " ORDER BY n.id DESC LIMIT :lim OFFSET :off";
  if (f.kind.empty()) {
    return rows::query(s, sql, read_notice, soci::use(user_id), soci::use(user_id), soci::use(m),
                       soci::use(limit), soci::use(offset));
  }
  return rows::query(s, sql, read_notice, soci::use(user_id), soci::use(user_id), soci::use(m),
                     soci::use(f.kind), soci::use(limit), soci::use(offset));
}

long long inbox_total(soci::session& s, long long user_id, std::optional<long long> member_id,
                      const InboxFilter& f) {
  const long long m = member_id.value_or(0);
  long long n = 0;
  const std::string sql = "SELECT COUNT(*)" + mine_where(f);
  if (f.kind.empty()) {
    s << sql, soci::use(user_id), soci::use(user_id), soci::use(m), soci::into(n);
  } else {
    s << sql, soci::use(user_id), soci::use(user_id), soci::use(m), soci::use(f.kind),
        soci::into(n);
  }
  return n;
}

long long unread_count(soci::session& s, long long user_id, std::optional<long long> member_id) {
  InboxFilter f;
  f.unread_only = true;
  return inbox_total(s, user_id, member_id, f);
}

bool mark_read(soci::session& s, long long id, long long user_id,
               std::optional<long long> member_id, Timestamp now) {
  const long long m = member_id.value_or(0);
  long long mine = 0, already = 0;
  s << "SELECT COUNT(*) FROM notifications WHERE id = :id AND in_app = 1 AND "
       "(user_id = :u OR member_id = :m)",
      soci::use(id), soci::use(user_id), soci::use(m), soci::into(mine);
  if (mine == 0) return false;
  s << "SELECT COUNT(*) FROM notification_reads WHERE notification_id = :id AND user_id = :u",
      soci::use(id), soci::use(user_id), soci::into(already);
  if (already > 0) return true;
  const std::string at = format_db_timestamp(now);
  s << "INSERT INTO notification_reads (notification_id, user_id, read_at) VALUES (:n, :u, :at)",
      soci::use(id), soci::use(user_id), soci::use(at);
  return true;
}

long long mark_all_read(soci::session& s, long long user_id, std::optional<long long> member_id,
                        Timestamp now) {
  const long long m = member_id.value_or(0);
  const std::string at = format_db_timestamp(now);
  soci::statement st =
      (s.prepare << "INSERT INTO notification_reads (notification_id, user_id, read_at) "
                    "SELECT n.id, :u1, :at FROM notifications n WHERE n.in_app = 1 AND "
                    "(n.user_id = :u2 OR n.member_id = :m) AND NOT EXISTS (SELECT 1 FROM "
                    "notification_reads r WHERE r.notification_id = n.id AND r.user_id = :u3)",
       soci::use(user_id), soci::use(at), soci::use(user_id), soci::use(m), soci::use(user_id));
  st.execute(true);
  return st.get_affected_rows();
}

std::map<std::string, std::map<std::string, bool>> stored_preferences(soci::session& s,
                                                                      long long user_id) {
  std::map<std::string, std::map<std::string, bool>> out;
  const auto items = rows::query(
      s, "SELECT kind, channel, enabled FROM notification_prefs WHERE user_id = :u",
      [](const soci::row& r) {
        return std::tuple{r.get<std::string>(0), r.get<std::string>(1), rows::as_int(r, 2) != 0};
      },
      soci::use(user_id));
  for (const auto& [kind, channel, on] : items) out[kind][channel] = on;
  return out;
}

void save_preference(soci::session& s, long long user_id, const std::string& kind,
                     const std::string& channel, bool enabled) {
  s << "DELETE FROM notification_prefs WHERE user_id = :u AND kind = :k AND channel = :c",
      soci::use(user_id), soci::use(kind), soci::use(channel);
  int on = enabled ? 1 : 0;
  s << "INSERT INTO notification_prefs (user_id, kind, channel, enabled) VALUES (:u, :k, :c, :e)",
      soci::use(user_id), soci::use(kind), soci::use(channel), soci::use(on);
}

std::optional<Template> stored_template(soci::session& s, const std::string& kind,
                                        const std::string& locale) {
  Template t;
  soci::indicator ind = soci::i_null;
  s << "SELECT subject, body, sms FROM notification_templates WHERE kind = :k AND locale = :l",
      soci::use(kind), soci::use(locale), soci::into(t.subject, ind), soci::into(t.body),
      soci::into(t.sms);
  if (!s.got_data()) return std::nullopt;
  return t;
}

std::vector<std::pair<std::string, std::string>> customized_templates(soci::session& s) {
  return rows::query(s, "SELECT kind, locale FROM notification_templates", [](const soci::row& r) {
    return std::pair{r.get<std::string>(0), r.get<std::string>(1)};
  });
}

void save_template(soci::session& s, const std::string& kind, const std::string& locale,
                   const Template& t, long long user_id, Timestamp now) {
  delete_template(s, kind, locale);
  const std::string at = format_db_timestamp(now);
  soci::indicator user_ind = user_id > 0 ? soci::i_ok : soci::i_null;  // 0: the command line
  s << "INSERT INTO notification_templates (kind, locale, subject, body, sms, updated_by, "
       "updated_at) VALUES (:k, :l, :s, :b, :sms, :u, :at)",
      soci::use(kind), soci::use(locale), soci::use(t.subject), soci::use(t.body), soci::use(t.sms),
      soci::use(user_id, user_ind), soci::use(at);
}

void delete_template(soci::session& s, const std::string& kind, const std::string& locale) {
  s << "DELETE FROM notification_templates WHERE kind = :k AND locale = :l", soci::use(kind),
      soci::use(locale);
}

std::optional<AccountRow> account(soci::session& s, long long user_id) {
  auto found = rows::query(
      s, "SELECT id, username, display_name, email, locale FROM users WHERE id = :id",
      [](const soci::row& r) {
        AccountRow a;
        a.id = db::get_int64(r, 0);
        a.username = r.get<std::string>(1);
        a.display_name = r.get<std::string>(2);
        if (r.get_indicator(3) == soci::i_ok && !r.get<std::string>(3).empty()) {
          a.email = r.get<std::string>(3);
        }
        a.locale = r.get<std::string>(4);
        return a;
      },
      soci::use(user_id));
  if (found.empty()) return std::nullopt;
  return found.front();
}

void update_account(soci::session& s, long long user_id, const std::optional<std::string>& email,
                    const std::string& locale, Timestamp now) {
  const std::string at = format_db_timestamp(now);
  const std::string mail = email.value_or(std::string());
  soci::indicator mail_ind = email ? soci::i_ok : soci::i_null;
  s << "UPDATE users SET email = :e, locale = :l, updated_at = :at WHERE id = :id",
      soci::use(mail, mail_ind), soci::use(locale), soci::use(at), soci::use(user_id);
}

std::string association_name(soci::session& s) {
  std::string name;
  s << "SELECT value FROM settings WHERE name = 'dues.association_name'", soci::into(name);
  if (!s.got_data() || name.empty()) return "湖南省开发区协会";
  return name;
}

}  // namespace notification_repository
}  // namespace xiehui::notifications
