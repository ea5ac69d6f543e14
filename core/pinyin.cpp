#include "core/pinyin.hpp"

#include <unicode/normalizer2.h>
#include <unicode/translit.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/uscript.h>
#include <unicode/utypes.h>

#include <array>
#include <cstddef>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

namespace xiehui {
namespace {

// A word whose reading ICU 72's Han-Latin gets wrong: it reads each character by its most
// common reading (长 zhǎng, 都 dōu, 厦 shà, 行 xíng, ...). Matched longest first, inside runs of
// Han characters, before ICU sees the text. Every entry was checked against ICU 72's output;
// readings ICU already gets right (all other Hunan prefectures, counties and districts — 郴州,
// 耒阳, 汨罗, 醴陵, 攸县, 芷江, 沅陵, 溆浦, 澧县, 岳麓, 会同, ...) are not listed.
//
// Outside these words Han characters are read one at a time through a per-thread cache (ICU's
// Han-Latin costs ~17 µs per character and serialises all threads on one mutex). That is exact:
// ICU 72's Han-Latin rules are one character → one reading, except four context rules
// (藏文, 重庆, 沈阳, 秘鲁), which are therefore repeated at the end of this table.
struct Correction {
  std::u16string_view han;
  std::string_view reading;
};

constexpr std::array kCorrections{
    // Hunan: 长 as cháng.
    Correction{u"长沙", "chang sha"},  // also 长沙县, 长沙市, 长沙经开区, ...
    Correction{u"长株潭", "chang zhu tan"},
    Correction{u"长郡", "chang jun"},    // 长郡中学, Changsha
    Correction{u"长岭", "chang ling"},   // 长岭炼化, Yueyang
    Correction{u"长寿", "chang shou"},   // 长寿镇, Pingjiang
    Correction{u"长乐", "chang le"},     // towns in Hunan and Fujian
    Correction{u"长塘", "chang tang"},   // towns in Hunan
    Correction{u"长江", "chang jiang"},  // 长江经济带
    Correction{u"长三角", "chang san jiao"},
    // Elsewhere in China (partner zones, other associations).
    Correction{u"长安", "chang an"},
    Correction{u"长宁", "chang ning"},
    Correction{u"长春", "chang chun"},
    Correction{u"长治", "chang zhi"},
    Correction{u"长城", "chang cheng"},
    Correction{u"长兴", "chang xing"},
    Correction{u"长汀", "chang ting"},
    Correction{u"长阳", "chang yang"},
    Correction{u"长白山", "chang bai shan"},
    Correction{u"长清", "chang qing"},
    Correction{u"长丰", "chang feng"},
    Correction{u"成都", "cheng du"},
    Correction{u"都江堰", "du jiang yan"},
    Correction{u"厦门", "xia men"},
    Correction{u"蚌埠", "beng bu"},
    Correction{u"六安", "lu an"},
    Correction{u"六合", "lu he"},
    Correction{u"乐清", "yue qing"},
    Correction{u"乐亭", "lao ting"},
    Correction{u"番禺", "pan yu"},
    Correction{u"单县", "shan xian"},
    Correction{u"蔚县", "yu xian"},
    Correction{u"铅山", "yan shan"},
    Correction{u"洪洞", "hong tong"},
    Correction{u"西藏", "xi zang"},
    // 行 as háng in organisation names (banks are possible member units).
    Correction{u"银行", "yin hang"},
    Correction{u"分行", "fen hang"},
    Correction{u"支行", "zhi hang"},
    Correction{u"行业", "hang ye"},
    // ICU 72's own context rules (see above).
    Correction{u"藏文", "zang wen"},
    Correction{u"重庆", "chong qing"},
    Correction{u"沈阳", "shen yang"},
    Correction{u"秘鲁", "bi lu"},
};

// ICU transliterators are not thread-safe; each thread builds its own once.
icu::Transliterator& transliterator() {
  thread_local std::unique_ptr<icu::Transliterator> instance = [] {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::Transliterator> t{icu::Transliterator::createInstance(
        "Han-Latin; Latin-ASCII; Lower", UTRANS_FORWARD, status)};
    if (U_FAILURE(status) || !t) {
      throw std::runtime_error(std::string{"ICU transliterator Han-Latin unavailable: "} +
                               u_errorName(status));
    }
    return t;
  }();
  return *instance;
}

const icu::Normalizer2& nfkc() {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* n = icu::Normalizer2::getNFKCInstance(status);
  if (U_FAILURE(status) || n == nullptr) {
    throw std::runtime_error(std::string{"ICU NFKC normaliser unavailable: "} +
                             u_errorName(status));
  }
  return *n;
}

// The code point at text[i] and its length in UTF-16 units; a lone surrogate is itself.
std::pair<UChar32, std::size_t> code_point_at(std::u16string_view text, std::size_t i) {
  const char16_t lead = text[i];
  if (lead >= 0xD800 && lead <= 0xDBFF && i + 1 < text.size()) {
    const char16_t trail = text[i + 1];
    if (trail >= 0xDC00 && trail <= 0xDFFF) {
      const UChar32 cp = 0x10000 + ((static_cast<UChar32>(lead) - 0xD800) << 10) +
                         (static_cast<UChar32>(trail) - 0xDC00);
      return {cp, 2};
    }
  }
  return {static_cast<UChar32>(lead), 1};
}

bool is_han(UChar32 c) {
  UErrorCode status = U_ZERO_ERROR;
  return uscript_getScript(c, &status) == USCRIPT_HAN && U_SUCCESS(status);
}

// Appends ICU's transliteration of text, followed by a space so runs stay separate words.
void append_transliterated(std::u16string_view text, std::string& out) {
  if (text.empty()) return;
  icu::UnicodeString u{text.data(), static_cast<int32_t>(text.size())};
  transliterator().transliterate(u);
  u.toUTF8String(out);
  out += ' ';
}

// ICU's reading of one Han character followed by a space, cached per thread.
void append_han_character(std::u16string_view character, std::string& out) {
  thread_local std::unordered_map<std::u16string, std::string> cache;
  auto [it, inserted] = cache.try_emplace(std::u16string{character});
  if (inserted) append_transliterated(character, it->second);
  out += it->second;
}

// A run of Han characters: table corrections where they match, ICU's readings for the rest.
void append_han_run(std::u16string_view run, std::string& out) {
  std::size_t i = 0;
  while (i < run.size()) {
    const Correction* best = nullptr;
    for (const Correction& c : kCorrections) {
      if (run.substr(i).starts_with(c.han) &&
          (best == nullptr || c.han.size() > best->han.size())) {
        best = &c;
      }
    }
    if (best != nullptr) {
      out += best->reading;
      out += ' ';
      i += best->han.size();
    } else {
      const std::size_t length = code_point_at(run, i).second;
      append_han_character(run.substr(i, length), out);
      i += length;
    }
  }
}

// Keeps [a-z0-9] words of raw (upper case folded), joined by single spaces.
std::string normalise_words(std::string_view raw) {
  std::string words;
  bool in_word = false;
  for (char ch : raw) {
    if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
    if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9')) {
      if (!in_word && !words.empty()) words += ' ';
      words += ch;
      in_word = true;
    } else {
      in_word = false;
    }
  }
  return words;
}

std::string initial_of(std::string_view text) {
  if (text.empty()) return {};
  const char c = text.front();
  if (c >= 'a' && c <= 'z') return std::string(1, static_cast<char>(c - 'a' + 'A'));
  if (c >= 'A' && c <= 'Z') return std::string(1, c);
  return "#";
}

}  // namespace

