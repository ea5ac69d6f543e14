#pragma once
// The composition root as an object: config → Database → migrations → services → router →
// server. main() and the HTTP tests build the same App.

#include <boost/asio/ip/tcp.hpp>

#include <memory>
#include <thread>
#include <vector>

#include "core/clock.hpp"
#include "core/config.hpp"
#include "core/db/database.hpp"
#include "core/error.hpp"
#include "services/accounts/accounts_service.hpp"
#include "services/accounts/auth_service.hpp"
#include "services/accounts/password_hasher.hpp"
#include "services/accounts/password_reset.hpp"
#include "services/accounts/two_factor.hpp"
#include "services/audit/audit_service.hpp"
#include "services/dues/dues_service.hpp"
#include "services/dues/fee_service.hpp"
#include "services/dues/payment_service.hpp"
#include "services/dues/statement_service.hpp"
#include "services/jobs/job_runner.hpp"
#include "services/meetings/booking_service.hpp"
#include "services/meetings/calendar_service.hpp"
#include "services/meetings/meeting_service.hpp"
#include "services/membership/certificate_service.hpp"
#include "services/membership/import_service.hpp"
#include "services/membership/membership_service.hpp"
#include "services/notifications/dispatcher.hpp"
#include "services/notifications/notification_service.hpp"
#include "services/notifications/reminder_scheduler.hpp"
#include "services/privacy/notice_service.hpp"
#include "services/privacy/privacy_service.hpp"
#include "services/privacy/retention_service.hpp"
#include "services/reports/report_service.hpp"
#include "services/system/system_service.hpp"
#include "services/training/training_service.hpp"
#include "services/visits/exchange_service.hpp"
#include "services/visits/visit_service.hpp"
#include "web/app_services.hpp"
#include "web/metrics.hpp"
#include "web/router.hpp"
#include "web/server.hpp"
#include "web/static_files.hpp"

namespace xiehui::web {

class App {
 public:
  /// Opens and migrates the database and wires everything. `extra_routes` lets tests add
  /// routes (a deliberately slow one, say) to the real table.
  static Result<std::unique_ptr<App>> create(const AppConfig& config, const Clock& clock,
                                             std::vector<Route> extra_routes = {});

  /// Binds the configured address; the endpoint carries the real port.
  /// Without a configured public_url, links in messages use the bound address; delivery starts
  /// once it is known.
  Result<boost::asio::ip::tcp::endpoint> listen();
  /// Serves until stop() or a signal (after handle_signals()) and the drain finish.
  void run() { server_.run(); }
  void handle_signals() { server_.handle_signals(); }
  void stop() { server_.stop(); }
  /// What the server hands requests to: the router with every route (the HTTP fuzz target
  /// calls it without a socket).
  RequestHandler& handler() { return router_; }

  db::Database& database() { return *db_; }
  accounts::AccountsService& accounts() { return accounts_; }
  accounts::AuthService& auth() { return auth_; }
  audit::AuditService& audit() { return audit_; }
  membership::MembershipService& membership() { return membership_; }
  membership::MemberImportService& member_import() { return member_import_; }
  training::TrainingService& training() { return training_; }
  dues::DuesService& dues() { return dues_; }
  dues::PaymentService& payments() { return payments_; }
  meetings::BookingService& bookings() { return bookings_; }
  meetings::MeetingService& meetings() { return meetings_; }
  visits::VisitService& visits() { return visits_; }
  visits::ExchangeService& exchange() { return exchange_; }
  notifications::NotificationService& notifications() { return notifications_; }
  notifications::Dispatcher& dispatcher() { return dispatcher_; }
  accounts::PasswordResetService& password_reset() { return password_reset_; }

 private:
  App(const AppConfig& config, const Clock& clock, std::unique_ptr<db::Database> db,
      std::vector<Route> routes);

  AppConfig config_;
  std::unique_ptr<db::Database> db_;
  accounts::PasswordHasher hasher_;
  accounts::CredentialCache credentials_;
  accounts::AccountsService accounts_;
  accounts::AuthService auth_;
  accounts::TwoFactorService two_factor_;
  audit::AuditService audit_;
  membership::MembershipService membership_;
  membership::MemberImportService member_import_;
  membership::CertificateService certificates_;
  training::TrainingService training_;
  dues::DuesService dues_;
  dues::PaymentService payments_;
  dues::FeeService fees_;
  dues::StatementService statements_;
  meetings::BookingService bookings_;
  meetings::MeetingService meetings_;
  meetings::CalendarService calendar_;
  visits::VisitService visits_;
  visits::ExchangeService exchange_;
  notifications::NotificationService notifications_;
  accounts::PasswordResetService password_reset_;
  reports::ReportService reports_;
  privacy::PrivacyService privacy_;
  privacy::NoticeService notices_;
  privacy::RetentionService retention_;
  jobs::JobRunner jobs_;  // after what its jobs use: destroyed (and drained) before them
  services::SystemService system_;
  Metrics metrics_;
  AppServices services_;
  StaticFiles static_files_;
  Router router_;
  Server server_;
  // Last, so they stop before what they use: delivery of notifications, and the clock that
  // runs reminders and the day's dues work.
  notifications::Dispatcher dispatcher_;
  notifications::ReminderScheduler scheduler_;
};

}  // namespace xiehui::web
