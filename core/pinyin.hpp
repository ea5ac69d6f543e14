#pragma once
// Pinyin sort keys for Chinese names (member units, zones, people).
//
// ICU 72's zh collation and its Han-Latin transliterator read 长 as zhǎng, so 长沙 would sort as
// "zhang sha", after 张家界. The functions here produce a stored, correctable key instead: ICU
// Han-Latin, preceded by a table of place names whose polyphonic characters ICU misreads
// (长沙 → chang sha, 成都 → cheng du, 厦门 → xia men, ...).
//
// Keys compare with plain byte comparison (std::string operator<, SQLite BINARY, MySQL/MariaDB
// utf8mb4_bin or VARBINARY; NOT utf8mb4_unicode_ci, which ignores the control-character
// separator). All functions are thread-safe: each thread uses its own ICU transliterator.

#include <string>
#include <string_view>

namespace xiehui {

/// Separates the reading from the original name inside a sort key. It sorts below ' ' and
/// every letter and digit, so "长沙" sorts before "长沙市" and before "长沙经开区".
inline constexpr char kPinyinKeySeparator = '\x1f';

/// The toneless pinyin reading of a UTF-8 name: lower-case ASCII syllables separated by single
/// spaces, e.g. "长沙经济技术开发区" → "chang sha jing ji ji shu kai fa qu".
/// Text is NFKC-normalised first (fullwidth "２Ａ" → "2a"). Han characters become one syllable
/// each, read as the place is read where the correction table knows the place; ü becomes u.
/// Runs of Latin letters and digits pass through lower-cased and accent-free as their own words
/// ("湘江新区 2号园" → "xiang jiang xin qu 2 hao yuan"). Punctuation, symbols and whitespace
/// only separate words; characters ICU cannot read are dropped. Invalid UTF-8 is tolerated
/// (bad bytes are dropped). Throws std::runtime_error only if ICU's transliterator data is
/// unavailable.
std::string pinyin_reading(std::string_view utf8_name);

/// The sort key of a name: pinyin_reading(name), kPinyinKeySeparator, then the name's original
/// bytes. Sorting keys bytewise orders names by pinyin syllable by syllable, tone-insensitive
/// (常德 "chang de" < 长沙 "chang sha" < 郴州 "chen zhou" < 张家界 "zhang jia jie"); names that
/// read alike are ordered by their UTF-8 bytes, and different names never get equal keys.
/// The empty name gives the empty key.
std::string pinyin_sort_key(std::string_view utf8_name);

/// The sort key for a reading that staff entered to correct a name's key, e.g.
/// ("Cháng Shā", "长沙某园区") → "chang sha" + separator + "长沙某园区". The reading is
/// normalised by pinyin_reading, so tone marks, capitals and punctuation are accepted, and
/// Han characters in it are read as usual. An empty name gives the empty key.
std::string pinyin_sort_key_from_reading(std::string_view reading, std::string_view utf8_name);

/// The index-bar letter of a name: the upper-case first letter of its reading ("长沙…" → "C",
/// "张家界…" → "Z"), "#" when the reading starts with a digit or the name has no readable
/// character, "" for the empty name.
std::string pinyin_initial(std::string_view utf8_name);

/// The index-bar letter of an existing sort key (for instance a staff-corrected one): its
/// upper-case first byte if that is a letter, "#" otherwise, "" for the empty key. Agrees with
/// pinyin_initial(name) for pinyin_sort_key(name).
std::string pinyin_initial_of_key(std::string_view sort_key);

}  // namespace xiehui
