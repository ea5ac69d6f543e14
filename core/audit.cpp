#include "core/audit.hpp"

#include <fmt/format.h>

#include "core/crypto.hpp"
#include "core/db/sql.hpp"
#include "core/time.hpp"

namespace xiehui {
namespace {

// Length-prefixed so that no two different field lists hash the same text.
void field(std::string& out, std::string_view value) {
  out += fmt::format("{}:{};", value.size(), value);
}

}  // namespace

std::string audit_hash(const AuditRecord& r) {
  std::string text;
  field(text, std::to_string(r.id));
  field(text, format_db_timestamp(r.at));
  field(text, r.entry.actor_id ? std::to_string(*r.entry.actor_id) : "");
  field(text, r.entry.actor_name);
  field(text, r.entry.address);
  field(text, r.entry.action);
  field(text, r.entry.entity_type);
  field(text, r.entry.entity_id);
  field(text, r.entry.summary);
  field(text, r.prev_hash);
  return sha256_hex(text);
}

namespace {

void insert_record(soci::session& s, const AuditRecord& r) {
  const std::string at_text = format_db_timestamp(r.at);
  long long actor = r.entry.actor_id.value_or(0);
  soci::indicator actor_ind = r.entry.actor_id ? soci::i_ok : soci::i_null;
  s << "INSERT INTO audit_log (id, at, actor_id, actor_name, address, action, entity_type, "
       "entity_id, summary, prev_hash, hash) VALUES (:id, :at, :actor, :name, :addr, :action, "
       ":etype, :eid, :summary, :prev, :hash)",
      soci::use(r.id), soci::use(at_text), soci::use(actor, actor_ind),
      soci::use(r.entry.actor_name), soci::use(r.entry.address), soci::use(r.entry.action),
      soci::use(r.entry.entity_type), soci::use(r.entry.entity_id), soci::use(r.entry.summary),
      soci::use(r.prev_hash), soci::use(r.hash);
}

}  // namespace

long long append_audit(soci::session& s, const AuditEntry& entry, Timestamp at) {
  AuditBatch batch(s);
  const long long id = batch.append(entry, at);
  batch.finish();
  return id;
}

AuditBatch::AuditBatch(soci::session& s) : s_(s) {
  s_ << std::string("SELECT last_id, last_hash FROM audit_head WHERE id = 1") + db::for_update(s_),
      soci::into(last_id_), soci::into(last_hash_);
}

long long AuditBatch::append(const AuditEntry& entry, Timestamp at) {
  AuditRecord r{last_id_ + 1, at, entry, last_hash_, {}};
  r.hash = audit_hash(r);
  insert_record(s_, r);
  last_id_ = r.id;
  last_hash_ = r.hash;
  dirty_ = true;
  return r.id;
}

void AuditBatch::finish() {
  if (!dirty_) return;
  s_ << "UPDATE audit_head SET last_id = :id, last_hash = :hash WHERE id = 1", soci::use(last_id_),
      soci::use(last_hash_);
  dirty_ = false;
}

AuditRecord read_audit_record(const soci::row& row) {
  AuditRecord r;
  r.id = db::get_int64(row, 0);
  r.at = parse_db_timestamp(row.get<std::string>(1)).value_or(Timestamp{});
  if (row.get_indicator(2) == soci::i_ok) r.entry.actor_id = db::get_int64(row, 2);
  r.entry.actor_name = row.get<std::string>(3);
  r.entry.address = row.get<std::string>(4);
  r.entry.action = row.get<std::string>(5);
  r.entry.entity_type = row.get<std::string>(6);
  r.entry.entity_id = row.get<std::string>(7);
  r.entry.summary = row.get<std::string>(8);
  r.prev_hash = row.get<std::string>(9);
  r.hash = row.get<std::string>(10);
  return r;
}

AuditVerification verify_audit_chain(soci::session& s) {
  AuditVerification result;
  long long expected_id = 1;
  std::string prev;
  soci::rowset<soci::row> rows =
      (s.prepare << std::string("SELECT ") + kAuditColumns + " FROM audit_log ORDER BY id");
  for (const soci::row& row : rows) {
    const AuditRecord r = read_audit_record(row);
    const bool bad = r.id != expected_id || r.prev_hash != prev || audit_hash(r) != r.hash;
    if (bad) {
      result.ok = false;
      result.first_bad_id = std::min(r.id, expected_id);
      return result;
    }
    ++result.checked;
    prev = r.hash;
    expected_id = r.id + 1;
  }
  long long head_id = 0;
  std::string head_hash;
  s << "SELECT last_id, last_hash FROM audit_head WHERE id = 1", soci::into(head_id),
      soci::into(head_hash);
  if (head_id != expected_id - 1 || head_hash != prev) {
    result.ok = false;  // rows removed from the end
    result.first_bad_id = expected_id;
  }
  return result;
}

}  // namespace xiehui
