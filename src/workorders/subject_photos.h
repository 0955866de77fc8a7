#pragma once
// Photos shown by things of other modules (a topic and its progress, a
// renovation project's inspection log): uploaded through /api/uploads/photos
// like a report's, attached here to a subject ("topic", 12), and served by
// /api/photos/{id} to whoever may read that subject — the module answering
// for the live topic of that kind says who (api::LiveTopic::authorize).
#include <boost/json/array.hpp>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "storage/database.h"

namespace xh::workorders {

// Attaches the photos `ids` (at most kMaxPhotosPerReport, each uploaded by
// `uploader`) to the subject; 422 photo.not_yours naming `field` for one that
// was not, photo.too_many for too many.
void attach_to_subject(storage::Tx& tx, const std::vector<std::string>& ids, std::int64_t uploader,
                       std::string_view subject_type, std::int64_t subject_id,
                       std::string_view field = "photos");

// The ids of attached photos as a subject keeps them (a JSON array in a TEXT
// column), and as the API shows them: [{id, url, thumb_url}].
std::string photo_ids_json(const std::vector<std::string>& ids);
boost::json::array photos_json(const std::string& ids_json);

}  // namespace xh::workorders
