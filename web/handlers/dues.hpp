#pragma once
// Dues: settings, schedules, reductions, bill runs, invoices, payments and receipts, arrears,
// lapse and reminder runs, reports, the income and use statement; the fee ledger and 开票信息.

#include "web/router.hpp"

namespace xiehui::web::handlers {

Response get_dues_settings(RequestContext& ctx);
Response put_dues_settings(RequestContext& ctx);
Response list_schedules(RequestContext& ctx);
Response get_schedule(RequestContext& ctx);
Response put_schedule(RequestContext& ctx);
Response publish_schedule(RequestContext& ctx);
Response list_reductions(RequestContext& ctx);
Response create_reduction(RequestContext& ctx);
Response revoke_reduction(RequestContext& ctx);
Response run_bill(RequestContext& ctx);
Response list_invoices(RequestContext& ctx);
Response get_invoice(RequestContext& ctx);
Response list_arrears(RequestContext& ctx);
Response run_lapse(RequestContext& ctx);
Response run_reminders(RequestContext& ctx);
Response get_use_statement(RequestContext& ctx);
Response put_use_statement(RequestContext& ctx);
Response publish_use_statement(RequestContext& ctx);

// Payments and receipts (dues_payments.cpp).
Response record_payment(RequestContext& ctx);
Response list_payments(RequestContext& ctx);
Response reverse_payment(RequestContext& ctx);
Response get_receipt(RequestContext& ctx);
Response verify_receipt(RequestContext& ctx);

// Bank statements (dues_statements.cpp).
Response upload_statement(RequestContext& ctx);
Response get_statement(RequestContext& ctx);
Response confirm_statement(RequestContext& ctx);

// The fee ledger and 开票信息 (fees.cpp).
Response list_fees(RequestContext& ctx);
Response my_fees(RequestContext& ctx);
Response update_fee(RequestContext& ctx);
Response request_fapiao(RequestContext& ctx);
Response get_invoicing(RequestContext& ctx);
Response put_invoicing(RequestContext& ctx);

}  // namespace xiehui::web::handlers
