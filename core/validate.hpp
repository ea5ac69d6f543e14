#pragma once
// Validation of Chinese identifiers as people type them: unified social credit codes
// (GB 32100-2015), mobile numbers, e-mail addresses and GB/T 2260 division codes. Pure
// functions; each returns the normalised value or the reason in both languages.

#include <expected>
#include <span>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace xiehui {

/// The 31 characters a USCC may contain: digits and capitals without I, O, S, V, Z.
inline constexpr std::string_view kUsccAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";

/// The check character for the first 17 characters of a USCC (weights 3^(i-1) mod 31), or
/// '\0' when they contain a character outside the alphabet.
char uscc_check_char(std::string_view first17);

/// A USCC upper-cased and stripped of surrounding spaces, or why it is not one: 18 characters
/// of the alphabet, digits in the division-code positions 3–8, and a matching check character.
/// Whether `text` holds a C0 control character (U+0000–U+001F), DEL or a C1 control character
/// (U+0080–U+009F). A multi-line field may hold newlines and tabs (`allow_newlines`); nothing
/// else of these is ever stored: NUL truncates C strings and ESC drives terminals and logs.
bool has_control_chars(std::string_view text, bool allow_newlines);
/// The field error for it, in both languages.
Text control_chars_message(bool allow_newlines);

std::expected<std::string, Text> normalise_uscc(std::string_view text);

/// A mainland mobile number as 11 digits ("13812345678"). Accepts +86 / 0086 / 86 prefixes,
/// spaces and dashes; the number starts with 13–19.
std::expected<std::string, Text> normalise_mobile(std::string_view text);

/// An e-mail address, trimmed, with the domain lower-cased: one @, a local part of 1–64
/// characters, a dotted domain of letters, digits and hyphens, 254 characters in all.
std::expected<std::string, Text> normalise_email(std::string_view text);

/// One GB/T 2260 administrative division.
struct Division {
  std::string_view code;  ///< six digits, "430100"
  std::string_view name;  ///< "长沙市"
};

/// Hunan's 14 prefecture-level divisions, the default list of host cities.
std::span<const Division> hunan_prefectures();

/// The division with this code among `divisions`, or nullptr.
const Division* find_division(std::span<const Division> divisions, std::string_view code);

}  // namespace xiehui
