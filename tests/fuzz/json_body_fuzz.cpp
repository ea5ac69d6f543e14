// Every JSON body reader of the API (web/dto) on any body: never a crash, and a body is either
// read or refused with field errors that name a field and say why in both languages.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "tests/fuzz/fuzz_check.hpp"
#include "web/dto/dues_json.hpp"
#include "web/dto/meetings_json.hpp"
#include "web/dto/membership_json.hpp"
#include "web/dto/training_json.hpp"
#include "web/dto/visits_json.hpp"
#include "web/json_body.hpp"

namespace web = xiehui::web;
namespace dto = xiehui::web::dto;

namespace {

using Reader = std::function<void(web::JsonBody&)>;

const std::vector<Reader>& readers() {
  static const std::vector<Reader> all = {
      [](web::JsonBody& b) { (void)dto::read_dues_settings(b, {}); },
      [](web::JsonBody& b) { (void)dto::read_schedule_input(b); },
      [](web::JsonBody& b) { (void)dto::read_reduction(b); },
      [](web::JsonBody& b) { (void)dto::read_payment(b); },
      [](web::JsonBody& b) { (void)dto::read_use_statement(b, 2026); },
      [](web::JsonBody& b) { (void)dto::read_invoicing(b); },
      [](web::JsonBody& b) { (void)dto::read_when(b, "starts_at", true, false); },
      [](web::JsonBody& b) { (void)dto::read_room(b, true); },
      [](web::JsonBody& b) { (void)dto::read_booking_patch(b, false); },
      [](web::JsonBody& b) {
        std::string rule;
        (void)dto::read_series(b, rule);
      },
      [](web::JsonBody& b) { (void)dto::read_meeting(b); },
      [](web::JsonBody& b) { (void)dto::read_meeting_patch(b); },
      [](web::JsonBody& b) { (void)dto::read_rsvp(b); },
      [](web::JsonBody& b) {
        bool figures = false;
        (void)dto::read_resolution(b, figures);
      },
      [](web::JsonBody& b) { (void)dto::read_settings(b, {}); },
      [](web::JsonBody& b) { (void)dto::read_application(b); },
      [](web::JsonBody& b) { (void)dto::read_class_patch(b, true); },
      [](web::JsonBody& b) { (void)dto::read_signup(b); },
      [](web::JsonBody& b) { (void)dto::read_visit_patch(b, true); },
      [](web::JsonBody& b) { (void)dto::read_delegates(b); },
      [](web::JsonBody& b) { (void)dto::read_rooms(b); },
      [](web::JsonBody& b) { (void)dto::read_periods(b, "periods", true); },
  };
  return all;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  web::Request req{web::http::verb::post, "/api/fuzz", 11};
  req.set(web::http::field::content_type, "application/json; charset=utf-8");
  req.body().assign(reinterpret_cast<const char*>(data), size);

  auto parsed = web::JsonBody::parse_optional(req);
  if (!parsed) {
    FUZZ_CHECK(!parsed.error().message.zh.empty());
    return 0;
  }
  for (const Reader& read : readers()) {
    web::JsonBody body = *parsed;
    read(body);
    if (auto done = body.finish(); !done) {
      for (const auto& field : done.error().fields) {
        FUZZ_CHECK(!field.field.empty());
        FUZZ_CHECK(!field.message.zh.empty() && !field.message.en.empty());
      }
    }
  }
  return 0;
}
