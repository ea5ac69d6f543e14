#include "services/membership/certificate_service.hpp"

#include "core/audit.hpp"
#include "core/crypto.hpp"
#include "core/time.hpp"
#include "services/membership/membership_repository.hpp"

namespace xiehui::membership {
namespace {

namespace mr = membership_repository;

Error no_such_certificate() { return not_found_error({"会员证书", "certificate"}); }

Certificate describe(const Member& m, int year, std::string code, const Date& today) {
  Certificate c;
  c.code = std::move(code);
  c.year = year;
  c.member_no = m.member_no;
  c.name = m.org.name;
  c.tier = m.tier;
  const std::string first_day = std::to_string(year) + "-01-01";
  c.valid_from = m.joined_on > first_day ? m.joined_on : first_day;
  c.valid_until = std::to_string(year) + "-12-31";
  c.current = m.status == "active" && static_cast<int>(today.year()) == year;
  return c;
}

}  // namespace

Result<Certificate> CertificateService::certificate(long long member_id, const Principal& who) {
  if (!who.can(Permission::members_read_all) && who.member_id != member_id) {
    return std::unexpected(not_found_error({"会员单位", "member unit"}));
  }
  const Timestamp now = clock_.now();
  const Date today = shanghai_date(now);
  const int year = static_cast<int>(today.year());
  return db_.with_transaction([&](soci::session& s) -> Result<Certificate> {
    // The unit's row lock makes the first issue of the year happen once.
    auto m = mr::find_member(s, member_id, true);
    if (!m) return std::unexpected(not_found_error({"会员单位", "member unit"}));
    if (m->status != "active") {
      return std::unexpected(make_error(
          ErrorCode::conflict,
          {"只有状态正常的会员单位才有会员证书", "only active units have a certificate"}));
    }
    auto code = mr::certificate_code(s, member_id, year);
    if (!code) {
      // Issuing writes: staff or the unit itself; readers (leaders) see issued ones only.
      if (!who.can(Permission::members_write) && who.member_id != member_id) {
        return std::unexpected(
            not_found_error({"本年度会员证书（尚未签发）", "this year's certificate"}));
      }
      code = random_token(24);
      mr::insert_certificate(s, member_id, year, *code, now);
      append_audit(s,
                   {who.user_id ? std::optional<long long>(who.user_id) : std::nullopt,
                    who.username, who.address, "member.certificate", "member",
                    std::to_string(member_id), "certificate " + std::to_string(year)},
                   now);
    }
    return describe(*m, year, *code, today);
  });
}

Result<Certificate> CertificateService::verify(const std::string& code) {
  if (!is_token(code)) return std::unexpected(no_such_certificate());
  const Date today = shanghai_date(clock_.now());
  return db_.with_session([&](soci::session& s) -> Result<Certificate> {
    const auto found = mr::find_certificate(s, code);
    if (!found) return std::unexpected(no_such_certificate());
    auto m = mr::find_member(s, found->first);
    if (!m) return std::unexpected(no_such_certificate());
    return describe(*m, found->second, code, today);
  });
}

}  // namespace xiehui::membership
