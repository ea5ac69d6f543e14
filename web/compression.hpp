#pragma once
// Content codings for a phone network: which one a request accepts (Accept-Encoding), gzip with
// zlib, and the on-the-fly compression of large JSON answers. Static UI files are compressed at
// build time (web/ui/scripts/precompress.mjs); web/static_files picks among those siblings.

#include <cstddef>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>

#include "web/http.hpp"

namespace xiehui::web {

/// A content coding the server can send.
enum class Encoding { identity, gzip, br };

/// The token for Content-Encoding ("identity", "gzip", "br").
std::string_view encoding_name(Encoding e);

/// The coding to send for an Accept-Encoding header value, among `available` (identity is always
/// possible and need not be listed). Follows RFC 9110 §12.5.3: codings are matched without case
/// ("x-gzip" is gzip), `q=0` refuses a coding, `*` stands for codings not named; the highest q
/// wins and br beats gzip on a tie. An empty or missing header, or one that accepts none of
/// `available`, gives identity: the server never answers 406 (identity is sent even when the
/// client said "identity;q=0").
Encoding choose_encoding(std::string_view accept_encoding, std::span<const Encoding> available);
inline Encoding choose_encoding(std::string_view accept_encoding,
                                std::initializer_list<Encoding> available) {
  return choose_encoding(accept_encoding, std::span(available.begin(), available.size()));
}

/// `bytes` as a gzip member (RFC 1952), zlib compression `level` 1–9. Throws std::runtime_error
/// only when zlib fails (out of memory).
std::string gzip(std::string_view bytes, int level = 6);

/// JSON bodies longer than this are compressed on the fly.
inline constexpr std::size_t kCompressJsonAbove = 1024;

/// Compresses a response on its way out when that helps: only `application/json` bodies longer
/// than kCompressJsonAbove, never a HEAD answer (`head`), a 1xx/204/304, or a response that
/// already has a Content-Encoding (precompressed UI files). Such a response gets
/// `Vary: Accept-Encoding` and, when `accept_encoding` allows gzip, a gzip body with
/// `Content-Encoding: gzip` (kept as it is if gzip would not make it smaller). The caller sets
/// Content-Length afterwards (prepare_payload).
void compress_response(Response& res, std::string_view accept_encoding, bool head);

/// Adds `token` to the response's Vary header unless it is already there.
void add_vary(Response& res, std::string_view token);

}  // namespace xiehui::web
