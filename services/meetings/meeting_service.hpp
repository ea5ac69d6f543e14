#pragma once
// The association's meetings: scheduling with a room, invitations by rule or by hand, materials,
// 回执 with written proxies, check-in, quorum and resolutions. Every reply, check-in and change
// of invitees locks the meeting row first, so a proxy holder's limit holds under any number of
// parallel replies and server processes.

#include <optional>
#include <string>
#include <vector>

#include "core/access.hpp"
#include "core/clock.hpp"
#include "core/db/database.hpp"
#include "core/error.hpp"
#include "core/table_export.hpp"
#include "services/meetings/meeting_rules.hpp"
#include "services/meetings/meetings.hpp"
#include "services/privacy/export_fields.hpp"
#include "services/privacy/sight.hpp"

namespace xiehui::meetings {

/// A new meeting and whom it invites: the kind's tiers (`invite_rule`), units and people.
struct MeetingDraft {
  Meeting meeting;
  bool invite_rule = true;
  std::vector<long long> member_ids;
  std::vector<long long> user_ids;
};

struct MeetingPatch {
  std::optional<std::string> title, mode, venue, description, minutes, status;
  std::optional<Timestamp> starts_at, ends_at, rsvp_deadline;
  std::optional<std::optional<long long>> room_id;
  std::optional<std::vector<AgendaItem>> agenda;
};

struct MeetingFilterRequest {
  std::optional<Timestamp> from, to;
  std::string kind, status;
};

struct ReplyMatrix {
  std::vector<ReplyRow> rows;
  int invited = 0, replied = 0, attending = 0, absent = 0, proxy = 0, none = 0;
};

struct MaterialFile {
  Material material;
  std::string content;
};

struct AttendanceResult {
  long long member_id = 0;
  std::string member_name;
  bool present = false;
  bool changed = false;
};

class MeetingService {
 public:
  /// Materials are kept under `data_dir`/materials.
  MeetingService(db::Database& db, const Clock& clock, std::string data_dir)
      : db_(db), clock_(clock), data_dir_(std::move(data_dir)) {}

  Result<MeetingSettings> settings();
  Result<MeetingSettings> put_settings(const MeetingSettings& s, const Principal& actor);
  /// The suggested 届/次 and title of the next meeting of a kind.
  Result<Meeting> next_number(const std::string& kind);

  /// Schedules a meeting; a room is booked in the same transaction (conflict on an overlap).
  Result<Meeting> create(MeetingDraft d, const Principal& actor);
  Result<Meeting> update(long long id, const MeetingPatch& p, const Principal& actor);
  /// Staff and leaders see every meeting, a member those its unit is invited to, others those
  /// they are invited to by name (else not_found).
  Result<Meeting> get(long long id, const Principal& who);
  Result<std::vector<Meeting>> list(const MeetingFilterRequest& f, const Principal& who);

  Result<std::pair<std::vector<Invitee>, std::vector<Guest>>> invitees(long long id);
  Result<int> invite(long long id, const std::vector<long long>& member_ids,
                     const std::vector<long long>& user_ids, const Principal& actor);
  Status uninvite(long long id, long long member_id, const Principal& actor);

  Result<Material> upload(long long id, const std::string& filename, const std::string& content,
                          const Principal& actor);
  Result<MaterialFile> material(long long id, long long material_id, const Principal& who);
  Status delete_material(long long id, long long material_id, const Principal& actor);

  /// A unit's 回执 (a member for its own unit, staff for any).
  Result<Rsvp> reply(long long id, Rsvp r, const Principal& who);
  Result<std::optional<Rsvp>> my_reply(long long id, const Principal& who);
  /// The reply matrix as the system reads it (no caller: not logged, nothing masked).
  Result<ReplyMatrix> reply_matrix(long long id);
  /// The reply matrix as `who` reads it: staff in full (the view logged), leaders with the
  /// attendees' mobiles masked.
  Result<ReplyMatrix> reply_matrix(long long id, const Principal& who);
  /// The 回执 summary as a workbook, mobiles only when `fields` asks, with its 说明 sheet;
  /// logged as an export.
  Result<std::string> reply_xlsx(long long id, const Principal& who, privacy::ExportFields fields);
  /// The printable 签到表 (staff), logged as an export.
  Result<Table> sign_in_sheet(long long id, const Principal& who);
  /// Notifies the invited units without a reply (once a unit a day); returns how many.
  Result<int> remind(long long id, const Principal& actor);

  /// The unit's check-in token (the unit itself or staff).
  Result<Invitee> pass(long long id, long long member_id, const Principal& who);
  /// Marks a unit present or absent, by id or by its pass token.
  Result<AttendanceResult> attend(long long id, std::optional<long long> member_id,
                                  const std::string& token, bool present, const Principal& actor);
  Result<Quorum> quorum(long long id);

  Result<Resolution> add_resolution(long long id, Resolution r, bool figures_given,
                                    const Principal& actor);
  Result<std::vector<Resolution>> resolutions(long long id, const Principal& who);
  Status delete_resolution(long long resolution_id, const Principal& actor);

 private:
  Result<ReplyMatrix> matrix_in(soci::session& s, long long id);
  static Table reply_table(const ReplyMatrix& matrix, privacy::Sight sight, bool with_mobiles);

  db::Database& db_;
  const Clock& clock_;
  std::string data_dir_;
};

}  // namespace xiehui::meetings
