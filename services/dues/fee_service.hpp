#pragma once
// The fee ledger: training (and later visit) fees, invoiced with a 发票 and never mixed with
// dues; and each unit's 开票信息 that staff see beside its fees.

#include <optional>
#include <string>
#include <vector>

#include "core/access.hpp"
#include "core/clock.hpp"
#include "core/db/database.hpp"
#include "core/error.hpp"
#include "core/table_export.hpp"
#include "services/dues/dues_repository.hpp"

namespace xiehui::dues {

/// A fee with its unit's 开票信息 (when the unit gave it).
struct FeeView {
  dues_repository::Fee fee;
  std::optional<dues_repository::Invoicing> invoicing;
};

struct FeePage {
  std::vector<FeeView> items;
  long long total = 0;
};

class FeeService {
 public:
  FeeService(db::Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  /// The ledger (staff). status: open, void, invoiced (a 发票 was issued), "" for all.
  Result<FeePage> fees(const dues_repository::FeeFilter& filter, int page, int page_size);
  Result<Table> fees_table(const dues_repository::FeeFilter& filter);
  /// The caller's unit's fees.
  Result<FeePage> my_fees(const Principal& who);
  /// The unit asks for a 发票 of its open fee: conflict once issued, not_found for another's.
  Result<FeeView> request_fapiao(long long fee_id, const Principal& who);
  /// Staff record the 发票 issued: its number (1–64 characters) and date.
  Result<FeeView> set_fapiao(long long fee_id, const std::string& number, const std::string& on,
                             const Principal& actor);

  /// A unit's 开票信息: staff or the unit itself (others: not_found). Before any was saved, the
  /// unit's name and credit code with the rest empty.
  Result<dues_repository::Invoicing> invoicing(long long member_id, const Principal& who);
  /// Saves it: tax_no must be the unit's USCC; title 1–100 characters; the rest optional.
  Result<dues_repository::Invoicing> put_invoicing(long long member_id,
                                                   dues_repository::Invoicing in,
                                                   const Principal& who);

 private:
  db::Database& db_;
  const Clock& clock_;
};

}  // namespace xiehui::dues
