#include "web/handlers/dues.hpp"

#include <boost/json.hpp>

#include <charconv>

#include "core/table_export.hpp"
#include "services/dues/dues_service.hpp"
#include "services/jobs/job_runner.hpp"
#include "web/app_services.hpp"
#include "web/downloads.hpp"
#include "web/dto/dues_json.hpp"
#include "web/error_mapping.hpp"
#include "web/json_body.hpp"
#include "web/static_files.hpp"

namespace xiehui::web::handlers {
namespace {

dues::DuesService& svc(RequestContext& ctx) { return ctx.services().dues; }

Result<int> year_param(RequestContext& ctx) {
  int year = 0;
  const auto text = ctx.param("year");
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), year);
  if (ec != std::errc() || end != text.data() + text.size() || year < 2000 || year > 2200) {
    return std::unexpected(not_found_error({"年度", "year"}));
  }
  return year;
}

// ?year= (optional, 2000–2200).
Result<std::optional<int>> year_query(RequestContext& ctx) {
  const auto text = ctx.query("year");
  if (!text || text->empty()) return std::nullopt;
  int year = 0;
  const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), year);
  if (ec != std::errc() || end != text->data() + text->size() || year < 2000 || year > 2200) {
    return std::unexpected(
        invalid_fields({{"year", {"年度应在 2000–2200 之间", "the year must be 2000–2200"}}}));
  }
  return year;
}

Result<std::optional<long long>> member_query(RequestContext& ctx) {
  const auto text = ctx.query("member_id");
  if (!text || text->empty()) return std::nullopt;
  auto id = parse_id(*text, {"会员单位", "member unit"});
  if (!id)
    return std::unexpected(invalid_fields({{"member_id", {"应为单位编号", "must be an id"}}}));
  return *id;
}

Result<dues::dues_repository::InvoiceFilter> invoice_filter(RequestContext& ctx) {
  auto year = year_query(ctx);
  if (!year) return std::unexpected(year.error());
  auto member = member_query(ctx);
  if (!member) return std::unexpected(member.error());
  dues::dues_repository::InvoiceFilter f{*year, *member, ctx.query("status").value_or(""),
                                         ctx.query("q").value_or("")};
  if (!f.status.empty() && f.status != "unpaid" && f.status != "partial" && f.status != "paid" &&
      f.status != "waived" && f.status != "void") {
    return std::unexpected(invalid_fields({{"status",
                                            {"应为 unpaid、partial、paid、waived 或 void",
                                             "must be unpaid, partial, paid, waived or void"}}}));
  }
  if (f.q.size() > 200) {
    return std::unexpected(invalid_fields({{"q", {"搜索词过长", "the search is too long"}}}));
  }
  return f;
}

Result<bool> dry_run_of(RequestContext& ctx, bool fallback) {
  auto body = JsonBody::parse_optional(ctx);
  if (!body) return std::unexpected(body.error());
  const bool dry = body->boolean("dry_run", false).value_or(fallback);
  if (auto st = body->finish(); !st) return std::unexpected(st.error());
  return dry;
}

Response settings_response(RequestContext& ctx, const Result<dues::DuesSettings>& s) {
  if (!s) return ctx.error(s.error());
  return ctx.json(http::status::ok,
                  dto::dues_settings_json(*s, ctx.caller().can(Permission::dues_manage)));
}

Response schedule_response(RequestContext& ctx, const Result<dues::ScheduleView>& v) {
  if (!v) return ctx.error(v.error());
  auto settings = svc(ctx).settings();
  if (!settings) return ctx.error(settings.error());
  return ctx.json(http::status::ok, dto::schedule_view_json(*v, *settings));
}

Response use_statement_response(RequestContext& ctx, const Result<dues::UseStatementView>& v) {
  return v ? ctx.json(http::status::ok, dto::use_statement_json(*v)) : ctx.error(v.error());
}

}  // namespace

Response get_dues_settings(RequestContext& ctx) {
  return settings_response(ctx, svc(ctx).settings());
}

