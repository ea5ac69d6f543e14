// 回执, check-in, quorum and resolutions of a meeting (MeetingService, second part).

#include <map>
#include <set>

#include "core/time.hpp"
#include "core/validate.hpp"
#include "services/meetings/meeting_repository.hpp"
#include "services/meetings/meeting_service.hpp"
#include "services/meetings/meetings_audit.hpp"
#include "services/membership/membership_labels.hpp"
#include "services/privacy/access_log.hpp"
#include "services/privacy/consent.hpp"

namespace xiehui::meetings {
namespace {

namespace mr = meeting_repository;

Error no_such_meeting() { return not_found_error({"会议", "meeting"}); }
Error not_invited() { return not_found_error({"受邀单位", "invited unit"}); }

Error conflict_on(std::string field, std::string zh, std::string en) {
  Error e = make_error(ErrorCode::conflict, {zh, en});
  e.fields.push_back({std::move(field), {std::move(zh), std::move(en)}});
  return e;
}

Error denied() {
  return make_error(ErrorCode::permission_denied,
                    {"只能为本单位提交回执", "you may reply only for your own unit"});
}

std::vector<FieldError> check_attendees(std::vector<RsvpAttendee>& people) {
  std::vector<FieldError> errors;
  if (people.empty() || people.size() > 5) {
    errors.push_back({"attendees", {"参会人员应为 1 到 5 人", "1 to 5 attendees"}});
  }
  for (std::size_t i = 0; i < people.size(); ++i) {
    auto& p = people[i];
    const std::string at = "attendees[" + std::to_string(i) + "].";
    if (p.name.empty() || p.name.size() > 50) {
      errors.push_back({at + "name", {"请填写姓名（最多 50 字节）", "a name of 1–50 bytes"}});
    }
    if (p.title.size() > 50) errors.push_back({at + "title", {"职务过长", "title too long"}});
    if (auto mobile = normalise_mobile(p.mobile)) {
      p.mobile = *mobile;
    } else {
      errors.push_back({at + "mobile", mobile.error()});
    }
  }
  return errors;
}

std::set<long long> entitled_units(const std::vector<Invitee>& invitees, bool lapsed_vote) {
  std::set<long long> out;
  for (const auto& i : invitees) {
    if (i.status == "active" || (lapsed_vote && i.status == "lapsed")) out.insert(i.member_id);
  }
  return out;
}

Quorum quorum_of(soci::session& s, const Meeting& m, const MeetingSettings& conf) {
  std::map<long long, long long> proxies;
  for (const Rsvp& r : mr::rsvps(s, m.id)) {
    if (r.proxy_to_member_id) proxies[r.member_id] = *r.proxy_to_member_id;
  }
  const auto it = conf.quorum.find(m.kind);
  return meetings::quorum(entitled_units(mr::invitees(s, m.id), conf.lapsed_vote),
                          mr::checked_in(s, m.id), proxies,
                          it == conf.quorum.end() ? Ratio{2, 3, false} : it->second);
}

std::string state_label(const std::string& state) {
  if (state == "attending") return "参加";
  if (state == "absent") return "不参加";
  if (state == "proxy") return "委托";
  return "未回复";
}

}  // namespace

Result<Rsvp> MeetingService::reply(long long id, Rsvp r, const Principal& who) {
  const bool staff = is_staff(who);
  if (!staff && (!who.member_id || *who.member_id != r.member_id)) {
    return std::unexpected(denied());
  }
  r.meeting_id = id;
  if (r.note.size() > 500) {
    return std::unexpected(invalid_fields({{"note", {"备注最多 500 字节", "at most 500 bytes"}}}));
  }
  if (r.proxy_to_member_id) {
    r.attending = false;
    r.attendees.clear();
  } else if (r.attending) {
    if (auto errors = check_attendees(r.attendees); !errors.empty()) {
      return std::unexpected(invalid_fields(std::move(errors)));
    }
  } else {
    r.attendees.clear();
  }
  // Only a reply naming people takes personal data, so only it needs the notice accepted.
  if (!r.attendees.empty() && !r.consent_version) {
    return std::unexpected(invalid_fields({privacy::consent_missing()}));
  }
  if (r.attendees.empty()) r.consent_version.reset();
  auto conf = settings();
  if (!conf) return std::unexpected(conf.error());
  const Timestamp now = clock_.now();
  return db_.with_transaction([&](soci::session& s) -> Result<Rsvp> {
    // The meeting's lock first: on MariaDB the first read fixes the snapshot of later reads.
    auto m = mr::find_meeting(s, id, true);
    if (!m) return std::unexpected(no_such_meeting());
    if (!r.attendees.empty()) {
      if (auto st = privacy::check_consent(s, r.consent_version); !st) {
        return std::unexpected(st.error());
      }
    }
    auto self = mr::find_invitee(s, id, r.member_id);
    if (!self) return std::unexpected(staff ? not_invited() : no_such_meeting());
    if (m->status != "scheduled") {
      return std::unexpected(make_error(
          ErrorCode::conflict, {"会议已结束或已取消，不能再提交回执", "the meeting is over"}));
    }
    if (now > m->rsvp_deadline && !staff) {
      return std::unexpected(
          make_error(ErrorCode::conflict,
                     {"回执已于 " + format_instant(m->rsvp_deadline).substr(0, 16) + " 截止",
                      "replies closed at " + format_instant(m->rsvp_deadline)}));
    }
    if (r.proxy_to_member_id) {
      const long long holder = *r.proxy_to_member_id;
      const auto& kinds = conf->proxy_kinds;
      if (std::find(kinds.begin(), kinds.end(), m->kind) == kinds.end()) {
        return std::unexpected(conflict_on("proxy_to_member_id", "此类会议不接受书面委托",
                                           "this kind of meeting takes no proxies"));
      }
      if (holder == r.member_id) {
        return std::unexpected(conflict_on("proxy_to_member_id", "不能委托给本单位",
                                           "a unit cannot be its own proxy"));
      }
      auto target = mr::find_invitee(s, id, holder);
      if (!target) {
        return std::unexpected(conflict_on("proxy_to_member_id", "受托单位未受邀参加本次会议",
                                           "the proxy holder is not invited"));
      }
      auto target_reply = mr::find_rsvp(s, id, holder);
      if (target_reply && target_reply->proxy_to_member_id) {
        return std::unexpected(conflict_on("proxy_to_member_id", "受托单位本身已委托他人",
                                           "the proxy holder gave its own proxy away"));
      }
      if (mr::proxies_held(s, id, holder, r.member_id) >= conf->max_proxies_per_holder) {
        return std::unexpected(
            conflict_on("proxy_to_member_id",
                        "「" + target->member_name + "」受托已达上限（" +
                            std::to_string(conf->max_proxies_per_holder) + " 家）",
                        "the holder already holds " + std::to_string(conf->max_proxies_per_holder) +
                            " proxies"));
      }
      if (mr::proxies_held(s, id, r.member_id, 0) > 0) {
        return std::unexpected(conflict_on("proxy_to_member_id", "本单位已接受他人委托，不能再委托",
                                           "a unit holding proxies cannot give its own"));
      }
      r.proxy_to_name = target->member_name;
    }
    mr::upsert_rsvp(s, r, actor_id(who), now);
    r.member_name = self->member_name;
    r.replied_at = now;
    audit(s, who, "rsvp.reply", "meeting", id,
          self->member_name + ": " +
              (r.proxy_to_member_id
                   ? "proxy to " + r.proxy_to_name
                   : (r.attending ? "attending " + std::to_string(r.attendees.size()) : "absent")),
          now);
    return r;
  });
}

Result<std::optional<Rsvp>> MeetingService::my_reply(long long id, const Principal& who) {
  return db_.with_session([&](soci::session& s) -> Result<std::optional<Rsvp>> {
    if (!who.member_id || !mr::find_meeting(s, id, false) ||
        !mr::find_invitee(s, id, *who.member_id)) {
      return std::unexpected(no_such_meeting());
    }
    return mr::find_rsvp(s, id, *who.member_id);
  });
}

Result<ReplyMatrix> MeetingService::reply_matrix(long long id) {
  return db_.with_session([&](soci::session& s) { return matrix_in(s, id); });
}

Result<ReplyMatrix> MeetingService::reply_matrix(long long id, const Principal& who) {
  const auto sight = privacy::sight_of(who, Permission::meetings_manage);
  const Timestamp now = clock_.now();
  return privacy::read_logged(db_, sight, [&](soci::session& s) -> Result<ReplyMatrix> {
    auto matrix = matrix_in(s, id);
    if (!matrix) return matrix;
    std::size_t people = 0;
    for (auto& row : matrix->rows) {
      if (!row.reply) continue;
      people += row.reply->attendees.size();
      for (auto& a : row.reply->attendees) privacy::mask_mobile_if(sight, a.mobile);
    }
    if (sight == privacy::Sight::full_logged) {
      privacy::log_view(s, who, "meeting", id, "回执汇总", "参会人员姓名、职务、手机", people, now);
    }
    return matrix;
  });
}

Result<ReplyMatrix> MeetingService::matrix_in(soci::session& s, long long id) {
  if (!mr::find_meeting(s, id, false)) return std::unexpected(no_such_meeting());
  std::map<long long, Rsvp> replies;
  std::map<long long, std::vector<long long>> held;
  for (auto& r : mr::rsvps(s, id)) {
    if (r.proxy_to_member_id) held[*r.proxy_to_member_id].push_back(r.member_id);
    replies.emplace(r.member_id, std::move(r));
  }
  const auto present = mr::checked_in(s, id);
  ReplyMatrix out;
  for (auto& i : mr::invitees(s, id)) {
    ReplyRow row;
    row.present = present.contains(i.member_id);
    if (auto it = replies.find(i.member_id); it != replies.end()) {
      row.reply = it->second;
      row.state = it->second.proxy_to_member_id ? "proxy"
                  : it->second.attending        ? "attending"
                                                : "absent";
    }
    if (auto it = held.find(i.member_id); it != held.end()) row.proxies_held = it->second;
    ++out.invited;
    if (row.state == "none") {
      ++out.none;
    } else {
      ++out.replied;
      if (row.state == "attending") ++out.attending;
      if (row.state == "absent") ++out.absent;
      if (row.state == "proxy") ++out.proxy;
    }
    row.invitee = std::move(i);
    out.rows.push_back(std::move(row));
  }
  return out;
}

Result<std::string> MeetingService::reply_xlsx(long long id, const Principal& who,
                                               privacy::ExportFields fields) {
  const auto sight = privacy::sight_of(who, Permission::meetings_manage);
  const Timestamp now = clock_.now();
  const std::string described = privacy::describe_fields("参会人员姓名、职务", fields);
  auto table = db_.with_transaction([&](soci::session& s) -> Result<Table> {
    auto matrix = matrix_in(s, id);
    if (!matrix) return std::unexpected(matrix.error());
    Table t = reply_table(*matrix, sight, fields.mobile);
    std::size_t people = 0;
    for (const auto& row : matrix->rows) people += row.reply ? row.reply->attendees.size() : 0;
    privacy::log_export(s, who, "meeting", id, "回执汇总", described, people, now);
    return t;
  });
  if (!table) return std::unexpected(table.error());
  const Table note = privacy::export_note(who, described, sight == privacy::Sight::masked, now);
  const NamedTable sheets[] = {{"回执汇总", *table}, {"说明", note}};
  return to_xlsx(sheets);
}

Table MeetingService::reply_table(const ReplyMatrix& matrix, privacy::Sight sight,
                                  bool with_mobiles) {
  Table t{{"单位", "层级", "回执", "参会人员", "职务", "手机", "受托单位", "回复时间", "备注"}, {}};
  if (!with_mobiles) t.headers.erase(t.headers.begin() + 5);
  for (const auto& row : matrix.rows) {
    std::vector<std::string> cells{row.invitee.member_name, membership::label_of(row.invitee.tier),
                                   state_label(row.state)};
    std::string names, titles, mobiles;
    if (row.reply) {
      for (const auto& a : row.reply->attendees) {
        std::string mobile = a.mobile;
        privacy::mask_mobile_if(sight, mobile);
        names += (names.empty() ? "" : "、") + a.name;
        titles += (titles.empty() ? "" : "、") + a.title;
        mobiles += (mobiles.empty() ? "" : "、") + mobile;
      }
    }
    cells.insert(cells.end(), {names, titles});
    if (with_mobiles) cells.push_back(mobiles);
    cells.insert(cells.end(), {row.reply ? row.reply->proxy_to_name : "",
                               row.reply ? format_instant(row.reply->replied_at).substr(0, 16) : "",
                               row.reply ? row.reply->note : ""});
    t.rows.push_back(std::move(cells));
  }
  return t;
}

Result<Table> MeetingService::sign_in_sheet(long long id, const Principal& who) {
  const Timestamp now = clock_.now();
  auto matrix = db_.with_transaction([&](soci::session& s) -> Result<ReplyMatrix> {
    auto m = matrix_in(s, id);
    if (!m) return m;
    std::size_t people = 0;
    for (const auto& row : m->rows) people += row.reply ? row.reply->attendees.size() : 0;
    privacy::log_export(s, who, "meeting", id, "签到表", "参会人员姓名、职务、手机", people, now);
    return m;
  });
  if (!matrix) return std::unexpected(matrix.error());
  Table t{{"序号", "单位", "姓名", "职务", "手机", "签名"}, {}};
  int n = 0;
  for (const auto& row : matrix->rows) {
    if (row.state == "absent" || row.state == "proxy") continue;
    if (row.state == "none" || !row.reply) {
      // Units that have not replied get an empty line to write their attendee in.
      t.rows.push_back({std::to_string(++n), row.invitee.member_name, "", "", "", ""});
      continue;
    }
    for (const auto& a : row.reply->attendees) {
      t.rows.push_back(
          {std::to_string(++n), row.invitee.member_name, a.name, a.title, a.mobile, ""});
    }
  }
  return t;
}

Result<int> MeetingService::remind(long long id, const Principal& actor) {
  const Timestamp now = clock_.now();
  const std::string today = format_date(shanghai_date(now));
  return db_.with_transaction([&](soci::session& s) -> Result<int> {
    auto m = mr::find_meeting(s, id, true);
    if (!m) return std::unexpected(no_such_meeting());
    if (m->status != "scheduled" || now > m->rsvp_deadline) {
      return std::unexpected(make_error(
          ErrorCode::conflict, {"回执已截止或会议已结束", "replies are closed for this meeting"}));
    }
    const auto units = mr::take_unreminded(s, id, today);
    for (long long unit : units) {
      mr::notify(s, unit, std::nullopt, "meeting.reminder",
                 "请提交回执：" + m->title + "，截止 " +
                     format_instant(m->rsvp_deadline).substr(0, 16).replace(10, 1, " "),
                 id, now);
    }
    audit(s, actor, "meeting.reminders", "meeting", id, std::to_string(units.size()) + " units",
          now);
    return static_cast<int>(units.size());
  });
}

Result<Invitee> MeetingService::pass(long long id, long long member_id, const Principal& who) {
  if (!is_staff(who) && (!who.member_id || *who.member_id != member_id)) {
    return std::unexpected(no_such_meeting());
  }
  return db_.with_session([&](soci::session& s) -> Result<Invitee> {
    auto i = mr::find_invitee(s, id, member_id);
    if (!i || !mr::find_meeting(s, id, false)) return std::unexpected(no_such_meeting());
    return *i;
  });
}

Result<AttendanceResult> MeetingService::attend(long long id, std::optional<long long> member_id,
                                                const std::string& token, bool present,
                                                const Principal& actor) {
  const Timestamp now = clock_.now();
  return db_.with_transaction([&](soci::session& s) -> Result<AttendanceResult> {
    auto m = mr::find_meeting(s, id, true);
    if (!m) return std::unexpected(no_such_meeting());
    if (m->status == "cancelled") {
      return std::unexpected(
          make_error(ErrorCode::conflict, {"会议已取消", "the meeting is cancelled"}));
    }
    long long unit = member_id.value_or(0);
    if (!member_id) {
      auto found = mr::invitee_by_token(s, token);
      if (!found || found->first != id)
        return std::unexpected(not_found_error({"参会凭证", "pass"}));
      unit = found->second;
    }
    auto i = mr::find_invitee(s, id, unit);
    if (!i) return std::unexpected(not_invited());
    const bool changed = mr::set_attendance(s, id, unit, present, actor_id(actor), now);
    if (changed) {
      audit(s, actor, "meeting.attendance", "meeting", id,
            i->member_name + (present ? " present" : " absent"), now);
    }
    return AttendanceResult{unit, i->member_name, present, changed};
  });
}

Result<Quorum> MeetingService::quorum(long long id) {
  auto conf = settings();
  if (!conf) return std::unexpected(conf.error());
  return db_.with_session([&](soci::session& s) -> Result<Quorum> {
    auto m = mr::find_meeting(s, id, false);
    if (!m) return std::unexpected(no_such_meeting());
    return quorum_of(s, *m, *conf);
  });
}

Result<Resolution> MeetingService::add_resolution(long long id, Resolution r, bool figures_given,
                                                  const Principal& actor) {
  auto conf = settings();
  if (!conf) return std::unexpected(conf.error());
  if (r.title.size() > 200) {
    return std::unexpected(invalid_fields({{"title", {"决议名称过长", "title too long"}}}));
  }
  const Timestamp now = clock_.now();
  const Resolution given = r;
  return db_.with_transaction([&](soci::session& s) -> Result<Resolution> {
    // From the caller's figures each time: a run again after a conflict must not see the live
    // figures an earlier, rolled-back run filled in.
    r = given;
    auto m = mr::find_meeting(s, id, true);
    if (!m) return std::unexpected(no_such_meeting());
    if (m->status == "cancelled") {
      return std::unexpected(
          make_error(ErrorCode::conflict, {"会议已取消", "the meeting is cancelled"}));
    }
    // A figure not given (negative) is the live one.
    if (!figures_given || r.entitled < 0 || r.present < 0) {
      const Quorum q = quorum_of(s, *m, *conf);
      if (!figures_given || r.entitled < 0) r.entitled = q.entitled;
      if (!figures_given || r.present < 0) r.present = q.present;
    }
    if (auto errors = check_vote(r); !errors.empty()) {
      return std::unexpected(invalid_fields(std::move(errors)));
    }
    const Ratio rule = conf->pass.contains(r.kind) ? conf->pass.at(r.kind) : Ratio{1, 2, true};
    r.meeting_id = id;
    r.passed = passes(r.votes_for, r.present, rule);
    r.rule_text = pass_rule_text(rule);
    r.id = mr::insert_resolution(s, r, actor_id(actor), now);
    r.created_at = now;
    audit(s, actor, "resolution.create", "resolution", r.id,
          m->title + ": " + r.title + " " + std::to_string(r.votes_for) + "/" +
              std::to_string(r.votes_against) + "/" + std::to_string(r.abstentions) + " of " +
              std::to_string(r.present) + (r.passed ? " passed" : " not passed"),
          now);
    return r;
  });
}

Result<std::vector<Resolution>> MeetingService::resolutions(long long id, const Principal& who) {
  auto m = get(id, who);
  if (!m) return std::unexpected(m.error());
  return db_.with_session(
      [&](soci::session& s) -> Result<std::vector<Resolution>> { return mr::resolutions(s, id); });
}

Status MeetingService::delete_resolution(long long resolution_id, const Principal& actor) {
  const Timestamp now = clock_.now();
  return db_.with_transaction([&](soci::session& s) -> Status {
    if (!mr::lock_resolution(s, resolution_id)) {
      return std::unexpected(not_found_error({"决议", "resolution"}));
    }
    auto r = mr::find_resolution(s, resolution_id);
    if (!r) return std::unexpected(not_found_error({"决议", "resolution"}));
    if (mr::resolution_cited(s, resolution_id)) {
      return std::unexpected(
          make_error(ErrorCode::conflict, {"会费标准的决定引用了这条决议，不能撤回",
                                           "a dues schedule's decision cites this resolution"}));
    }
    mr::delete_resolution(s, resolution_id, now);
    audit(s, actor, "resolution.delete", "resolution", resolution_id, r->title, now);
    return {};
  });
}

}  // namespace xiehui::meetings
