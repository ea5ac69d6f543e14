#pragma once
// Responses that browsers save as files, and links printed on paper.

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "core/table_export.hpp"

#include "web/router.hpp"

namespace xiehui::web {

/// An attachment named `name` (UTF-8, e.g. "培训名单.xlsx"; sent RFC 6266-style with an ASCII
/// fallback `ascii_name`), not cached.
Response download(const RequestContext& ctx, std::string bytes, std::string_view content_type,
                  std::string_view ascii_name, std::string_view name);

/// ?format=xlsx|csv → `table` as that file (CSV in UTF-8 with a BOM); nullopt when the caller
/// wants JSON (no format, or "json"); another format → 400 naming `format`.
std::optional<Response> table_download(RequestContext& ctx,
                                       const std::function<Result<Table>()>& table,
                                       const std::string& ascii_name, const std::string& name);

/// Where printed links (QR codes) point: the configured public URL, else this request's host.
std::string public_base_url(const RequestContext& ctx);

}  // namespace xiehui::web
