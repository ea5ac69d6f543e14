#pragma once
// JSON shapes of dues, payments, receipts and the fee ledger (API.md "Dues").

#include <boost/json/object.hpp>

#include "services/dues/dues.hpp"
#include "services/dues/dues_service.hpp"
#include "services/dues/fee_service.hpp"
#include "services/dues/payment_service.hpp"
#include "web/json_body.hpp"

namespace xiehui::web::dto {

/// All settings for staff; `association_name`, `payee` and `bank` only for everyone else.
boost::json::object dues_settings_json(const dues::DuesSettings& s, bool full);
/// `base` with the fields the body gives (every field optional); type errors go to `body`.
dues::DuesSettings read_dues_settings(JsonBody& body, dues::DuesSettings base);

boost::json::object schedule_json(const dues::Schedule& s, const dues::DuesSettings& settings);
boost::json::object schedule_view_json(const dues::ScheduleView& v,
                                       const dues::DuesSettings& settings);
/// {"tiers":{tier: fen},"effective_on","decision":{…}}; errors name "tiers.member",
/// "decision.present", …
dues::ScheduleInput read_schedule_input(JsonBody& body);

boost::json::object reduction_json(const dues::Reduction& r);
dues::Reduction read_reduction(JsonBody& body);

boost::json::object invoice_json(const dues::Invoice& i);
boost::json::object invoice_detail_json(const dues::InvoiceDetail& d);
boost::json::object payment_json(const dues::Payment& p);
/// {"payment_id","receipt_no","invoice_status","outstanding_fen"}: the answer to a payment.
boost::json::object payment_result_json(const dues::PaymentResult& r);
/// {"amount_fen","paid_on","method","reference"}.
dues::Payment read_payment(JsonBody& body);
/// The printable receipt; `verify_url` and `qr_svg` point at the public check.
boost::json::object receipt_json(const dues::Receipt& r, const std::string& verify_url,
                                 const std::string& qr_svg);
/// The public check: genuine, number, unit, amount, status.
boost::json::object receipt_check_json(const dues::Receipt& r);

boost::json::object bill_run_json(const dues::BillRunReport& r);
boost::json::object arrears_page_json(const dues::ArrearsPage& p, int page, int page_size);
boost::json::object lapse_json(const std::vector<dues::LapseItem>& items, bool dry_run);
boost::json::object reminders_json(const std::vector<dues::ReminderItem>& items, bool dry_run);
boost::json::object use_statement_json(const dues::UseStatementView& v);
/// {"uses":[{"item","amount_fen"}],"note"} for `year`.
dues::dues_repository::UseStatement read_use_statement(JsonBody& body, int year);

boost::json::object fee_json(const dues::FeeView& f);
boost::json::object invoicing_json(const dues::dues_repository::Invoicing& i);
dues::dues_repository::Invoicing read_invoicing(JsonBody& body);

}  // namespace xiehui::web::dto
