#include "services/meetings/meeting_rules.hpp"

#include <algorithm>

namespace xiehui::meetings {
namespace {

FieldError field(std::string name, std::string zh, std::string en) {
  return {std::move(name), {std::move(zh), std::move(en)}};
}

template <class List>
bool one_of(const List& list, std::string_view v) {
  return std::find(std::begin(list), std::end(list), v) != std::end(list);
}

constexpr std::string_view kModes[] = {"onsite", "written", "online"};
constexpr std::string_view kMethods[] = {"secret_ballot", "show_of_hands", "written"};
constexpr std::string_view kTierOrder[] = {"member", "council", "standing_council",
                                           "vice_president", "president"};

bool ratio_ok(const Ratio& r) { return r.den >= 1 && r.den <= 100 && r.num >= 1 && r.num <= r.den; }

}  // namespace

MeetingSettings default_meeting_settings() {
  MeetingSettings s;
  s.invite_tiers["general_assembly"] = {kTierOrder, kTierOrder + 5};
  s.invite_tiers["council"] = {kTierOrder + 1, kTierOrder + 5};
  s.invite_tiers["standing_council"] = {kTierOrder + 2, kTierOrder + 5};
  s.invite_tiers["president_office"] = {kTierOrder + 3, kTierOrder + 5};
  for (auto k : kMeetingKinds) s.quorum[std::string(k)] = Ratio{2, 3, false};
  s.pass["ordinary"] = Ratio{1, 2, true};
  s.pass["election"] = Ratio{1, 2, true};
  s.pass["charter"] = Ratio{2, 3, false};
  s.pass["dues"] = Ratio{2, 3, false};
  s.proxy_kinds = {"general_assembly", "council"};
  return s;
}

std::vector<FieldError> check_settings(const MeetingSettings& s) {
  std::vector<FieldError> errors;
  for (const auto& [kind, tiers] : s.invite_tiers) {
    if (!is_governing_kind(kind)) {
      errors.push_back(field("invite_tiers." + kind, "未知的会议类型", "unknown meeting kind"));
    }
    for (const auto& t : tiers) {
      if (!one_of(kTierOrder, t)) {
        errors.push_back(
            field("invite_tiers." + kind, "未知的会员层级：" + t, "unknown tier " + t));
        break;
      }
    }
  }
  for (const auto& [kind, r] : s.quorum) {
    if (!is_meeting_kind(kind)) {
      errors.push_back(field("quorum." + kind, "未知的会议类型", "unknown meeting kind"));
    } else if (!ratio_ok(r)) {
      errors.push_back(field("quorum." + kind, "比例应为 1/100 到 1/1 之间的分数",
                             "a fraction between 1/100 and 1/1"));
    }
  }
  for (const auto& [kind, r] : s.pass) {
    if (!is_resolution_kind(kind)) {
      errors.push_back(field("pass." + kind, "未知的决议类型", "unknown resolution kind"));
    } else if (!ratio_ok(r)) {
      errors.push_back(field("pass." + kind, "比例应为 1/100 到 1/1 之间的分数",
                             "a fraction between 1/100 and 1/1"));
    }
  }
  for (const auto& k : s.proxy_kinds) {
    if (!is_meeting_kind(k)) {
      errors.push_back(field("proxy_kinds", "未知的会议类型：" + k, "unknown meeting kind " + k));
      break;
    }
  }
  if (s.max_proxies_per_holder < 0 || s.max_proxies_per_holder > 10) {
    errors.push_back(
        field("max_proxies_per_holder", "每家最多受托 0 到 10 家", "between 0 and 10"));
  }
  if (s.material_max_bytes < 1024 || s.material_max_bytes > 100LL * 1024 * 1024) {
    errors.push_back(field("material_max_bytes", "材料大小上限应为 1 KB 到 100 MB",
                           "between 1 KiB and 100 MiB"));
  }
  return errors;
}

namespace {

std::vector<std::string> split_commas(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= text.size() && !text.empty()) {
    const auto end = text.find(',', start);
    out.push_back(text.substr(start, end == std::string::npos ? std::string::npos : end - start));
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return out;
}

std::string join_commas(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : ",") + i;
  return out;
}

std::string ratio_text(const Ratio& r) {
  return std::to_string(r.num) + "/" + std::to_string(r.den) + (r.strict ? ">" : "");
}

std::optional<Ratio> parse_ratio(std::string text) {
  Ratio r;
  if (!text.empty() && text.back() == '>') {
    r.strict = true;
    text.pop_back();
  }
  const auto slash = text.find('/');
  if (slash == std::string::npos) return std::nullopt;
  try {
    r.num = std::stoi(text.substr(0, slash));
    r.den = std::stoi(text.substr(slash + 1));
  } catch (const std::exception&) {
    return std::nullopt;
  }
  return r;
}

}  // namespace

