#pragma once
// Bank statement import: staff upload the bank's statement (xlsx or CSV, GBK or UTF-8), map its
// columns once per layout, and get for each credit line the open invoices it may pay, scored.
// Confirmed matches become payments keyed by the line, so a statement imported twice records
// nothing twice.

#include <optional>
#include <string>
#include <vector>

#include "core/access.hpp"
#include "core/clock.hpp"
#include "core/db/database.hpp"
#include "core/error.hpp"
#include "services/dues/payment_service.hpp"
#include "services/dues/statement_rules.hpp"

namespace xiehui::dues {

/// A credit line with its suggestions, and whether its key already became a payment.
struct SuggestedLine {
  StatementLine line;
  std::vector<Match> matches;
  bool recorded = false;
};

/// What an upload answers: a mapping to choose (headers, a few sample rows, a guess), or the
/// lines with their suggestions (`id` set when the statement was stored).
struct StatementReview {
  bool needs_mapping = false;
  std::vector<std::string> headers;
  std::vector<std::vector<std::string>> sample;
  ColumnMap suggested;
  std::optional<long long> id;
  bool dry_run = true;
  std::vector<SuggestedLine> lines;
  std::vector<LineProblem> problems;
};

/// A line staff matched to an invoice.
struct ConfirmedMatch {
  int line = 0;
  long long invoice_id = 0;
};

struct ConfirmReport {
  long long recorded = 0;
  long long skipped = 0;  ///< lines already recorded
  std::vector<LineProblem> errors;
};

class StatementService {
 public:
  StatementService(db::Database& db, const Clock& clock, PaymentService& payments)
      : db_(db), clock_(clock), payments_(payments) {}

  /// Reads the file. Without `map` the layout's remembered map is used; none remembered →
  /// needs_mapping. A given map is remembered for the layout. dry_run=false stores the lines.
  Result<StatementReview> upload(std::string_view file, const std::string& file_name,
                                 const std::optional<ColumnMap>& map, bool dry_run,
                                 const Principal& actor);
  /// A stored statement's lines with fresh suggestions.
  Result<StatementReview> get(long long id);
  /// Records a payment (bank transfer) for each confirmed line; a line already recorded is
  /// skipped; a refused one (over-payment, void invoice) is listed.
  Result<ConfirmReport> confirm(long long id, const std::vector<ConfirmedMatch>& matches,
                                const Principal& actor);

 private:
  db::Database& db_;
  const Clock& clock_;
  PaymentService& payments_;
};

}  // namespace xiehui::dues
