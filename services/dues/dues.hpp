#pragma once
// Dues vocabulary: yearly schedules adopted by the general assembly, reductions, invoices
// (会费通知单), payments with their 会费收据, and the settings the treasurer keeps.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"

namespace xiehui::dues {

/// The general assembly's decision that adopted a schedule (民发〔2014〕166号: ≥ 2/3 of the
/// members present, passed by ≥ 1/2 of those present, by secret ballot).
struct Decision {
  std::string meeting_name;  ///< "第三届第二次会员大会"
  std::string held_on;       ///< YYYY-MM-DD
  int entitled = 0;
  int present = 0;
  int votes_for = 0;
  int votes_against = 0;
  int abstentions = 0;
  bool secret_ballot = false;
  std::optional<long long> resolution_id;
};

/// One version of a year's schedule: a definite amount per tier.
struct Schedule {
  long long id = 0;
  int year = 0;
  int version = 1;
  std::map<std::string, long long> tiers;  ///< tier → amount in 分
  std::string effective_on;                ///< YYYY-MM-DD
  Decision decision;
  std::optional<int> copied_from_year;
  std::optional<Timestamp> published_at;
  std::optional<Timestamp> superseded_at;
  Timestamp created_at;
};

/// A ratio of members, such as 2/3.
struct Ratio {
  int num = 0;
  int den = 1;
};

/// What part of a year's dues a unit that joins during the year pays.
enum class Proration { full, half_after_july, quarters };

/// The association's bank account, shown to members for transfers.
struct BankDetails {
  std::string account_name;
  std::string bank_name;
  std::string account_no;
};

/// Dues settings, kept in the settings table and changed by staff at run time.
struct DuesSettings {
  Ratio quorum{2, 3};  ///< members present of those entitled
  Ratio pass{1, 2};    ///< votes for of those present ("以上" includes the number)
  Proration proration = Proration::half_after_july;
  std::string billing_date_mmdd = "01-01";  ///< the bill run's date within the year (MM-DD)
  int lapse_years = 1;                      ///< unpaid years after a reminder before lapse
  bool reinstate_on_payment = true;
  std::vector<int> reminder_days{30, 90, 180};  ///< days after issue a reminder goes out
  std::string association_name = "湖南省开发区协会";
  std::string payee = "湖南省开发区协会秘书处";
  BankDetails bank;
};

/// A reduction or waiver (减免) for one unit and year: an amount or a percentage.
struct Reduction {
  long long id = 0;
  long long member_id = 0;
  std::string member_name;
  int year = 0;
  std::optional<long long> amount_fen;
  std::optional<int> percent;
  std::string reason;
  std::string approved_by;
  Timestamp created_at;
  std::optional<Timestamp> revoked_at;
};

/// A 会费通知单: what one unit owes for one year.
struct Invoice {
  long long id = 0;
  long long member_id = 0;
  std::string member_name;
  std::string member_no;
  std::string city_code;
  int year = 0;
  std::string tier;
  long long schedule_id = 0;
  long long full_fen = 0;    ///< the tier's amount for the whole year
  long long amount_fen = 0;  ///< after proration
  long long reduced_fen = 0;
  long long paid_fen = 0;
  std::string status;     ///< unpaid, partial, paid, void
  std::string proration;  ///< full, half, quarters:N
  std::string issued_on;
  int reminders_sent = 0;
  std::optional<std::string> last_reminded_on;
  long long outstanding_fen() const { return amount_fen - reduced_fen - paid_fen; }
};

/// A payment of dues, with its receipt.
struct Payment {
  long long id = 0;
  long long invoice_id = 0;
  long long member_id = 0;
  std::string member_name;
  std::string uscc;
  int invoice_year = 0;
  long long amount_fen = 0;
  std::string paid_on;
  std::string method;  ///< bank_transfer, cash, wechat, alipay, other
  std::string reference;
  int receipt_year = 0;
  long long receipt_seq = 0;
  std::string verify_code;
  std::string status;  ///< valid, void
  std::optional<std::string> source_key;
  std::optional<std::string> reverse_reason;
  std::optional<Timestamp> reversed_at;
  std::string recorded_by;
  Timestamp created_at;
};

/// What recording a payment answers.
struct PaymentResult {
  Payment payment;
  std::string invoice_status;
  long long outstanding_fen = 0;
};

/// A unit's arrears: what is owed and how old the oldest unpaid year is.
struct Arrears {
  long long member_id = 0;
  std::string member_name;
  std::string member_no;
  std::string city_code;
  std::string status;
  long long outstanding_fen = 0;
  int oldest_year = 0;
  int unpaid_years = 0;
  std::string age;  ///< current, 1y, 2y, 3y+
  int reminders_sent = 0;
};

}  // namespace xiehui::dues
