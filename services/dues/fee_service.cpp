#include "services/dues/fee_service.hpp"

#include "core/time.hpp"
#include "core/validate.hpp"
#include "services/accounts/account_rules.hpp"
#include "services/dues/dues_audit.hpp"
#include "services/dues/dues_text.hpp"
#include "services/membership/membership_repository.hpp"

namespace xiehui::dues {
namespace {

namespace dr = dues_repository;
namespace mr = membership::membership_repository;

Error no_fee() { return not_found_error({"费用记录", "fee"}); }

bool staff(const Principal& p) { return p.can(Permission::dues_manage); }

std::vector<FeeView> with_invoicing(soci::session& s, std::vector<dr::Fee> fees) {
  std::vector<long long> ids;
  for (const dr::Fee& f : fees) {
    if (f.member_id) ids.push_back(*f.member_id);
  }
  auto info = dr::invoicing_of(s, ids);
  std::vector<FeeView> out;
  for (dr::Fee& f : fees) {
    std::optional<dr::Invoicing> inv;
    if (f.member_id) {
      if (auto it = info.find(*f.member_id); it != info.end()) inv = it->second;
    }
    out.push_back({std::move(f), std::move(inv)});
  }
  return out;
}

std::string fapiao_label(const std::string& s) {
  if (s == "requested") return "已申请";
  if (s == "issued") return "已开具";
  return "未申请";
}

// Whether a text field is within `max` characters, without control characters.
bool fits(const std::string& v, std::size_t max) {
  return accounts::utf8_length(v) <= max && !has_control_chars(v, false);
}

}  // namespace

Result<FeePage> FeeService::fees(const dr::FeeFilter& filter, int page, int page_size) {
  return db_.with_session([&](soci::session& s) -> Result<FeePage> {
    FeePage p;
    p.total = dr::count_fees(s, filter);
    p.items = with_invoicing(s, dr::list_fees(s, filter, page_size, (page - 1) * page_size));
    return p;
  });
}

Result<Table> FeeService::fees_table(const dr::FeeFilter& filter) {
  auto all = fees(filter, 1, 10'000'000);
  if (!all) return std::unexpected(all.error());
  Table t{{"类别", "付款单位", "项目", "金额（元）", "状态", "发票状态", "发票号码", "开票日期",
           "发票抬头", "税号", "地址电话", "开户行及账号"},
          {}};
  for (const FeeView& v : all->items) {
    const dr::Invoicing inv = v.invoicing.value_or(dr::Invoicing{});
    t.rows.push_back({v.fee.kind == "training" ? "培训费" : "考察费", v.fee.payer_name,
                      v.fee.description, format_yuan(v.fee.amount_fen),
                      v.fee.status == "void" ? "作废" : "有效", fapiao_label(v.fee.fapiao_status),
                      v.fee.fapiao_no.value_or(""), v.fee.fapiao_on.value_or(""), inv.title,
                      inv.tax_no, inv.address + " " + inv.phone,
                      inv.bank_name + " " + inv.bank_account});
  }
  return t;
}

Result<FeePage> FeeService::my_fees(const Principal& who) {
  if (!who.member_id) return FeePage{};
  dr::FeeFilter f;
  f.member_id = who.member_id;
  return fees(f, 1, 1000);
}

Result<FeeView> FeeService::request_fapiao(long long fee_id, const Principal& who) {
  const Timestamp now = clock_.now();
  return db_.with_transaction([&](soci::session& s) -> Result<FeeView> {
    auto fee = dr::find_fee(s, fee_id, true);
    if (!fee || !fee->member_id || (!staff(who) && fee->member_id != who.member_id)) {
      return std::unexpected(no_fee());
    }
    if (fee->status != "open" || fee->fapiao_status == "issued") {
      return std::unexpected(make_error(
          ErrorCode::conflict, {"该费用已开票或已作废", "the fee was invoiced or is void"}));
    }
    dr::set_fapiao(s, fee_id, "requested", std::nullopt, std::nullopt, now);
    audit(s, who, "fee.fapiao_request", "charge", fee_id, fee->payer_name, now);
    return with_invoicing(s, {*dr::find_fee(s, fee_id, false)}).front();
  });
}

Result<FeeView> FeeService::set_fapiao(long long fee_id, const std::string& number,
                                       const std::string& on, const Principal& actor) {
  std::vector<FieldError> errors;
  const std::size_t n = accounts::utf8_length(number);
  if (n == 0 || n > 64 || !fits(number, 64)) {
    errors.push_back({"fapiao_no", {"请填写发票号码（最多 64 字符）", "give the 发票 number"}});
  }
  const auto date = parse_date(on);
  if (!date) {
    errors.push_back({"fapiao_on", {"开票日期格式应为 YYYY-MM-DD", "the date must be YYYY-MM-DD"}});
  }
  if (!errors.empty()) return std::unexpected(invalid_fields(std::move(errors)));
  const Timestamp now = clock_.now();
  return db_.with_transaction([&](soci::session& s) -> Result<FeeView> {
    auto fee = dr::find_fee(s, fee_id, true);
    if (!fee) return std::unexpected(no_fee());
    if (fee->status != "open") {
      return std::unexpected(
          make_error(ErrorCode::conflict, {"该费用已作废，不能开票", "the fee is void"}));
    }
    dr::set_fapiao(s, fee_id, "issued", number, format_date(*date), now);
    audit(s, actor, "fee.fapiao", "charge", fee_id,
          fee->payer_name + " " + number + " " + format_date(*date), now);
    return with_invoicing(s, {*dr::find_fee(s, fee_id, false)}).front();
  });
}

Result<dr::Invoicing> FeeService::invoicing(long long member_id, const Principal& who) {
  if (!staff(who) && !who.can(Permission::reports_read) && who.member_id != member_id) {
    return std::unexpected(not_found_error({"会员单位", "member unit"}));
  }
  return db_.with_session([&](soci::session& s) -> Result<dr::Invoicing> {
    auto m = mr::find_member(s, member_id);
    if (!m) return std::unexpected(not_found_error({"会员单位", "member unit"}));
    if (auto inv = dr::find_invoicing(s, member_id)) return *inv;
    return dr::Invoicing{m->org.name, m->org.uscc, m->org.address, "", "", ""};
  });
}

Result<dr::Invoicing> FeeService::put_invoicing(long long member_id, dr::Invoicing in,
                                                const Principal& who) {
  if (!staff(who) && who.member_id != member_id) {
    return std::unexpected(not_found_error({"会员单位", "member unit"}));
  }
  const Timestamp now = clock_.now();
  return db_.with_transaction([&](soci::session& s) -> Result<dr::Invoicing> {
    auto m = mr::find_member(s, member_id, true);
    if (!m) return std::unexpected(not_found_error({"会员单位", "member unit"}));
    std::vector<FieldError> errors;
    const std::size_t title = accounts::utf8_length(in.title);
    if (title == 0 || !fits(in.title, 100)) {
      errors.push_back({"title", {"请填写发票抬头（最多 100 字）", "give the title (≤ 100)"}});
    }
    for (char& c : in.tax_no) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (in.tax_no != m->org.uscc) {
      errors.push_back({"tax_no",
                        {"税号应为本单位的统一社会信用代码 " + m->org.uscc,
                         "the tax number must be the unit's credit code " + m->org.uscc}});
    }
    if (!fits(in.address, 200)) errors.push_back({"address", {"地址最多 200 字", "≤ 200"}});
    if (!fits(in.phone, 40)) errors.push_back({"phone", {"电话最多 40 字符", "≤ 40"}});
    if (!fits(in.bank_name, 100)) errors.push_back({"bank_name", {"开户行最多 100 字", "≤ 100"}});
    if (!fits(in.bank_account, 64)) {
      errors.push_back({"bank_account", {"账号最多 64 字符", "≤ 64"}});
    }
    if (!errors.empty()) return std::unexpected(invalid_fields(std::move(errors)));
    dr::put_invoicing(s, member_id, in, now);
    audit(s, who, "member.invoicing", "member", member_id, in.title, now);
    return in;
  });
}

}  // namespace xiehui::dues
