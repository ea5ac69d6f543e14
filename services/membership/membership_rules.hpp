#pragma once
// Pure rules of membership: checking and normalising an application.

#include <span>
#include <vector>

#include "core/error.hpp"
#include "core/validate.hpp"
#include "services/membership/membership.hpp"

namespace xiehui::membership {

/// Normalises `input` in place (USCC upper-case, mobile as 11 digits, e-mail domain lower-case,
/// short name defaulting to the name) and returns one error per bad field, named as the API
/// sends them ("org.uscc", "contact.mobile", "account.password", ...). `cities` is the list of
/// host cities (GB/T 2260 codes) applicants may choose.
std::vector<FieldError> check_application(ApplicationInput& input, std::span<const Division> cities,
                                          std::size_t min_password_length);

/// Normalises an organisation in place (USCC upper-case, short name defaulting to the name) and
/// names each bad field ("name", "uscc", "city_code", ...).
std::vector<FieldError> check_organisation(Organisation& org, std::span<const Division> cities);

/// Normalises a contact (mobile as 11 digits, e-mail optional) and names each bad field
/// ("name", "title", "mobile", "email", "role").
std::vector<FieldError> check_contact(MemberContact& contact);

/// "138****5678": what callers who do not need the number see.
std::string mask_mobile(const std::string& mobile);

/// True for a known member status (active, lapsed, suspended, withdrawn, expelled).
bool is_member_status(std::string_view status);

/// Whether staff may move a unit from `from` to `to`. `lapsed` is set only by the dues process
/// (`by_dues`); expelled is final; a withdrawn unit may be re-admitted (back to active).
bool status_change_allowed(std::string_view from, std::string_view to, bool by_dues);

}  // namespace xiehui::membership
