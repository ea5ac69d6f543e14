#include "services/membership/import_service.hpp"

#include <algorithm>

#include "core/audit.hpp"
#include "core/crypto.hpp"
#include "core/pinyin.hpp"
#include "core/time.hpp"
#include "services/membership/membership_repository.hpp"

namespace xiehui::membership {
namespace {

namespace mr = membership_repository;

constexpr long kProgressEvery = 100;
// A file of 100,000 bad rows still gets a report of sensible size; the count says the rest.
constexpr std::size_t kMaxReportedErrors = 1000;
constexpr const char* kImportReason = "批量导入";

enum class Outcome { created, updated, unchanged };

Error not_allowed() {
  return make_error(ErrorCode::permission_denied,
                    {"您没有执行此操作的权限", "You may not do this"});
}

std::optional<long long> actor_of(const Principal& p) {
  return p.user_id ? std::optional<long long>(p.user_id) : std::nullopt;
}

// Writes one checked row (unless `dry_run`) and says what it did or would do.
class RowWriter {
 public:
  RowWriter(soci::session& s, const ParsedImport& file, bool dry_run, const Principal& actor,
            Timestamp now, AuditBatch* audit)
      : s_(s),
        audit_(audit),
        file_(file),
        dry_run_(dry_run),
        actor_(actor),
        now_(now),
        today_(format_date(shanghai_date(now))) {}

  Outcome apply(const ImportRow& row) {
    auto existing = mr::find_member_by_uscc(s_, row.org.uscc, !dry_run_);
    if (!existing) {
      if (!dry_run_) create(row);
      return Outcome::created;
    }
    return update(*existing, row) ? Outcome::updated : Outcome::unchanged;
  }

 private:
  void create(const ImportRow& row) {
    const auto [id, member_no] = mr::insert_member(
        s_, row.org, row.tier.empty() ? "member" : row.tier,
        row.joined_on.empty() ? today_ : row.joined_on, pinyin_sort_key(row.org.name), now_);
    if (row.representative)
      mr::insert_contact(s_, {0, id, "representative", *row.representative}, now_);
    audit(id, "member.import.create", member_no + " " + row.org.name);
  }

  // Returns whether anything differs; writes the differences unless dry_run_.
  bool update(const Member& m, const ImportRow& row) {
    Member after = m;
    after.org.name = row.org.name;
    after.org.type = row.org.type;
    after.org.level = row.org.level;
    after.org.city_code = row.org.city_code;
    if (row.short_name_given) after.org.short_name = row.org.short_name;
    if (file_.has("address")) after.org.address = row.org.address;
    if (after.org.name != m.org.name) after.sort_key = pinyin_sort_key(after.org.name);
    const bool org_changed =
        after.org.name != m.org.name || after.org.short_name != m.org.short_name ||
        after.org.type != m.org.type || after.org.level != m.org.level ||
        after.org.city_code != m.org.city_code || after.org.address != m.org.address;
    const bool tier_changed = !row.tier.empty() && row.tier != m.tier;
    std::optional<MemberContact> rep;
    Contact wanted;
    bool rep_changed = false;
    if (row.representative) {
      rep = mr::representative(s_, m.id);
      // Columns the file lacks keep the current representative's details.
      wanted = *row.representative;
      if (rep) {
        if (!file_.has("rep_title")) wanted.title = rep->person.title;
        if (!file_.has("rep_email")) wanted.email = rep->person.email;
      }
      rep_changed = !rep || rep->person.name != wanted.name || rep->person.title != wanted.title ||
                    rep->person.mobile != wanted.mobile || rep->person.email != wanted.email;
    }
    if (!org_changed && !tier_changed && !rep_changed) return false;
    if (dry_run_) return true;
    std::string summary;
    if (org_changed) {
      mr::update_member(s_, after, now_);
      if (after.org.name != m.org.name) {
        history(m.id, "name", m.org.name, after.org.name);
        summary += "name " + m.org.name + " -> " + after.org.name + "; ";
      } else {
        summary += "organisation; ";
      }
    }
    if (tier_changed) {
      mr::set_member_tier(s_, m.id, row.tier, now_);
      history(m.id, "tier", m.tier, row.tier);
      summary += "tier " + m.tier + " -> " + row.tier + "; ";
    }
    if (rep_changed) {
      const Contact& p = wanted;
      if (rep && rep->person.name == p.name) {
        // The same person with new details: not a change of representative.
        rep->person = p;
        mr::update_contact(s_, *rep, now_);
      } else {
        history(m.id, "representative", rep ? rep->person.name : "", p.name);
        mr::demote_representatives(s_, m.id, now_);
        mr::insert_contact(s_, {0, m.id, "representative", p}, now_);
      }
      summary += "representative; ";
    }
    audit(m.id, "member.import.update", summary);
    return true;
  }

