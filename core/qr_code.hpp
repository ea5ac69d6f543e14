#pragma once
// QR codes for printed pages (certificates, check-in passes), drawn as SVG so they print sharp
// at any size and need no image library in the browser.

#include <string>
#include <string_view>

#include "core/error.hpp"

namespace xiehui {

/// An SVG document showing `text` (UTF-8, up to ~1 KB) as a QR code at error-correction level M,
/// with a 4-module quiet zone, one <path> of dark modules, scaled by the viewBox. unavailable
/// when libqrencode cannot encode the text.
Result<std::string> qr_svg(std::string_view text);

}  // namespace xiehui
