#pragma once
// What handlers can reach: the services and process-wide state, all owned by the App.

#include <string>
#include <vector>

#include "web/metrics.hpp"

namespace xiehui::services {
class SystemService;
}
namespace xiehui::accounts {
class AccountsService;
class AuthService;
class TwoFactorService;
class PasswordResetService;
}  // namespace xiehui::accounts
namespace xiehui::audit {
class AuditService;
}
namespace xiehui::membership {
class MembershipService;
class MemberImportService;
class CertificateService;
}  // namespace xiehui::membership
namespace xiehui::jobs {
class JobRunner;
}
namespace xiehui::training {
class TrainingService;
}
namespace xiehui::meetings {
class BookingService;
class MeetingService;
class CalendarService;
}  // namespace xiehui::meetings
namespace xiehui::visits {
class VisitService;
class ExchangeService;
}  // namespace xiehui::visits
namespace xiehui::notifications {
class NotificationService;
}
namespace xiehui::reports {
class ReportService;
}
namespace xiehui::privacy {
class PrivacyService;
class NoticeService;
class RetentionService;
}  // namespace xiehui::privacy
namespace xiehui::dues {
class DuesService;
class PaymentService;
class FeeService;
class StatementService;
}  // namespace xiehui::dues

namespace xiehui::web {

struct AppServices {
  services::SystemService& system;
  accounts::AccountsService& accounts;
  accounts::AuthService& auth;
  accounts::TwoFactorService& two_factor;
  audit::AuditService& audit;
  membership::MembershipService& membership;
  membership::MemberImportService& member_import;
  membership::CertificateService& certificates;
  jobs::JobRunner& jobs;
  training::TrainingService& training;
  dues::DuesService& dues;
  dues::PaymentService& payments;
  dues::FeeService& fees;
  dues::StatementService& statements;
  meetings::BookingService& bookings;
  meetings::MeetingService& meetings;
  meetings::CalendarService& calendar;
  visits::VisitService& visits;
  visits::ExchangeService& exchange;
  notifications::NotificationService& notifications;
  accounts::PasswordResetService& password_reset;
  reports::ReportService& reports;
  privacy::PrivacyService& privacy;
  privacy::NoticeService& notices;
  privacy::RetentionService& retention;
  Metrics& metrics;
  bool secure_cookies = false;               ///< behind TLS: session cookies carry Secure
  std::string public_url;                    ///< base of printed links; empty: from the Host header
  std::vector<std::string> trusted_proxies;  ///< whose X-Real-IP / X-Forwarded-For we believe
  std::size_t min_password_length = 10;      ///< shown with the other security settings
};

}  // namespace xiehui::web
