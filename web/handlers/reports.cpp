#include "web/handlers/reports.hpp"

#include <boost/json.hpp>

#include <charconv>

#include "services/reports/report_service.hpp"
#include "web/app_services.hpp"
#include "web/downloads.hpp"
#include "web/dto/reports_json.hpp"
#include "web/error_mapping.hpp"
#include "web/json_body.hpp"

namespace xiehui::web::handlers {
namespace {

reports::ReportService& svc(RequestContext& ctx) { return ctx.services().reports; }

// An optional integer query parameter within [min, max]; 400 naming it otherwise.
Result<int> int_query(RequestContext& ctx, std::string_view name, int fallback, int min, int max,
                      Text message) {
  const auto text = ctx.query(name);
  if (!text || text->empty()) return fallback;
  int v = 0;
  const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), v);
  if (ec != std::errc() || end != text->data() + text->size() || v < min || v > max) {
    return std::unexpected(invalid_fields({{std::string(name), std::move(message)}}));
  }
  return v;
}

// ?year=&city_code=&type=&tier= — the codes are checked by the service.
Result<reports::ReportFilter> filter(RequestContext& ctx) {
  auto year = int_query(ctx, "year", svc(ctx).current_year(), 2000, 2100,
                        {"年度应在 2000–2100 之间", "the year must be 2000–2100"});
  if (!year) return std::unexpected(year.error());
  return reports::ReportFilter{*year, ctx.query("city_code").value_or(""),
                               ctx.query("type").value_or(""), ctx.query("tier").value_or("")};
}

Result<reports::PageRequest> page_of(RequestContext& ctx) {
  auto p = parse_paging(ctx);
  if (!p) return std::unexpected(p.error());
  return reports::PageRequest{p->page, p->page_size};
}

// A paged report: its table as a download when ?format= asks, else JSON.
template <class Report, class Table, class Json>
Response paged(RequestContext& ctx, Report report, Table table, Json to_json,
               const char* ascii_name, const char* name) {
  auto f = filter(ctx);
  auto page = page_of(ctx);
  if (!f || !page) return ctx.error(!f ? f.error() : page.error());
  if (auto file = table_download(
          ctx, [&] { return table(*f); }, ascii_name, name)) {
    return std::move(*file);
  }
  auto r = report(*f, *page);
  return r ? ctx.json(http::status::ok, to_json(*r)) : ctx.error(r.error());
}

}  // namespace

Response report_dashboard(RequestContext& ctx) {
  auto f = filter(ctx);
  if (!f) return ctx.error(f.error());
  auto r = svc(ctx).dashboard(f->year, ctx.caller());
  return r ? ctx.json(http::status::ok, dto::dashboard_json(*r)) : ctx.error(r.error());
}

Response report_membership(RequestContext& ctx) {
  return paged(
      ctx, [&](const auto& f, auto) { return svc(ctx).membership(f); },
      [&](const auto& f) { return svc(ctx).membership_table(f); }, dto::membership_report_json,
      "membership-report", "会员统计");
}

Response report_dues(RequestContext& ctx) {
  return paged(
      ctx, [&](const auto& f, auto) { return svc(ctx).dues(f); },
      [&](const auto& f) { return svc(ctx).dues_table(f); }, dto::dues_report_json, "dues-report",
      "会费统计");
}

Response report_training(RequestContext& ctx) {
  return paged(
      ctx, [&](const auto& f, auto p) { return svc(ctx).training(f, p); },
      [&](const auto& f) { return svc(ctx).training_table(f); }, dto::training_report_json,
      "training-report", "培训统计");
}

Response report_meetings(RequestContext& ctx) {
  return paged(
      ctx, [&](const auto& f, auto p) { return svc(ctx).meetings(f, p); },
      [&](const auto& f) { return svc(ctx).meetings_table(f); }, dto::meetings_report_json,
      "meetings-report", "会议统计");
}

Response report_visits(RequestContext& ctx) {
  return paged(
      ctx, [&](const auto& f, auto p) { return svc(ctx).visits(f, p); },
      [&](const auto& f) { return svc(ctx).visits_table(f); }, dto::visits_report_json,
      "visits-report", "考察统计");
}

Response report_engagement(RequestContext& ctx) {
  auto years = int_query(ctx, "years", 3, 1, 10, {"年数应在 1–10 之间", "years must be 1–10"});
  if (!years) return ctx.error(years.error());
  return paged(
      ctx, [&](const auto& f, auto p) { return svc(ctx).engagement(f, *years, p, ctx.caller()); },
      [&](const auto& f) { return svc(ctx).engagement_table(f, *years, ctx.caller()); },
      dto::engagement_json, "engagement-report", "单位参与度");
}

Response report_annual(RequestContext& ctx) {
  return paged(
      ctx, [&](const auto& f, auto) { return svc(ctx).annual(f.year); },
      [&](const auto& f) { return svc(ctx).annual_table(f.year); }, dto::annual_json,
      "annual-figures", "年度工作报告数据");
}

Response report_drill(RequestContext& ctx) {
  auto f = filter(ctx);
  auto page = page_of(ctx);
  if (!f || !page) return ctx.error(!f ? f.error() : page.error());
  auto r =
      svc(ctx).drill(ctx.query("report").value_or("membership"),
                     ctx.query("dimension").value_or(""), ctx.query("key").value_or(""), *f, *page);
  return r ? ctx.json(http::status::ok, dto::drill_json(*r)) : ctx.error(r.error());
}

Response get_report_settings(RequestContext& ctx) {
  auto r = svc(ctx).term();
  return r ? ctx.json(http::status::ok, dto::term_json(*r)) : ctx.error(r.error());
}

Response put_report_settings(RequestContext& ctx) {
  auto body = JsonBody::parse(ctx);
  if (!body) return ctx.error(body.error());
  // A PUT replaces the term: an absent field is cleared like a null one.
  const auto term_no = body->nullable_integer("term_no", 1, 99).value_or(std::nullopt);
  const auto ends_on = body->nullable_string("term_ends_on", 10).value_or(std::nullopt);
  if (auto st = body->finish(); !st) return ctx.error(st.error());
  auto r =
      svc(ctx).set_term(term_no ? std::optional<int>(static_cast<int>(*term_no)) : std::nullopt,
                        ends_on, ctx.caller());
  return r ? ctx.json(http::status::ok, dto::term_json(*r)) : ctx.error(r.error());
}

}  // namespace xiehui::web::handlers
