// Topics, host offers, interests, matches and participation.

#include <boost/json.hpp>

#include "core/table_export.hpp"
#include "services/visits/exchange_service.hpp"
#include "services/visits/visit_service.hpp"
#include "web/app_services.hpp"
#include "web/downloads.hpp"
#include "web/dto/visits_json.hpp"
#include "web/handlers/visits.hpp"
#include "web/json_body.hpp"
#include "web/static_files.hpp"

namespace xiehui::web::handlers {
namespace {

const Text kTopic{"主题", "topic"};
const Text kOffer{"接待意向", "host offer"};
const Text kInterest{"考察意向", "interest"};
const Text kUnit{"会员单位", "member unit"};

visits::ExchangeService& svc(RequestContext& ctx) { return ctx.services().exchange; }

// ?member_id= as an optional id.
Result<std::optional<long long>> member_query(RequestContext& ctx) {
  auto text = ctx.query("member_id");
  if (!text) return std::nullopt;
  auto id = parse_id(*text, kUnit);
  if (!id) return std::unexpected(id.error());
  return *id;
}

// An offer's fields: all required on create, any on a patch.
visits::OfferPatch read_offer(JsonBody& body, bool required) {
  visits::OfferPatch p;
  p.topics = body.string_array("topics", required, 10, 20);
  if (required || body.has("available")) p.available = dto::read_periods(body, "available", true);
  if (auto g = body.integer("group_size", required, 1, 500)) p.group_size = static_cast<int>(*g);
  p.note = body.text_block("note", false, 500);
  p.active = body.boolean("active", false);
  return p;
}

visits::InterestPatch read_interest(JsonBody& body, bool required) {
  visits::InterestPatch p;
  p.topics = body.string_array("topics", required, 10, 20);
  if (required || body.has("preferred")) p.preferred = dto::read_periods(body, "preferred", false);
  if (auto g = body.nullable_integer("group_size", 1, 500)) {
    p.group_size = *g ? std::optional<int>(static_cast<int>(**g)) : std::nullopt;
  }
  p.note = body.text_block("note", false, 500);
  p.active = body.boolean("active", false);
  return p;
}

}  // namespace

Response list_topics(RequestContext& ctx) {
  auto r = svc(ctx).topics();
  if (!r) return ctx.error(r.error());
  boost::json::array items;
  for (const auto& t : *r) items.push_back(dto::topic_json(t));
  return ctx.json(http::status::ok, {{"items", std::move(items)}});
}

Response create_topic(RequestContext& ctx) {
  auto body = JsonBody::parse(ctx);
  if (!body) return ctx.error(body.error());
  auto name = body->string("name", true, 20);
  if (auto st = body->finish(); !st) return ctx.error(st.error());
  auto r = svc(ctx).add_topic(*name, ctx.caller());
  return r ? ctx.json(http::status::created, dto::topic_json(*r)) : ctx.error(r.error());
}

Response update_topic(RequestContext& ctx) {
  auto id = parse_id(ctx.param("id"), kTopic);
  if (!id) return ctx.error(id.error());
  auto body = JsonBody::parse(ctx);
  if (!body) return ctx.error(body.error());
  auto active = body->boolean("active", true);
  if (auto st = body->finish(); !st) return ctx.error(st.error());
  auto r = svc(ctx).set_topic_active(*id, *active, ctx.caller());
  return r ? ctx.json(http::status::ok, dto::topic_json(*r)) : ctx.error(r.error());
}

Response list_host_offers(RequestContext& ctx) {
  auto member = member_query(ctx);
  auto active = query_flag(ctx, "active", false);
  if (!member || !active) return ctx.error(!member ? member.error() : active.error());
  auto r = svc(ctx).offers(*member, *active);
  if (!r) return ctx.error(r.error());
  boost::json::array items;
  for (const auto& o : *r) items.push_back(dto::offer_json(o));
  return ctx.json(http::status::ok, {{"items", std::move(items)}});
}

Response create_host_offer(RequestContext& ctx) {
  auto body = JsonBody::parse(ctx);
  if (!body) return ctx.error(body.error());
  auto member = body->integer("member_id", true, 1, 1LL << 53);
  const visits::OfferPatch p = read_offer(*body, true);
  if (auto st = body->finish(); !st) return ctx.error(st.error());
  visits::HostOffer o;
  o.member_id = *member;
  o.topics = *p.topics;
  o.available = *p.available;
  o.group_size = *p.group_size;
  o.note = p.note.value_or("");
  o.active = p.active.value_or(true);
  auto r = svc(ctx).create_offer(std::move(o), ctx.caller());
  return r ? ctx.json(http::status::created, dto::offer_json(*r)) : ctx.error(r.error());
}

Response update_host_offer(RequestContext& ctx) {
  auto id = parse_id(ctx.param("id"), kOffer);
  if (!id) return ctx.error(id.error());
  auto body = JsonBody::parse(ctx);
  if (!body) return ctx.error(body.error());
  const visits::OfferPatch p = read_offer(*body, false);
  if (auto st = body->finish(); !st) return ctx.error(st.error());
  auto r = svc(ctx).update_offer(*id, p, ctx.caller());
  return r ? ctx.json(http::status::ok, dto::offer_json(*r)) : ctx.error(r.error());
}

Response delete_host_offer(RequestContext& ctx) {
  auto id = parse_id(ctx.param("id"), kOffer);
  if (!id) return ctx.error(id.error());
  auto r = svc(ctx).delete_offer(*id, ctx.caller());
  return r ? ctx.no_content() : ctx.error(r.error());
}

Response list_visit_interests(RequestContext& ctx) {
  auto member = member_query(ctx);
  if (!member) return ctx.error(member.error());
  auto r = svc(ctx).interests(*member, ctx.caller());
  if (!r) return ctx.error(r.error());
  boost::json::array items;
  for (const auto& i : *r) items.push_back(dto::interest_json(i));
  return ctx.json(http::status::ok, {{"items", std::move(items)}});
}

Response create_visit_interest(RequestContext& ctx) {
  auto body = JsonBody::parse(ctx);
  if (!body) return ctx.error(body.error());
  auto member = body->integer("member_id", true, 1, 1LL << 53);
  const visits::InterestPatch p = read_interest(*body, true);
  if (auto st = body->finish(); !st) return ctx.error(st.error());
  visits::Interest i;
  i.member_id = *member;
  i.topics = *p.topics;
  i.preferred = p.preferred.value_or(std::vector<visits::Period>{});
  i.group_size = p.group_size.value_or(std::nullopt);
  i.note = p.note.value_or("");
  i.active = p.active.value_or(true);
  auto r = svc(ctx).create_interest(std::move(i), ctx.caller());
  return r ? ctx.json(http::status::created, dto::interest_json(*r)) : ctx.error(r.error());
}

Response update_visit_interest(RequestContext& ctx) {
  auto id = parse_id(ctx.param("id"), kInterest);
  if (!id) return ctx.error(id.error());
  auto body = JsonBody::parse(ctx);
  if (!body) return ctx.error(body.error());
  const visits::InterestPatch p = read_interest(*body, false);
  if (auto st = body->finish(); !st) return ctx.error(st.error());
  auto r = svc(ctx).update_interest(*id, p, ctx.caller());
  return r ? ctx.json(http::status::ok, dto::interest_json(*r)) : ctx.error(r.error());
}

Response delete_visit_interest(RequestContext& ctx) {
  auto id = parse_id(ctx.param("id"), kInterest);
  if (!id) return ctx.error(id.error());
  auto r = svc(ctx).delete_interest(*id, ctx.caller());
  return r ? ctx.no_content() : ctx.error(r.error());
}

Response visit_matches(RequestContext& ctx) {
  auto member = member_query(ctx);
  if (!member) return ctx.error(member.error());
  std::optional<long long> offer;
  if (auto text = ctx.query("offer_id")) {
    auto id = parse_id(*text, kOffer);
    if (!id) return ctx.error(id.error());
    offer = *id;
  }
  if (!offer && !*member && !ctx.caller().member_id) {
    return ctx.error(invalid_fields(
        {{"member_id", {"请给出 member_id 或 offer_id", "give member_id or offer_id"}}}));
  }
  auto r = offer
               ? svc(ctx).matches_for_offer(*offer, ctx.caller())
               : svc(ctx).matches_for_unit(member->value_or(*ctx.caller().member_id), ctx.caller());
  if (!r) return ctx.error(r.error());
  boost::json::array items;
  for (const auto& m : *r) items.push_back(dto::match_json(m, !offer));
  return ctx.json(http::status::ok, {{"items", std::move(items)}});
}

Response visit_from_match(RequestContext& ctx) {
  auto body = JsonBody::parse(ctx);
  if (!body) return ctx.error(body.error());
  auto offer = body->integer("offer_id", true, 1, 1LL << 53);
  auto interest = body->nullable_integer("interest_id", 1, 1LL << 53);
  if (auto st = body->finish(); !st) return ctx.error(st.error());
  auto r = svc(ctx).visit_from_match(*offer, interest ? *interest : std::nullopt, ctx.caller());
  return r ? ctx.json(http::status::created, dto::visit_json({*r, std::nullopt}))
           : ctx.error(r.error());
}

Response visit_participation(RequestContext& ctx) {
  int year = 0;
  const std::string text = ctx.query("year").value_or("");
  if (text.size() == 4 && std::ranges::all_of(text, [](char c) { return c >= '0' && c <= '9'; })) {
    year = std::stoi(text);
  }
  auto& visits = ctx.services().visits;
  if (ctx.query("format").value_or("") == "xlsx") {
    auto table = visits.participation_table(year, ctx.caller());
    auto bytes =
        table ? to_xlsx(*table, "考察参与") : Result<std::string>(std::unexpected(table.error()));
    if (!bytes) return ctx.error(bytes.error());
    return download(ctx, std::move(*bytes), mime_type("x.xlsx"),
                    "visit-participation-" + text + ".xlsx", "考察参与情况.xlsx");
  }
  auto r = visits.participation(year, ctx.caller());
  if (!r) return ctx.error(r.error());
  boost::json::array items;
  for (const auto& p : *r) {
    items.push_back({{"member_id", p.member_id},
                     {"member_name", p.member_name},
                     {"visits", p.visits},
                     {"delegates", p.delegates},
                     {"slots_attended", p.slots_attended}});
  }
  return ctx.json(http::status::ok, {{"items", std::move(items)}});
}

}  // namespace xiehui::web::handlers
