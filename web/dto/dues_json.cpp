#include "web/dto/dues_json.hpp"

#include <boost/json.hpp>

#include "core/time.hpp"
#include "services/dues/dues_rules.hpp"
#include "services/dues/dues_text.hpp"

namespace xiehui::web::dto {
namespace {

namespace json = boost::json;

json::value nullable(const std::optional<std::string>& v) {
  return v ? json::value(*v) : json::value(nullptr);
}

json::value nullable_instant(const std::optional<Timestamp>& t) {
  return t ? json::value(format_instant(*t)) : json::value(nullptr);
}

json::object ratio_json(const dues::Ratio& r) { return {{"num", r.num}, {"den", r.den}}; }

dues::Ratio read_ratio(JsonBody& body, std::string_view name, dues::Ratio base) {
  if (!body.has(name)) return base;
  JsonBody r = body.object(name);
  base.num = static_cast<int>(r.integer("num", true, 1, 1000).value_or(base.num));
  base.den = static_cast<int>(r.integer("den", true, 1, 1000).value_or(base.den));
  body.absorb(r);
  return base;
}

json::object decision_json(const dues::Decision& d, const dues::DuesSettings& settings) {
  return {{"meeting_name", d.meeting_name},
          {"held_on", d.held_on},
          {"entitled", d.entitled},
          {"present", d.present},
          {"votes_for", d.votes_for},
          {"votes_against", d.votes_against},
          {"abstentions", d.abstentions},
          {"secret_ballot", d.secret_ballot},
          {"resolution_id", d.resolution_id ? json::value(*d.resolution_id) : json::value()},
          {"passes", dues::decision_passes(d, settings.quorum, settings.pass)}};
}

}  // namespace

json::object dues_settings_json(const dues::DuesSettings& s, bool full) {
  json::object o{{"association_name", s.association_name},
                 {"payee", s.payee},
                 {"bank",
                  {{"account_name", s.bank.account_name},
                   {"bank_name", s.bank.bank_name},
                   {"account_no", s.bank.account_no}}}};
  if (!full) return o;
  o["quorum"] = ratio_json(s.quorum);
  o["pass"] = ratio_json(s.pass);
  o["proration"] = std::string(dues::to_string(s.proration));
  o["billing_date"] = s.billing_date_mmdd;
  o["lapse_years"] = s.lapse_years;
  o["reinstate_on_payment"] = s.reinstate_on_payment;
  json::array days;
  for (int d : s.reminder_days) days.push_back(d);
  o["reminder_days"] = std::move(days);
  return o;
}

dues::DuesSettings read_dues_settings(JsonBody& body, dues::DuesSettings base) {
  base.quorum = read_ratio(body, "quorum", base.quorum);
  base.pass = read_ratio(body, "pass", base.pass);
  if (auto p = body.string("proration", false, 20)) {
    if (auto parsed = dues::parse_proration(*p)) {
      base.proration = *parsed;
    } else {
      body.fail("proration", {"应为 full、half_after_july 或 quarters",
                              "must be full, half_after_july or quarters"});
    }
  }
  if (auto d = body.string("billing_date", false, 5)) base.billing_date_mmdd = *d;
  if (auto n = body.integer("lapse_years", false, 1, 10)) base.lapse_years = static_cast<int>(*n);
  if (auto b = body.boolean("reinstate_on_payment", false)) base.reinstate_on_payment = *b;
  if (auto days = body.integer_array("reminder_days", false, 12, 1, 3650)) {
    base.reminder_days.assign(days->begin(), days->end());
  }
  if (auto v = body.string("association_name", false, 100)) base.association_name = *v;
  if (auto v = body.string("payee", false, 100)) base.payee = *v;
  if (body.has("bank")) {
    JsonBody bank = body.object("bank");
    if (auto v = bank.string("account_name", false, 100)) base.bank.account_name = *v;
    if (auto v = bank.string("bank_name", false, 100)) base.bank.bank_name = *v;
    if (auto v = bank.string("account_no", false, 40)) base.bank.account_no = *v;
    body.absorb(bank);
  }
  return base;
}

json::object schedule_json(const dues::Schedule& s, const dues::DuesSettings& settings) {
  json::object tiers;
  for (const auto& [tier, fen] : s.tiers) tiers[tier] = fen;
  return {
      {"year", s.year},
      {"version", s.version},
      {"tiers", std::move(tiers)},
      {"effective_on", s.effective_on},
      {"decision", decision_json(s.decision, settings)},
      {"copied_from_year", s.copied_from_year ? json::value(*s.copied_from_year) : json::value()},
      {"published_at", nullable_instant(s.published_at)},
      {"superseded_at", nullable_instant(s.superseded_at)},
      {"created_at", format_instant(s.created_at)}};
}

json::object schedule_view_json(const dues::ScheduleView& v, const dues::DuesSettings& settings) {
  json::object o = schedule_json(v.current, settings);
  json::array history;
  for (const auto& h : v.history) history.push_back(schedule_json(h, settings));
  o["history"] = std::move(history);
  return o;
}

dues::ScheduleInput read_schedule_input(JsonBody& body) {
  dues::ScheduleInput in;
  JsonBody tiers = body.object("tiers");
  for (const std::string& name : tiers.keys()) {
    if (auto fen = tiers.integer(name, true, 0, dues::kMaxAmountFen)) in.tiers[name] = *fen;
  }
  body.absorb(tiers);
  in.effective_on = body.string("effective_on", true, 10).value_or("");
  JsonBody d = body.object("decision");
  in.decision.meeting_name = d.string("meeting_name", true, 100).value_or("");
  in.decision.held_on = d.string("held_on", true, 10).value_or("");
  constexpr long long kMaxCount = 1'000'000;
  in.decision.entitled = static_cast<int>(d.integer("entitled", true, 1, kMaxCount).value_or(0));
  in.decision.present = static_cast<int>(d.integer("present", true, 0, kMaxCount).value_or(0));
  in.decision.votes_for = static_cast<int>(d.integer("votes_for", true, 0, kMaxCount).value_or(0));
  in.decision.votes_against =
      static_cast<int>(d.integer("votes_against", true, 0, kMaxCount).value_or(0));
  in.decision.abstentions =
      static_cast<int>(d.integer("abstentions", true, 0, kMaxCount).value_or(0));
  in.decision.secret_ballot = d.boolean("secret_ballot", true).value_or(false);
  if (auto r = d.nullable_integer("resolution_id", 1, std::numeric_limits<long long>::max())) {
    in.decision.resolution_id = *r;
  }
  body.absorb(d);
  return in;
}

json::object reduction_json(const dues::Reduction& r) {
  return {{"id", r.id},
          {"member_id", r.member_id},
          {"member_name", r.member_name},
          {"year", r.year},
          {"amount_fen", r.amount_fen ? json::value(*r.amount_fen) : json::value()},
          {"percent", r.percent ? json::value(*r.percent) : json::value()},
          {"reason", r.reason},
          {"approved_by", r.approved_by},
          {"created_at", format_instant(r.created_at)},
          {"revoked_at", nullable_instant(r.revoked_at)}};
}

dues::Reduction read_reduction(JsonBody& body) {
  dues::Reduction r;
  r.member_id =
      body.integer("member_id", true, 1, std::numeric_limits<long long>::max()).value_or(0);
  r.year = static_cast<int>(body.integer("year", true, 2000, 2200).value_or(0));
  if (auto a = body.nullable_integer("amount_fen", 1, dues::kMaxAmountFen)) r.amount_fen = *a;
  if (auto p = body.nullable_integer("percent", 1, 100)) {
    if (*p) r.percent = static_cast<int>(**p);
  }
  r.reason = body.text_block("reason", true, 500).value_or("");
  r.approved_by = body.string("approved_by", true, 100).value_or("");
  return r;
}

json::object invoice_json(const dues::Invoice& i) {
  return {{"id", i.id},
          {"member_id", i.member_id},
          {"member_name", i.member_name},
          {"member_no", i.member_no},
          {"year", i.year},
          {"tier", i.tier},
          {"full_fen", i.full_fen},
          {"amount_fen", i.amount_fen},
          {"reduced_fen", i.reduced_fen},
          {"paid_fen", i.paid_fen},
          {"outstanding_fen", i.status == "void" ? 0 : i.outstanding_fen()},
          {"status", i.status},
          {"proration", i.proration},
          {"issued_on", i.issued_on},
          {"reminders_sent", i.reminders_sent}};
}

json::object invoice_detail_json(const dues::InvoiceDetail& d) {
  json::object o = invoice_json(d.invoice);
  o["schedule_version"] = d.schedule_version;
  json::array payments;
  for (const auto& p : d.payments) payments.push_back(payment_json(p));
  o["payments"] = std::move(payments);
  return o;
}

json::object payment_json(const dues::Payment& p) {
  return {{"id", p.id},
          {"invoice_id", p.invoice_id},
          {"member_id", p.member_id},
          {"member_name", p.member_name},
          {"year", p.invoice_year},
          {"amount_fen", p.amount_fen},
          {"paid_on", p.paid_on},
          {"method", p.method},
          {"reference", p.reference},
          {"receipt_no", dues::receipt_number(p.receipt_year, p.receipt_seq)},
          {"status", p.status},
          {"reverse_reason", nullable(p.reverse_reason)},
          {"reversed_at", nullable_instant(p.reversed_at)},
          {"recorded_by", p.recorded_by},
          {"created_at", format_instant(p.created_at)}};
}

json::object payment_result_json(const dues::PaymentResult& r) {
  return {{"payment_id", r.payment.id},
          {"receipt_no", dues::receipt_number(r.payment.receipt_year, r.payment.receipt_seq)},
          {"invoice_status", r.invoice_status},
          {"outstanding_fen", r.outstanding_fen}};
}

dues::Payment read_payment(JsonBody& body) {
  dues::Payment p;
  p.amount_fen = body.integer("amount_fen", true, 1, dues::kMaxAmountFen).value_or(0);
  p.paid_on = body.string("paid_on", true, 10).value_or("");
  p.method = body.string("method", true, 20).value_or("");
  if (!p.method.empty() && !dues::is_payment_method(p.method)) {
    body.fail("method", {"应为 bank_transfer、cash、wechat、alipay 或 other",
                         "must be bank_transfer, cash, wechat, alipay or other"});
  }
  p.reference = body.string("reference", false, 200).value_or("");
  return p;
}

json::object receipt_json(const dues::Receipt& r, const std::string& verify_url,
                          const std::string& qr_svg) {
  const dues::Payment& p = r.payment;
  return {{"receipt_no", dues::receipt_number(p.receipt_year, p.receipt_seq)},
          {"receipt_year", p.receipt_year},
          {"seq", p.receipt_seq},
          {"payment_id", p.id},
          {"invoice_id", p.invoice_id},
          {"member_id", p.member_id},
          {"member_name", p.member_name},
          {"uscc", p.uscc},
          {"year", p.invoice_year},
          {"amount_fen", p.amount_fen},
          {"amount_in_words", dues::amount_in_words(p.amount_fen)},
          {"method", p.method},
          {"method_label", dues::method_label(p.method)},
          {"paid_on", p.paid_on},
          {"reference", p.reference},
          {"status", p.status},
          {"reverse_reason", nullable(p.reverse_reason)},
          {"association_name", r.association_name},
          {"payee", r.payee},
          {"issued_at", format_instant(p.created_at)},
          {"verify_url", verify_url},
          {"qr_svg", qr_svg}};
}

json::object receipt_check_json(const dues::Receipt& r) {
  const dues::Payment& p = r.payment;
  return {{"genuine", true},
          {"receipt_no", dues::receipt_number(p.receipt_year, p.receipt_seq)},
          {"member_name", p.member_name},
          {"year", p.invoice_year},
          {"amount_fen", p.amount_fen},
          {"paid_on", p.paid_on},
          {"status", p.status},
          {"association_name", r.association_name}};
}

json::object bill_run_json(const dues::BillRunReport& r) {
  json::object o{
      {"year", r.year}, {"dry_run", r.dry_run}, {"created", r.created}, {"skipped", r.skipped}};
  if (r.dry_run) {
    json::array items;
    for (const auto& i : r.items) {
      items.push_back({{"member_id", i.member_id},
                       {"member_name", i.member_name},
                       {"tier", i.tier},
                       {"amount_fen", i.amount_fen},
                       {"reduced_fen", i.reduced_fen},
                       {"proration", i.proration}});
    }
    o["items"] = std::move(items);
  }
  return o;
}

json::object arrears_page_json(const dues::ArrearsPage& p, int page, int page_size) {
  json::array items;
  for (const auto& a : p.items) {
    items.push_back({{"member_id", a.member_id},
                     {"member_name", a.member_name},
                     {"member_no", a.member_no},
                     {"city_code", a.city_code},
                     {"status", a.status},
                     {"outstanding_fen", a.outstanding_fen},
                     {"oldest_year", a.oldest_year},
                     {"unpaid_years", a.unpaid_years},
                     {"age", a.age},
                     {"reminders_sent", a.reminders_sent}});
  }
  json::object by_age;
  json::object units_by_age;
  for (const auto& [age, figures] : p.by_age) {
    by_age[age] = figures.second;
    units_by_age[age] = figures.first;
  }
  return {{"items", std::move(items)},
          {"total", p.total},
          {"page", page},
          {"page_size", page_size},
          {"totals",
           {{"units", p.total_units},
            {"outstanding_fen", p.total_outstanding_fen},
            {"by_age", std::move(by_age)},
            {"units_by_age", std::move(units_by_age)}}}};
}

json::object lapse_json(const std::vector<dues::LapseItem>& items, bool dry_run) {
  json::array out;
  for (const auto& l : items) {
    out.push_back({{"member_id", l.member_id},
                   {"member_name", l.member_name},
                   {"unpaid_years", l.unpaid_years},
                   {"outstanding_fen", l.outstanding_fen}});
  }
  return {{"dry_run", dry_run}, {"lapsed", std::move(out)}};
}

json::object reminders_json(const std::vector<dues::ReminderItem>& items, bool dry_run) {
  json::array out;
  for (const auto& r : items) {
    out.push_back({{"member_id", r.member_id},
                   {"member_name", r.member_name},
                   {"invoice_id", r.invoice_id},
                   {"year", r.year},
                   {"stage", r.stage},
                   {"outstanding_fen", r.outstanding_fen}});
  }
  return {{"dry_run", dry_run}, {"reminded", std::move(out)}};
}

json::object use_statement_json(const dues::UseStatementView& v) {
  json::array uses;
  long long spent = 0;
  for (const auto& [item, fen] : v.statement.uses) {
    uses.push_back({{"item", item}, {"amount_fen", fen}});
    spent += fen;
  }
  return {{"year", v.statement.year},
          {"income",
           {{"billed_fen", v.billed_fen},
            {"collected_fen", v.collected_fen},
            {"units_paid", v.units_paid}}},
          {"uses", std::move(uses)},
          {"spent_fen", spent},
          {"note", v.statement.note},
          {"published_at", nullable_instant(v.statement.published_at)}};
}

dues::dues_repository::UseStatement read_use_statement(JsonBody& body, int year) {
  dues::dues_repository::UseStatement u;
  u.year = year;
  for (JsonBody& item : body.objects("uses", true, 50)) {
    auto name = item.string("item", true, 100);
    auto fen = item.integer("amount_fen", true, 0, dues::kMaxAmountFen);
    if (name && fen) u.uses.emplace_back(*name, *fen);
    body.absorb(item);
  }
  u.note = body.text_block("note", false, 2000).value_or("");
  return u;
}

json::object invoicing_json(const dues::dues_repository::Invoicing& i) {
  return {{"title", i.title}, {"tax_no", i.tax_no},       {"address", i.address},
          {"phone", i.phone}, {"bank_name", i.bank_name}, {"bank_account", i.bank_account}};
}

dues::dues_repository::Invoicing read_invoicing(JsonBody& body) {
  return {body.string("title", true, 100).value_or(""),
          body.string("tax_no", true, 18).value_or(""),
          body.string("address", false, 200).value_or(""),
          body.string("phone", false, 40).value_or(""),
          body.string("bank_name", false, 100).value_or(""),
          body.string("bank_account", false, 64).value_or("")};
}

json::object fee_json(const dues::FeeView& v) {
  const auto& f = v.fee;
  return {{"id", f.id},
          {"kind", f.kind},
          {"member_id", f.member_id ? json::value(*f.member_id) : json::value()},
          {"payer_name", f.payer_name},
          {"description", f.description},
          {"amount_fen", f.amount_fen},
          {"status", f.status},
          {"fapiao_status", f.fapiao_status},
          {"fapiao_no", nullable(f.fapiao_no)},
          {"fapiao_on", nullable(f.fapiao_on)},
          {"created_at", format_instant(f.created_at)},
          {"invoicing", v.invoicing ? json::value(invoicing_json(*v.invoicing)) : json::value()}};
}

}  // namespace xiehui::web::dto
