#include "services/demo/demo_meetings.hpp"

#include <fmt/format.h>

#include "core/time.hpp"
#include "services/meetings/booking_service.hpp"
#include "services/meetings/meeting_service.hpp"
#include "services/privacy/consent.hpp"
#include "services/reports/report_service.hpp"

namespace xiehui::demo {
namespace {

using namespace meetings;

template <class T>
Status done(const Result<T>& r) {
  if (!r) return std::unexpected(r.error());
  return {};
}

Principal demo_staff() {
  Principal staff;
  staff.username = "mishu";
  staff.address = "local";
  staff.roles = {Role::staff};
  return staff;
}

// A reply for each invited unit in turn: most attend, every seventh gives its proxy to the unit
// before it, every fifth stays away, and only the first `share` of the list answers at all.
Status reply_for(MeetingService& svc, long long meeting_id, const Principal& staff,
                 std::size_t share_num, std::size_t share_den, int& person) {
  auto matrix = svc.reply_matrix(meeting_id);
  if (!matrix) return std::unexpected(matrix.error());
  const auto& rows = matrix->rows;
  const std::size_t answering = rows.size() * share_num / share_den;
  for (std::size_t i = 0; i < answering; ++i) {
    // The demo member account's unit answers for itself.
    if (rows[i].invitee.member_name == "长沙经济技术开发区" && share_num < share_den) continue;
    Rsvp r;
    r.member_id = rows[i].invitee.member_id;
    if (i % 7 == 6 && rows[i - 1].state != "proxy") {
      r.proxy_to_member_id = rows[i - 1].invitee.member_id;
    } else if (i % 5 == 4) {
      r.attending = false;
      r.note = "另有公务";
    } else {
      r.attending = true;
      ++person;
      r.attendees.push_back(
          {fmt::format("参会代表{}", person), "管委会副主任", fmt::format("1390003{:04}", person)});
      r.consent_version = privacy::kFirstNoticeVersion;
    }
    if (auto st = done(svc.reply(meeting_id, r, staff)); !st) return st;
  }
  return {};
}

}  // namespace

Status seed_meetings(db::Database& db, const Clock& clock) {
  BookingService bookings(db, clock);
  auto rooms = bookings.list_rooms(false);
  if (!rooms) return std::unexpected(rooms.error());
  if (!rooms->empty()) return {};
  MeetingService meetings(db, clock, "");
  const Principal staff = demo_staff();
  std::vector<long long> room_ids;
  for (const Room& r :
       {Room{0, "第一会议室", "协会办公楼 3 楼 301", 30, {"投影仪", "视频会议"}, true},
        Room{0, "第二会议室", "协会办公楼 3 楼 305", 12, {"电视屏"}, true},
        Room{0, "多功能厅", "协会办公楼 1 楼", 150, {"LED 屏", "扩声", "同传"}, true}}) {
    auto created = bookings.create_room(r, staff);
    if (!created) return std::unexpected(created.error());
    room_ids.push_back(created->id);
  }
  const auto today = std::chrono::floor<std::chrono::days>(clock.now() + kShanghaiOffset);
  // The demo's meetings are of the third term, which ends in about a year and a half: the
  // leaders' dashboard counts down to the 换届.
  reports::ReportService reports(db, clock);
  const std::string term_end = format_date(Date{today + std::chrono::days(540)});
  if (auto t = reports.set_term(3, term_end, staff); !t) return std::unexpected(t.error());
  const auto local = [&](int days, int hour) {
    return std::chrono::time_point_cast<Timestamp::duration>(
        today + std::chrono::days(days) + std::chrono::hours(hour) - kShanghaiOffset);
  };
  // The secretariat's Monday meeting, twelve weeks from next Monday.
  const int to_monday = 8 - static_cast<int>(std::chrono::weekday{today}.iso_encoding());
  SeriesRequest weekly;
  weekly.room_id = room_ids[1];
  weekly.title = "秘书处周例会";
  weekly.booked_for = "秘书处";
  weekly.starts_at = local(to_monday, 9);
  weekly.ends_at = local(to_monday, 10);
  weekly.rule.freq = "weekly";
  weekly.rule.by_weekday = {1};
  weekly.rule.count = 12;
  weekly.on_conflict = "skip";
  if (auto st = done(bookings.book_series(
          weekly, R"({"freq":"weekly","interval":1,"by_weekday":[1],"count":12})", staff));
      !st) {
    return st;
  }
  Booking training;
  training.room_id = room_ids[0];
  training.title = "招商培训班筹备会";
  training.booked_for = "培训部";
  training.starts_at = local(2, 14);
  training.ends_at = local(2, 16);
  if (auto st = done(bookings.book(training, staff)); !st) return st;

  int person = 0;
  // A council meeting held ten days ago: replies, check-ins, a resolution, minutes.
  MeetingDraft council;
  council.meeting.kind = "council";
  council.meeting.term_no = 3;
  council.meeting.session_no = 2;
  council.meeting.starts_at = local(-10, 9);
  council.meeting.ends_at = local(-10, 12);
  council.meeting.rsvp_deadline = local(-13, 18);
  council.meeting.room_id = room_ids[0];
  council.meeting.agenda = {{"审议 2026 年度工作报告", "秘书长"},
                            {"审议 2027 年度会费收支预算", "秘书处"},
                            {"审议增补理事单位事项", "秘书长"}};
  auto held = meetings.create(council, staff);
  if (!held) return std::unexpected(held.error());
  if (auto st = reply_for(meetings, held->id, staff, 1, 1, person); !st) return st;
  auto matrix = meetings.reply_matrix(held->id);
  if (!matrix) return std::unexpected(matrix.error());
  for (const ReplyRow& row : matrix->rows) {
    if (row.state != "attending") continue;
    if (auto st = done(meetings.attend(held->id, row.invitee.member_id, "", true, staff)); !st) {
      return st;
    }
  }
  auto quorum = meetings.quorum(held->id);
  if (!quorum) return std::unexpected(quorum.error());
  Resolution report;
  report.title = "关于 2026 年度工作报告的决议";
  report.kind = "ordinary";
  report.method = "show_of_hands";
  report.votes_for = quorum->present - 1;
  report.votes_against = 0;
  report.abstentions = 1;
  if (auto st = done(meetings.add_resolution(held->id, report, false, staff)); !st) return st;
  MeetingPatch finish;
  finish.status = "finished";
  finish.minutes = "会议由会长主持，应到理事单位 " + std::to_string(quorum->entitled) +
                   " 家，实到 " + std::to_string(quorum->present) + " 家（含书面委托 " +
                   std::to_string(quorum->proxies) +
                   " 家），符合章程规定。会议审议通过了 2026 年度工作报告。";
  if (auto st = done(meetings.update(held->id, finish, staff)); !st) return st;

  // The general assembly a month ahead, half of the replies in.
  MeetingDraft assembly;
  assembly.meeting.kind = "general_assembly";
  assembly.meeting.term_no = 3;
  assembly.meeting.session_no = 3;
  assembly.meeting.starts_at = local(30, 9);
  assembly.meeting.ends_at = local(30, 17);
  assembly.meeting.rsvp_deadline = local(20, 18);
  assembly.meeting.room_id = room_ids[2];
  assembly.meeting.description =
      "请各会员单位于截止日前提交回执；不能到会的可书面委托其他会员单位。";
  assembly.meeting.agenda = {{"审议理事会工作报告", "会长"},
                             {"审议财务报告", "秘书长"},
                             {"审议章程修正案", "秘书处"},
                             {"表决 2027 年会费标准", "秘书处"}};
  auto upcoming = meetings.create(assembly, staff);
  if (!upcoming) return std::unexpected(upcoming.error());
  // The member account's own unit (the first by pinyin is not it) is left to answer itself.
  return reply_for(meetings, upcoming->id, staff, 1, 2, person);
}

}  // namespace xiehui::demo
