#include "web/handlers/training.hpp"

#include <boost/json.hpp>

#include "core/qr_code.hpp"
#include "core/table_export.hpp"
#include "core/time.hpp"
#include "services/training/training_service.hpp"
#include "web/app_services.hpp"
#include "web/downloads.hpp"
#include "web/dto/training_json.hpp"
#include "web/json_body.hpp"
#include "web/static_files.hpp"

namespace xiehui::web::handlers {
namespace {

const Text kCourse{"课程", "course"};
const Text kClass{"培训班次", "class"};
const Text kEnrollment{"报名记录", "enrolment"};

training::TrainingService& svc(RequestContext& ctx) { return ctx.services().training; }

Response classes_json(RequestContext& ctx, const std::vector<training::TrainingClass>& list) {
  boost::json::array items;
  for (const auto& c : list) items.push_back(dto::class_json(c));
  return ctx.json(http::status::ok, {{"items", std::move(items)}});
}

Response enrollments_json(RequestContext& ctx, const std::vector<training::Enrollment>& list) {
  boost::json::array items;
  for (const auto& e : list) items.push_back(dto::enrollment_json(e));
  return ctx.json(http::status::ok, {{"items", std::move(items)}});
}

Result<training::Course> read_course(RequestContext& ctx, long long id) {
  auto body = JsonBody::parse(ctx);
  if (!body) return std::unexpected(body.error());
  training::Course c{
      id, body->string("title", true, 200).value_or(""),
      body->text_block("description", false, 5000).value_or(""),
      body->string_array("topics", false, 20, 40).value_or(std::vector<std::string>{})};
  if (auto st = body->finish(); !st) return std::unexpected(st.error());
  return c;
}

// An optional {"day","half"} naming the half day of a check-in.
Result<std::optional<std::pair<std::string, std::string>>> read_slot(JsonBody& body) {
  auto day = body.string("day", false, 10);
  auto half = body.string("half", false, 2);
  if (!day && !half) return std::nullopt;
  if (!day || !half || !parse_date(*day) || (*half != "am" && *half != "pm")) {
    return std::unexpected(invalid_fields({{"day",
                                            {"请同时给出 day（YYYY-MM-DD）和 half（am 或 pm）",
                                             "give both day (YYYY-MM-DD) and half (am or pm)"}}}));
  }
  return std::pair<std::string, std::string>(format_date(*parse_date(*day)), *half);
}

// The check-in URL a pass's QR code carries: the staff check-in page of the class.
std::string check_in_url(RequestContext& ctx, const training::Enrollment& e) {
  return public_base_url(ctx) + "/check-in/" + std::to_string(e.class_id) + "/" + e.checkin_token;
}

}  // namespace

Response list_courses(RequestContext& ctx) {
  auto r = svc(ctx).list_courses();
  if (!r) return ctx.error(r.error());
  boost::json::array items;
  for (const auto& c : *r) items.push_back(dto::course_json(c));
  return ctx.json(http::status::ok, {{"items", std::move(items)}});
}

Response create_course(RequestContext& ctx) {
  auto c = read_course(ctx, 0);
  if (!c) return ctx.error(c.error());
  auto r = svc(ctx).create_course(std::move(*c), ctx.caller());
  return r ? ctx.json(http::status::created, dto::course_json(*r)) : ctx.error(r.error());
}

Response get_course(RequestContext& ctx) {
  auto id = parse_id(ctx.param("id"), kCourse);
  if (!id) return ctx.error(id.error());
  auto r = svc(ctx).get_course(*id);
  return r ? ctx.json(http::status::ok, dto::course_json(*r)) : ctx.error(r.error());
}

Response update_course(RequestContext& ctx) {
  auto id = parse_id(ctx.param("id"), kCourse);
  if (!id) return ctx.error(id.error());
  auto c = read_course(ctx, *id);
  if (!c) return ctx.error(c.error());
  auto r = svc(ctx).update_course(std::move(*c), ctx.caller());
  return r ? ctx.json(http::status::ok, dto::course_json(*r)) : ctx.error(r.error());
}

Response create_class(RequestContext& ctx) {
  auto course = parse_id(ctx.param("id"), kCourse);
  if (!course) return ctx.error(course.error());
  auto body = JsonBody::parse(ctx);
  if (!body) return ctx.error(body.error());
  const training::ClassPatch p = dto::read_class_patch(*body, true);
  if (auto st = body->finish(); !st) return ctx.error(st.error());
  auto r = svc(ctx).create_class(dto::new_class(*course, p), ctx.caller());
  return r ? ctx.json(http::status::created, dto::class_json(*r)) : ctx.error(r.error());
}

Response list_classes(RequestContext& ctx) {
  std::optional<long long> course;
  if (auto text = ctx.query("course_id")) {
    auto id = parse_id(*text, kCourse);
    if (!id) return ctx.error(id.error());
    course = *id;
  }
  const bool with_seats = ctx.query("with_seats").value_or("") == "true";
  auto r =
      svc(ctx).list_classes(ctx.query("status").value_or(""), course, with_seats, ctx.caller());
  return r ? classes_json(ctx, *r) : ctx.error(r.error());
}

Response get_class(RequestContext& ctx) {
  auto id = parse_id(ctx.param("id"), kClass);
  if (!id) return ctx.error(id.error());
  auto r = svc(ctx).get_class(*id, ctx.caller());
  return r ? ctx.json(http::status::ok, dto::class_json(*r)) : ctx.error(r.error());
}

Response update_class(RequestContext& ctx) {
  auto id = parse_id(ctx.param("id"), kClass);
  if (!id) return ctx.error(id.error());
  auto body = JsonBody::parse(ctx);
  if (!body) return ctx.error(body.error());
  const training::ClassPatch p = dto::read_class_patch(*body, false);
  if (auto st = body->finish(); !st) return ctx.error(st.error());
  auto r = svc(ctx).update_class(*id, p, ctx.caller());
  return r ? ctx.json(http::status::ok, dto::class_json(*r)) : ctx.error(r.error());
}

Response enroll(RequestContext& ctx) {
  auto id = parse_id(ctx.param("id"), kClass);
  if (!id) return ctx.error(id.error());
  auto body = JsonBody::parse(ctx);
  if (!body) return ctx.error(body.error());
  training::SignUp in = dto::read_signup(*body);
  if (auto st = body->finish(); !st) return ctx.error(st.error());
  auto r = svc(ctx).enroll(*id, std::move(in), ctx.caller());
  return r ? ctx.json(http::status::created, dto::enrollment_json(*r)) : ctx.error(r.error());
}

Response class_enrollments(RequestContext& ctx) {
  auto id = parse_id(ctx.param("id"), kClass);
  if (!id) return ctx.error(id.error());
  if (ctx.query("format").value_or("") != "xlsx") {
    auto r = svc(ctx).class_enrollments(*id, ctx.caller());
    return r ? enrollments_json(ctx, *r) : ctx.error(r.error());
  }
  auto fields = privacy::parse_export_fields(ctx.query("fields").value_or(""));
  if (!fields) return ctx.error(fields.error());
  auto bytes = svc(ctx).roster_xlsx(*id, ctx.caller(), *fields);
  if (!bytes) return ctx.error(bytes.error());
  return download(ctx, std::move(*bytes), mime_type("x.xlsx"),
                  "roster-" + std::to_string(*id) + ".xlsx", "培训名单.xlsx");
}

Response my_enrollments(RequestContext& ctx) {
  auto r = svc(ctx).my_enrollments(ctx.caller());
  return r ? enrollments_json(ctx, *r) : ctx.error(r.error());
}

Response get_enrollment(RequestContext& ctx) {
  auto id = parse_id(ctx.param("id"), kEnrollment);
  if (!id) return ctx.error(id.error());
  auto r = svc(ctx).get_enrollment(*id, ctx.caller());
  return r ? ctx.json(http::status::ok, dto::enrollment_json(*r)) : ctx.error(r.error());
}

Response cancel_enrollment(RequestContext& ctx) {
  auto id = parse_id(ctx.param("id"), kEnrollment);
  if (!id) return ctx.error(id.error());
  auto r = svc(ctx).cancel(*id, ctx.caller());
  return r ? ctx.no_content() : ctx.error(r.error());
}

Response enrollment_pass(RequestContext& ctx) {
  auto id = parse_id(ctx.param("id"), kEnrollment);
  if (!id) return ctx.error(id.error());
  auto e = svc(ctx).get_enrollment(*id, ctx.caller());
  if (!e) return ctx.error(e.error());
  const std::string url = check_in_url(ctx, *e);
  auto svg = qr_svg(url);
  if (!svg) return ctx.error(svg.error());
  return ctx.json(http::status::ok,
                  {{"enrollment", dto::enrollment_json(*e)},
                   {"token", e->checkin_token},
                   {"check_in_url", url},
                   {"pass_url", public_base_url(ctx) + "/pass/" + e->checkin_token},
                   {"qr_svg", *svg}});
}

Response public_pass(RequestContext& ctx) {
  auto p = svc(ctx).pass(std::string(ctx.param("token")));
  if (!p) return ctx.error(p.error());
  auto svg = qr_svg(check_in_url(ctx, p->enrollment));
  if (!svg) return ctx.error(svg.error());
  boost::json::object out = dto::pass_json(*p);
  out["qr_svg"] = *svg;
  return ctx.json(http::status::ok, std::move(out));
}

Response check_in_enrollment(RequestContext& ctx) {
  auto id = parse_id(ctx.param("id"), kEnrollment);
  if (!id) return ctx.error(id.error());
  auto body = JsonBody::parse_optional(ctx);
  if (!body) return ctx.error(body.error());
  auto slot = read_slot(*body);
  auto reason = body->string("override_reason", false, 200);
  if (auto st = body->finish(); !st) return ctx.error(st.error());
  if (!slot) return ctx.error(slot.error());
  auto e = svc(ctx).get_enrollment(*id, ctx.caller());
  if (!e) return ctx.error(e.error());
  auto r = svc(ctx).check_in(e->class_id, *id, "", *slot, ctx.caller(), reason);
  return r ? ctx.json(http::status::ok, {{"checked_in", true}, {"new", *r}}) : ctx.error(r.error());
}

Response check_in_by_token(RequestContext& ctx) {
  auto id = parse_id(ctx.param("id"), kClass);
  if (!id) return ctx.error(id.error());
  auto body = JsonBody::parse(ctx);
  if (!body) return ctx.error(body.error());
  auto token = body->string("token", true, 64);
  auto slot = read_slot(*body);
  auto reason = body->string("override_reason", false, 200);
  if (auto st = body->finish(); !st) return ctx.error(st.error());
  if (!slot) return ctx.error(slot.error());
  auto r = svc(ctx).check_in(*id, std::nullopt, *token, *slot, ctx.caller(), reason);
  if (!r) return ctx.error(r.error());
  return ctx.json(http::status::ok, {{"checked_in", true}, {"new", *r}});
}

Response undo_check_in(RequestContext& ctx) {
  auto id = parse_id(ctx.param("id"), kEnrollment);
  if (!id) return ctx.error(id.error());
  const std::string day(ctx.param("day")), half(ctx.param("half"));
  if (!parse_date(day) || (half != "am" && half != "pm")) {
    return ctx.error(invalid_fields(
        {{"day",
          {"请给出日期（YYYY-MM-DD）和 am 或 pm", "give the day (YYYY-MM-DD) and am or pm"}}}));
  }
  auto r = svc(ctx).undo_check_in(*id, day, half, ctx.caller());
  return r ? ctx.no_content() : ctx.error(r.error());
}

Response enrollment_by_token(RequestContext& ctx) {
  auto id = parse_id(ctx.param("id"), kClass);
  if (!id) return ctx.error(id.error());
  auto r = svc(ctx).enrollment_by_token(*id, std::string(ctx.param("token")));
  return r ? ctx.json(http::status::ok, dto::enrollment_json(*r)) : ctx.error(r.error());
}

Response class_attendance(RequestContext& ctx) {
  auto id = parse_id(ctx.param("id"), kClass);
  if (!id) return ctx.error(id.error());
  auto sheet = svc(ctx).attendance_sheet(*id);
  if (!sheet) return ctx.error(sheet.error());
  boost::json::array slots, rows;
  for (const auto& [day, half] : sheet->slots) slots.push_back({{"day", day}, {"half", half}});
  for (const auto& row : sheet->rows) {
    boost::json::array present;
    for (bool p : row.present) present.push_back(p);
    rows.push_back({{"enrollment", dto::enrollment_json(row.enrollment)},
                    {"present", std::move(present)},
                    {"meets_rule", row.meets_rule}});
  }
  return ctx.json(http::status::ok, {{"class", dto::class_json(sheet->cls)},
                                     {"slots", std::move(slots)},
                                     {"rows", std::move(rows)}});
}

Response issue_certificates(RequestContext& ctx) {
  auto id = parse_id(ctx.param("id"), kClass);
  if (!id) return ctx.error(id.error());
  auto r = svc(ctx).issue_certificates(*id, ctx.caller());
  return r ? ctx.json(http::status::ok, {{"issued", *r}}) : ctx.error(r.error());
}

Response training_certificate(RequestContext& ctx) {
  auto id = parse_id(ctx.param("id"), kEnrollment);
  if (!id) return ctx.error(id.error());
  auto c = svc(ctx).certificate(*id, ctx.caller());
  if (!c) return ctx.error(c.error());
  const std::string url = public_base_url(ctx) + "/verify-training/" + c->code;
  auto svg = qr_svg(url);
  if (!svg) return ctx.error(svg.error());
  return ctx.json(http::status::ok, {{"number", c->number},
                                     {"attendee_name", c->attendee_name},
                                     {"org_name", c->org_name},
                                     {"course_title", c->course_title},
                                     {"starts_on", c->starts_on},
                                     {"ends_on", c->ends_on},
                                     {"verify_url", url},
                                     {"qr_svg", *svg}});
}

Response verify_training_certificate(RequestContext& ctx) {
  auto c = svc(ctx).verify_certificate(std::string(ctx.param("code")));
  if (!c) return ctx.error(c.error());
  // Only name, course, dates and number: the public page says no more.
  return ctx.json(http::status::ok, {{"genuine", true},
                                     {"number", c->number},
                                     {"attendee_name", c->attendee_name},
                                     {"course_title", c->course_title},
                                     {"starts_on", c->starts_on},
                                     {"ends_on", c->ends_on}});
}

}  // namespace xiehui::web::handlers
