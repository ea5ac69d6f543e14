#include "web/handlers/member_records.hpp"

#include <boost/json.hpp>

#include <memory>

#include "core/qr_code.hpp"
#include "services/jobs/job_runner.hpp"
#include "services/membership/certificate_service.hpp"
#include "services/membership/import_service.hpp"
#include "web/app_services.hpp"
#include "web/downloads.hpp"
#include "web/dto/membership_json.hpp"
#include "web/error_mapping.hpp"
#include "web/json_body.hpp"
#include "web/static_files.hpp"

namespace xiehui::web::handlers {

Response import_members(RequestContext& ctx) {
  auto dry_run = query_flag(ctx, "dry_run", true);
  if (!dry_run) return ctx.error(dry_run.error());
  auto async = query_flag(ctx, "async", false);
  if (!async) return ctx.error(async.error());
  auto& imports = ctx.services().member_import;
  // Before anything is parsed or queued: each import in progress holds its sheet in memory.
  auto slot = imports.reserve();
  if (!slot) return ctx.error(slot.error());
  if (!*async) {
    auto r = imports.run(*slot, ctx.request.body(), *dry_run, ctx.caller());
    if (!r) return ctx.error(r.error());
    return ctx.json(http::status::ok, dto::import_report_json(*r, ctx.lang));
  }
  // A queued job keeps the slot (and its copy of the file) until it has run.
  auto job = ctx.services().jobs.submit(
      "member_import", ctx.caller(),
      [&imports, held = std::make_shared<membership::ImportSlot>(std::move(*slot)),
       file = ctx.request.body(), dry = *dry_run, who = ctx.caller(), lang = ctx.lang,
       request_id =
           std::string(ctx.request_id)](jobs::JobProgress& progress) mutable -> jobs::JobOutcome {
        auto r = imports.run(*held, file, dry, who,
                             [&progress](long done, long total) { progress.report(done, total); });
        held.reset();  // free for the next import before the result is stored
        if (!r) return {false, error_response(r.error(), lang, request_id).body()};
        return {true, boost::json::serialize(dto::import_report_json(*r, lang))};
      });
  if (!job) return ctx.error(job.error());
  return ctx.json(http::status::accepted, {{"job_id", *job}});
}

Response import_template(RequestContext& ctx) {
  auto bytes = ctx.services().member_import.template_xlsx();
  if (!bytes) return ctx.error(bytes.error());
  return download(ctx, std::move(*bytes), mime_type("x.xlsx"), "member-import-template.xlsx",
                  "会员导入模板.xlsx");
}

Response get_job(RequestContext& ctx) {
  auto id = parse_id(ctx.param("id"), {"任务", "job"});
  if (!id) return ctx.error(id.error());
  auto job = ctx.services().jobs.get(*id, ctx.caller());
  if (!job) return ctx.error(job.error());
  boost::json::value stored = nullptr;
  if (!job->result.empty()) {
    boost::system::error_code ec;
    stored = boost::json::parse(job->result, ec);
    if (ec) stored = nullptr;
  }
  const bool failed = job->status == "failed";
  return ctx.json(http::status::ok, {{"id", job->id},
                                     {"kind", job->kind},
                                     {"status", job->status},
                                     {"done", job->done},
                                     {"total", job->total},
                                     {"result", failed ? boost::json::value(nullptr) : stored},
                                     {"error", failed ? stored : boost::json::value(nullptr)}});
}

Response member_certificate(RequestContext& ctx) {
  auto id = parse_id(ctx.param("id"), {"会员单位", "member unit"});
  if (!id) return ctx.error(id.error());
  auto cert = ctx.services().certificates.certificate(*id, ctx.caller());
  if (!cert) return ctx.error(cert.error());
  const std::string url = public_base_url(ctx) + "/verify/" + cert->code;
  auto svg = qr_svg(url);
  if (!svg) return ctx.error(svg.error());
  return ctx.json(http::status::ok, dto::certificate_json(*cert, url, *svg));
}

Response verify_certificate(RequestContext& ctx) {
  auto cert = ctx.services().certificates.verify(std::string(ctx.param("code")));
  if (!cert) return ctx.error(cert.error());
  return ctx.json(http::status::ok, dto::certificate_check_json(*cert));
}

}  // namespace xiehui::web::handlers
