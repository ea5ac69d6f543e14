#pragma once
// Pure rules of dues: the charter's thresholds for the assembly's decision, checking schedules,
// reductions and payments, proration for units joining during the year, amounts in Chinese
// capitals, receipt numbers, ageing of arrears, reminders, lapse, statement matching scores and
// the settings' stored form. No database, no clock: everything they need is passed in.

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/time.hpp"
#include "services/dues/dues.hpp"

namespace xiehui::dues {

/// The largest amount any dues field may hold: 100,000,000.00 元.
inline constexpr long long kMaxAmountFen = 10'000'000'000LL;

/// The tiers a schedule must price, in order (member … president).
const std::vector<std::string>& dues_tiers();

/// Whether `present` of `entitled` and `votes_for` of `present` reach the ratios ("以上" includes
/// the number itself: 2/3 of 30 is met by 20) and the vote was secret.
bool decision_passes(const Decision& d, const Ratio& quorum, const Ratio& pass);

/// Names each bad field of a decision: "decision.meeting_name" (1–100 characters),
/// "decision.held_on" (a date), "decision.entitled" (≥ 1), "decision.present" (0..entitled),
/// "decision.votes_for" (votes for + against + abstaining ≤ present), "decision.votes_against"
/// and "decision.abstentions" (≥ 0; a negative votes_for is named too). When all of those are
/// well formed but the decision does not pass (quorum, majority or secret ballot), one error for
/// "decision" that says which thresholds failed, with the numbers (several joined by "；").
std::vector<FieldError> check_decision(const Decision& d, const DuesSettings& settings);

/// Names each bad tier: every tier of dues_tiers() needs an amount 0..kMaxAmountFen
/// ("tiers.member"); an unknown tier name is refused ("tiers.<name>").
std::vector<FieldError> check_tiers(const std::map<std::string, long long>& tiers);

/// What a unit owes for `year` given its tier's full amount and the date it joined: the whole
/// amount when it joined before the year, or per `rule` when it joined during the year (half
/// after 1 July: half from 07-01 on; quarters: the quarters left including the joining one);
/// nullopt when it joined after the year. `label` is "full", "half" or "quarters:N".
struct Prorated {
  long long amount_fen = 0;
  std::string label;
};
std::optional<Prorated> prorate(long long full_fen, Date joined_on, int year, Proration rule);

/// What a reduction takes off an invoice of `amount_fen`: the percentage (rounded to the 分,
/// half up) or the amount, never more than `amount_fen`.
long long reduction_fen(long long amount_fen, const Reduction& r);

/// Names each bad field of a reduction: exactly one of "amount_fen" (1..kMaxAmountFen) and
/// "percent" (1..100); "reason" 1–500 characters; "approved_by" 1–100; "year" 2000..2200.
std::vector<FieldError> check_reduction(const Reduction& r);

/// An invoice's status from its figures: paid when nothing is outstanding and something was
/// paid, waived when the reduction took it all and nothing was paid, partial when part is paid,
/// else unpaid.
std::string invoice_status(long long amount_fen, long long reduced_fen, long long paid_fen);

/// The payment methods: bank_transfer, cash, wechat, alipay, other.
bool is_payment_method(std::string_view m);

/// Names each bad field of a payment to record: "amount_fen" (1..kMaxAmountFen), "paid_on" (a
/// date not after `today`), "method", "reference" (≤ 200 characters, no control characters).
std::vector<FieldError> check_payment(const Payment& p, Date today);

/// An amount in Chinese financial capitals as printed on receipts: 0 → "人民币零元整",
/// 1005 → "人民币壹拾元零伍分", 150 → "人民币壹元伍角整", 5 → "人民币伍分",
/// 100000100000 → "人民币壹拾亿零壹仟元整"... Negative amounts are written with "负" leading
/// the number ("人民币负壹元整").
std::string amount_in_words(long long fen);

/// "2026-000017"; the sequence takes more digits past 999999.
std::string receipt_number(int year, long long seq);
/// {year, seq} of a well-formed receipt number, else nullopt.
std::optional<std::pair<int, long long>> parse_receipt_number(std::string_view text);

/// The age of a unit's arrears by the oldest year still unpaid: "current" (this year), "1y",
/// "2y", "3y+".
std::string age_bucket(int oldest_unpaid_year, int as_of_year);

/// Which reminder is due for an open invoice: the index into `days` of the next reminder when
/// `days_since_issue` has reached it (reminders go out in order, one per run), else nullopt.
std::optional<int> reminder_due(int days_since_issue, int reminders_sent,
                                const std::vector<int>& days);

/// The charter's lapse: an active unit with `unpaid_years` past years unpaid (years before the
/// current one with something outstanding) lapses once that reaches `lapse_years` and it was
/// reminded at least once.
bool should_lapse(std::string_view member_status, int unpaid_years, int reminders_sent,
                  int lapse_years);

/// One credit line of a bank statement.
struct StatementLine {
  int line = 0;  ///< 1-based data row
  std::string date;
  std::string payer;
  long long amount_fen = 0;
  std::string reference;
};

/// An open invoice a line may pay, with what identifies its unit.
struct MatchCandidate {
  long long invoice_id = 0;
  long long member_id = 0;
  std::string member_name;
  std::string short_name;
  std::vector<std::string> former_names;
  std::string member_no;
  int year = 0;
  long long outstanding_fen = 0;
};

/// A suggested match with a confidence 0–100 and the reasons in Chinese ("付款人与单位名称一致；
/// 金额与应缴一致").
struct Match {
  long long invoice_id = 0;
  long long member_id = 0;
  std::string member_name;
  int score = 0;
  std::string reason;
};

/// The candidates a line may pay, best first, at most `limit`, scored by payer name (the name,
/// a former name or the short name, compared without spaces and with full-width brackets
/// folded), by amount (equal to what is outstanding, or less) and by reference text (member
/// number, name or year). Candidates without any name or reference hit are left out.
std::vector<Match> score_matches(const StatementLine& line,
                                 const std::vector<MatchCandidate>& candidates,
                                 std::size_t limit = 3);

/// The settings as stored rows ("dues.quorum" → "2/3", ...), and back. Unknown or malformed
/// rows keep the default.
std::map<std::string, std::string> settings_to_rows(const DuesSettings& s);
DuesSettings settings_from_rows(const std::map<std::string, std::string>& rows);
/// Names each bad field of new settings ("quorum", "pass": 0 < num ≤ den ≤ 1000;
/// "lapse_years" 1..10; "reminder_days" ascending 1..3650, at most 12; "billing_date" MM-DD;
/// "bank.account_no" digits and spaces ≤ 40; names ≤ 100 characters).
std::vector<FieldError> check_settings(const DuesSettings& s);
std::string_view to_string(Proration p);
std::optional<Proration> parse_proration(std::string_view text);

}  // namespace xiehui::dues
