#pragma once
// Payments of dues and their 会费收据. Each payment locks its invoice (no over-payment however
// many arrive at once) and then the year's receipt counter, so receipt numbers are gapless and
// unique across every process on one database. A payment is never deleted: a reversal (冲正)
// voids it and its receipt, which keeps its number. Idempotency-Key records make a retried
// request answer what the first one answered.

#include <functional>
#include <optional>
#include <string>

#include "core/access.hpp"
#include "core/clock.hpp"
#include "core/db/database.hpp"
#include "core/error.hpp"
#include "core/table_export.hpp"
#include "services/dues/dues.hpp"
#include "services/dues/dues_repository.hpp"

namespace xiehui::dues {

/// A request's Idempotency-Key, scoped to the caller, and the hash of what it asked.
struct IdempotencyClaim {
  std::string scope;
  std::string key;
  std::string request_hash;
};

/// What starting an idempotent request found: a fresh record to finish (`record_id`), or the
/// stored answer of the first request with that key to send again.
struct IdempotencyStart {
  std::optional<long long> record_id;
  int http_status = 0;
  std::string body;
};

/// The answer to store with a payment: HTTP status and body, rendered by the caller.
using RenderPayment = std::function<std::pair<int, std::string>(const PaymentResult&)>;

/// A receipt as printed: the payment and who issued it.
struct Receipt {
  Payment payment;
  std::string association_name;
  std::string payee;
};

struct PaymentPage {
  std::vector<Payment> items;
  long long total = 0;
};

class PaymentService {
 public:
  PaymentService(db::Database& db, const Clock& clock) : db_(db), clock_(clock) {}

  /// Claims a key: a fresh record, or the stored answer to replay. The same key with another
  /// request → idempotency_mismatch; the same key still in flight → conflict. A record left in
  /// flight for 5 minutes (its process died) is taken over.
  Result<IdempotencyStart> begin_idempotent(const IdempotencyClaim& claim);
  /// Stores the answer of a request that failed after it started (a conflict, not found).
  Status complete_idempotent(long long record_id, int http_status, const std::string& body);
  /// Forgets a claim whose request may be retried (it failed validation, or the database did).
  Status release_idempotent(long long record_id);

  /// Records a payment on an invoice. conflict (with figure outstanding_fen) when it exceeds
  /// what is outstanding or the invoice is void; not_found for an unknown invoice. With
  /// `record_id` the rendered answer is stored in the same transaction. A unit that lapsed and
  /// now owes nothing is reinstated when the settings say so.
  Result<PaymentResult> record(long long invoice_id, Payment in, const Principal& actor,
                               std::optional<long long> record_id = std::nullopt,
                               const RenderPayment& render = {});
  /// Reverses a payment with a reason (1–500 characters): it and its receipt become void, the
  /// invoice is open again. conflict when already reversed.
  Result<Payment> reverse(long long payment_id, const std::string& reason, const Principal& actor);

  /// A receipt by its number: staff, leaders, or the paying unit (others: not_found).
  Result<Receipt> receipt(const std::string& receipt_no, const Principal& who);
  /// The public check of a receipt by the code its QR carries.
  Result<Receipt> verify(const std::string& code);
  Result<PaymentPage> payments(const dues_repository::PaymentFilter& filter, int page,
                               int page_size);
  Result<Table> payments_table(const dues_repository::PaymentFilter& filter);

 private:
  db::Database& db_;
  const Clock& clock_;
};

}  // namespace xiehui::dues
