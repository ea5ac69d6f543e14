#include "services/places/charge_repository.hpp"

#include "core/time.hpp"

namespace xiehui::places::charge_repository {

void record(soci::session& s, const Charge& c, Timestamp now) {
  if (c.amount_fen <= 0) return;  // a free place owes nothing to invoice
  const std::string at = format_db_timestamp(now);
  long long member = c.member_id.value_or(0);
  soci::indicator member_ind = c.member_id ? soci::i_ok : soci::i_null;
  s << "INSERT INTO charges (member_id, payer_name, source, source_id, amount_fen, document_kind, "
       "status, created_at, updated_at) VALUES (:m, :p, :src, :id, :a, 'fapiao', 'open', :c, :u)",
      soci::use(member, member_ind), soci::use(c.payer_name), soci::use(c.source),
      soci::use(c.source_id), soci::use(c.amount_fen), soci::use(at), soci::use(at);
}

void void_open(soci::session& s, const std::string& source, long long source_id, Timestamp now) {
  const std::string at = format_db_timestamp(now);
  s << "UPDATE charges SET status = 'void', updated_at = :u WHERE source = :src AND "
       "source_id = :id AND status = 'open'",
      soci::use(at), soci::use(source), soci::use(source_id);
}

std::optional<std::string> status(soci::session& s, const std::string& source,
                                  long long source_id) {
  std::string st;
  soci::indicator ind = soci::i_null;
  s << "SELECT status FROM charges WHERE source = :src AND source_id = :id", soci::use(source),
      soci::use(source_id), soci::into(st, ind);
  if (!s.got_data() || ind != soci::i_ok) return std::nullopt;
  return st;
}

}  // namespace xiehui::places::charge_repository