  void history(long long member_id, const char* kind, const std::string& from,
               const std::string& to) {
    mr::insert_history(s_, member_id,
                       {kind, from, to, today_, kImportReason, actor_.username, now_},
                       actor_of(actor_));
  }

  void audit(long long member_id, const char* action, std::string summary) {
    audit_->append({actor_of(actor_), actor_.username, actor_.address, action, "member",
                    std::to_string(member_id), std::move(summary)},
                   now_);
  }

  soci::session& s_;
  AuditBatch* audit_;  // set when writing
  const ParsedImport& file_;
  bool dry_run_;
  const Principal& actor_;
  Timestamp now_;
  std::string today_;
};

}  // namespace

Result<ImportSlot> MemberImportService::reserve() {
  std::size_t n = in_use_.load(std::memory_order_relaxed);
  do {
    if (n >= policy_.max_concurrent) {
      return std::unexpected(make_error(
          ErrorCode::rate_limited,
          {"正在处理的导入过多，请稍后再试", "Too many imports are in progress; try again later"}));
    }
  } while (!in_use_.compare_exchange_weak(n, n + 1, std::memory_order_acquire,
                                          std::memory_order_relaxed));
  return ImportSlot(&in_use_);
}

Result<ImportReport> MemberImportService::run(std::string_view file, bool dry_run,
                                              const Principal& actor,
                                              const ImportProgress& progress) {
  if (!actor.can(Permission::members_write)) return std::unexpected(not_allowed());
  auto slot = reserve();
  if (!slot) return std::unexpected(slot.error());
  return run(*slot, file, dry_run, actor, progress);
}

Result<ImportReport> MemberImportService::run(const ImportSlot&, std::string_view file,
                                              bool dry_run, const Principal& actor,
                                              const ImportProgress& progress) {
  if (!actor.can(Permission::members_write)) return std::unexpected(not_allowed());
  auto sheet = read_sheet(file);
  if (!sheet) return std::unexpected(sheet.error());
  ParsedImport parsed = parse_member_rows(*sheet, hunan_prefectures());
  const std::string today = format_date(shanghai_date(clock_.now()));
  std::erase_if(parsed.rows, [&](const ImportRow& row) {
    if (row.joined_on <= today) return false;
    parsed.errors.push_back(
        {row.row,
         "入会日期",
         {"入会日期不能晚于今天（" + today + "）", "the joining date is in the future"}});
    return true;
  });
  std::ranges::stable_sort(parsed.errors, {}, &ImportError::row);
  ImportReport report;
  report.dry_run = dry_run;
  report.rows = static_cast<long>(sheet->rows.size());
  report.error_count = static_cast<long>(parsed.errors.size());
  for (std::size_t i = 0; i < parsed.errors.size(); ++i) {
    if (i == 0 || parsed.errors[i].row != parsed.errors[i - 1].row) ++report.error_rows;
  }
  if (parsed.errors.size() > kMaxReportedErrors) parsed.errors.resize(kMaxReportedErrors);
  report.errors = std::move(parsed.errors);
  const long total = static_cast<long>(parsed.rows.size());
  if (progress) progress(0, total);
  const Timestamp now = clock_.now();
  const auto work = [&](soci::session& s) -> Result<ImportReport> {
    ImportReport counts = report;  // a retried transaction starts again from zero
    // The chain head is locked first, so imports queue behind one another instead of
    // deadlocking, and each unit's audit row costs one INSERT.
    std::optional<AuditBatch> audit;
    if (!dry_run) audit.emplace(s);
    RowWriter writer(s, parsed, dry_run, actor, now, audit ? &*audit : nullptr);
    long done = 0;
    for (const ImportRow& row : parsed.rows) {
      switch (writer.apply(row)) {
        case Outcome::created:
          ++counts.created;
          break;
        case Outcome::updated:
          ++counts.updated;
          break;
        case Outcome::unchanged:
          ++counts.unchanged;
          break;
      }
      if (++done % kProgressEvery == 0 && progress) progress(done, total);
    }
    if (audit) {
      audit->append({actor_of(actor), actor.username, actor.address, "member.import", "member", "",
                     "created=" + std::to_string(counts.created) +
                         " updated=" + std::to_string(counts.updated) + " skipped=" +
                         std::to_string(counts.error_rows) + " file_sha256=" + sha256_hex(file)},
                    now);
      audit->finish();
    }
    return counts;
  };
  auto result = dry_run ? db_.with_session(work) : db_.with_transaction(work);
  if (result && progress) progress(total, total);
  return result;
}

Result<std::string> MemberImportService::template_xlsx() const {
  const Table columns = import_template();
  const Table help = import_template_help();
  const NamedTable sheets[] = {{"会员单位", columns}, {"填写说明", help}};
  return to_xlsx(sheets);
}

}  // namespace xiehui::membership
