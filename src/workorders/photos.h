#pragma once
// Photos of reports and results: checked by content (JPEG, PNG or WebP),
// stripped of location and other metadata (image.h), stored once under the
// data directory by the SHA-256 of the cleaned bytes, and served only to who
// may see them: their uploader, and whoever may read an order showing them.
#include <cstdint>
#include <string>
#include <string_view>

#include "audit/audit.h"
#include "api/scope.h"
#include "workorders/workorders.h"

namespace xh::workorders {

inline constexpr std::size_t kMaxPhotoBytes = 8 * 1024 * 1024;
// The photos one report (or one step of it) may carry.
inline constexpr std::size_t kMaxPhotosPerReport = 9;

struct StoredPhoto {
  std::string id, mime;
  std::int64_t size;
};

// Cleans and stores an upload (workorder.file). Throws 413 photo.too_large,
// 422 photo.bad_type or photo.corrupt. Storing the same picture twice gives
// the same id. The file is on disk (fsynced) before the row commits.
StoredPhoto store_photo(Services& s, const api::Principal& p, const api::Actor& actor,
                        std::string_view bytes);

struct PhotoFile {
  std::string mime, bytes;
};
// 404 photo.not_found, 403 when the caller may not see it.
PhotoFile read_photo(Services& s, const api::Principal& p, const std::string& id);

}  // namespace xh::workorders
