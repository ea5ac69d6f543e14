#pragma once
// Responses that browsers save as files, and links printed on paper.

#include <string>
#include <string_view>

#include "web/router.hpp"

namespace xiehui::web {

/// An attachment named `name` (UTF-8, e.g. "培训名单.xlsx"; sent RFC 6266-style with an ASCII
/// fallback `ascii_name`), not cached.
Response download(const RequestContext& ctx, std::string bytes, std::string_view content_type,
                  std::string_view ascii_name, std::string_view name);

/// Where printed links (QR codes) point: the configured public URL, else this request's host.
std::string public_base_url(const RequestContext& ctx);

}  // namespace xiehui::web