Response put_dues_settings(RequestContext& ctx) {
  auto body = JsonBody::parse(ctx);
  auto current = svc(ctx).settings();
  if (!body || !current) return ctx.error(!body ? body.error() : current.error());
  dues::DuesSettings s = dto::read_dues_settings(*body, *current);
  if (auto st = body->finish(); !st) return ctx.error(st.error());
  return settings_response(ctx, svc(ctx).update_settings(s, ctx.caller()));
}

Response list_schedules(RequestContext& ctx) {
  auto list = svc(ctx).schedules(ctx.caller());
  auto settings = svc(ctx).settings();
  if (!list || !settings) return ctx.error(!list ? list.error() : settings.error());
  boost::json::array items;
  for (const auto& s : *list) items.push_back(dto::schedule_json(s, *settings));
  return ctx.json(http::status::ok, {{"items", std::move(items)}});
}

Response get_schedule(RequestContext& ctx) {
  auto year = year_param(ctx);
  if (!year) return ctx.error(year.error());
  return schedule_response(ctx, svc(ctx).schedule(*year, ctx.caller()));
}

Response put_schedule(RequestContext& ctx) {
  auto year = year_param(ctx);
  auto body = JsonBody::parse(ctx);
  if (!year || !body) return ctx.error(!year ? year.error() : body.error());
  if (body->has("copy_from")) {
    const auto from = body->integer("copy_from", true, 2000, 2200);
    if (auto st = body->finish(); !st) return ctx.error(st.error());
    return schedule_response(ctx,
                             svc(ctx).copy_schedule(*year, static_cast<int>(*from), ctx.caller()));
  }
  const dues::ScheduleInput in = dto::read_schedule_input(*body);
  if (auto st = body->finish(); !st) return ctx.error(st.error());
  return schedule_response(ctx, svc(ctx).set_schedule(*year, in, ctx.caller()));
}

Response publish_schedule(RequestContext& ctx) {
  auto year = year_param(ctx);
  if (!year) return ctx.error(year.error());
  return schedule_response(ctx, svc(ctx).publish_schedule(*year, ctx.caller()));
}

Response list_reductions(RequestContext& ctx) {
  auto year = year_query(ctx);
  auto member = member_query(ctx);
  if (!year || !member) return ctx.error(!year ? year.error() : member.error());
  if (auto file = table_download(
          ctx, [&] { return svc(ctx).reductions_table(*year, *member); }, "dues-reductions",
          "会费减免")) {
    return std::move(*file);
  }
  auto list = svc(ctx).reductions(*year, *member);
  if (!list) return ctx.error(list.error());
  boost::json::array items;
  for (const auto& r : *list) items.push_back(dto::reduction_json(r));
  return ctx.json(http::status::ok, {{"items", std::move(items)}});
}

Response create_reduction(RequestContext& ctx) {
  auto body = JsonBody::parse(ctx);
  if (!body) return ctx.error(body.error());
  dues::Reduction r = dto::read_reduction(*body);
  if (auto st = body->finish(); !st) return ctx.error(st.error());
  auto saved = svc(ctx).record_reduction(std::move(r), ctx.caller());
  return saved ? ctx.json(http::status::created, dto::reduction_json(*saved))
               : ctx.error(saved.error());
}

Response revoke_reduction(RequestContext& ctx) {
  auto id = parse_id(ctx.param("id"), {"减免记录", "reduction"});
  if (!id) return ctx.error(id.error());
  auto st = svc(ctx).revoke_reduction(*id, ctx.caller());
  return st ? ctx.no_content() : ctx.error(st.error());
}

Response run_bill(RequestContext& ctx) {
  auto body = JsonBody::parse(ctx);
  auto async = query_flag(ctx, "async", false);
  if (!body || !async) return ctx.error(!body ? body.error() : async.error());
  const int year = static_cast<int>(body->integer("year", true, 2000, 2200).value_or(0));
  const bool dry = body->boolean("dry_run", false).value_or(false);
  if (auto st = body->finish(); !st) return ctx.error(st.error());
  if (!*async) {
    auto r = svc(ctx).bill_run(year, dry, ctx.caller());
    return r ? ctx.json(http::status::ok, dto::bill_run_json(*r)) : ctx.error(r.error());
  }
  auto job = ctx.services().jobs.submit(
      "dues_bill_run", ctx.caller(),
      [&dues = svc(ctx), year, dry, who = ctx.caller(), lang = ctx.lang,
       request_id = std::string(ctx.request_id)](jobs::JobProgress& progress) -> jobs::JobOutcome {
        auto r = dues.bill_run(year, dry, who, [&progress](long long done, long long total) {
          progress.report(done, total);
        });
        if (!r) return {false, error_response(r.error(), lang, request_id).body()};
        return {true, boost::json::serialize(dto::bill_run_json(*r))};
      });
  return job ? ctx.json(http::status::accepted, {{"job_id", *job}}) : ctx.error(job.error());
}

