#include "core/qr_code.hpp"

#include <qrencode.h>

#include <memory>

namespace xiehui {

Result<std::string> qr_svg(std::string_view text) {
  const std::string data(text);
  std::unique_ptr<QRcode, decltype(&QRcode_free)> code(
      QRcode_encodeData(static_cast<int>(data.size()),
                        reinterpret_cast<const unsigned char*>(data.data()), 0, QR_ECLEVEL_M),
      QRcode_free);
  if (!code) {
    return std::unexpected(make_error(ErrorCode::unavailable,
                                      {"无法生成二维码", "the QR code could not be generated"}));
  }
  constexpr int kQuiet = 4;
  const int width = code->width;
  const int size = width + 2 * kQuiet;
  std::string path;
  path.reserve(static_cast<std::size_t>(width) * static_cast<std::size_t>(width) * 4);
  for (int y = 0; y < width; ++y) {
    for (int x = 0; x < width; ++x) {
      // Bit 0 of each module byte is "dark"; runs of dark modules become one rectangle.
      if (!(code->data[y * width + x] & 1)) continue;
      int run = 1;
      while (x + run < width && (code->data[y * width + x + run] & 1)) ++run;
      path += 'M';
      path += std::to_string(x + kQuiet);
      path += ' ';
      path += std::to_string(y + kQuiet);
      path += 'h';
      path += std::to_string(run);
      path += "v1h-";
      path += std::to_string(run);
      path += 'z';
      x += run - 1;
    }
  }
  const std::string n = std::to_string(size);
  return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + n + ' ' + n +
         "\" shape-rendering=\"crispEdges\"><rect width=\"" + n + "\" height=\"" + n +
         "\" fill=\"#fff\"/><path fill=\"#000\" d=\"" + path + "\"/></svg>";
}

}  // namespace xiehui
