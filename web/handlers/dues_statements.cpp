// Bank statement import: upload with a column mapping, suggestions, confirmation in bulk.

#include <boost/json.hpp>

#include "core/table_import.hpp"
#include "core/validate.hpp"
#include "services/dues/statement_service.hpp"
#include "web/app_services.hpp"
#include "web/handlers/dues.hpp"
#include "web/json_body.hpp"

namespace xiehui::web::handlers {
namespace {

dues::StatementService& svc(RequestContext& ctx) { return ctx.services().statements; }

boost::json::object map_json(const dues::ColumnMap& m) {
  const auto col = [](int c) { return c >= 0 ? boost::json::value(c) : boost::json::value(); };
  return {{"date", col(m.date)},
          {"payer", col(m.payer)},
          {"amount", col(m.amount)},
          {"reference", col(m.reference)}};
}

boost::json::object review_json(const dues::StatementReview& r) {
  if (r.needs_mapping) {
    boost::json::array sample;
    for (const auto& row : r.sample) sample.push_back(boost::json::value_from(row));
    return {{"needs_mapping", true},
            {"headers", boost::json::value_from(r.headers)},
            {"sample", std::move(sample)},
            {"suggested", map_json(r.suggested)}};
  }
  boost::json::array lines;
  for (const auto& l : r.lines) {
    boost::json::array matches;
    for (const auto& m : l.matches) {
      matches.push_back({{"invoice_id", m.invoice_id},
                         {"member_id", m.member_id},
                         {"member_name", m.member_name},
                         {"score", m.score},
                         {"reason", m.reason}});
    }
    lines.push_back({{"line", l.line.line},
                     {"date", l.line.date},
                     {"payer", l.line.payer},
                     {"amount_fen", l.line.amount_fen},
                     {"reference", l.line.reference},
                     {"recorded", l.recorded},
                     {"matches", std::move(matches)}});
  }
  boost::json::array problems;
  for (const auto& p : r.problems) problems.push_back({{"line", p.line}, {"message", p.message}});
  return {{"needs_mapping", false},
          {"id", r.id ? boost::json::value(*r.id) : boost::json::value()},
          {"dry_run", r.dry_run},
          {"lines", std::move(lines)},
          {"errors", std::move(problems)}};
}

Result<std::optional<dues::ColumnMap>> map_query(RequestContext& ctx) {
  const auto text = ctx.query("map");
  if (!text || text->empty()) return std::nullopt;
  auto map = dues::parse_column_map(*text);
  if (!map) {
    return std::unexpected(
        invalid_fields({{"map",
                         {"列映射应形如 date:0,payer:2,amount:5,reference:7",
                          "the mapping must look like date:0,payer:2,amount:5,reference:7"}}}));
  }
  return map;
}

}  // namespace

Response upload_statement(RequestContext& ctx) {
  auto dry = query_flag(ctx, "dry_run", true);
  auto map = map_query(ctx);
  if (!dry || !map) return ctx.error(!dry ? dry.error() : map.error());
  const std::string name = ctx.query("filename").value_or("statement");
  if (name.empty() || name.size() > 255 || !is_valid_utf8(name) || has_control_chars(name, false)) {
    return ctx.error(invalid_fields(
        {{"filename",
          {"文件名应为 1–255 字节的文本", "the file name must be 1–255 bytes of text"}}}));
  }
  auto r = svc(ctx).upload(ctx.request.body(), name, *map, *dry, ctx.caller());
  return r ? ctx.json(http::status::ok, review_json(*r)) : ctx.error(r.error());
}

Response get_statement(RequestContext& ctx) {
  auto id = parse_id(ctx.param("id"), {"银行流水", "bank statement"});
  if (!id) return ctx.error(id.error());
  auto r = svc(ctx).get(*id);
  return r ? ctx.json(http::status::ok, review_json(*r)) : ctx.error(r.error());
}

Response confirm_statement(RequestContext& ctx) {
  auto id = parse_id(ctx.param("id"), {"银行流水", "bank statement"});
  auto body = JsonBody::parse(ctx);
  if (!id || !body) return ctx.error(!id ? id.error() : body.error());
  std::vector<dues::ConfirmedMatch> matches;
  for (JsonBody& m : body->objects("matches", true, 20'000)) {
    const auto line = m.integer("line", true, 1, 1'000'000);
    const auto invoice = m.integer("invoice_id", true, 1, std::numeric_limits<long long>::max());
    if (line && invoice) matches.push_back({static_cast<int>(*line), *invoice});
    body->absorb(m);
  }
  if (auto st = body->finish(); !st) return ctx.error(st.error());
  auto r = svc(ctx).confirm(*id, matches, ctx.caller());
  if (!r) return ctx.error(r.error());
  boost::json::array errors;
  for (const auto& e : r->errors) errors.push_back({{"line", e.line}, {"message", e.message}});
  return ctx.json(
      http::status::ok,
      {{"recorded", r->recorded}, {"skipped", r->skipped}, {"errors", std::move(errors)}});
}

}  // namespace xiehui::web::handlers
