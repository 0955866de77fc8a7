#pragma once
// Photos of reports and results: checked by content (JPEG, PNG or WebP),
// stripped of location and other metadata (image.h), stored once under the
// data directory by the SHA-256 of the cleaned bytes, and served only to who
// may see them: their uploader, and whoever may read an order showing them
// (WorkOrders::store_photo, read_photo).
#include <cstddef>

namespace xh::workorders {

inline constexpr std::size_t kMaxPhotoBytes = 8 * 1024 * 1024;
// The photos one report (or one step of it) may carry.
inline constexpr std::size_t kMaxPhotosPerReport = 9;

}  // namespace xh::workorders
