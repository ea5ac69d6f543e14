// Payments with Idempotency-Key (Stripe's semantics), reversals and receipts.

#include <boost/json.hpp>

#include "core/crypto.hpp"
#include "core/qr_code.hpp"
#include "services/dues/payment_service.hpp"
#include "web/app_services.hpp"
#include "web/downloads.hpp"
#include "web/dto/dues_json.hpp"
#include "web/error_mapping.hpp"
#include "web/handlers/dues.hpp"
#include "web/json_body.hpp"
#include "web/static_files.hpp"

namespace xiehui::web::handlers {
namespace {

dues::PaymentService& svc(RequestContext& ctx) { return ctx.services().payments; }

// The Idempotency-Key header: 1–255 printable ASCII characters.
Result<std::string> idempotency_key(const RequestContext& ctx) {
  const auto it = ctx.request.find("Idempotency-Key");
  const std::string key = it == ctx.request.end() ? "" : std::string(it->value());
  const bool printable =
      std::all_of(key.begin(), key.end(), [](char c) { return c >= 0x20 && c < 0x7f; });
  if (key.empty() || key.size() > 255 || !printable) {
    return std::unexpected(
        invalid_fields({{"Idempotency-Key",
                         {"请求头 Idempotency-Key 应为 1–255 个可打印 ASCII 字符",
                          "the Idempotency-Key header must be 1–255 printable ASCII "
                          "characters"}}}));
  }
  return key;
}

// What makes two payment requests the same request: the invoice and the fields as read.
std::string request_hash(long long invoice_id, const dues::Payment& p) {
  return sha256_hex(std::to_string(invoice_id) + '\n' + std::to_string(p.amount_fen) + '\n' +
                    p.paid_on + '\n' + p.method + '\n' + p.reference);
}

Response replay(RequestContext& ctx, int status, const std::string& body) {
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(body, ec);
  Response res = ctx.json(static_cast<http::status>(status), ec ? boost::json::value() : v);
  res.set("Idempotent-Replayed", "true");
  return res;
}

// A failed payment's claim: stored when the request ran and was refused (a retry would be
// refused alike), forgotten when it may succeed on retry (bad input, database trouble, a unique
// key hit by a parallel write).
void settle_failed_claim(RequestContext& ctx, long long record_id, const Error& e) {
  if (e.code == ErrorCode::invalid_argument || e.code == ErrorCode::unavailable ||
      e.code == ErrorCode::internal || e.code == ErrorCode::already_exists) {
    (void)svc(ctx).release_idempotent(record_id);
    return;
  }
  (void)svc(ctx).complete_idempotent(record_id, static_cast<int>(status_of(e.code)),
                                     ctx.error(e).body());
}

Result<std::string> receipt_qr(RequestContext& ctx, const dues::Receipt& r, std::string& url) {
  url = public_base_url(ctx) + "/verify-receipt/" + r.payment.verify_code;
  return qr_svg(url);
}

}  // namespace

Response record_payment(RequestContext& ctx) {
  auto id = parse_id(ctx.param("id"), {"会费通知单", "dues invoice"});
  auto body = JsonBody::parse(ctx);
  if (!id || !body) return ctx.error(!id ? id.error() : body.error());
  dues::Payment in = dto::read_payment(*body);
  auto key = idempotency_key(ctx);
  if (auto st = body->finish(); !st || !key) return ctx.error(!st ? st.error() : key.error());
  auto start = svc(ctx).begin_idempotent(
      {"user:" + std::to_string(ctx.caller().user_id), *key, request_hash(*id, in)});
  if (!start) return ctx.error(start.error());
  if (!start->record_id) return replay(ctx, start->http_status, start->body);
  auto r = svc(ctx).record(*id, std::move(in), ctx.caller(), start->record_id,
                           [](const dues::PaymentResult& res) {
                             return std::pair<int, std::string>(
                                 201, boost::json::serialize(dto::payment_result_json(res)));
                           });
  if (r) return ctx.json(http::status::created, dto::payment_result_json(*r));
  settle_failed_claim(ctx, *start->record_id, r.error());
  return ctx.error(r.error());
}

Response list_payments(RequestContext& ctx) {
  auto paging = parse_paging(ctx);
  if (!paging) return ctx.error(paging.error());
  dues::dues_repository::PaymentFilter f;
  if (auto y = ctx.query("year"); y && !y->empty()) {
    f.year = std::atoi(y->c_str());  // 0 for text that is no number: refused below
    if (*f.year < 2000 || *f.year > 2200) {
      return ctx.error(invalid_fields({{"year", {"年度应在 2000–2200 之间", "2000–2200"}}}));
    }
  }
  if (auto m = ctx.query("member_id"); m && !m->empty()) {
    auto mid = parse_id(*m, {"会员单位", "member unit"});
    if (!mid) return ctx.error(invalid_fields({{"member_id", {"应为单位编号", "must be an id"}}}));
    f.member_id = *mid;
  }
  if (ctx.query("format").value_or("") == "xlsx") {
    auto t = svc(ctx).payments_table(f);
    auto bytes = t ? to_xlsx(*t, "会费缴费记录") : Result<std::string>(std::unexpected(t.error()));
    if (!bytes) return ctx.error(bytes.error());
    return download(ctx, std::move(*bytes), mime_type("x.xlsx"), "dues-payments.xlsx",
                    "会费缴费记录.xlsx");
  }
  auto page = svc(ctx).payments(f, paging->page, paging->page_size);
  if (!page) return ctx.error(page.error());
  boost::json::array items;
  for (const auto& p : page->items) items.push_back(dto::payment_json(p));
  return ctx.json(http::status::ok, {{"items", std::move(items)},
                                     {"total", page->total},
                                     {"page", paging->page},
                                     {"page_size", paging->page_size}});
}

Response reverse_payment(RequestContext& ctx) {
  auto id = parse_id(ctx.param("id"), {"缴费记录", "payment"});
  auto body = JsonBody::parse(ctx);
  if (!id || !body) return ctx.error(!id ? id.error() : body.error());
  const std::string reason = body->text_block("reason", true, 500).value_or("");
  if (auto st = body->finish(); !st) return ctx.error(st.error());
  auto p = svc(ctx).reverse(*id, reason, ctx.caller());
  return p ? ctx.json(http::status::ok, dto::payment_json(*p)) : ctx.error(p.error());
}

Response get_receipt(RequestContext& ctx) {
  auto r = svc(ctx).receipt(std::string(ctx.param("receipt_no")), ctx.caller());
  if (!r) return ctx.error(r.error());
  std::string url;
  auto qr = receipt_qr(ctx, *r, url);
  if (!qr) return ctx.error(qr.error());
  return ctx.json(http::status::ok, dto::receipt_json(*r, url, *qr));
}

Response verify_receipt(RequestContext& ctx) {
  auto r = svc(ctx).verify(std::string(ctx.param("code")));
  return r ? ctx.json(http::status::ok, dto::receipt_check_json(*r)) : ctx.error(r.error());
}

}  // namespace xiehui::web::handlers
