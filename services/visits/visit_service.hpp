#pragma once
// Exchange visits: the visit and its programme, applications with delegates, decisions on places,
// the delegation's documents, check-in and the report. Every decision about a visit's places
// (approval, rejection of an approved delegate, withdrawal, a capacity change, cancellation)
// locks the visit row first and decides inside that transaction with the shared place rules, so
// no number of concurrent requests or server processes can approve more delegates than there are
// places or than a unit's quota, or move the waitlist out of order.

#include <optional>
#include <string>
#include <vector>

#include "core/access.hpp"
#include "core/clock.hpp"
#include "core/db/database.hpp"
#include "core/error.hpp"
#include "core/table_export.hpp"
#include "services/places/place_rules.hpp"
#include "services/privacy/export_fields.hpp"
#include "services/visits/rooming_rules.hpp"
#include "services/visits/visit_repository.hpp"
#include "services/visits/visits.hpp"

namespace xiehui::visits {

/// Fields of a visit to change; absent ones stay. `hosts` and `itinerary` replace the lists.
struct VisitPatch {
  std::optional<std::string> title, theme, destination, description, cost_covers, status;
  std::optional<std::vector<Host>> hosts;
  std::optional<Date> starts_on, ends_on, withdraw_cutoff;
  std::optional<Timestamp> apply_deadline;
  std::optional<int> capacity;
  std::optional<std::optional<int>> per_member_quota;
  std::optional<long long> cost_fen;
  std::optional<std::vector<ItineraryItem>> itinerary;
};

/// A visit as a caller sees it, with the caller's unit's delegates by status.
struct VisitView {
  Visit visit;
  std::optional<visit_repository::UnitCounts> mine;
};

/// The rooming as shown: rooms with their delegates.
struct Rooming {
  struct RoomView {
    int no = 0;
    std::string gender;  ///< "m", "f" or "" for a single of either
    std::vector<Delegate> delegates;
  };
  std::vector<RoomView> rooms;
  bool saved = false;
};

struct VisitAttendance {
  std::vector<places::Slot> slots;
  struct Row {
    Delegate delegate;
    std::vector<bool> present;
    int attended = 0;
  };
  std::vector<Row> rows;
};

struct VisitReport {
  std::string text;
  std::optional<Timestamp> published_at;
  std::vector<visit_repository::ReportFile> files;
};

struct ReportFileContent {
  visit_repository::ReportFile file;
  std::string content;
};

/// What a delegate's public pass shows.
struct VisitPass {
  Delegate delegate;
  Visit visit;
};

class VisitService {
 public:
  VisitService(db::Database& db, const Clock& clock, std::string data_dir = "var/data")
      : db_(db), clock_(clock), data_dir_(std::move(data_dir)) {}

  /// A new visit (status draft or open); hosts that are member units take the unit's name.
  Result<Visit> create_visit(Visit v, const Principal& actor);
  /// Changes a visit. Status changes follow visit_status_change_allowed; cancelling releases
  /// every place (charges voided, units told); a capacity below the approved count or a quota
  /// below a unit's approved delegates is a conflict; a higher capacity moves the waitlist up.
  Result<Visit> update_visit(long long id, const VisitPatch& patch, const Principal& actor);
  /// Visits by status; drafts for staff only; `upcoming` keeps those not yet over.
  Result<std::vector<VisitView>> list_visits(const std::string& status, bool upcoming,
                                             const Principal& who);
  Result<VisitView> get_visit(long long id, const Principal& who);

