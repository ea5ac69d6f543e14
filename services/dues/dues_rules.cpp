#include "services/dues/dues_rules.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>
#include <limits>

#include "core/validate.hpp"
#include "services/accounts/account_rules.hpp"

namespace xiehui::dues {
namespace {

constexpr std::array<std::string_view, 5> kPaymentMethods = {"bank_transfer", "cash", "wechat",
                                                             "alipay", "other"};

/// "应为 min–max 个字符" unless `value` has min..max characters, else the control-character
/// error: one message per field.
void check_text(std::vector<FieldError>& errors, std::string_view value, const std::string& field,
                std::size_t min, std::size_t max, bool allow_newlines = false) {
  const std::size_t before = errors.size();
  accounts::check_length(errors, value, field, min, max);
  if (errors.size() == before && has_control_chars(value, allow_newlines)) {
    errors.push_back({field, control_chars_message(allow_newlines)});
  }
}

bool all_digits(std::string_view s) {
  return !s.empty() && std::ranges::all_of(s, [](char c) { return c >= '0' && c <= '9'; });
}

/// A whole number that is the whole of `s` (a leading "-" is read as a sign).
template <class T>
std::optional<T> parse_number(std::string_view s) {
  T value{};
  const char* end = s.data() + s.size();
  const auto [ptr, ec] = std::from_chars(s.data(), end, value);
  if (s.empty() || ec != std::errc{} || ptr != end) return std::nullopt;
  return value;
}

/// The smallest whole number of `total` that reaches num/den of it ("以上" includes it).
long long at_least(const Ratio& r, long long total) {
  if (r.den <= 0) return total;
  return (static_cast<long long>(r.num) * total + r.den - 1) / r.den;
}

std::string ratio_text(const Ratio& r) { return fmt::format("{}/{}", r.num, r.den); }

bool ratio_ok(const Ratio& r) { return r.num > 0 && r.num <= r.den && r.den <= 1000; }

std::optional<Ratio> parse_ratio(std::string_view s) {
  const auto slash = s.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  const auto num = parse_number<int>(s.substr(0, slash));
  const auto den = parse_number<int>(s.substr(slash + 1));
  if (!num || !den) return std::nullopt;
  const Ratio r{*num, *den};
  if (!ratio_ok(r)) return std::nullopt;
  return r;
}

/// Whether "MM-DD" is a day every year has (no 02-29).
bool mmdd_ok(std::string_view s) {
  if (s.size() != 5 || s[2] != '-' || !all_digits(s.substr(0, 2)) || !all_digits(s.substr(3))) {
    return false;
  }
  const auto month = static_cast<unsigned>((s[0] - '0') * 10 + (s[1] - '0'));
  const auto day = static_cast<unsigned>((s[3] - '0') * 10 + (s[4] - '0'));
  return Date{std::chrono::year{2001}, std::chrono::month{month}, std::chrono::day{day}}.ok();
}

std::string join_days(const std::vector<int>& days) {
  std::string out;
  for (const int d : days) {
    if (!out.empty()) out += ',';
    out += std::to_string(d);
  }
  return out;
}

std::optional<std::vector<int>> parse_days(std::string_view s) {
  std::vector<int> days;
  if (s.empty()) return days;
  while (true) {
    const auto comma = s.find(',');
    const auto d = parse_number<int>(s.substr(0, comma));
    if (!d) return std::nullopt;
    days.push_back(*d);
    if (comma == std::string_view::npos) break;
    s.remove_prefix(comma + 1);
  }
  return days;
}

bool days_ok(const std::vector<int>& days) {
  if (days.size() > 12) return false;
  for (std::size_t i = 0; i < days.size(); ++i) {
    if (days[i] < 1 || days[i] > 3650) return false;
    if (i > 0 && days[i] <= days[i - 1]) return false;
  }
  return true;
}

}  // namespace

const std::vector<std::string>& dues_tiers() {
  static const std::vector<std::string> tiers = {"member", "council", "standing_council",
                                                 "vice_president", "president"};
  return tiers;
}

bool decision_passes(const Decision& d, const Ratio& quorum, const Ratio& pass) {
  if (d.entitled < 1) return false;
  const long long entitled = d.entitled;
  const long long present = d.present;
  const long long votes_for = d.votes_for;
  return present * quorum.den >= quorum.num * entitled &&
         votes_for * pass.den >= pass.num * present && d.secret_ballot;
}

std::vector<FieldError> check_decision(const Decision& d, const DuesSettings& settings) {
  std::vector<FieldError> errors;
  check_text(errors, d.meeting_name, "decision.meeting_name", 1, 100);
  if (!parse_date(d.held_on)) {
    errors.push_back(
        {"decision.held_on", {"应为日期（YYYY-MM-DD）", "must be a date (YYYY-MM-DD)"}});
  }
  if (d.entitled < 1) {
    errors.push_back({"decision.entitled", {"应到人数至少为 1", "must be at least 1"}});
  }
  if (d.present < 0 || (d.entitled >= 1 && d.present > d.entitled)) {
    errors.push_back({"decision.present",
                      {fmt::format("实到人数应为 0–{}", std::max(d.entitled, 0)),
                       fmt::format("must be 0–{} (those entitled)", std::max(d.entitled, 0))}});
  }
  const std::array<std::pair<int, const char*>, 3> votes = {
      {{d.votes_for, "decision.votes_for"},
       {d.votes_against, "decision.votes_against"},
       {d.abstentions, "decision.abstentions"}}};
  bool votes_ok = true;
  for (const auto& [count, field] : votes) {
    if (count < 0) {
      errors.push_back({field, {"票数不能为负数", "must not be negative"}});
      votes_ok = false;
    }
  }
  const long long cast = static_cast<long long>(d.votes_for) + d.votes_against + d.abstentions;
  if (votes_ok && d.present >= 0 && cast > d.present) {
    errors.push_back({"decision.votes_for",
                      {fmt::format("赞成、反对、弃权票合计 {} 超过实到人数 {}", cast, d.present),
                       fmt::format("{} votes for, against and abstaining exceed the {} present",
                                   cast, d.present)}});
  }
  if (!errors.empty() || decision_passes(d, settings.quorum, settings.pass)) return errors;

  std::vector<Text> failed;
  const Ratio& q = settings.quorum;
  const Ratio& p = settings.pass;
  const long long entitled = d.entitled;
  const long long present = d.present;
  if (present * q.den < q.num * entitled || q.den <= 0) {
    const auto need = at_least(q, entitled);
    failed.push_back({fmt::format("出席人数 {} 未达到应到 {} 人的 {}（至少 {} 人）", present,
                                  entitled, ratio_text(q), need),
                      fmt::format("{} present is below {} of {} entitled (at least {})", present,
                                  ratio_text(q), entitled, need)});
  }
  if (static_cast<long long>(d.votes_for) * p.den < p.num * present || p.den <= 0) {
    const auto need = at_least(p, present);
    failed.push_back({fmt::format("赞成票 {} 未达到出席人数 {} 人的 {}（至少 {} 票）", d.votes_for,
                                  present, ratio_text(p), need),
                      fmt::format("{} votes for is below {} of {} present (at least {})",
                                  d.votes_for, ratio_text(p), present, need)});
  }
  if (!d.secret_ballot) {
    failed.push_back({"会费标准须经无记名投票表决", "dues must be adopted by secret ballot"});
  }
  Text message;
  for (const auto& t : failed) {
    message.zh += (message.zh.empty() ? "" : "；") + t.zh;
    message.en += (message.en.empty() ? "" : "; ") + t.en;
  }
  errors.push_back({"decision", std::move(message)});
  return errors;
}

std::vector<FieldError> check_tiers(const std::map<std::string, long long>& tiers) {
  std::vector<FieldError> errors;
  for (const auto& tier : dues_tiers()) {
    const auto it = tiers.find(tier);
    if (it == tiers.end()) {
      errors.push_back({"tiers." + tier, {"请填写该档次的会费金额", "an amount is required"}});
    } else if (it->second < 0 || it->second > kMaxAmountFen) {
      errors.push_back(
          {"tiers." + tier, {"金额应为 0–100000000.00 元", "must be 0–100000000.00 yuan"}});
    }
  }
  for (const auto& [name, amount] : tiers) {
    if (std::ranges::find(dues_tiers(), name) == dues_tiers().end()) {
      errors.push_back({"tiers." + name, {"未知的会员档次", "unknown tier"}});
    }
  }
  return errors;
}

std::optional<Prorated> prorate(long long full_fen, Date joined_on, int year, Proration rule) {
  const int joined_year = static_cast<int>(joined_on.year());
  if (joined_year > year) return std::nullopt;
  if (joined_year < year || rule == Proration::full) return Prorated{full_fen, "full"};
  const auto month = static_cast<long long>(static_cast<unsigned>(joined_on.month()));
  if (rule == Proration::half_after_july) {
    if (month >= 7) return Prorated{(full_fen + 1) / 2, "half"};
    return Prorated{full_fen, "full"};
  }
  const long long quarters = 4 - (month - 1) / 3;
  if (quarters >= 4) return Prorated{full_fen, "full"};
  return Prorated{(full_fen * quarters + 2) / 4, fmt::format("quarters:{}", quarters)};
}

long long reduction_fen(long long amount_fen, const Reduction& r) {
  if (amount_fen <= 0) return 0;
  if (r.percent) {
    const long long percent = std::clamp(*r.percent, 0, 100);
    return (amount_fen * percent + 50) / 100;
  }
  if (r.amount_fen) return std::clamp(*r.amount_fen, 0LL, amount_fen);
  return 0;
}

std::vector<FieldError> check_reduction(const Reduction& r) {
  std::vector<FieldError> errors;
  if (r.amount_fen && r.percent) {
    errors.push_back(
        {"percent",
         {"减免金额和减免比例只能填写一项", "give an amount or a percentage, not both"}});
  } else if (!r.amount_fen && !r.percent) {
    errors.push_back(
        {"amount_fen", {"请填写减免金额或减免比例", "give an amount or a percentage"}});
  } else if (r.amount_fen && (*r.amount_fen < 1 || *r.amount_fen > kMaxAmountFen)) {
    errors.push_back(
        {"amount_fen", {"金额应为 0.01–100000000.00 元", "must be 0.01–100000000.00 yuan"}});
  } else if (r.percent && (*r.percent < 1 || *r.percent > 100)) {
    errors.push_back({"percent", {"比例应为 1–100", "must be 1–100"}});
  }
  check_text(errors, r.reason, "reason", 1, 500, true);
  check_text(errors, r.approved_by, "approved_by", 1, 100);
  if (r.year < 2000 || r.year > 2200) {
    errors.push_back({"year", {"年度应为 2000–2200", "must be 2000–2200"}});
  }
  return errors;
}

std::string invoice_status(long long amount_fen, long long reduced_fen, long long paid_fen) {
  const long long due = amount_fen - reduced_fen;
  if (paid_fen > 0) return due - paid_fen <= 0 ? "paid" : "partial";
  return due <= 0 ? "waived" : "unpaid";
}

bool is_payment_method(std::string_view m) {
  return std::ranges::find(kPaymentMethods, m) != kPaymentMethods.end();
}

std::vector<FieldError> check_payment(const Payment& p, Date today) {
  std::vector<FieldError> errors;
  if (p.amount_fen < 1 || p.amount_fen > kMaxAmountFen) {
    errors.push_back(
        {"amount_fen", {"金额应为 0.01–100000000.00 元", "must be 0.01–100000000.00 yuan"}});
  }
  const auto paid_on = parse_date(p.paid_on);
  if (!paid_on) {
    errors.push_back({"paid_on", {"应为日期（YYYY-MM-DD）", "must be a date (YYYY-MM-DD)"}});
  } else if (static_cast<int>(paid_on->year()) < 2000) {
    errors.push_back({"paid_on", {"付款日期不能早于 2000 年", "must not be before 2000"}});
  } else if (std::chrono::sys_days{*paid_on} > std::chrono::sys_days{today}) {
    errors.push_back({"paid_on",
                      {"付款日期不能晚于今天（" + format_date(today) + "）",
                       "must not be after today (" + format_date(today) + ")"}});
  }
  if (!is_payment_method(p.method)) {
    errors.push_back({"method",
                      {"付款方式应为 bank_transfer、cash、wechat、alipay 或 other",
                       "must be bank_transfer, cash, wechat, alipay or other"}});
  }
  check_text(errors, p.reference, "reference", 0, 200);
  return errors;
}

std::string receipt_number(int year, long long seq) {
  return fmt::format("{:04}-{:06}", year, seq);
}

std::optional<std::pair<int, long long>> parse_receipt_number(std::string_view text) {
  if (text.size() < 11 || text[4] != '-') return std::nullopt;
  const auto year_text = text.substr(0, 4);
  const auto seq_text = text.substr(5);
  if (!all_digits(year_text) || !all_digits(seq_text)) return std::nullopt;
  // Only the form receipt_number writes: six digits, or more without a leading zero.
  if (seq_text.size() > 6 && seq_text.front() == '0') return std::nullopt;
  const auto year = parse_number<int>(year_text);
  const auto seq = parse_number<long long>(seq_text);
  if (!year || !seq || *seq < 1) return std::nullopt;
  return std::pair{*year, *seq};
}

std::string age_bucket(int oldest_unpaid_year, int as_of_year) {
  const int age = as_of_year - oldest_unpaid_year;
  if (age <= 0) return "current";
  if (age == 1) return "1y";
  if (age == 2) return "2y";
  return "3y+";
}

std::optional<int> reminder_due(int days_since_issue, int reminders_sent,
                                const std::vector<int>& days) {
  const int next = std::max(reminders_sent, 0);
  if (static_cast<std::size_t>(next) >= days.size()) return std::nullopt;
  if (days_since_issue < days[static_cast<std::size_t>(next)]) return std::nullopt;
  return next;
}

bool should_lapse(std::string_view member_status, int unpaid_years, int reminders_sent,
                  int lapse_years) {
  return member_status == "active" && lapse_years >= 1 && unpaid_years >= lapse_years &&
         reminders_sent >= 1;
}

std::map<std::string, std::string> settings_to_rows(const DuesSettings& s) {
  return {
      {"dues.quorum", ratio_text(s.quorum)},
      {"dues.pass", ratio_text(s.pass)},
      {"dues.proration", std::string(to_string(s.proration))},
      {"dues.billing_date", s.billing_date_mmdd},
      {"dues.lapse_years", std::to_string(s.lapse_years)},
      {"dues.reinstate_on_payment", s.reinstate_on_payment ? "true" : "false"},
      {"dues.reminder_days", join_days(s.reminder_days)},
      {"dues.association_name", s.association_name},
      {"dues.payee", s.payee},
      {"dues.bank.account_name", s.bank.account_name},
      {"dues.bank.bank_name", s.bank.bank_name},
      {"dues.bank.account_no", s.bank.account_no},
  };
}

DuesSettings settings_from_rows(const std::map<std::string, std::string>& rows) {
  DuesSettings s;
  const auto get = [&](const char* key) -> const std::string* {
    const auto it = rows.find(key);
    return it == rows.end() ? nullptr : &it->second;
  };
  if (const auto* v = get("dues.quorum")) s.quorum = parse_ratio(*v).value_or(s.quorum);
  if (const auto* v = get("dues.pass")) s.pass = parse_ratio(*v).value_or(s.pass);
  if (const auto* v = get("dues.proration")) {
    s.proration = parse_proration(*v).value_or(s.proration);
  }
  if (const auto* v = get("dues.billing_date"); v && mmdd_ok(*v)) s.billing_date_mmdd = *v;
  if (const auto* v = get("dues.lapse_years")) {
    if (const auto n = parse_number<int>(*v); n && *n >= 1 && *n <= 10) s.lapse_years = *n;
  }
  if (const auto* v = get("dues.reinstate_on_payment")) {
    if (*v == "true") s.reinstate_on_payment = true;
    if (*v == "false") s.reinstate_on_payment = false;
  }
  if (const auto* v = get("dues.reminder_days")) {
    if (auto days = parse_days(*v); days && days_ok(*days)) s.reminder_days = std::move(*days);
  }
  if (const auto* v = get("dues.association_name"); v && !v->empty()) s.association_name = *v;
  if (const auto* v = get("dues.payee"); v && !v->empty()) s.payee = *v;
  if (const auto* v = get("dues.bank.account_name")) s.bank.account_name = *v;
  if (const auto* v = get("dues.bank.bank_name")) s.bank.bank_name = *v;
  if (const auto* v = get("dues.bank.account_no")) s.bank.account_no = *v;
  return s;
}

std::vector<FieldError> check_settings(const DuesSettings& s) {
  std::vector<FieldError> errors;
  const Text ratio_message{"比例应为 a/b，0 < a ≤ b ≤ 1000", "must be a/b with 0 < a ≤ b ≤ 1000"};
  if (!ratio_ok(s.quorum)) errors.push_back({"quorum", ratio_message});
  if (!ratio_ok(s.pass)) errors.push_back({"pass", ratio_message});
  if (s.lapse_years < 1 || s.lapse_years > 10) {
    errors.push_back({"lapse_years", {"应为 1–10 年", "must be 1–10 years"}});
  }
  if (!days_ok(s.reminder_days)) {
    errors.push_back({"reminder_days",
                      {"提醒天数应为 1–3650 的递增数列，最多 12 个",
                       "must be at most 12 ascending numbers of days, 1–3650"}});
  }
  if (!mmdd_ok(s.billing_date_mmdd)) {
    errors.push_back({"billing_date",
                      {"应为每年都有的日期 MM-DD（如 01-01）",
                       "must be a day every year has, MM-DD (such as 01-01)"}});
  }
  check_text(errors, s.association_name, "association_name", 1, 100);
  check_text(errors, s.payee, "payee", 1, 100);
  check_text(errors, s.bank.account_name, "bank.account_name", 0, 100);
  check_text(errors, s.bank.bank_name, "bank.bank_name", 0, 100);
  const bool account_no_ok =
      s.bank.account_no.size() <= 40 && std::ranges::all_of(s.bank.account_no, [](char c) {
        return (c >= '0' && c <= '9') || c == ' ';
      });
  if (!account_no_ok) {
    errors.push_back({"bank.account_no",
                      {"账号应为数字（可含空格），最多 40 位",
                       "must be digits and spaces, at most 40 characters"}});
  }
  return errors;
}

std::string_view to_string(Proration p) {
  switch (p) {
    case Proration::full:
      return "full";
    case Proration::half_after_july:
      return "half_after_july";
    case Proration::quarters:
      return "quarters";
  }
  return "full";
}

std::optional<Proration> parse_proration(std::string_view text) {
  if (text == "full") return Proration::full;
  if (text == "half_after_july") return Proration::half_after_july;
  if (text == "quarters") return Proration::quarters;
  return std::nullopt;
}

}  // namespace xiehui::dues
