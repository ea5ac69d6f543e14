#pragma once
// Pure rules of the association's meetings: kinds and their titles (第三届第二次理事会), who is
// invited, quorum and whether a resolution passed. Every number is a setting (MeetingSettings)
// whose defaults follow DESIGN.md "Domain rules": the association's charter decides.

#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "services/meetings/meetings.hpp"

namespace xiehui::meetings {

/// A share of a number: `strict` means more than num/den (过半数), else at least (不少于).
struct Ratio {
  int num = 2;
  int den = 3;
  bool strict = false;
};

struct MeetingSettings {
  /// Tiers whose units a meeting of each governing kind invites by rule.
  std::map<std::string, std::vector<std::string>> invite_tiers;
  std::map<std::string, Ratio> quorum;  ///< per meeting kind, of the entitled units
  std::map<std::string, Ratio> pass;    ///< per resolution kind, of those present
  std::vector<std::string> proxy_kinds;
  int max_proxies_per_holder = 1;
  bool lapsed_vote = false;
  long long material_max_bytes = 20LL * 1024 * 1024;
};

/// The defaults (DESIGN.md): rule invitations by tier, 2/3 quorum, ordinary > 1/2, charter and
/// dues ≥ 2/3, proxies at general assemblies and councils, one proxy per holder.
MeetingSettings default_meeting_settings();
std::vector<FieldError> check_settings(const MeetingSettings& s);
/// The settings as stored (name → text: "council,president", "2/3", "1/2>" for strict) and back;
/// what is missing or unreadable keeps its default.
std::map<std::string, std::string> settings_to_text(const MeetingSettings& s);
MeetingSettings settings_from_text(const std::map<std::string, std::string>& text);

inline constexpr std::string_view kMeetingKinds[] = {
    "general_assembly", "council", "standing_council", "president_office", "seminar", "other"};
inline constexpr std::string_view kGoverningKinds[] = {"general_assembly", "council",
                                                       "standing_council", "president_office"};
inline constexpr std::string_view kResolutionKinds[] = {"ordinary", "charter", "dues", "election"};

bool is_meeting_kind(std::string_view k);
bool is_governing_kind(std::string_view k);
bool is_meeting_mode(std::string_view m);
bool is_vote_method(std::string_view m);
bool is_resolution_kind(std::string_view k);
/// scheduled → finished; anything but cancelled → cancelled.
bool meeting_status_change_allowed(std::string_view from, std::string_view to);

/// 会员大会, 理事会, 常务理事会, 会长办公会, 专题会议, 其他会议.
std::string kind_label(std::string_view kind);
std::string method_label(std::string_view method);
/// 1..999 in Chinese numerals as titles write them: 三, 十二, 二十, 一百零五.
std::string chinese_number(int n);
/// "第三届第二次理事会" for a governing kind; empty for others (they carry their own title).
std::string compose_title(std::string_view kind, int term_no, int session_no);

/// The 届 and 次 of the next meeting of a kind after the last one (if any): same term, next
/// session; the first ever is 第一届第一次.
std::pair<int, int> next_number(std::optional<std::pair<int, int>> last);

/// The problems with a meeting's own fields (not its invitees or room).
std::vector<FieldError> check_meeting(const Meeting& m);

/// At least (or, strict, more than) num/den of `base`: the smallest count that meets it.
int required_count(int base, const Ratio& r);
/// Whether `votes_for` of `present` meets the ratio (nothing passes with nobody present).
bool passes(int votes_for, int present, const Ratio& r);
/// "赞成票超过实到人数的1/2" / "赞成票不少于实到人数的2/3".
std::string pass_rule_text(const Ratio& r);

struct Quorum {
  int entitled = 0;
  int present = 0;
  int in_person = 0;
  int proxies = 0;
  int required = 0;
  bool reached = false;
  Ratio ratio;
};

/// The quorum of a meeting: entitled units, those checked in, and the absent entitled units
/// whose proxy (giver → holder) is held by a unit that is present.
Quorum quorum(const std::set<long long>& entitled, const std::set<long long>& checked_in,
              const std::map<long long, long long>& proxies, const Ratio& r);

/// The problems with a vote's figures: all ≥ 0, for + against + abstentions ≤ present ≤ entitled.
std::vector<FieldError> check_vote(const Resolution& r);

}  // namespace xiehui::meetings
