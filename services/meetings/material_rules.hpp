#pragma once
// Meeting materials are files members download and open in Word, Excel or a PDF reader, so an
// upload is accepted only when its content is what its extension says: a script renamed .pdf,
// or a macro-laden file dressed up as something else, is refused before it is stored.
// Pure functions over the uploaded bytes (attacker input: every offset is bounds-checked).

#include <string>
#include <string_view>

#include "core/error.hpp"

namespace xiehui::meetings {

/// What an accepted material is.
struct MaterialType {
  std::string extension;      ///< lower case, without the dot: "pdf", "docx", ...
  std::string content_type;   ///< the MIME type to serve it with
  std::string filename = {};  ///< the name as it should be kept: trimmed of surrounding spaces
};

/// The type of an allowed file whose content matches its extension, compared case-insensitively:
/// pdf ("%PDF-" at the start); doc, xls, ppt (the OLE compound file signature — which of the
/// three is not checked); docx, xlsx, pptx (a ZIP whose central directory lists
/// "[Content_Types].xml" and an entry under "word/", "xl/" or "ppt/" respectively); jpg/jpeg
/// and png (their signatures) only when `allow_images`: photos go with a visit report, not with
/// meeting materials.
/// invalid_argument naming "filename" for a bad name (material_filename_ok) or a missing or
/// unsupported extension; naming "file" for empty content or content that does not match.
Result<MaterialType> check_material(std::string_view filename, std::string_view content,
                                    bool allow_images = false);

/// A file name safe to keep and to send back: after trimming surrounding spaces, 1–120
/// characters of valid UTF-8, no control characters (nor bidirectional formatting characters,
/// with which "x\u202Excod.pdf" shows as "xfdp.docx"), no '/' or '\\', no leading '.'.
bool material_filename_ok(std::string_view filename);

}  // namespace xiehui::meetings
