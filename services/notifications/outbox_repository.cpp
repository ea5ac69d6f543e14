#include "services/notifications/outbox_repository.hpp"

#include <algorithm>

#include "core/db/rows.hpp"
#include "core/time.hpp"

namespace xiehui::notifications::outbox_repository {
namespace {

namespace rows = db::rows;

constexpr const char* kWiped = "（内容含一次性链接，发送结束后已删除）";
constexpr const char* kStatuses[] = {"pending", "sending", "sent", "failed", "dead", "cancelled"};

const char* skip_locked(soci::session& s) {
  return rows::is_mysql(s) ? " FOR UPDATE SKIP LOCKED" : "";
}

constexpr const char* kMessageColumns =
    "id, notification_id, kind, channel, recipient, recipient_name, subject, body_text, "
    "body_html, message_id, secret, status, attempts, failures, last_error, next_attempt_at, "
    "created_at, sent_at FROM outbox ";

std::optional<Timestamp> maybe_ts(const soci::row& r, std::size_t i) {
  if (r.get_indicator(i) != soci::i_ok) return std::nullopt;
  return rows::ts(r, i);
}

OutboxMessage read_message(const soci::row& r) {
  OutboxMessage m;
  m.id = db::get_int64(r, 0);
  m.notification_id = db::get_int64(r, 1);
  m.kind = r.get<std::string>(2);
  m.channel = r.get<std::string>(3);
  m.recipient = r.get<std::string>(4);
  m.recipient_name = r.get<std::string>(5);
  m.subject = r.get<std::string>(6);
  m.body_text = r.get<std::string>(7);
  m.body_html = r.get<std::string>(8);
  m.message_id = r.get<std::string>(9);
  m.secret = rows::as_int(r, 10) != 0;
  m.status = r.get<std::string>(11);
  m.attempts = rows::as_int(r, 12);
  m.failures = rows::as_int(r, 13);
  if (r.get_indicator(14) == soci::i_ok) m.last_error = r.get<std::string>(14);
  m.next_attempt_at = maybe_ts(r, 15);
  m.created_at = rows::ts(r, 16);
  m.sent_at = maybe_ts(r, 17);
  return m;
}

NoticeRow read_notice(const soci::row& r) {
  NoticeRow n;
  n.id = db::get_int64(r, 0);
  n.member_id = rows::nullable_id(r, 1);
  n.user_id = rows::nullable_id(r, 2);
  n.kind = r.get<std::string>(3);
  n.message = r.get<std::string>(4);
  n.entity_type = r.get<std::string>(5);
  n.entity_id = db::get_int64(r, 6);
  n.created_at = rows::ts(r, 7);
  if (r.get_indicator(8) == soci::i_ok) n.link = r.get<std::string>(8);
  n.message_en = rows::text(r, 9);
  n.action_url = rows::text(r, 10);
  return n;
}

// A finished secret message keeps its subject but not the one-time link in its text.
void wipe_if_secret(soci::session& s, long long id) {
  const std::string wiped = kWiped;
  s << "UPDATE outbox SET body_text = :t, body_html = :h WHERE id = :id AND secret = 1",
      soci::use(wiped), soci::use(wiped), soci::use(id);
}

}  // namespace

std::vector<NoticeRow> claim_undelivered(soci::session& s, int limit) {
  const std::string sql =
      std::string(
          "SELECT id, member_id, user_id, kind, message, entity_type, entity_id, "
          "created_at, link, message_en, action_url FROM notifications WHERE delivered_at IS NULL "
          "ORDER BY id LIMIT :n") +
      skip_locked(s);
  return rows::query(s, sql, read_notice, soci::use(limit));
}

bool any_undelivered(soci::session& s) {
  int one = 0;
  s << "SELECT 1 FROM notifications WHERE delivered_at IS NULL LIMIT 1", soci::into(one);
  return s.got_data();
}

void mark_delivered(soci::session& s, long long notification_id, bool wipe_link, Timestamp now) {
  const std::string at = format_db_timestamp(now);
  if (wipe_link) {
    s << "UPDATE notifications SET delivered_at = :at, action_url = NULL WHERE id = :id",
        soci::use(at), soci::use(notification_id);
  } else {
    s << "UPDATE notifications SET delivered_at = :at WHERE id = :id", soci::use(at),
        soci::use(notification_id);
  }
}

std::vector<Recipient> unit_recipients(soci::session& s, long long member_id) {
  std::vector<Recipient> out = rows::query(
      s,
      "SELECT name, email, mobile FROM member_contacts WHERE member_id = :m AND contact_role IN "
      "('representative', 'liaison') ORDER BY CASE contact_role WHEN 'representative' THEN 0 "
      "ELSE 1 END, id",
      [](const soci::row& r) {
        Recipient p;
        p.name = r.get<std::string>(0);
        p.email = r.get<std::string>(1);
        p.mobile = r.get<std::string>(2);
        return p;
      },
      soci::use(member_id));
  for (Recipient& account : rows::query(
           s,
           "SELECT id, display_name, email, locale FROM users WHERE member_id = :m AND "
           "disabled = 0 ORDER BY id",
           [](const soci::row& r) {
             Recipient p;
             p.user_id = db::get_int64(r, 0);
             p.name = r.get<std::string>(1);
             p.email = rows::text(r, 2);
             p.locale = r.get<std::string>(3);
             return p;
           },
           soci::use(member_id))) {
    out.push_back(std::move(account));
  }
  return out;
}

std::optional<Recipient> user_recipient(soci::session& s, long long user_id) {
  auto found = rows::query(
      s, "SELECT id, display_name, email, locale FROM users WHERE id = :u",
      [](const soci::row& r) {
        Recipient p;
        p.user_id = db::get_int64(r, 0);
        p.name = r.get<std::string>(1);
        p.email = rows::text(r, 2);
        p.locale = r.get<std::string>(3);
        return p;
      },
      soci::use(user_id));
  if (found.empty()) return std::nullopt;
  return found.front();
}

std::string unit_name(soci::session& s, long long member_id) {
  std::string name;
  s << "SELECT name FROM members WHERE id = :m", soci::use(member_id), soci::into(name);
  return name;
}

std::map<std::string, bool> user_choices(soci::session& s, long long user_id,
                                         const std::string& kind) {
  std::map<std::string, bool> out;
  for (const auto& [channel, on] : rows::query(
           s, "SELECT channel, enabled FROM notification_prefs WHERE user_id = :u AND kind = :k",
           [](const soci::row& r) {
             return std::pair{r.get<std::string>(0), rows::as_int(r, 1) != 0};
           },
           soci::use(user_id), soci::use(kind))) {
    out[channel] = on;
  }
  return out;
}

void insert_message(soci::session& s, const OutboxMessage& m, Timestamp now) {
  const std::string at = format_db_timestamp(now);
  int secret = m.secret ? 1 : 0;
  s << "INSERT INTO outbox (notification_id, kind, channel, recipient, recipient_name, subject, "
       "body_text, body_html, message_id, secret, status, attempts, failures, next_attempt_at, "
       "created_at, updated_at) VALUES (:n, :k, :c, :r, :rn, :s, :bt, :bh, :mid, :sec, "
       "'pending', 0, 0, :next, :at, :at2)",
      soci::use(m.notification_id), soci::use(m.kind), soci::use(m.channel), soci::use(m.recipient),
      soci::use(m.recipient_name), soci::use(m.subject), soci::use(m.body_text),
      soci::use(m.body_html), soci::use(m.message_id), soci::use(secret), soci::use(at),
      soci::use(at), soci::use(at);
}

bool any_due(soci::session& s, Timestamp now) {
  const std::string at = format_db_timestamp(now);
  int one = 0;
  s << "SELECT 1 FROM outbox WHERE (status IN ('pending', 'failed') AND next_attempt_at <= :now) "
       "OR (status = 'sending' AND lease_until < :now2) LIMIT 1",
      soci::use(at), soci::use(at), soci::into(one);
  return s.got_data();
}

std::vector<OutboxMessage> claim_due(soci::session& s, const std::string& owner, int limit,
                                     Timestamp now, Timestamp lease_until) {
  const std::string at = format_db_timestamp(now);
  const std::string until = format_db_timestamp(lease_until);
  const auto read_id = [](const soci::row& r) { return db::get_int64(r, 0); };
  std::vector<long long> ids =
      rows::query(s,
                  std::string("SELECT id FROM outbox WHERE status IN ('pending', 'failed') AND "
                              "next_attempt_at <= :now ORDER BY next_attempt_at, id LIMIT :n") +
                      skip_locked(s),
                  read_id, soci::use(at), soci::use(limit));
  if (static_cast<int>(ids.size()) < limit) {
    const int rest = limit - static_cast<int>(ids.size());
    for (long long id : rows::query(
             s,
             std::string("SELECT id FROM outbox WHERE status = 'sending' AND lease_until < :now "
                         "ORDER BY lease_until, id LIMIT :n") +
                 skip_locked(s),
             read_id, soci::use(at), soci::use(rest))) {
      ids.push_back(id);
    }
  }
  std::vector<OutboxMessage> out;
  for (long long id : ids) {
    s << "UPDATE outbox SET status = 'sending', lease_owner = :o, lease_until = :u, attempts = "
         "attempts + 1, updated_at = :at WHERE id = :id",
        soci::use(owner), soci::use(until), soci::use(at), soci::use(id);
    if (auto m = get(s, id)) out.push_back(std::move(*m));
  }
  return out;
}

bool finish_sent(soci::session& s, long long id, const std::string& owner, Timestamp now) {
  const std::string at = format_db_timestamp(now);
  soci::statement st =
      (s.prepare << "UPDATE outbox SET status = 'sent', sent_at = :at, updated_at = :at2, "
                    "lease_owner = NULL, lease_until = NULL, next_attempt_at = NULL WHERE id = "
                    ":id AND status = 'sending' AND lease_owner = :o",
       soci::use(at), soci::use(at), soci::use(id), soci::use(owner));
  st.execute(true);
  if (st.get_affected_rows() == 0) return false;
  wipe_if_secret(s, id);
  return true;
}

bool finish_failed(soci::session& s, long long id, const std::string& owner,
                   const std::string& error, std::optional<Timestamp> retry_at, Timestamp now) {
  const std::string at = format_db_timestamp(now);
  const std::string status = retry_at ? "failed" : "dead";
  const std::string next = retry_at ? format_db_timestamp(*retry_at) : std::string();
  soci::indicator next_ind = retry_at ? soci::i_ok : soci::i_null;
  const std::string text = error.substr(0, 1000);
  soci::statement st =
      (s.prepare << "UPDATE outbox SET status = :st, failures = failures + 1, last_error = :e, "
                    "next_attempt_at = :next, updated_at = :at, lease_owner = NULL, lease_until "
                    "= NULL WHERE id = :id AND status = 'sending' AND lease_owner = :o",
       soci::use(status), soci::use(text), soci::use(next, next_ind), soci::use(at), soci::use(id),
       soci::use(owner));
  st.execute(true);
  if (st.get_affected_rows() == 0) return false;
  if (!retry_at) wipe_if_secret(s, id);
  return true;
}

std::optional<OutboxMessage> get(soci::session& s, long long id) {
  auto found = rows::query(s, std::string("SELECT ") + kMessageColumns + "WHERE id = :id",
                           read_message, soci::use(id));
  if (found.empty()) return std::nullopt;
  return found.front();
}

OutboxPage list(soci::session& s, const OutboxFilter& f) {
  OutboxPage page;
  for (const char* st : kStatuses) page.counts[st] = 0;
  for (const auto& [status, n] : rows::query(
           s, "SELECT status, COUNT(*) FROM outbox GROUP BY status", [](const soci::row& r) {
             return std::pair{r.get<std::string>(0), db::get_int64(r, 1)};
           })) {
    page.counts[status] = n;
  }
  // Filters are whitelisted by the service, so they can be bound as plain values.
  std::string where = " WHERE 1 = 1";
  if (!f.status.empty()) where += " AND status = :st";
  if (!f.channel.empty()) where += " AND channel = :ch";
  const int limit = f.page_size, offset = (f.page - 1) * f.page_size;
  const std::string list_sql =
      std::string("SELECT ") + kMessageColumns + where + " ORDER BY id DESC LIMIT :l OFFSET :o";
  const std::string count_sql = "SELECT COUNT(*) FROM outbox" + where;
  if (!f.status.empty() && !f.channel.empty()) {
    page.items = rows::query(s, list_sql, read_message, soci::use(f.status), soci::use(f.channel),
                             soci::use(limit), soci::use(offset));
    s << count_sql, soci::use(f.status), soci::use(f.channel), soci::into(page.total);
  } else if (!f.status.empty() || !f.channel.empty()) {
    const std::string& value = f.status.empty() ? f.channel : f.status;
    page.items = rows::query(s, list_sql, read_message, soci::use(value), soci::use(limit),
                             soci::use(offset));
    s << count_sql, soci::use(value), soci::into(page.total);
  } else {
    page.items = rows::query(s, list_sql, read_message, soci::use(limit), soci::use(offset));
    s << count_sql, soci::into(page.total);
  }
  return page;
}

bool retry(soci::session& s, long long id, Timestamp now) {
  const std::string at = format_db_timestamp(now);
  soci::statement st =
      (s.prepare << "UPDATE outbox SET status = 'pending', next_attempt_at = :at, updated_at = "
                    ":at2 WHERE id = :id AND status IN ('failed', 'dead', 'cancelled') AND "
                    "secret = 0",
       soci::use(at), soci::use(at), soci::use(id));
  st.execute(true);
  return st.get_affected_rows() > 0;
}

bool cancel(soci::session& s, long long id, Timestamp now) {
  const std::string at = format_db_timestamp(now);
  soci::statement st =
      (s.prepare << "UPDATE outbox SET status = 'cancelled', next_attempt_at = NULL, updated_at "
                    "= :at WHERE id = :id AND status IN ('pending', 'failed')",
       soci::use(at), soci::use(id));
  st.execute(true);
  if (st.get_affected_rows() == 0) return false;
  wipe_if_secret(s, id);
  return true;
}

OutboxStats stats(soci::session& s, Timestamp now) {
  OutboxStats out;
  for (const char* st : kStatuses) out.by_status[st] = 0;
  for (const auto& [status, n] : rows::query(
           s, "SELECT status, COUNT(*) FROM outbox GROUP BY status", [](const soci::row& r) {
             return std::pair{r.get<std::string>(0), db::get_int64(r, 1)};
           })) {
    out.by_status[status] = n;
  }
  for (const char* channel : {"email", "sms"}) out.failures_by_channel[channel] = 0;
  for (const auto& [channel, n] : rows::query(
           s, "SELECT channel, SUM(failures) FROM outbox GROUP BY channel", [](const soci::row& r) {
             return std::pair{r.get<std::string>(0), db::get_int64(r, 1)};
           })) {
    out.failures_by_channel[channel] = n;
  }
  std::string oldest;
  soci::indicator ind = soci::i_null;
  s << "SELECT MIN(created_at) FROM outbox WHERE status IN ('pending', 'sending', 'failed')",
      soci::into(oldest, ind);
  if (ind == soci::i_ok) {
    if (auto t = parse_db_timestamp(oldest)) {
      out.oldest_pending_seconds = std::max(0.0, std::chrono::duration<double>(now - *t).count());
    }
  }
  return out;
}

}  // namespace xiehui::notifications::outbox_repository