std::map<std::string, std::string> settings_to_text(const MeetingSettings& s) {
  std::map<std::string, std::string> out;
  for (const auto& [kind, tiers] : s.invite_tiers) out["invite_tiers." + kind] = join_commas(tiers);
  for (const auto& [kind, r] : s.quorum) out["quorum." + kind] = ratio_text(r);
  for (const auto& [kind, r] : s.pass) out["pass." + kind] = ratio_text(r);
  out["proxy_kinds"] = join_commas(s.proxy_kinds);
  out["max_proxies_per_holder"] = std::to_string(s.max_proxies_per_holder);
  out["lapsed_vote"] = s.lapsed_vote ? "1" : "0";
  out["material_max_bytes"] = std::to_string(s.material_max_bytes);
  return out;
}

MeetingSettings settings_from_text(const std::map<std::string, std::string>& text) {
  MeetingSettings s = default_meeting_settings();
  for (const auto& [name, value] : text) {
    try {
      if (name.starts_with("invite_tiers.")) {
        if (is_governing_kind(name.substr(13)))
          s.invite_tiers[name.substr(13)] = split_commas(value);
      } else if (name.starts_with("quorum.")) {
        if (auto r = parse_ratio(value); r && is_meeting_kind(name.substr(7))) {
          s.quorum[name.substr(7)] = *r;
        }
      } else if (name.starts_with("pass.")) {
        if (auto r = parse_ratio(value); r && is_resolution_kind(name.substr(5))) {
          s.pass[name.substr(5)] = *r;
        }
      } else if (name == "proxy_kinds") {
        s.proxy_kinds = split_commas(value);
      } else if (name == "max_proxies_per_holder") {
        s.max_proxies_per_holder = std::stoi(value);
      } else if (name == "lapsed_vote") {
        s.lapsed_vote = value == "1";
      } else if (name == "material_max_bytes") {
        s.material_max_bytes = std::stoll(value);
      }
    } catch (const std::exception&) {
      // An unreadable stored value keeps its default.
    }
  }
  return s;
}

bool is_meeting_kind(std::string_view k) { return one_of(kMeetingKinds, k); }
bool is_governing_kind(std::string_view k) { return one_of(kGoverningKinds, k); }
bool is_meeting_mode(std::string_view m) { return one_of(kModes, m); }
bool is_vote_method(std::string_view m) { return one_of(kMethods, m); }
bool is_resolution_kind(std::string_view k) { return one_of(kResolutionKinds, k); }

bool meeting_status_change_allowed(std::string_view from, std::string_view to) {
  if (from == to) return true;
  if (to == "cancelled") return from != "cancelled";
  return from == "scheduled" && to == "finished";
}

std::string kind_label(std::string_view kind) {
  if (kind == "general_assembly") return "会员大会";
  if (kind == "council") return "理事会";
  if (kind == "standing_council") return "常务理事会";
  if (kind == "president_office") return "会长办公会";
  if (kind == "seminar") return "专题会议";
  return "其他会议";
}

std::string method_label(std::string_view method) {
  if (method == "secret_ballot") return "无记名投票";
  if (method == "show_of_hands") return "举手表决";
  if (method == "written") return "通讯表决";
  return std::string(method);
}

std::string chinese_number(int n) {
  static constexpr const char* kDigits[] = {"零", "一", "二", "三", "四",
                                            "五", "六", "七", "八", "九"};
  if (n <= 0 || n > 999) return std::to_string(n);
  const int hundreds = n / 100, tens = n / 10 % 10, ones = n % 10;
  std::string out;
  if (hundreds) out += std::string(kDigits[hundreds]) + "百";
  if (tens) {
    // 十二 alone, but 一百一十二 within hundreds.
    if (tens > 1 || hundreds) out += kDigits[tens];
    out += "十";
  } else if (hundreds && ones) {
    out += "零";
  }
  if (ones) out += kDigits[ones];
  return out;
}

std::string compose_title(std::string_view kind, int term_no, int session_no) {
  if (!is_governing_kind(kind)) return {};
  return "第" + chinese_number(term_no) + "届第" + chinese_number(session_no) + "次" +
         kind_label(kind);
}

