// The 考察报告: text that staff write and publish, with attachments (documents and photos,
// checked by content as meeting materials are) that members read once it is published.

#include "core/crypto.hpp"
#include "core/file_store.hpp"
#include "services/accounts/account_rules.hpp"
#include "services/meetings/material_rules.hpp"
#include "services/visits/visit_places.hpp"
#include "services/visits/visit_service.hpp"

namespace xiehui::visits {
namespace {

namespace vr = visit_repository;
using places_of_visit::audit;
using places_of_visit::is_staff;

Error no_such_visit() { return not_found_error({"考察活动", "visit"}); }
Error no_such_file() { return not_found_error({"附件", "attachment"}); }

constexpr long long kMaxFileBytes = 20LL * 1024 * 1024;

std::filesystem::path file_path(const std::string& data_dir, const vr::ReportFile& f) {
  return std::filesystem::path(data_dir) / "visit-reports" / std::to_string(f.visit_id) /
         f.stored_name;
}

}  // namespace

Result<VisitReport> VisitService::report(long long visit_id, const Principal& who) {
  return db_.with_session([&](soci::session& s) -> Result<VisitReport> {
    auto v = vr::find_visit(s, visit_id, false);
    if (!v || (v->status == "draft" && !is_staff(who))) return std::unexpected(no_such_visit());
    if (!v->report_published_at && !is_staff(who)) return VisitReport{};
    return VisitReport{v->report_text, v->report_published_at, vr::report_files(s, visit_id)};
  });
}

Result<VisitReport> VisitService::save_report(long long visit_id,
                                              const std::optional<std::string>& new_text,
                                              std::optional<bool> publish, const Principal& actor) {
  std::vector<FieldError> errors;
  if (new_text) accounts::check_length(errors, *new_text, "text", 0, 50000);
  if (!errors.empty()) return std::unexpected(invalid_fields(std::move(errors)));
  const Timestamp now = clock_.now();
  auto saved = db_.with_transaction([&](soci::session& s) -> Status {
    auto v = vr::find_visit(s, visit_id, true);
    if (!v) return std::unexpected(no_such_visit());
    const std::string text = new_text.value_or(v->report_text);
    std::optional<Timestamp> published = v->report_published_at;
    if (publish)
      published = *publish ? std::optional<Timestamp>(published.value_or(now)) : std::nullopt;
    if (published && text.empty()) {
      return std::unexpected(invalid_fields(
          {{"text", {"报告为空，不能发布", "an empty report cannot be published"}}}));
    }
    vr::save_report(s, visit_id, text, published, now);
    audit(s, actor, "visit.report", "visit", visit_id,
          std::to_string(text.size()) + " bytes" + (published ? ", published" : ", draft"), now);
    return {};
  });
  if (!saved) return std::unexpected(saved.error());
  return report(visit_id, actor);
}

Result<vr::ReportFile> VisitService::upload_report_file(long long visit_id,
                                                        const std::string& filename,
                                                        const std::string& content,
                                                        const Principal& actor) {
  auto type = meetings::check_material(filename, content, true);
  if (!type) return std::unexpected(type.error());
  if (static_cast<long long>(content.size()) > kMaxFileBytes) {
    Error e = make_error(ErrorCode::invalid_argument,
                         {"文件超过大小上限", "the file is larger than the limit"});
    e.fields.push_back({"file", {"文件最大 20 MB", "at most 20 MB"}});
    e.figures.push_back({"max_bytes", kMaxFileBytes});
    return std::unexpected(std::move(e));
  }
  vr::ReportFile f;
  f.visit_id = visit_id;
  f.filename = type->filename;
  f.content_type = type->content_type;
  f.size = static_cast<long long>(content.size());
  f.sha256 = sha256_hex(content);
  f.stored_name = random_token(18) + "." + type->extension;
  const auto path = file_path(data_dir_, f);
  if (auto st = store_file(path, content); !st) return std::unexpected(st.error());
  const Timestamp now = clock_.now();
  auto r = db_.with_transaction([&](soci::session& s) -> Result<vr::ReportFile> {
    auto v = vr::find_visit(s, visit_id, true);
    if (!v) return std::unexpected(no_such_visit());
    f.id = vr::insert_report_file(s, f, actor_id(actor), now);
    f.uploaded_at = now;
    audit(s, actor, "visit.report_file", "visit", visit_id,
          f.filename + " " + std::to_string(f.size) + " B", now);
    return f;
  });
  if (!r) discard_file(path);
  return r;
}

Result<ReportFileContent> VisitService::report_file(long long visit_id, long long file_id,
                                                    const Principal& who) {
  auto found = db_.with_session([&](soci::session& s) -> Result<vr::ReportFile> {
    auto v = vr::find_visit(s, visit_id, false);
    const bool hidden = v && (v->status == "draft" || !v->report_published_at);
    if (!v || (hidden && !is_staff(who))) return std::unexpected(no_such_file());
    auto f = vr::find_report_file(s, visit_id, file_id);
    if (!f) return std::unexpected(no_such_file());
    return *f;
  });
  if (!found) return std::unexpected(found.error());
  auto content = load_file(file_path(data_dir_, *found));
  if (!content) return std::unexpected(no_such_file());
  return ReportFileContent{*found, std::move(*content)};
}

Status VisitService::delete_report_file(long long visit_id, long long file_id,
                                        const Principal& actor) {
  const Timestamp now = clock_.now();
  return db_.with_transaction([&](soci::session& s) -> Status {
    if (!vr::find_visit(s, visit_id, true)) return std::unexpected(no_such_visit());
    auto f = vr::find_report_file(s, visit_id, file_id);
    if (!f) return std::unexpected(no_such_file());
    vr::delete_report_file(s, file_id, now);
    audit(s, actor, "visit.report_file_delete", "visit", visit_id, f->filename, now);
    return {};
  });
}

}  // namespace xiehui::visits
