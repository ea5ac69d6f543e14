#include "web/dto/training_json.hpp"

#include <boost/json.hpp>

#include <limits>

#include "core/time.hpp"
#include "web/dto/privacy_json.hpp"

namespace xiehui::web::dto {
namespace {

boost::json::value instant_or_null(const std::optional<Timestamp>& t) {
  return t ? boost::json::value(format_instant(*t)) : boost::json::value(nullptr);
}

}  // namespace

boost::json::object course_json(const training::Course& c) {
  boost::json::array topics;
  for (const auto& t : c.topics) topics.emplace_back(t);
  // "id" first: scripts read it without a JSON parser.
  return {{"id", c.id},
          {"title", c.title},
          {"description", c.description},
          {"topics", std::move(topics)}};
}

boost::json::object class_json(const training::TrainingClass& c) {
  return {
      {"id", c.id},
      {"course_id", c.course_id},
      {"course_title", c.course_title},
      {"title", c.title},
      {"starts_at", format_instant(c.starts_at)},
      {"ends_at", format_instant(c.ends_at)},
      {"venue", c.venue},
      {"capacity", c.capacity},
      {"per_member_quota", c.per_member_quota ? boost::json::value(*c.per_member_quota) : nullptr},
      {"fee_fen", c.fee_fen},
      {"signup_deadline", format_instant(c.signup_deadline)},
      {"status", c.status},
      {"min_attendance_percent", c.min_attendance_percent},
      {"confirmed", c.confirmed},
      {"waitlisted", c.waitlisted},
      {"seats_left", std::max(0, c.capacity - c.confirmed)}};
}

boost::json::object enrollment_json(const training::Enrollment& e) {
  return {{"id", e.id},
          {"class_id", e.class_id},
          {"member_id", e.member_id ? boost::json::value(*e.member_id) : nullptr},
          {"org_name", e.org_name},
          {"attendee",
           {{"name", e.attendee.name},
            {"title", e.attendee.title},
            {"mobile", e.attendee.mobile},
            {"email", e.attendee.email},
            {"lodging", e.attendee.lodging}}},
          {"status", e.status},
          {"waitlist_position",
           e.status == "waitlisted" ? boost::json::value(e.waitlist_position) : nullptr},
          {"fee_fen", e.fee_fen},
          {"certificate_no", e.certificate_no.empty() ? boost::json::value(nullptr)
                                                      : boost::json::value(e.certificate_no)},
          {"created_at", format_instant(e.created_at)},
          {"promoted_at", instant_or_null(e.promoted_at)},
          {"cancelled_at", instant_or_null(e.cancelled_at)},
          {"consent_version", e.consent_version}};
}

std::optional<Timestamp> parse_when(std::string_view text, bool end_of_day) {
  if (auto t = parse_instant(text)) return t;
  if (auto d = parse_date(text)) {
    const Timestamp midnight = std::chrono::time_point_cast<Timestamp::duration>(
        std::chrono::sys_days(*d) - kShanghaiOffset);
    return end_of_day ? midnight + std::chrono::hours(24) - std::chrono::seconds(1) : midnight;
  }
  return std::nullopt;
}

training::SignUp read_signup(JsonBody& body) {
  training::SignUp in;
  if (auto m = body.nullable_integer("member_id", 1, std::numeric_limits<long long>::max())) {
    in.member_id = *m;
  }
  in.org_name = body.string("org_name", false, 100).value_or("");
  JsonBody attendee = body.object("attendee");
  in.attendee = {attendee.string("name", true, 50).value_or(""),
                 attendee.string("title", false, 50).value_or(""),
                 attendee.string("mobile", true, 32).value_or(""),
                 attendee.string("email", false, 254).value_or(""),
                 attendee.string("lodging", false, 16).value_or("")};
  body.absorb(attendee);
  in.consent_version = read_consent_version(body);
  return in;
}

training::TrainingClass new_class(long long course_id, const training::ClassPatch& p) {
  training::TrainingClass c;
  c.course_id = course_id;
  c.title = p.title.value_or("");
  c.venue = p.venue.value_or("");
  c.starts_at = p.starts_at.value_or(Timestamp{});
  c.ends_at = p.ends_at.value_or(Timestamp{});
  c.signup_deadline = p.signup_deadline.value_or(Timestamp{});
  c.capacity = p.capacity.value_or(0);
  c.per_member_quota = p.per_member_quota.value_or(std::nullopt);
  c.fee_fen = p.fee_fen.value_or(0);
  c.status = p.status.value_or("draft");
  c.min_attendance_percent = p.min_attendance_percent.value_or(80);
  return c;
}

training::ClassPatch read_class_patch(JsonBody& body, bool required) {
  training::ClassPatch p;
  const auto when = [&](const char* name, bool end_of_day) -> std::optional<Timestamp> {
    auto text = body.string(name, required, 40);
    if (!text) return std::nullopt;
    auto t = parse_when(*text, end_of_day);
    if (!t) {
      body.fail(name, {"时间格式应为 2026-03-05T09:00:00+08:00 或 2026-03-05",
                       "expected 2026-03-05T09:00:00+08:00 or 2026-03-05"});
    }
    return t;
  };
  p.title = body.string("title", false, 200);
  p.venue = body.string("venue", required, 200);
  p.status = body.string("status", false, 16);
  p.starts_at = when("starts_at", false);
  p.ends_at = when("ends_at", true);
  p.signup_deadline = when("signup_deadline", true);
  if (auto v = body.integer("capacity", required, 1, 10000)) p.capacity = static_cast<int>(*v);
  if (auto v = body.integer("min_attendance_percent", false, 0, 100)) {
    p.min_attendance_percent = static_cast<int>(*v);
  }
  if (auto v = body.nullable_integer("per_member_quota", 1, 10000)) {
    p.per_member_quota = *v ? std::optional<int>(static_cast<int>(**v)) : std::nullopt;
  }
  p.fee_fen = body.integer("fee_fen", required, 0, 100'000'000);
  return p;
}

boost::json::object pass_json(const training::TrainingPass& p) {
  return {{"class_title", p.cls.title},
          {"course_title", p.cls.course_title},
          {"starts_at", format_instant(p.cls.starts_at)},
          {"starts_on", format_date(shanghai_date(p.cls.starts_at))},
          {"ends_on", format_date(shanghai_date(p.cls.ends_at))},
          {"venue", p.cls.venue},
          {"attendee_name", p.enrollment.attendee.name},
          {"status", p.enrollment.status}};
}

}  // namespace xiehui::web::dto