std::pair<int, int> next_number(std::optional<std::pair<int, int>> last) {
  if (!last) return {1, 1};
  return {last->first, last->second + 1};
}

std::vector<FieldError> check_meeting(const Meeting& m) {
  std::vector<FieldError> errors;
  if (!is_meeting_kind(m.kind)) {
    errors.push_back(field("kind",
                           "会议类型应为 general_assembly、council、standing_council、"
                           "president_office、seminar 或 other",
                           "unknown meeting kind"));
  }
  if (!is_meeting_mode(m.mode)) {
    errors.push_back(field("mode", "会议方式应为 onsite、written 或 online", "unknown mode"));
  }
  if (is_governing_kind(m.kind)) {
    if (m.term_no < 1 || m.term_no > 999) {
      errors.push_back(field("term_no", "届次应为 1 到 999", "1 to 999"));
    }
    if (m.session_no < 1 || m.session_no > 999) {
      errors.push_back(field("session_no", "会次应为 1 到 999", "1 to 999"));
    }
  } else if (m.title.empty()) {
    errors.push_back(field("title", "请填写会议名称", "a title is required"));
  }
  if (m.ends_at <= m.starts_at) {
    errors.push_back(field("ends_at", "结束时间应晚于开始时间", "the end must be after the start"));
  } else if (m.ends_at - m.starts_at > std::chrono::days{14}) {
    errors.push_back(field("ends_at", "会议最长 14 天", "a meeting lasts at most 14 days"));
  }
  if (m.rsvp_deadline > m.starts_at) {
    errors.push_back(
        field("rsvp_deadline", "回执截止时间不能晚于会议开始", "the deadline is after the start"));
  }
  if (m.agenda.size() > 50) errors.push_back(field("agenda", "议程最多 50 项", "at most 50 items"));
  return errors;
}

int required_count(int base, const Ratio& r) {
  if (base <= 0) return 0;
  const long long scaled = static_cast<long long>(base) * r.num;
  if (r.strict) return static_cast<int>(scaled / r.den + 1);
  return static_cast<int>((scaled + r.den - 1) / r.den);
}

bool passes(int votes_for, int present, const Ratio& r) {
  if (present <= 0) return false;
  return votes_for >= required_count(present, r);
}

std::string pass_rule_text(const Ratio& r) {
  const std::string share = std::to_string(r.num) + "/" + std::to_string(r.den);
  return r.strict ? "赞成票超过实到人数的" + share : "赞成票不少于实到人数的" + share;
}

Quorum quorum(const std::set<long long>& entitled, const std::set<long long>& checked_in,
              const std::map<long long, long long>& proxies, const Ratio& r) {
  Quorum q;
  q.ratio = r;
  q.entitled = static_cast<int>(entitled.size());
  for (long long id : checked_in) q.in_person += entitled.contains(id) ? 1 : 0;
  for (const auto& [giver, holder] : proxies) {
    if (entitled.contains(giver) && !checked_in.contains(giver) && checked_in.contains(holder)) {
      ++q.proxies;
    }
  }
  q.present = q.in_person + q.proxies;
  q.required = required_count(q.entitled, r);
  q.reached = q.entitled > 0 && q.present >= q.required;
  return q;
}

std::vector<FieldError> check_vote(const Resolution& r) {
  std::vector<FieldError> errors;
  if (r.title.empty()) errors.push_back(field("title", "请填写决议名称", "a title is required"));
  if (!is_resolution_kind(r.kind)) {
    errors.push_back(field("kind", "决议类型应为 ordinary、charter、dues 或 election",
                           "unknown resolution kind"));
  }
  if (!is_vote_method(r.method)) {
    errors.push_back(
        field("method", "表决方式应为 secret_ballot、show_of_hands 或 written", "unknown method"));
  }
  if (r.entitled < 0 || r.present < 0 || r.votes_for < 0 || r.votes_against < 0 ||
      r.abstentions < 0) {
    errors.push_back(field("votes_for", "票数不能为负", "counts cannot be negative"));
  } else if (r.present > r.entitled) {
    errors.push_back(field("present", "实到不能多于应到", "present exceeds entitled"));
  } else if (static_cast<long long>(r.votes_for) + r.votes_against + r.abstentions > r.present) {
    errors.push_back(field("votes_for", "赞成、反对、弃权之和不能多于实到",
                           "for + against + abstentions exceed those present"));
  }
  return errors;
}

}  // namespace xiehui::meetings
