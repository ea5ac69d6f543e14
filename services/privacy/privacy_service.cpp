#include "services/privacy/privacy_service.hpp"

#include <fmt/format.h>

#include "core/audit.hpp"
#include "core/validate.hpp"
#include "services/membership/membership_rules.hpp"
#include "services/privacy/privacy_repository.hpp"

namespace xiehui::privacy {
namespace {

namespace repo = privacy_repository;

constexpr std::size_t kMaxName = 50;
constexpr std::size_t kMaxReason = 500;

Result<std::string> read_mobile(std::string_view text) {
  auto m = normalise_mobile(text);
  if (!m) return std::unexpected(invalid_fields({{"mobile", m.error()}}));
  return *m;
}

std::vector<std::string> emails_of(const PersonData& d) {
  std::vector<std::string> out;
  for (const auto& r : d.records) {
    if (!r.email.empty()) out.push_back(r.email);
  }
  return out;
}

PersonData find_all(soci::session& s, const std::string& mobile, const std::string& name) {
  PersonData d;
  d.records = repo::find_records(s, mobile, name);
  std::vector<std::string> recipients = emails_of(d);
  for (const auto& r : d.records) recipients.push_back(r.mobile);
  d.messages = repo::find_messages(s, recipients);
  return d;
}

// The audit row of a search or export names the person only by a masked number.
std::string described(const std::string& mobile, const std::string& name) {
  return mobile.empty() ? fmt::format("name ({} chars)", name.size())
                        : "mobile " + membership::mask_mobile(mobile);
}

Error nobody() {
  return make_error(ErrorCode::not_found,
                    {"没有记录含有该手机号", "No record holds this mobile number"});
}

}  // namespace

Result<PersonData> PrivacyService::find(const Principal& who, std::string_view mobile_in,
                                        std::string_view name_in) {
  std::string mobile, name(name_in);
  if (!mobile_in.empty()) {
    auto m = read_mobile(mobile_in);
    if (!m) return std::unexpected(m.error());
    mobile = *m;
  } else if (name.empty() || name.size() > kMaxName * 4 || has_control_chars(name, false)) {
    return std::unexpected(
        invalid_fields({{"mobile", {"请输入手机号或姓名", "give a mobile number or a name"}},
                        {"name",
                         {"请输入手机号或姓名（最多 50 字）",
                          "give a mobile number or a name (50 characters at most)"}}}));
  }
  const Timestamp now = clock_.now();
  return db_.with_transaction([&](soci::session& s) -> Result<PersonData> {
    PersonData d = find_all(s, mobile, name);
    audit_as(s, who, "person.search", "person", 0,
             fmt::format("{}: {} records", described(mobile, name), d.records.size()), now);
    return d;
  });
}

Result<PersonData> PrivacyService::export_data(const Principal& who, std::string_view mobile_in,
                                               std::string_view format) {
  auto mobile = read_mobile(mobile_in);
  if (!mobile) return std::unexpected(mobile.error());
  const Timestamp now = clock_.now();
  return db_.with_transaction([&](soci::session& s) -> Result<PersonData> {
    PersonData d = find_all(s, *mobile, "");
    if (d.records.empty() && d.messages.empty()) return std::unexpected(nobody());
    audit_as(s, who, "person.export", "person", 0,
             fmt::format("{}: {} records, {} messages ({})", described(*mobile, ""),
                         d.records.size(), d.messages.size(), format),
             now);
    return d;
  });
}

Result<long long> PrivacyService::correct(const Principal& who, std::string_view mobile_in,
                                          PersonCorrection c, std::string_view reason) {
  std::vector<FieldError> errors;
  auto mobile = read_mobile(mobile_in);
  if (!mobile) errors.push_back({"mobile", mobile.error().fields.front().message});
  if (!c.new_mobile.empty()) {
    auto m = normalise_mobile(c.new_mobile);
    if (m) {
      c.new_mobile = *m;
    } else {
      errors.push_back({"new_mobile", m.error()});
    }
  }
  if (!c.email.empty()) {
    auto e = normalise_email(c.email);
    if (e) {
      c.email = *e;
    } else {
      errors.push_back({"email", e.error()});
    }
  }
  if (c.name.empty() && c.title.empty() && c.email.empty() && c.new_mobile.empty()) {
    errors.push_back({"name", {"请填写要更正的内容", "give what to correct"}});
  }
  if (reason.empty()) errors.push_back({"reason", {"请填写更正依据", "give the reason"}});
  if (!errors.empty()) return std::unexpected(invalid_fields(std::move(errors)));
  const Timestamp now = clock_.now();
  return db_.with_transaction([&](soci::session& s) -> Result<long long> {
    if (repo::find_records(s, *mobile, "").empty()) return std::unexpected(nobody());
    if (!c.new_mobile.empty() && c.new_mobile != *mobile &&
        repo::new_mobile_collides(s, *mobile, c.new_mobile)) {
      Error taken = make_error(ErrorCode::conflict,
                               {"新手机号已在同一培训班或考察团中占有名额",
                                "the new number already holds a place in the same class or visit"});
      taken.fields.push_back({"new_mobile", taken.message});
      return std::unexpected(taken);
    }
    const long long changed = repo::correct_person(s, *mobile, c);
    std::string what;
    for (const auto& [field, given] : {std::pair{"name", !c.name.empty()},
                                       {"title", !c.title.empty()},
                                       {"email", !c.email.empty()},
                                       {"mobile", !c.new_mobile.empty()}}) {
      if (given) what += what.empty() ? field : fmt::format(", {}", field);
    }
    audit_as(s, who, "person.correct", "person", 0,
             fmt::format("{}{}: {} ({} records)", described(*mobile, ""),
                         c.new_mobile.empty() ? "" : " → " + membership::mask_mobile(c.new_mobile),
                         what, changed),
             now);
    return changed;
  });
}

Result<std::string> person_xlsx(const PersonData& data) {
  Table records{
      {"类别", "姓名", "职务", "手机", "邮箱", "所属", "单位", "状态", "记录时间", "证书编号"}, {}};
  for (const auto& r : data.records) {
    records.rows.push_back({r.kind, r.name, r.title, r.mobile, r.email, r.context, r.unit, r.status,
                            r.recorded_at, r.certificate_no});
  }
  Table messages{{"渠道", "类型", "标题", "状态", "时间"}, {}};
  for (const auto& m : data.messages) {
    messages.rows.push_back({m.channel, m.kind, m.subject, m.status, m.created_at});
  }
  const NamedTable sheets[] = {{"个人信息记录", records}, {"发送的通知", messages}};
  return to_xlsx(sheets);
}

Result<ErasureReport> PrivacyService::erase(const Principal& who, std::string_view mobile_in,
                                            std::string_view reason) {
  auto mobile = read_mobile(mobile_in);
  if (!mobile) return std::unexpected(mobile.error());
  if (reason.empty() || reason.size() > kMaxReason * 4) {
    return std::unexpected(invalid_fields(
        {{"reason",
          {"请填写删除依据（最多 500 字）", "give the reason (500 characters at most)"}}}));
  }
  const Timestamp now = clock_.now();
  return db_.with_transaction([&](soci::session& s) -> Result<ErasureReport> {
    const PersonData d = find_all(s, *mobile, "");
    if (d.records.empty() && d.messages.empty()) return std::unexpected(nobody());
    std::vector<std::string> names;
    for (const auto& r : d.records) names.push_back(r.name);
    std::vector<long long> audit_ids;
    ErasureReport report = repo::erase_person(s, *mobile, names, emails_of(d), audit_ids);
    const auto erased = erase_audit_summaries(s, audit_ids);
    if (!erased) {
      return std::unexpected(make_error(
          ErrorCode::conflict, {"审计日志校验未通过，无法删除其中的个人信息；请先处理审计日志",
                                "The audit chain does not verify, so the person cannot be "
                                "erased from it; resolve the audit log first"}));
    }
    report.audit_rows = *erased;
    // The erased summaries keep their digests; this row names the person only by a masked
    // number, and a reason that quotes their number, e-mail or name loses it.
    std::string why(reason);
    std::vector<std::string> quoted = emails_of(d);
    quoted.insert(quoted.end(), names.begin(), names.end());
    quoted.push_back(*mobile);
    for (const std::string& q : quoted) {
      if (q.empty() || q == kErased) continue;
      for (auto at = why.find(q); at != std::string::npos;
           at = why.find(q, at + std::string_view(kErased).size())) {
        why.replace(at, q.size(), kErased);
      }
    }
    audit_as(s, who, "person.erase", "person", 0,
             fmt::format("{}: records {}, messages {}, notifications {}, audit rows {}, other "
                         "rows {}; reason: {}",
                         described(*mobile, ""), report.records, report.messages,
                         report.notifications, report.audit_rows, report.other_rows, why),
             now);
    return report;
  });
}

}  // namespace xiehui::privacy
