#pragma once
// Pure rules of notification delivery: the catalogue of kinds (labels, defaults, which ones a
// user cannot turn off), templates (checked when saved, rendered when fanned out), links, and
// the retry backoff. No database, no network.

#include <chrono>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace xiehui::notifications {

/// One kind of notification and how it is delivered unless a user chooses otherwise.
struct KindInfo {
  std::string_view kind;
  std::string_view group_zh, group_en;
  std::string_view label_zh, label_en;
  bool locked = false;        ///< cannot be turned off (a password reset, a locked account)
  bool email_default = true;  ///< e-mail on unless the user turns it off
  bool sms_default = false;   ///< SMS on unless the user turns it off (time-critical kinds)
  bool sms_allowed = true;    ///< whether SMS may carry it at all
  bool in_app = true;         ///< shown in the inbox (a reset link is not)
};

/// Every kind the system writes, grouped by area, in display order.
std::span<const KindInfo> kind_catalog();
/// The kind's entry; an unknown kind gets a generic one (e-mail on, SMS off).
const KindInfo& kind_info(std::string_view kind);

/// "zh-CN" or "en"; anything else reads as "zh-CN".
std::string normalize_locale(std::string_view locale);
/// The kind's label in `locale`.
std::string_view kind_label(const KindInfo& k, std::string_view locale);
std::string_view kind_group(const KindInfo& k, std::string_view locale);

/// A template of one kind in one language: subject line, plain-text body, SMS text.
struct Template {
  std::string subject;
  std::string body;
  std::string sms;
};

/// The built-in template of `kind` in `locale`.
Template default_template(std::string_view kind, std::string_view locale);

/// The variables every template may use, with labels for the editor.
struct VariableInfo {
  std::string_view name;
  std::string_view label_zh, label_en;
};
std::span<const VariableInfo> template_variables();

using Variables = std::map<std::string, std::string, std::less<>>;

/// Refuses a template that would not render: unbalanced or empty {{ }}, an unknown variable, an
/// empty or multi-line subject, an empty body, texts over their limits. The error names each
/// bad field (subject, body, sms).
Status check_template(const Template& t);

/// `text` with each {{name}} replaced by its value (a checked template names known variables
/// only; a missing value renders empty).
std::string render(std::string_view text, const Variables& vars);

/// The HTML part for a plain-text body: escaped, paragraphs on blank lines, line breaks kept,
/// http(s) URLs as links; a small footer with the preferences link.
std::string text_to_html(std::string_view text, std::string_view preferences_url,
                         std::string_view locale);

/// The UI path a notice about (entity_type, id) opens, or nothing.
std::optional<std::string> default_link(std::string_view entity_type, long long entity_id);

/// How long to wait before attempt `attempt + 1` after `attempt` failures (1-based):
/// base × 2^(attempt−1), capped, then scaled by a jitter factor in [0.5, 1.5) from `unit`
/// ∈ [0, 1) so that messages failed together do not retry together.
std::chrono::seconds retry_delay(int attempt, std::chrono::seconds base, std::chrono::seconds cap,
                                 double unit);

}  // namespace xiehui::notifications
