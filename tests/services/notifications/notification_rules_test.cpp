// The pure rules of notification delivery: the kind catalogue, templates as they are checked
// when saved and rendered when fanned out, the HTML part made from a plain-text body, links,
// and the retry backoff.

#include "services/notifications/notification_rules.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace xiehui::notifications {
namespace {

using namespace std::chrono;

std::string repeat(std::string_view unit, std::size_t times) {
  std::string out;
  for (std::size_t i = 0; i < times; ++i) out += unit;
  return out;
}

// The fields an error names, each once.
std::set<std::string> fields_of(const Status& s) {
  std::set<std::string> out;
  if (s) return out;
  for (const FieldError& f : s.error().fields) out.insert(f.field);
  return out;
}

const FieldError* field_error(const Status& s, std::string_view field) {
  if (s) return nullptr;
  for (const FieldError& f : s.error().fields) {
    if (f.field == field) return &f;
  }
  return nullptr;
}

Template valid() {
  return {"【{{association}}】{{title}}", "{{recipient_name}}，您好：\n\n{{message}}\n\n{{link}}",
          "{{message}}"};
}

// --- check_template ---

TEST(NotificationRulesTemplates, EveryDefaultTemplateOfEveryKindPassesInBothLocales) {
  ASSERT_FALSE(kind_catalog().empty());
  for (const KindInfo& k : kind_catalog()) {
    for (const char* locale : {"zh-CN", "en"}) {
      const Template t = default_template(k.kind, locale);
      const Status ok = check_template(t);
      EXPECT_TRUE(ok.has_value()) << k.kind << " " << locale << ": "
                                  << (ok ? "" : ok.error().fields.front().field);
      EXPECT_FALSE(t.subject.empty()) << k.kind << " " << locale;
      EXPECT_FALSE(t.body.empty()) << k.kind << " " << locale;
      EXPECT_FALSE(t.sms.empty()) << k.kind << " " << locale;
    }
  }
  // An unknown kind gets the generic template, which passes too.
  EXPECT_TRUE(check_template(default_template("nope.nothing", "zh-CN")).has_value());
  EXPECT_TRUE(check_template(valid()).has_value());
}

TEST(NotificationRulesTemplates, TheResetTemplateCarriesTheActionLinkInBothLocales) {
  for (const char* locale : {"zh-CN", "en"}) {
    const Template t = default_template("account.password_reset", locale);
    EXPECT_NE(t.body.find("{{action_url}}"), std::string::npos) << locale;
    EXPECT_NE(t.sms.find("{{action_url}}"), std::string::npos) << locale;
  }
  // The ordinary template differs by language.
  EXPECT_NE(default_template("training.promoted", "en").subject,
            default_template("training.promoted", "zh-CN").subject);
}

TEST(NotificationRulesTemplates, UnknownVariableIsRefusedNamingTheFieldAndTheVariable) {
  Template t = valid();
  t.body = "您好 {{foo}}，{{message}}";
  const Status s = check_template(t);
  ASSERT_FALSE(s.has_value());
  EXPECT_EQ(s.error().code, ErrorCode::invalid_argument);
  EXPECT_EQ(fields_of(s), std::set<std::string>{"body"});
  const FieldError* f = field_error(s, "body");
  ASSERT_NE(f, nullptr);
  EXPECT_NE(f->message.en.find("foo"), std::string::npos) << f->message.en;
  EXPECT_NE(f->message.zh.find("foo"), std::string::npos) << f->message.zh;

  // With spaces inside the braces the name is still checked.
  t = valid();
  t.sms = "{{ bar }}";
  const Status spaced = check_template(t);
  EXPECT_EQ(fields_of(spaced), std::set<std::string>{"sms"});
  ASSERT_NE(field_error(spaced, "sms"), nullptr);
  EXPECT_NE(field_error(spaced, "sms")->message.en.find("bar"), std::string::npos);

  // Names are case-sensitive: {{Message}} is not {{message}}.
  t = valid();
  t.subject = "{{Message}}";
  EXPECT_EQ(fields_of(check_template(t)), std::set<std::string>{"subject"});
}

TEST(NotificationRulesTemplates, UnbalancedBracesAreRefused) {
  Template t = valid();
  t.body = "您好 {{message";
  EXPECT_EQ(fields_of(check_template(t)), std::set<std::string>{"body"});

  t = valid();
  t.body = "{{message}} and {{link";
  EXPECT_EQ(fields_of(check_template(t)), std::set<std::string>{"body"});

  t = valid();
  t.sms = "done }}";
  EXPECT_EQ(fields_of(check_template(t)), std::set<std::string>{"sms"});

  t = valid();
  t.subject = "{{title}} }}";
  EXPECT_EQ(fields_of(check_template(t)), std::set<std::string>{"subject"});

  // An opening inside a placeholder: "{{ {{message}}".
  t = valid();
  t.body = "{{ {{message}}";
  EXPECT_EQ(fields_of(check_template(t)), std::set<std::string>{"body"});

  // Single braces are plain text.
  t = valid();
  t.body = "{message} } { {{message}}";
  EXPECT_TRUE(check_template(t).has_value());
}

TEST(NotificationRulesTemplates, EmptyPlaceholderIsRefused) {
  Template t = valid();
  t.subject = "通知 {{ }}";
  EXPECT_EQ(fields_of(check_template(t)), std::set<std::string>{"subject"});
  t = valid();
  t.body = "{{}}";
  EXPECT_EQ(fields_of(check_template(t)), std::set<std::string>{"body"});
}

TEST(NotificationRulesTemplates, SubjectMustBeOneNonEmptyLine) {
  Template t = valid();
  t.subject = "";
  EXPECT_EQ(fields_of(check_template(t)), std::set<std::string>{"subject"});
  t.subject = "  \t ";
  EXPECT_EQ(fields_of(check_template(t)), std::set<std::string>{"subject"});
  t.subject = "第一行\n第二行";
  EXPECT_EQ(fields_of(check_template(t)), std::set<std::string>{"subject"});
  t.subject = "Hello\r\nBcc: someone@example.com";
  EXPECT_EQ(fields_of(check_template(t)), std::set<std::string>{"subject"});
  // A multi-line body is fine.
  t = valid();
  t.body = "a\nb\n\nc {{message}}";
  EXPECT_TRUE(check_template(t).has_value());
}

TEST(NotificationRulesTemplates, EmptyBodyAndSmsAreRefused) {
  Template t = valid();
  t.sms = "";
  EXPECT_EQ(fields_of(check_template(t)), std::set<std::string>{"sms"});
  t = valid();
  t.body = " ";
  EXPECT_EQ(fields_of(check_template(t)), std::set<std::string>{"body"});
  // Everything wrong at once: each field is named.
  EXPECT_EQ(fields_of(check_template(Template{"", "{{nope}}", "}}"})),
            (std::set<std::string>{"subject", "body", "sms"}));
}

TEST(NotificationRulesTemplates, LimitsCountCharactersNotBytes) {
  Template t = valid();
  t.subject = repeat("中", 200);
  t.body = repeat("文", 20000);
  t.sms = repeat("短", 500);
  EXPECT_TRUE(check_template(t).has_value()) << "each at its limit";

  t = valid();
  t.subject = repeat("中", 201);
  const Status subject = check_template(t);
  EXPECT_EQ(fields_of(subject), std::set<std::string>{"subject"});
  ASSERT_NE(field_error(subject, "subject"), nullptr);
  EXPECT_NE(field_error(subject, "subject")->message.en.find("200"), std::string::npos);

  t = valid();
  t.body = repeat("a", 20001);
  EXPECT_EQ(fields_of(check_template(t)), std::set<std::string>{"body"});

  t = valid();
  t.sms = repeat("短", 501);
  const Status sms = check_template(t);
  EXPECT_EQ(fields_of(sms), std::set<std::string>{"sms"});
  ASSERT_NE(field_error(sms, "sms"), nullptr);
  EXPECT_NE(field_error(sms, "sms")->message.en.find("500"), std::string::npos);

  t.subject = repeat("x", 201);
  t.body = repeat("y", 20001);
  EXPECT_EQ(fields_of(check_template(t)), (std::set<std::string>{"subject", "body", "sms"}));
}

// --- render ---

TEST(NotificationRulesRender, SubstitutesEveryPlaceholder) {
  const Variables vars{{"recipient_name", "张三"},
                       {"message", "培训班开课"},
                       {"link", "https://xiehui.example.org/training/classes/3"},
                       {"association", "湖南省开发区协会"}};
  EXPECT_EQ(render("{{recipient_name}}，您好：{{message}} {{link}}", vars),
            "张三，您好：培训班开课 https://xiehui.example.org/training/classes/3");
  EXPECT_EQ(render("【{{association}}】{{association}}", vars),
            "【湖南省开发区协会】湖南省开发区协会");
  EXPECT_EQ(render("no placeholders at all", vars), "no placeholders at all");
  EXPECT_EQ(render("", vars), "");
}

TEST(NotificationRulesRender, ToleratesSpacesAndLeavesNoBraces) {
  const Variables vars{{"recipient_name", "Li Si"}, {"title", "Dues invoice"}};
  const std::string out = render("{{ recipient_name }} / {{\ttitle }} / {{unit_name}}!", vars);
  EXPECT_EQ(out, "Li Si / Dues invoice / !") << "a missing value renders empty";
  EXPECT_EQ(out.find("{{"), std::string::npos);
  EXPECT_EQ(out.find("}}"), std::string::npos);
}

TEST(NotificationRulesRender, ValuesAreNotRenderedAgain) {
  // A value that looks like a placeholder stays as it is: no second pass.
  const Variables vars{{"message", "{{recipient_name}}"}, {"recipient_name", "张三"}};
  EXPECT_EQ(render("{{message}}", vars), "{{recipient_name}}");
}

TEST(NotificationRulesRender, DefaultTemplateRendersWithoutBraces) {
  const Variables vars{{"recipient_name", "张三"},
                       {"unit_name", "长沙经开区"},
                       {"message", "会费通知单已开具"},
                       {"title", "会费通知单"},
                       {"link", "https://xiehui.example.org/dues/invoices/1"},
                       {"association", "湖南省开发区协会"},
                       {"date", "2026-12-05"},
                       {"preferences_url", "https://xiehui.example.org/notifications/preferences"},
                       {"action_url", ""}};
  for (const char* locale : {"zh-CN", "en"}) {
    const Template t = default_template("dues.invoice", locale);
    for (const std::string& text : {t.subject, t.body, t.sms}) {
      const std::string out = render(text, vars);
      EXPECT_EQ(out.find("{{"), std::string::npos) << out;
      EXPECT_EQ(out.find("}}"), std::string::npos) << out;
    }
    EXPECT_NE(render(t.body, vars).find("会费通知单已开具"), std::string::npos);
    EXPECT_NE(render(t.subject, vars).find("会费通知单"), std::string::npos);
  }
}

// --- text_to_html ---

constexpr std::string_view kPrefs = "https://xiehui.example.org/notifications/preferences";

TEST(NotificationRulesHtml, EscapesMarkupAndAmpersands) {
  const std::string html = text_to_html("<script>alert('x')</script> A & B \"q\"", kPrefs, "zh-CN");
  EXPECT_EQ(html.find("<script>"), std::string::npos) << html;
  EXPECT_EQ(html.find("</script>"), std::string::npos) << html;
  EXPECT_NE(html.find("&lt;script&gt;"), std::string::npos) << html;
  EXPECT_NE(html.find("A &amp; B"), std::string::npos) << html;
  EXPECT_NE(html.find("&quot;q&quot;"), std::string::npos) << html;
  EXPECT_EQ(html.find("& B"), std::string::npos) << html;
}

TEST(NotificationRulesHtml, BlankLinesMakeParagraphsAndLineBreaksStay) {
  const std::string html = text_to_html("第一段\n第二行\n\n\n第二段\r\n\r\n第三段", "", "zh-CN");
  EXPECT_NE(html.find("<p>第一段<br>第二行</p><p>第二段</p><p>第三段</p>"), std::string::npos)
      << html;
  EXPECT_EQ(html.find("<p></p>"), std::string::npos) << "several blank lines make one break";
  EXPECT_EQ(html.find('\r'), std::string::npos);
  EXPECT_TRUE(html.starts_with("<!DOCTYPE html>"));
  EXPECT_TRUE(html.ends_with("</body></html>"));
}

TEST(NotificationRulesHtml, UrlsBecomeLinks) {
  const std::string html = text_to_html(
      "详情：https://xiehui.example.org/dues/invoices/7?a=1&b=2 请查看\n旧地址 "
      "http://old.example.org/x",
      "", "zh-CN");
  EXPECT_NE(html.find("<a href=\"https://xiehui.example.org/dues/invoices/7?a=1&amp;b=2\">"
                      "https://xiehui.example.org/dues/invoices/7?a=1&amp;b=2</a> 请查看"),
            std::string::npos)
      << html;
  EXPECT_NE(html.find("<a href=\"http://old.example.org/x\">http://old.example.org/x</a>"),
            std::string::npos)
      << html;
  // A URL ends at a Chinese character.
  const std::string cn = text_to_html("见https://xiehui.example.org/a。谢谢", "", "zh-CN");
  EXPECT_NE(cn.find("<a href=\"https://xiehui.example.org/a\">https://xiehui.example.org/a</a>。"),
            std::string::npos)
      << cn;
  // Other schemes are text.
  const std::string js = text_to_html("javascript:alert(1) ftp://x.example.org", "", "zh-CN");
  EXPECT_EQ(js.find("<a "), std::string::npos) << js;
}

TEST(NotificationRulesHtml, AQuoteInAUrlDoesNotBreakOutOfTheHref) {
  const std::string html = text_to_html(
      "https://evil.example.org/\"onmouseover=\"alert(1) and "
      "https://evil.example.org/'x'<b>bold</b>",
      "", "zh-CN");
  EXPECT_EQ(html.find("\"onmouseover"), std::string::npos) << html;
  EXPECT_EQ(html.find("onmouseover=\""), std::string::npos) << html;
  EXPECT_EQ(html.find("<b>"), std::string::npos) << html;
  EXPECT_NE(html.find("<a href=\"https://evil.example.org/\">"), std::string::npos) << html;
  // Every href value is closed before anything else of the line: attributes hold no raw quote.
  for (std::size_t at = html.find("href=\""); at != std::string::npos;
       at = html.find("href=\"", at + 1)) {
    const std::size_t close = html.find('"', at + 6);
    ASSERT_NE(close, std::string::npos);
    EXPECT_EQ(html.compare(close, 2, "\">"), 0) << html.substr(at, close - at + 10);
    const std::string value = html.substr(at + 6, close - at - 6);
    EXPECT_EQ(value.find_first_of("<> '"), std::string::npos) << value;
  }
}

TEST(NotificationRulesHtml, IncludesThePreferencesLink) {
  const std::string zh = text_to_html("正文", kPrefs, "zh-CN");
  EXPECT_NE(
      zh.find("<a href=\"https://xiehui.example.org/notifications/preferences\">通知设置</a>"),
      std::string::npos)
      << zh;
  const std::string en = text_to_html("Body", kPrefs, "en");
  EXPECT_NE(en.find("<a href=\"https://xiehui.example.org/notifications/preferences\">"
                    "Notification settings</a>"),
            std::string::npos)
      << en;
  const std::string none = text_to_html("正文", "", "zh-CN");
  EXPECT_EQ(none.find("<hr>"), std::string::npos);
  EXPECT_EQ(none.find("<a "), std::string::npos);
  // The preferences URL is escaped too.
  const std::string odd = text_to_html("x", "https://x.example.org/p?a=1&b=\"2\"", "en");
  EXPECT_NE(odd.find("href=\"https://x.example.org/p?a=1&amp;b=&quot;2&quot;\""), std::string::npos)
      << odd;
}

// --- retry_delay ---

TEST(NotificationRulesRetry, DoublesPerAttemptUpToTheCap) {
  const seconds base{30}, cap{hours(2)};
  EXPECT_EQ(retry_delay(1, base, cap, 0.5), seconds{30});
  EXPECT_EQ(retry_delay(2, base, cap, 0.5), seconds{60});
  EXPECT_EQ(retry_delay(3, base, cap, 0.5), seconds{120});
  EXPECT_EQ(retry_delay(4, base, cap, 0.5), seconds{240});
  EXPECT_EQ(retry_delay(8, base, cap, 0.5), seconds{3840});
  EXPECT_EQ(retry_delay(9, base, cap, 0.5), seconds{7200}) << "30 × 256 = 7680 is capped";
  EXPECT_EQ(retry_delay(40, base, cap, 0.5), seconds{7200});
  EXPECT_EQ(retry_delay(1000000, base, cap, 0.5), seconds{7200}) << "no overflow";
  EXPECT_EQ(retry_delay(0, base, cap, 0.5), seconds{30}) << "attempt 0 reads as the first";
  for (int attempt = 1; attempt < 8; ++attempt) {
    EXPECT_EQ(retry_delay(attempt + 1, base, cap, 0.5), 2 * retry_delay(attempt, base, cap, 0.5))
        << attempt;
  }
}

TEST(NotificationRulesRetry, JitterStaysWithinHalfToOneAndAHalfTimesTheDelay) {
  const seconds base{100}, cap{hours(2)};
  for (int attempt = 1; attempt <= 12; ++attempt) {
    const double raw = std::min(100.0 * (1 << (attempt - 1)), 7200.0);
    std::set<long long> seen;
    for (int i = 0; i < 1000; ++i) {
      const double unit = i / 1000.0;  // [0, 1)
      const long long d = retry_delay(attempt, base, cap, unit).count();
      // Whole seconds: the bounds are met after rounding.
      EXPECT_GE(d, static_cast<long long>(raw * 0.5)) << attempt << " " << unit;
      EXPECT_LE(d, static_cast<long long>(raw * 1.5)) << attempt << " " << unit;
      seen.insert(d);
    }
    EXPECT_GT(seen.size(), 50u) << "the factor spreads retries";
  }
  EXPECT_EQ(retry_delay(1, base, cap, 0.0), seconds{50});
  EXPECT_LT(retry_delay(1, base, cap, 0.99), seconds{150});
  // Out-of-range units are clamped into the interval.
  EXPECT_EQ(retry_delay(1, base, cap, -3.0), seconds{50});
  EXPECT_LE(retry_delay(1, base, cap, 7.0), seconds{150});
  EXPECT_GE(retry_delay(1, base, cap, 7.0), seconds{149});
  // Increasing in the unit.
  EXPECT_LT(retry_delay(3, base, cap, 0.1), retry_delay(3, base, cap, 0.9));
}

TEST(NotificationRulesRetry, NeverBelowOneSecond) {
  EXPECT_EQ(retry_delay(1, seconds{1}, seconds{60}, 0.0), seconds{1});
  EXPECT_EQ(retry_delay(1, seconds{0}, seconds{60}, 0.0), seconds{1});
  EXPECT_EQ(retry_delay(5, seconds{0}, seconds{0}, 0.9), seconds{1});
  for (int i = 0; i < 100; ++i) {
    EXPECT_GE(retry_delay(1, seconds{1}, seconds{60}, i / 100.0), seconds{1});
  }
}

// --- kind_info, labels, links ---

TEST(NotificationRulesKinds, UnknownKindGetsTheGenericEntry) {
  const KindInfo& k = kind_info("nope.never");
  EXPECT_EQ(k.kind, "");
  EXPECT_FALSE(k.locked);
  EXPECT_TRUE(k.email_default);
  EXPECT_FALSE(k.sms_default);
  EXPECT_TRUE(k.in_app);
  EXPECT_EQ(kind_label(k, "zh-CN"), "通知");
  EXPECT_EQ(kind_label(k, "en"), "Notice");
  EXPECT_EQ(&kind_info(""), &k) << "the empty kind is unknown as well";
}

TEST(NotificationRulesKinds, CatalogueIsWellFormed) {
  std::set<std::string_view> kinds;
  for (const KindInfo& k : kind_catalog()) {
    EXPECT_TRUE(kinds.insert(k.kind).second) << "twice: " << k.kind;
    EXPECT_EQ(&kind_info(k.kind), &k) << k.kind;
    EXPECT_FALSE(k.label_zh.empty()) << k.kind;
    EXPECT_FALSE(k.label_en.empty()) << k.kind;
    EXPECT_FALSE(k.group_zh.empty()) << k.kind;
    EXPECT_FALSE(k.group_en.empty()) << k.kind;
    EXPECT_FALSE(k.sms_default && !k.sms_allowed) << k.kind << ": SMS on by default but never sent";
    EXPECT_FALSE(k.locked && !k.email_default) << k.kind << ": locked, yet e-mail off";
  }
  for (const char* expected :
       {"account.password_reset", "account.locked", "meeting.invited", "meeting.reminder",
        "training.promoted", "training.class_reminder", "dues.invoice", "dues.lapsed",
        "visit.approved", "visit.departure", "system.test"}) {
    EXPECT_TRUE(kinds.contains(expected)) << expected;
  }
}

TEST(NotificationRulesKinds, LockedKindsAreTheDocumentedOnes) {
  std::set<std::string_view> locked;
  for (const KindInfo& k : kind_catalog()) {
    if (k.locked) locked.insert(k.kind);
  }
  EXPECT_EQ(locked, (std::set<std::string_view>{"account.password_reset", "account.locked",
                                                "dues.lapsed"}));
  const KindInfo& reset = kind_info("account.password_reset");
  EXPECT_TRUE(reset.locked);
  EXPECT_FALSE(reset.in_app) << "a reset link never shows in the inbox";
  EXPECT_FALSE(reset.sms_allowed);
  EXPECT_TRUE(reset.email_default);
  EXPECT_EQ(kind_label(reset, "en"), "Password reset");
  EXPECT_EQ(kind_label(reset, "zh-CN"), "重置密码");
  EXPECT_EQ(kind_group(reset, "en"), "Account");
}

TEST(NotificationRulesKinds, DefaultsOfSomeKinds) {
  EXPECT_TRUE(kind_info("training.promoted").sms_default);
  EXPECT_FALSE(kind_info("dues.invoice").sms_default);
  EXPECT_TRUE(kind_info("dues.invoice").sms_allowed);
  EXPECT_FALSE(kind_info("system.test").sms_default);
  EXPECT_TRUE(kind_info("visit.departure").in_app);
}

TEST(NotificationRulesKinds, LocalesAndLabels) {
  EXPECT_EQ(normalize_locale("en"), "en");
  EXPECT_EQ(normalize_locale("en-US"), "en");
  EXPECT_EQ(normalize_locale("zh-CN"), "zh-CN");
  EXPECT_EQ(normalize_locale("zh"), "zh-CN");
  EXPECT_EQ(normalize_locale("fr"), "zh-CN");
  EXPECT_EQ(normalize_locale(""), "zh-CN");
  const KindInfo& k = kind_info("training.promoted");
  EXPECT_EQ(kind_label(k, "zh-CN"), "候补转正");
  EXPECT_EQ(kind_label(k, "en"), "Moved up from the waitlist");
  EXPECT_EQ(kind_label(k, "de"), "候补转正") << "anything but en reads Chinese";
}

TEST(NotificationRulesKinds, DefaultLinks) {
  EXPECT_EQ(default_link("meeting", 12), "/meetings/12");
  EXPECT_EQ(default_link("class", 5), "/training/classes/5");
  EXPECT_EQ(default_link("visit", 7), "/visits/7");
  EXPECT_EQ(default_link("dues_invoice", 9), "/dues/invoices/9");
  EXPECT_EQ(default_link("enrollment", 3), "/training/mine");
  EXPECT_EQ(default_link("member", 3), "/dues");
  EXPECT_EQ(default_link("user", 3), "/account");
  EXPECT_EQ(default_link("unknown_thing", 4), std::nullopt);
  EXPECT_EQ(default_link("", 0), std::nullopt);
}

TEST(NotificationRulesKinds, TemplateVariablesAreTheDocumentedOnes) {
  std::set<std::string_view> names;
  for (const VariableInfo& v : template_variables()) {
    names.insert(v.name);
    EXPECT_FALSE(v.label_zh.empty());
    EXPECT_FALSE(v.label_en.empty());
    Template t = valid();
    std::string body = "{{";
    body += v.name;
    body += "}}";
    t.body = body;
    EXPECT_TRUE(check_template(t).has_value()) << v.name;
  }
  EXPECT_EQ(names,
            (std::set<std::string_view>{"recipient_name", "unit_name", "message", "title", "link",
                                        "association", "date", "preferences_url", "action_url"}));
}

}  // namespace
}  // namespace xiehui::notifications