Response list_invoices(RequestContext& ctx) {
  auto filter = invoice_filter(ctx);
  auto paging = parse_paging(ctx);
  if (!filter || !paging) return ctx.error(!filter ? filter.error() : paging.error());
  if (auto file = table_download(
          ctx, [&] { return svc(ctx).invoices_table(*filter, ctx.caller()); }, "dues-invoices",
          "会费通知单")) {
    return std::move(*file);
  }
  auto page = svc(ctx).invoices(*filter, paging->page, paging->page_size, ctx.caller());
  if (!page) return ctx.error(page.error());
  boost::json::array items;
  for (const auto& i : page->items) items.push_back(dto::invoice_json(i));
  return ctx.json(http::status::ok, {{"items", std::move(items)},
                                     {"total", page->total},
                                     {"page", paging->page},
                                     {"page_size", paging->page_size}});
}

Response get_invoice(RequestContext& ctx) {
  auto id = parse_id(ctx.param("id"), {"会费通知单", "dues invoice"});
  if (!id) return ctx.error(id.error());
  auto d = svc(ctx).invoice(*id, ctx.caller());
  return d ? ctx.json(http::status::ok, dto::invoice_detail_json(*d)) : ctx.error(d.error());
}

Response list_arrears(RequestContext& ctx) {
  auto paging = parse_paging(ctx);
  if (!paging) return ctx.error(paging.error());
  const auto as_of = ctx.query("as_of");
  const std::string age = ctx.query("age").value_or("");
  if (auto file = table_download(
          ctx, [&] { return svc(ctx).arrears_table(as_of, age); }, "dues-arrears", "会费欠缴")) {
    return std::move(*file);
  }
  auto page = svc(ctx).arrears(as_of, age, paging->page, paging->page_size);
  return page ? ctx.json(http::status::ok,
                         dto::arrears_page_json(*page, paging->page, paging->page_size))
              : ctx.error(page.error());
}

Response run_lapse(RequestContext& ctx) {
  auto dry = dry_run_of(ctx, true);
  if (!dry) return ctx.error(dry.error());
  auto r = svc(ctx).lapse_run(*dry, ctx.caller());
  return r ? ctx.json(http::status::ok, dto::lapse_json(*r, *dry)) : ctx.error(r.error());
}

Response run_reminders(RequestContext& ctx) {
  auto dry = dry_run_of(ctx, true);
  if (!dry) return ctx.error(dry.error());
  auto r = svc(ctx).reminder_run(*dry, ctx.caller());
  return r ? ctx.json(http::status::ok, dto::reminders_json(*r, *dry)) : ctx.error(r.error());
}

Response get_use_statement(RequestContext& ctx) {
  auto year = year_param(ctx);
  if (!year) return ctx.error(year.error());
  return use_statement_response(ctx, svc(ctx).use_statement(*year, ctx.caller()));
}

Response put_use_statement(RequestContext& ctx) {
  auto year = year_param(ctx);
  auto body = JsonBody::parse(ctx);
  if (!year || !body) return ctx.error(!year ? year.error() : body.error());
  auto u = dto::read_use_statement(*body, *year);
  if (auto st = body->finish(); !st) return ctx.error(st.error());
  return use_statement_response(ctx, svc(ctx).put_use_statement(std::move(u), ctx.caller()));
}

Response publish_use_statement(RequestContext& ctx) {
  auto year = year_param(ctx);
  if (!year) return ctx.error(year.error());
  return use_statement_response(ctx, svc(ctx).publish_use_statement(*year, ctx.caller()));
}

}  // namespace xiehui::web::handlers