  /// A unit applies with its delegates, all pending. conflict when the visit is not open, past
  /// its deadline, the unit's quota would be exceeded, or a mobile already holds a place.
  /// `consent_version`: the privacy notice the applicant accepted for the delegates (400 naming
  /// it unless it is the one in force).
  Result<Application> apply(long long visit_id, long long member_id, std::vector<Delegate> people,
                            std::string note, std::optional<long long> consent_version,
                            const Principal& who);
  /// Staff approve a pending delegate: approved while places remain and nobody waits (and the
  /// unit is under its quota), else waitlisted.
  Result<Delegate> approve(long long delegate_id, const Principal& actor);
  /// Staff reject a pending, waiting or approved delegate with a reason (an approved one frees
  /// its place as a withdrawal does).
  Result<Delegate> reject(long long delegate_id, const std::string& reason, const Principal& actor);
  /// Decide every pending delegate of an application (reject: waiting ones too).
  Result<Application> approve_application(long long application_id, const Principal& actor);
  Result<Application> reject_application(long long application_id, const std::string& reason,
                                         const Principal& actor);
  /// The unit (or staff) withdraws a delegate; the first waiting delegate moves up.
  Status withdraw(long long delegate_id, const Principal& who);

  Result<Delegate> get_delegate(long long id, const Principal& who);
  Result<Application> get_application(long long id, const Principal& who);
  Result<std::vector<Application>> applications(long long visit_id, const Principal& who);
  Result<std::vector<Delegate>> delegates(long long visit_id, const std::string& status,
                                          const Principal& who);

  /// 名单: approved then waiting delegates by pinyin of the unit, as a workbook with mobiles only
  /// when `fields` asks and a 说明 sheet; logged as an export (but a unit's of its own people).
  Result<std::string> delegation_xlsx(long long visit_id, const Principal& who,
                                      privacy::ExportFields fields);
  Result<Table> itinerary_table(long long visit_id, const Principal& who);
  Result<Rooming> rooming(long long visit_id, const Principal& who);
  Result<Rooming> save_rooming(long long visit_id, const std::vector<Room>& rooms,
                               const Principal& actor);
  Status reset_rooming(long long visit_id, const Principal& actor);
  Result<Table> rooming_table(long long visit_id, const Principal& who);

  /// The delegate's pass (the unit or staff): the delegate with its token.
  Result<Delegate> pass_of(long long delegate_id, const Principal& who);
  /// The public pass a token names; not_found for an unknown token or a delegate without place.
  Result<VisitPass> public_pass(const std::string& token);
  Result<Delegate> delegate_by_token(long long visit_id, const std::string& token);
  /// Checks an approved delegate in (training's rules: a half day outside the visit's dates is
  /// a conflict unless `override_reason`). Returns false when already in.
  Result<bool> check_in(long long visit_id, std::optional<long long> delegate_id,
                        const std::string& token, std::optional<places::Slot> slot,
                        const std::optional<std::string>& override_reason, const Principal& actor);
  Status undo_check_in(long long delegate_id, const places::Slot& slot, const Principal& actor);
  Result<VisitAttendance> attendance(long long visit_id, const Principal& who);

  /// The report: staff always; others once published (an empty unpublished report otherwise).
  Result<VisitReport> report(long long visit_id, const Principal& who);
  /// Writes the report's text (absent: kept) and publishes or withdraws it (absent: as it was).
  Result<VisitReport> save_report(long long visit_id, const std::optional<std::string>& text,
                                  std::optional<bool> publish, const Principal& actor);
  Result<visit_repository::ReportFile> upload_report_file(long long visit_id,
                                                          const std::string& filename,
                                                          const std::string& content,
                                                          const Principal& actor);
  Result<ReportFileContent> report_file(long long visit_id, long long file_id,
                                        const Principal& who);
  Status delete_report_file(long long visit_id, long long file_id, const Principal& actor);

  /// Units' participation in the year's confirmed and completed visits (a member: its own).
  Result<std::vector<visit_repository::Participation>> participation(int year,
                                                                     const Principal& who);
  Result<Table> participation_table(int year, const Principal& who);

 private:
  /// The visit's delegates as `who` sees them (their unit's only for a member; masked for
  /// leaders), in the caller's session.
  Result<std::vector<Delegate>> delegation(soci::session& s, long long visit_id,
                                           const std::string& status, const Principal& who);
  static Table delegation_table(const std::vector<Delegate>& list, bool with_mobiles);

  db::Database& db_;
  const Clock& clock_;
  std::string data_dir_;
};

}  // namespace xiehui::visits
