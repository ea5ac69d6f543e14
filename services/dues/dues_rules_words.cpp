// The dues rules (dues_rules.hpp) about words: amounts in Chinese capitals for receipts, and the
// scores that match a bank statement line's payer and note to the invoices it may pay.
#include "services/dues/dues_rules.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "services/accounts/account_rules.hpp"

namespace xiehui::dues {
namespace {

// ---- Chinese capitals ----------------------------------------------------------------------

constexpr std::array<std::string_view, 10> kDigits = {"零", "壹", "贰", "叁", "肆",
                                                      "伍", "陆", "柒", "捌", "玖"};
constexpr std::array<std::string_view, 4> kPlaces = {"", "拾", "佰", "仟"};

/// 1..9999 in capitals: inner runs of zeros read as one 零, trailing zeros are silent.
std::string section_words(std::uint64_t n) {
  std::string out;
  bool zero = false;
  bool started = false;
  std::uint64_t scale = 1000;
  for (int place = 3; place >= 0; --place, scale /= 10) {
    const auto d = (n / scale) % 10;
    if (d == 0) {
      zero = started;
      continue;
    }
    if (zero) out += kDigits[0];
    zero = false;
    out += kDigits[d];
    out += kPlaces[static_cast<std::size_t>(place)];
    started = true;
  }
  return out;
}

/// n ≥ 1 in capitals, grouped by 万 and 亿; zeros between the groups read as one 零
/// (1,000,010 → 壹佰万零壹拾; 101,000 → 壹拾万零壹仟; 100,010,000 → 壹亿零壹万).
std::string integer_words(std::uint64_t n) {
  constexpr std::uint64_t kYi = 100'000'000;
  constexpr std::uint64_t kWan = 10'000;
  if (n >= kYi) {
    const auto high = n / kYi;
    std::string out = integer_words(high) + "亿";
    const auto low = n % kYi;
    if (low > 0) {
      if (high % 10 == 0 || low < kYi / 10) out += kDigits[0];
      out += integer_words(low);
    }
    return out;
  }
  if (n >= kWan) {
    const auto high = n / kWan;
    std::string out = section_words(high) + "万";
    const auto low = n % kWan;
    if (low > 0) {
      if (high % 10 == 0 || low < kWan / 10) out += kDigits[0];
      out += section_words(low);
    }
    return out;
  }
  return section_words(n);
}

// ---- Statement matching --------------------------------------------------------------------

/// A name as compared: without ASCII or full-width spaces, full-width brackets folded to ASCII,
/// ASCII letters lower-cased.
std::string normalise_name(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    const std::string_view rest = s.substr(i);
    if (rest.starts_with("\u3000")) {  // ideographic space
      i += 2;
      continue;
    }
    if (rest.starts_with("\uFF08")) {  // （
      out += '(';
      i += 2;
      continue;
    }
    if (rest.starts_with("\uFF09")) {  // ）
      out += ')';
      i += 2;
      continue;
    }
    const char c = s[i];
    if (c == ' ' || c == '\t') continue;
    out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  return out;
}

bool contains(std::string_view haystack, std::string_view needle) {
  return !needle.empty() && haystack.find(needle) != std::string_view::npos;
}

}  // namespace

std::string amount_in_words(long long fen) {
  // The magnitude as unsigned, so that even the most negative value has one.
  const std::uint64_t magnitude =
      fen < 0 ? 0 - static_cast<std::uint64_t>(fen) : static_cast<std::uint64_t>(fen);
  const std::uint64_t yuan = magnitude / 100;
  const std::uint64_t jiao = magnitude / 10 % 10;
  const std::uint64_t cents = magnitude % 10;
  std::string out = "人民币";
  if (magnitude == 0) return out + "零元整";
  if (fen < 0) out += "负";
  if (yuan > 0) out += integer_words(yuan) + "元";
  if (jiao > 0) {
    out += kDigits[jiao];
    out += "角";
  } else if (cents > 0 && yuan > 0) {
    out += kDigits[0];
  }
  if (cents > 0) {
    out += kDigits[cents];
    out += "分";
  } else {
    out += "整";
  }
  return out;
}

std::vector<Match> score_matches(const StatementLine& line,
                                 const std::vector<MatchCandidate>& candidates, std::size_t limit) {
  const std::string payer = normalise_name(line.payer);
  const std::string reference = normalise_name(line.reference);
  std::vector<Match> matches;
  for (const auto& c : candidates) {
    const std::string name = normalise_name(c.member_name);
    const std::string short_name = normalise_name(c.short_name);
    const bool short_usable = accounts::utf8_length(short_name) >= 2;
    std::vector<std::string_view> reasons;
    int score = 0;
    bool name_hit = false;

    const bool former = std::ranges::any_of(c.former_names, [&](const std::string& f) {
      const std::string n = normalise_name(f);
      return !n.empty() && n == payer;
    });
    if (!payer.empty() && payer == name) {
      score += 60;
      reasons.push_back("付款人与单位名称一致");
      name_hit = true;
    } else if (!payer.empty() && former) {
      score += 55;
      reasons.push_back("付款人为单位曾用名");
      name_hit = true;
    } else if (short_usable && accounts::utf8_length(payer) >= 2 &&
               (contains(payer, short_name) || contains(short_name, payer))) {
      score += 35;
      reasons.push_back("付款人含单位简称");
      name_hit = true;
    }

    if (line.amount_fen > 0) {
      if (line.amount_fen == c.outstanding_fen) {
        score += 30;
        reasons.push_back("金额与应缴一致");
      } else if (line.amount_fen < c.outstanding_fen) {
        score += 10;
        reasons.push_back("金额少于应缴（部分付款）");
      } else {
        score -= 20;
        reasons.push_back("金额多于应缴");
      }
    }

    bool reference_hit = false;
    if (contains(reference, normalise_name(c.member_no))) {
      score += 25;
      reasons.push_back("附言含会员编号");
      reference_hit = true;
    }
    if (contains(reference, name) || (short_usable && contains(reference, short_name))) {
      score += 15;
      reasons.push_back("附言含单位名称");
      reference_hit = true;
    }
    if (c.year > 0 && contains(line.reference, std::to_string(c.year))) {
      score += 5;
      reasons.push_back("附言含年度");
    }
    if (!name_hit && !reference_hit) continue;

    std::string reason;
    for (const auto r : reasons) {
      if (!reason.empty()) reason += "；";
      reason += r;
    }
    matches.push_back(
        {c.invoice_id, c.member_id, c.member_name, std::clamp(score, 0, 100), std::move(reason)});
  }
  std::ranges::stable_sort(matches, [](const Match& a, const Match& b) {
    if (a.score != b.score) return a.score > b.score;
    return a.invoice_id < b.invoice_id;
  });
  if (matches.size() > limit) matches.resize(limit);
  return matches;
}

}  // namespace xiehui::dues
