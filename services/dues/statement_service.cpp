#include "services/dues/statement_service.hpp"

#include "core/table_import.hpp"
#include "core/time.hpp"
#include "services/dues/dues_audit.hpp"
#include "services/dues/dues_repository.hpp"

namespace xiehui::dues {
namespace {

namespace dr = dues_repository;

constexpr std::size_t kSampleRows = 5;

Error no_statement() { return not_found_error({"银行流水", "bank statement"}); }

std::vector<SuggestedLine> suggest(soci::session& s, const std::vector<StatementLine>& lines,
                                   const std::vector<std::string>& keys) {
  const std::vector<MatchCandidate> candidates = dr::match_candidates(s);
  std::vector<SuggestedLine> out;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    out.push_back({lines[i], score_matches(lines[i], candidates), dr::source_key_used(s, keys[i])});
  }
  return out;
}

}  // namespace

Result<StatementReview> StatementService::upload(std::string_view file,
                                                 const std::string& file_name,
                                                 const std::optional<ColumnMap>& given,
                                                 bool dry_run, const Principal& actor) {
  SheetLimits limits;
  limits.max_rows = 20'000;
  auto sheet = read_sheet(file, limits);
  if (!sheet) return std::unexpected(sheet.error());
  const std::string setting = column_map_setting(sheet->headers);
  const Timestamp now = clock_.now();
  return db_.with_transaction([&](soci::session& s) -> Result<StatementReview> {
    StatementReview review;
    review.dry_run = dry_run;
    std::optional<ColumnMap> map = given;
    if (!map) {
      const auto rows = dr::setting_rows(s, setting);
      if (const auto it = rows.find(setting); it != rows.end()) map = parse_column_map(it->second);
    }
    if (map && (static_cast<std::size_t>(std::max({map->date, map->payer, map->amount,
                                                   map->reference})) >= sheet->headers.size())) {
      return std::unexpected(invalid_fields(
          {{"map", {"所选列超出文件的列数", "a chosen column is beyond the file's columns"}}}));
    }
    if (!map) {
      review.needs_mapping = true;
      review.headers = sheet->headers;
      for (std::size_t i = 0; i < sheet->rows.size() && i < kSampleRows; ++i) {
        review.sample.push_back(sheet->rows[i].cells);
      }
      review.suggested = guess_column_map(sheet->headers);
      return review;
    }
    if (given) dr::put_setting(s, setting, to_string(*given), now);
    StatementExtract extract = extract_lines(*sheet, *map);
    const std::vector<std::string> keys = line_keys(extract.lines);
    review.lines = suggest(s, extract.lines, keys);
    review.problems = std::move(extract.problems);
    if (!dry_run) {
      review.id = dr::insert_statement(s, file_name, static_cast<int>(extract.lines.size()),
                                       actor_id(actor), now);
      for (std::size_t i = 0; i < extract.lines.size(); ++i) {
        dr::insert_statement_line(s, *review.id, extract.lines[i], keys[i]);
      }
      audit(s, actor, "dues.statement", "dues_statement", *review.id,
            file_name + ": " + std::to_string(extract.lines.size()) + " credit lines", now);
    }
    return review;
  });
}

Result<StatementReview> StatementService::get(long long id) {
  return db_.with_session([&](soci::session& s) -> Result<StatementReview> {
    if (!dr::statement_exists(s, id)) return std::unexpected(no_statement());
    StatementReview review;
    review.id = id;
    review.dry_run = false;
    std::vector<StatementLine> lines;
    std::vector<std::string> keys;
    for (dr::StoredLine& l : dr::statement_lines(s, id)) {
      lines.push_back(std::move(l.line));
      keys.push_back(std::move(l.line_key));
    }
    review.lines = suggest(s, lines, keys);
    return review;
  });
}

Result<ConfirmReport> StatementService::confirm(long long id,
                                                const std::vector<ConfirmedMatch>& matches,
                                                const Principal& actor) {
  auto stored = db_.with_session([&](soci::session& s) -> Result<std::vector<dr::StoredLine>> {
    if (!dr::statement_exists(s, id)) return std::unexpected(no_statement());
    return dr::statement_lines(s, id);
  });
  if (!stored) return std::unexpected(stored.error());
  ConfirmReport report;
  for (const ConfirmedMatch& m : matches) {
    const auto line = std::find_if(stored->begin(), stored->end(),
                                   [&](const dr::StoredLine& l) { return l.line.line == m.line; });
    if (line == stored->end()) {
      report.errors.push_back({m.line, "流水中没有这一行"});
      continue;
    }
    Payment p;
    p.amount_fen = line->line.amount_fen;
    p.paid_on = line->line.date;
    p.method = "bank_transfer";
    p.reference =
        line->line.payer + (line->line.reference.empty() ? "" : " " + line->line.reference);
    p.source_key = line->line_key;
    auto r = payments_.record(m.invoice_id, p, actor);
    if (!r && r.error().code == ErrorCode::already_exists) {
      ++report.skipped;
      continue;
    }
    if (!r) {
      report.errors.push_back({m.line, r.error().message.zh});
      continue;
    }
    ++report.recorded;
    const long long line_id = line->id, payment_id = r->payment.id;
    (void)db_.with_transaction([&](soci::session& s) -> Status {
      dr::set_line_payment(s, line_id, payment_id);
      return {};
    });
  }
  return report;
}

}  // namespace xiehui::dues
