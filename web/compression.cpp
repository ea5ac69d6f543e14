#include "web/compression.hpp"

#include "web/framing.hpp"

#include <zlib.h>

#include <algorithm>
#include <climits>
#include <optional>
#include <stdexcept>

namespace xiehui::web {
namespace {

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c; };
           return lower(x) == lower(y);
         });
}

bool istarts_with(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && iequals(s.substr(0, prefix.size()), prefix);
}

// A qvalue ("0", "0.5", "1.000"), in thousandths; nullopt when malformed.
std::optional<int> parse_qvalue(std::string_view v) {
  if (v.empty() || (v.front() != '0' && v.front() != '1')) return std::nullopt;
  int whole = v.front() - '0';
  v.remove_prefix(1);
  int thousandths = 0;
  if (!v.empty()) {
    if (v.front() != '.' || v.size() > 4) return std::nullopt;
    v.remove_prefix(1);
    int scale = 100;
    for (const char c : v) {
      if (c < '0' || c > '9') return std::nullopt;
      thousandths += (c - '0') * scale;
      scale /= 10;
    }
  }
  const int q = whole * 1000 + thousandths;
  return q > 1000 ? std::nullopt : std::optional<int>(q);
}

// The q (thousandths) the header gives each coding; -1 where it names none.
struct Weights {
  int gzip = -1;
  int br = -1;
  int identity = -1;
  int star = -1;
};

Weights parse_accept_encoding(std::string_view header) {
  Weights w;
  while (!header.empty()) {
    const auto comma = header.find(',');
    std::string_view item = trim_ows(header.substr(0, comma));
    header = comma == std::string_view::npos ? std::string_view() : header.substr(comma + 1);
    if (item.empty()) continue;
    const auto semi = item.find(';');
    const std::string_view name = trim_ows(item.substr(0, semi));
    int q = 1000;
    std::string_view params = semi == std::string_view::npos ? "" : item.substr(semi + 1);
    bool malformed = false;
    while (!params.empty()) {
      const auto next = params.find(';');
      const std::string_view param = trim_ows(params.substr(0, next));
      params = next == std::string_view::npos ? std::string_view() : params.substr(next + 1);
      if (param.size() >= 2 && (param[0] == 'q' || param[0] == 'Q') && param[1] == '=') {
        const auto parsed = parse_qvalue(trim_ows(param.substr(2)));
        if (!parsed) malformed = true;
        q = parsed.value_or(0);
      }
    }
    if (malformed) continue;
    if (iequals(name, "gzip") || iequals(name, "x-gzip")) {
      w.gzip = std::max(w.gzip, q);
    } else if (iequals(name, "br")) {
      w.br = std::max(w.br, q);
    } else if (iequals(name, "identity")) {
      w.identity = std::max(w.identity, q);
    } else if (name == "*") {
      w.star = std::max(w.star, q);
    }
  }
  return w;
}

}  // namespace

std::string_view encoding_name(Encoding e) {
  switch (e) {
    case Encoding::gzip:
      return "gzip";
    case Encoding::br:
      return "br";
    case Encoding::identity:
      break;
  }
  return "identity";
}

Encoding choose_encoding(std::string_view accept_encoding, std::span<const Encoding> available) {
  const Weights w = parse_accept_encoding(accept_encoding);
  const auto weight = [&w](Encoding e) {
    const int named = e == Encoding::br ? w.br : e == Encoding::gzip ? w.gzip : -1;
    if (named >= 0) return named;
    return std::max(w.star, 0);  // a coding neither named nor covered by "*" is not acceptable
  };
  Encoding best = Encoding::identity;
  int best_q = 0;
  // br first: on equal q it stays chosen.
  for (const Encoding e : {Encoding::br, Encoding::gzip}) {
    if (std::find(available.begin(), available.end(), e) == available.end()) continue;
    const int q = weight(e);
    if (q > best_q) {
      best = e;
      best_q = q;
    }
  }
  // A client that prefers identity outright ("identity;q=1, gzip;q=0.5") gets it.
  if (best != Encoding::identity && w.identity > best_q) return Encoding::identity;
  return best;
}

std::string gzip(std::string_view bytes, int level) {
  if (bytes.size() > UINT_MAX) throw std::length_error("gzip: input too large");
  z_stream zs{};
  // windowBits 15 + 16: a gzip header and trailer instead of zlib's.
  if (deflateInit2(&zs, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    throw std::runtime_error("gzip: deflateInit2 failed");
  }
  std::string out(deflateBound(&zs, static_cast<uLong>(bytes.size())), '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
  zs.avail_in = static_cast<uInt>(bytes.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  const int rc = deflate(&zs, Z_FINISH);  // deflateBound leaves room: one call finishes
  const auto written = zs.total_out;
  deflateEnd(&zs);
  if (rc != Z_STREAM_END) throw std::runtime_error("gzip: deflate failed");
  out.resize(written);
  return out;
}

void add_vary(Response& res, std::string_view token) {
  const std::string_view vary = res[http::field::vary];
  if (vary.empty()) {
    res.set(http::field::vary, token);
    return;
  }
  std::string_view rest = vary;
  while (!rest.empty()) {
    const auto comma = rest.find(',');
    const std::string_view item = trim_ows(rest.substr(0, comma));
    if (item == "*" || iequals(item, token)) return;
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
  }
  res.set(http::field::vary, std::string(vary) + ", " + std::string(token));
}

void compress_response(Response& res, std::string_view accept_encoding, bool head) {
  if (head) return;
  const unsigned status = res.result_int();
  if (status < 200 || status == 204 || status == 304) return;
  if (res.find(http::field::content_encoding) != res.end()) return;
  // Only JSON: downloads (xlsx, zip, png) are compressed already, and UI files come
  // precompressed.
  if (!istarts_with(trim_ows(res[http::field::content_type]), "application/json")) return;
  if (res.body().size() <= kCompressJsonAbove) return;
  add_vary(res, "Accept-Encoding");
  if (choose_encoding(accept_encoding, {Encoding::gzip}) != Encoding::gzip) return;
  std::string compressed = gzip(res.body());
  if (compressed.size() >= res.body().size()) return;
  res.body() = std::move(compressed);
  res.set(http::field::content_encoding, "gzip");
  // The gzip bytes are another representation: a strong ETag must not name both.
  const std::string etag(res[http::field::etag]);
  if (etag.size() >= 2 && etag.back() == '"' && !istarts_with(etag, "W/")) {
    res.set(http::field::etag, etag.substr(0, etag.size() - 1) + "-gz\"");
  }
}

}  // namespace xiehui::web
