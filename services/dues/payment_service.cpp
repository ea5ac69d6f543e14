#include "services/dues/payment_service.hpp"

#include "core/crypto.hpp"
#include "core/time.hpp"
#include "core/validate.hpp"
#include "services/accounts/account_rules.hpp"
#include "services/dues/dues_audit.hpp"
#include "services/dues/dues_rules.hpp"
#include "services/dues/dues_service.hpp"
#include "services/dues/dues_text.hpp"
#include "services/membership/membership_repository.hpp"

namespace xiehui::dues {
namespace {

namespace dr = dues_repository;
namespace mr = membership::membership_repository;

constexpr auto kStaleInFlight = std::chrono::minutes(5);

bool sees_all(const Principal& p) {
  return p.can(Permission::dues_manage) || p.can(Permission::dues_record_payment) ||
         p.can(Permission::reports_read);
}

Error no_receipt() { return not_found_error({"会费收据", "receipt"}); }

// A lapsed unit that owes nothing any more is active again (charter; setting).
void reinstate_if_paid_up(soci::session& s, long long member_id, const Principal& actor,
                          Timestamp now) {
  if (!load_settings(s).reinstate_on_payment) return;
  // The unit's row is locked only when it is lapsed: locking it on every payment would make
  // payments and edits of the unit wait for each other (and deadlock: member → audit head).
  auto seen = mr::find_member(s, member_id, false);
  if (!seen || seen->status != "lapsed") return;
  auto m = mr::find_member(s, member_id, true);
  if (!m || m->status != "lapsed" || dr::member_outstanding(s, member_id) > 0) return;
  const std::string reason = "已缴清欠缴会费，会籍恢复";
  mr::set_member_status(s, member_id, "active", now);
  mr::insert_status_change(s, member_id, {"lapsed", "active", reason, actor.username, now},
                           actor_id(actor));
  dr::insert_notification(s, member_id, "dues.reinstated", reason, "member", member_id, now);
  audit(s, actor, "dues.reinstate", "member", member_id, m->org.name, now);
}

}  // namespace

Result<IdempotencyStart> PaymentService::begin_idempotent(const IdempotencyClaim& claim) {
  const Timestamp now = clock_.now();
  auto started = db_.with_transaction([&](soci::session& s) -> Result<IdempotencyStart> {
    auto rec = dr::find_idempotency(s, claim.scope, claim.key);
    if (!rec)
      return IdempotencyStart{
          dr::insert_idempotency(s, claim.scope, claim.key, claim.request_hash, now), 0, ""};
    if (rec->request_hash != claim.request_hash) {
      return std::unexpected(make_error(ErrorCode::idempotency_mismatch,
                                        {"该 Idempotency-Key 已用于另一请求",
                                         "this Idempotency-Key was used for another request"}));
    }
    if (rec->state == "done")
      return IdempotencyStart{std::nullopt, rec->http_status, rec->response_body};
    if (now - rec->updated_at < kStaleInFlight) {
      return std::unexpected(make_error(
          ErrorCode::conflict, {"使用同一 Idempotency-Key 的请求正在处理中，请稍后重试",
                                "a request with this Idempotency-Key is still in progress"}));
    }
    dr::delete_idempotency(s, rec->id);
    return IdempotencyStart{
        dr::insert_idempotency(s, claim.scope, claim.key, claim.request_hash, now), 0, ""};
  });
  // Two first requests at once: the second one's insert hits the unique key while the first is
  // in flight.
  if (!started && started.error().code == ErrorCode::already_exists) {
    return std::unexpected(make_error(
        ErrorCode::conflict, {"使用同一 Idempotency-Key 的请求正在处理中，请稍后重试",
                              "a request with this Idempotency-Key is still in progress"}));
  }
  return started;
}

Status PaymentService::complete_idempotent(long long record_id, int http_status,
                                           const std::string& body) {
  const Timestamp now = clock_.now();
  return db_.with_transaction([&](soci::session& s) -> Status {
    dr::complete_idempotency(s, record_id, http_status, body, now);
    return {};
  });
}

Status PaymentService::release_idempotent(long long record_id) {
  return db_.with_transaction([&](soci::session& s) -> Status {
    dr::delete_idempotency(s, record_id);
    return {};
  });
}

Result<PaymentResult> PaymentService::record(long long invoice_id, Payment in,
                                             const Principal& actor,
                                             std::optional<long long> record_id,
                                             const RenderPayment& render) {
  const Timestamp now = clock_.now();
  const Date today = shanghai_date(now);
  if (auto errors = check_payment(in, today); !errors.empty()) {
    return std::unexpected(invalid_fields(std::move(errors)));
  }
  const int receipt_year = static_cast<int>(today.year());
  // Outside the payment's transaction: the counter row must exist before it is locked (written
  // once a year; a plain read finds it every other time).
  auto exists = db_.with_session([&](soci::session& s) -> Result<bool> {
    return dr::receipt_counter_exists(s, receipt_year);
  });
  if (!exists) return std::unexpected(exists.error());
  if (!*exists) {
    auto counter = db_.with_transaction([&](soci::session& s) -> Status {
      dr::ensure_receipt_counter(s, receipt_year);
      return {};
    });
    if (!counter) return std::unexpected(counter.error());
  }
  return db_.with_transaction([&](soci::session& s) -> Result<PaymentResult> {
    if (record_id && !dr::hold_idempotency(s, *record_id, now)) {
      return std::unexpected(
          make_error(ErrorCode::conflict, {"使用同一 Idempotency-Key 的请求已由另一请求接手",
                                           "another request with this Idempotency-Key took over"}));
    }
    auto inv = dr::find_invoice(s, invoice_id, true);
    if (!inv) return std::unexpected(not_found_error({"会费通知单", "dues invoice"}));
    if (inv->status == "void") {
      return std::unexpected(
          make_error(ErrorCode::conflict, {"该通知单已作废", "the invoice is void"}));
    }
    if (in.source_key && dr::source_key_used(s, *in.source_key)) {
      return std::unexpected(make_error(ErrorCode::already_exists,
                                        {"该笔款项已入账", "this payment was already recorded"}));
    }
    const long long outstanding = inv->outstanding_fen();
    if (in.amount_fen > outstanding) {
      Error e = make_error(
          ErrorCode::conflict,
          {"缴费金额超过欠缴金额（尚欠 " + format_yuan(outstanding) + " 元）",
           "the amount exceeds what is outstanding (" + format_yuan(outstanding) + " yuan)"});
      e.figures.push_back({"outstanding_fen", outstanding});
      return std::unexpected(std::move(e));
    }
    in.invoice_id = inv->id;
    in.member_id = inv->member_id;
    in.receipt_year = receipt_year;
    in.receipt_seq = dr::next_receipt_seq(s, receipt_year);
    in.verify_code = random_token(18);
    in.id = dr::insert_payment(s, in, actor_id(actor), now);
    inv->paid_fen += in.amount_fen;
    inv->status = invoice_status(inv->amount_fen, inv->reduced_fen, inv->paid_fen);
    dr::update_invoice_figures(s, *inv, now);
    audit(s, actor, "dues.payment", "dues_payment", in.id,
          receipt_number(receipt_year, in.receipt_seq) + " " + inv->member_name + " " +
              std::to_string(inv->year) + " " + std::to_string(in.amount_fen) + " fen " +
              in.method + (in.reference.empty() ? "" : " " + in.reference),
          now);
    reinstate_if_paid_up(s, inv->member_id, actor, now);
    PaymentResult result{*dr::find_payment(s, in.id, false), inv->status, inv->outstanding_fen()};
    if (record_id && render) {
      const auto [status, body] = render(result);
      dr::complete_idempotency(s, *record_id, status, body, now);
    }
    return result;
  });
}

Result<Payment> PaymentService::reverse(long long payment_id, const std::string& reason,
                                        const Principal& actor) {
  const std::size_t n = accounts::utf8_length(reason);
  if (n == 0 || n > 500 || has_control_chars(reason, true)) {
    return std::unexpected(invalid_fields(
        {{"reason", {"请填写冲正原因（最多 500 字）", "give a reason (at most 500 characters)"}}}));
  }
  const Timestamp now = clock_.now();
  // The payment's invoice (which never changes) is read before the transaction: on MariaDB
  // (REPEATABLE READ) a plain read inside it would fix its snapshot before the invoice lock is
  // taken, and the rows read after the lock would miss a reversal or payment committed meanwhile
  // (a payment reversed twice, a lost paid_fen).
  auto invoice_id = db_.with_session([&](soci::session& s) -> Result<std::optional<long long>> {
    auto peek = dr::find_payment(s, payment_id, false);
    return peek ? std::optional<long long>(peek->invoice_id) : std::nullopt;
  });
  if (!invoice_id) return std::unexpected(invoice_id.error());
  if (!*invoice_id) return std::unexpected(not_found_error({"缴费记录", "payment"}));
  return db_.with_transaction([&](soci::session& s) -> Result<Payment> {
    // Invoice first, as payments lock it: the same lock order everywhere.
    auto inv = dr::find_invoice(s, **invoice_id, true);
    auto p = dr::find_payment(s, payment_id, true);
    if (!inv || !p) return std::unexpected(not_found_error({"缴费记录", "payment"}));
    if (p->status == "void") {
      return std::unexpected(
          make_error(ErrorCode::conflict, {"该笔缴费已冲正", "the payment was already reversed"}));
    }
    dr::reverse_payment(s, p->id, reason, actor_id(actor), now);
    inv->paid_fen -= p->amount_fen;
    inv->status = invoice_status(inv->amount_fen, inv->reduced_fen, inv->paid_fen);
    dr::update_invoice_figures(s, *inv, now);
    audit(s, actor, "dues.payment_reverse", "dues_payment", p->id,
          receipt_number(p->receipt_year, p->receipt_seq) + " " + p->member_name + ": " + reason,
          now);
    return *dr::find_payment(s, p->id, false);
  });
}

Result<Receipt> PaymentService::receipt(const std::string& receipt_no, const Principal& who) {
  const auto number = parse_receipt_number(receipt_no);
  if (!number) return std::unexpected(no_receipt());
  return db_.with_session([&](soci::session& s) -> Result<Receipt> {
    auto p = dr::find_payment_by_receipt(s, number->first, number->second);
    if (!p || (!sees_all(who) && who.member_id != p->member_id)) {
      return std::unexpected(no_receipt());
    }
    const DuesSettings settings = load_settings(s);
    return Receipt{std::move(*p), settings.association_name, settings.payee};
  });
}

Result<Receipt> PaymentService::verify(const std::string& code) {
  if (!is_token(code)) return std::unexpected(no_receipt());
  return db_.with_session([&](soci::session& s) -> Result<Receipt> {
    auto p = dr::find_payment_by_code(s, code);
    if (!p) return std::unexpected(no_receipt());
    const DuesSettings settings = load_settings(s);
    return Receipt{std::move(*p), settings.association_name, settings.payee};
  });
}

Result<PaymentPage> PaymentService::payments(const dr::PaymentFilter& filter, int page,
                                             int page_size) {
  return db_.with_session([&](soci::session& s) -> Result<PaymentPage> {
    return PaymentPage{dr::list_payments(s, filter, page_size, (page - 1) * page_size),
                       dr::count_payments(s, filter)};
  });
}

Result<Table> PaymentService::payments_table(const dr::PaymentFilter& filter) {
  auto all = payments(filter, 1, 10'000'000);
  if (!all) return std::unexpected(all.error());
  Table t{{"收据号", "单位名称", "会费年度", "金额（元）", "缴费方式", "缴费日期", "摘要/流水号",
           "状态", "冲正原因", "经办人"},
          {}};
  for (const Payment& p : all->items) {
    t.rows.push_back({receipt_number(p.receipt_year, p.receipt_seq), p.member_name,
                      std::to_string(p.invoice_year), format_yuan(p.amount_fen),
                      method_label(p.method), p.paid_on, p.reference,
                      invoice_status_label(p.status), p.reverse_reason.value_or(""),
                      p.recorded_by});
  }
  return t;
}

}  // namespace xiehui::dues
