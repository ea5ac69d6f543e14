#include "services/notifications/notification_rules.hpp"

#include <algorithm>
#include <array>
#include <cmath>

namespace xiehui::notifications {
namespace {

// group zh/en, label zh/en, locked, email, sms default, sms allowed, in app
constexpr std::array<KindInfo, 21> kKinds{{
    {"account.password_reset", "账号", "Account", "重置密码", "Password reset", true, true, false,
     false, false},
    {"account.locked", "账号", "Account", "账号被锁定", "Account locked", true, true, false, false,
     true},
    {"meeting.invited", "会议", "Meetings", "会议邀请", "Meeting invitation", false, true, true,
     true, true},
    {"meeting.reminder", "会议", "Meetings", "回执提醒", "Reply reminder", false, true, true, true,
     true},
    {"meeting.cancelled", "会议", "Meetings", "会议取消", "Meeting cancelled", false, true, true,
     true, true},
    {"training.promoted", "培训", "Training", "候补转正", "Moved up from the waitlist", false, true,
     true, true, true},
    {"training.class_cancelled", "培训", "Training", "培训班取消", "Class cancelled", false, true,
     true, true, true},
    {"training.class_reminder", "培训", "Training", "开课提醒", "Class starts tomorrow", false,
     true, true, true, true},
    {"dues.invoice", "会费", "Dues", "会费通知单", "Dues invoice", false, true, false, true, true},
    {"dues.reminder", "会费", "Dues", "会费催缴", "Dues reminder", false, true, false, true, true},
    {"dues.lapsed", "会费", "Dues", "会籍终止", "Membership lapsed", true, true, true, true, true},
    {"dues.reinstated", "会费", "Dues", "会籍恢复", "Membership reinstated", false, true, false,
     true, true},
    {"dues.schedule_published", "会费", "Dues", "会费标准公布", "Dues schedule published", false,
     true, false, true, true},
    {"dues.use_statement_published", "会费", "Dues", "会费使用情况公布", "Use of dues published",
     false, true, false, true, true},
    {"visit.approved", "考察交流", "Visits", "考察录取", "Place on a visit", false, true, true,
     true, true},
    {"visit.waitlisted", "考察交流", "Visits", "考察候补", "Waitlisted for a visit", false, true,
     false, true, true},
    {"visit.promoted", "考察交流", "Visits", "考察候补转正", "Moved up for a visit", false, true,
     true, true, true},
    {"visit.rejected", "考察交流", "Visits", "考察未录取", "Not admitted to a visit", false, true,
     false, true, true},
    {"visit.cancelled", "考察交流", "Visits", "考察取消", "Visit cancelled", false, true, true,
     true, true},
    {"visit.departure", "考察交流", "Visits", "出发提醒", "Departure notice", false, true, true,
     true, true},

    {"system.test", "系统", "System", "测试通知", "Test notice", false, true, false, true, true},
}};

constexpr KindInfo kUnknown{"", "其他", "Other", "通知", "Notice", false, true, false, true, true};

constexpr std::array<VariableInfo, 9> kVariables{{
    {"recipient_name", "收件人姓名", "Recipient's name"},
    {"unit_name", "单位名称", "Unit name"},
    {"message", "通知内容", "Notice text"},
    {"title", "通知类别", "Kind of notice"},
    {"link", "详情链接", "Link to the details"},
    {"association", "协会名称", "Association name"},
    {"date", "日期", "Date"},
    {"preferences_url", "通知设置链接", "Notification settings link"},
    {"action_url", "操作链接（如重置密码）", "Action link (password reset)"},
}};

constexpr std::size_t kSubjectMax = 200;
constexpr std::size_t kBodyMax = 20000;
constexpr std::size_t kSmsMax = 500;

bool known_variable(std::string_view name) {
  return std::ranges::any_of(kVariables, [&](const VariableInfo& v) { return v.name == name; });
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Walks `text`, calling on_var for each {{name}} and on_text for the text between; returns a
// problem in both languages, or nothing.
template <class OnText, class OnVar>
std::optional<Text> walk(std::string_view text, OnText on_text, OnVar on_var) {
  std::size_t pos = 0;
  while (pos < text.size()) {
    const std::size_t open = text.find("{{", pos);
    const std::size_t stray = text.find("}}", pos);
    if (stray != std::string_view::npos && (open == std::string_view::npos || stray < open)) {
      return Text{"有多余的 }}", "has a stray }}"};
    }
    if (open == std::string_view::npos) {
      on_text(text.substr(pos));
      return std::nullopt;
    }
    on_text(text.substr(pos, open - pos));
    const std::size_t close = text.find("}}", open + 2);
    if (close == std::string_view::npos) return Text{"{{ 没有对应的 }}", "has {{ without }}"};
    const std::string_view name = trim(text.substr(open + 2, close - open - 2));
    if (name.empty()) return Text{"有空的 {{ }}", "has an empty {{ }}"};
    if (name.find('{') != std::string_view::npos) {
      return Text{"{{ 没有对应的 }}", "has {{ without }}"};
    }
    if (auto bad = on_var(name)) return bad;
    pos = close + 2;
  }
  return std::nullopt;
}

std::optional<Text> check_names(std::string_view text) {
  return walk(
      text, [](std::string_view) {},
      [](std::string_view name) -> std::optional<Text> {
        if (known_variable(name)) return std::nullopt;
        std::string n(name);
        return Text{"未知变量 {{" + n + "}}", "unknown variable {{" + n + "}}"};
      });
}

std::size_t code_points(std::string_view s) {
  return static_cast<std::size_t>(std::ranges::count_if(
      s, [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

void append_escaped(std::string& out, std::string_view text) {
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
}

// One line of text as HTML: escaped, with http(s) URLs as links (a URL ends at a space or at a
// character no URL in our messages contains).
void append_line(std::string& out, std::string_view line) {
  std::size_t pos = 0;
  while (pos < line.size()) {
    std::size_t at = std::min(line.find("https://", pos), line.find("http://", pos));
    if (at == std::string_view::npos) {
      append_escaped(out, line.substr(pos));
      return;
    }
    append_escaped(out, line.substr(pos, at - pos));
    std::size_t end = at;
    while (end < line.size() && static_cast<unsigned char>(line[end]) > 0x20 &&
           static_cast<unsigned char>(line[end]) < 0x7F && line[end] != '<' && line[end] != '>' &&
           line[end] != '"') {
      ++end;
    }
    const std::string_view url = line.substr(at, end - at);
    out += "<a href=\"";
    append_escaped(out, url);
    out += "\">";
    append_escaped(out, url);
    out += "</a>";
    pos = end;
  }
}

}  // namespace

std::span<const KindInfo> kind_catalog() { return kKinds; }

const KindInfo& kind_info(std::string_view kind) {
  for (const KindInfo& k : kKinds) {
    if (k.kind == kind) return k;
  }
  return kUnknown;
}

std::string normalize_locale(std::string_view locale) {
  return locale.starts_with("en") ? "en" : "zh-CN";
}

std::string_view kind_label(const KindInfo& k, std::string_view locale) {
  return locale == "en" ? k.label_en : k.label_zh;
}

std::string_view kind_group(const KindInfo& k, std::string_view locale) {
  return locale == "en" ? k.group_en : k.group_zh;
}

Template default_template(std::string_view kind, std::string_view locale) {
  const bool en = locale == "en";
  if (kind == "account.password_reset") {
    if (en) {
      return {"[{{association}}] Reset your password",
              "{{recipient_name}},\n\nSomeone (we hope you) asked to reset the password of your "
              "account. Open this link within 30 minutes to choose a new one:\n\n{{action_url}}\n\n"
              "If you did not ask, ignore this e-mail: your password stays as it is.\n\n"
              "{{association}}",
              "{{association}}: reset your password at {{action_url}}"};
    }
    return {"【{{association}}】重置密码",
            "{{recipient_name}}，您好：\n\n我们收到了重置您账号密码的请求。请在 30 "
            "分钟内打开以下链接设置新密码：\n\n{{action_url}}\n\n如果这不是您本人的操作，请忽略本邮"
            "件，您的密码不会改变。\n\n{{association}}",
            "{{association}}：请打开 {{action_url}} 重置密码"};
  }
  if (en) {
    return {"[{{association}}] {{title}}",
            "{{recipient_name}},\n\n{{message}}\n\nDetails: {{link}}\n\n{{association}}\n"
            "Choose which notices reach you: {{preferences_url}}",
            "{{title}}: {{message}}"};
  }
  return {"【{{association}}】{{title}}",
          "{{recipient_name}}，您好：\n\n{{message}}\n\n查看详情：{{link}}\n\n{{association}}\n"
          "如需调整接收的通知，请访问：{{preferences_url}}",
          "{{message}}"};
}

std::span<const VariableInfo> template_variables() { return kVariables; }

Status check_template(const Template& t) {
  std::vector<FieldError> bad;
  const auto check = [&](const char* field, const std::string& text, std::size_t max,
                         bool required) {
    if (required && trim(text).empty()) {
      bad.push_back({field, {"不能为空", "must not be empty"}});
    } else if (code_points(text) > max) {
      bad.push_back({field,
                     {"不能超过 " + std::to_string(max) + " 个字符",
                      "must be at most " + std::to_string(max) + " characters"}});
    } else if (auto problem = check_names(text)) {
      bad.push_back({field, *problem});
    }
  };
  check("subject", t.subject, kSubjectMax, true);
  if (t.subject.find_first_of("\r\n") != std::string::npos) {
    bad.push_back({"subject", {"不能换行", "must be one line"}});
  }
  check("body", t.body, kBodyMax, true);
  check("sms", t.sms, kSmsMax, true);
  if (bad.empty()) return {};
  return std::unexpected(invalid_fields(std::move(bad)));
}

std::string render(std::string_view text, const Variables& vars) {
  std::string out;
  out.reserve(text.size() + 64);
  walk(
      text, [&](std::string_view part) { out += part; },
      [&](std::string_view name) -> std::optional<Text> {
        if (auto it = vars.find(name); it != vars.end()) out += it->second;
        return std::nullopt;
      });
  return out;
}

std::string text_to_html(std::string_view text, std::string_view preferences_url,
                         std::string_view locale) {
  std::string out =
      "<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head>"
      "<body style=\"font-family:sans-serif;line-height:1.6;color:#1f2329\"><p>";
  bool first_in_paragraph = true;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) {
      if (pos == text.size() && pos > 0) break;  // a text ending in a newline: no empty paragraph
      end = text.size();
    }
    std::string_view line = text.substr(pos, end - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) {
      if (!first_in_paragraph) out += "</p><p>";
      first_in_paragraph = true;
    } else {
      if (!first_in_paragraph) out += "<br>";
      append_line(out, line);
      first_in_paragraph = false;
    }
    pos = end + 1;
  }
  out += "</p>";
  if (!preferences_url.empty()) {
    out += "<hr><p style=\"font-size:12px;color:#646a73\"><a href=\"";
    append_escaped(out, preferences_url);
    out += locale == "en" ? "\">Notification settings</a></p>" : "\">通知设置</a></p>";
  }
  out += "</body></html>";
  return out;
}

std::optional<std::string> default_link(std::string_view entity_type, long long entity_id) {
  const std::string id = std::to_string(entity_id);
  if (entity_type == "meeting") return "/meetings/" + id;
  if (entity_type == "class") return "/training/classes/" + id;
  if (entity_type == "enrollment") return std::string("/training/mine");
  if (entity_type == "visit") return "/visits/" + id;
  if (entity_type == "dues_invoice") return "/dues/invoices/" + id;
  if (entity_type == "member") return std::string("/dues");
  if (entity_type == "user") return std::string("/account");
  if (entity_type.starts_with("dues")) return std::string("/dues");
  if (entity_type.starts_with("visit")) return std::string("/visits");
  return std::nullopt;
}

std::chrono::seconds retry_delay(int attempt, std::chrono::seconds base, std::chrono::seconds cap,
                                 double unit) {
  const int exponent = std::clamp(attempt - 1, 0, 30);
  const double raw = std::min(static_cast<double>(base.count()) * std::ldexp(1.0, exponent),
                              static_cast<double>(cap.count()));
  const double jittered = raw * (0.5 + std::clamp(unit, 0.0, 0.999999));
  return std::chrono::seconds(std::max<long long>(1, static_cast<long long>(std::floor(jittered))));
}

}  // namespace xiehui::notifications