std::string pinyin_reading(std::string_view utf8_name) {
  if (utf8_name.empty()) return {};
  const icu::UnicodeString source = icu::UnicodeString::fromUTF8(
      icu::StringPiece{utf8_name.data(), static_cast<int32_t>(utf8_name.size())});
  UErrorCode status = U_ZERO_ERROR;
  const icu::UnicodeString normalised = nfkc().normalize(source, status);
  if (U_FAILURE(status)) {
    throw std::runtime_error(std::string{"ICU NFKC normalisation failed: "} + u_errorName(status));
  }
  const std::u16string_view text{normalised.getBuffer(),
                                 static_cast<std::size_t>(normalised.length())};

  std::string raw;
  std::size_t i = 0;
  while (i < text.size()) {
    const bool han = is_han(code_point_at(text, i).first);
    std::size_t j = i;
    while (j < text.size()) {
      const auto [cp, len] = code_point_at(text, j);
      if (is_han(cp) != han) break;
      j += len;
    }
    const std::u16string_view run = text.substr(i, j - i);
    if (han) {
      append_han_run(run, raw);
    } else {
      append_transliterated(run, raw);
    }
    i = j;
  }
  return normalise_words(raw);
}

std::string pinyin_sort_key_from_reading(std::string_view reading, std::string_view utf8_name) {
  if (utf8_name.empty()) return {};
  std::string key = pinyin_reading(reading);
  key += kPinyinKeySeparator;
  key += utf8_name;
  return key;
}

std::string pinyin_sort_key(std::string_view utf8_name) {
  return pinyin_sort_key_from_reading(utf8_name, utf8_name);
}

std::string pinyin_initial(std::string_view utf8_name) {
  if (utf8_name.empty()) return {};
  const std::string reading = pinyin_reading(utf8_name);
  return reading.empty() ? "#" : initial_of(reading);
}

std::string pinyin_initial_of_key(std::string_view sort_key) { return initial_of(sort_key); }

}  // namespace xiehui
