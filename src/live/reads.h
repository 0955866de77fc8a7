#pragma once
// How far a notice went: how many inboxes it was put in, and how many of them
// have read it — for notices sent to many about one subject (a renovation
// project's publicity notice: 宣传发动, its read count).
#include <cstdint>
#include <string_view>

#include "storage/database.h"

namespace xh::live {

struct Reads {
  std::int64_t sent = 0, read = 0;
};
Reads reads_of(storage::Tx& tx, std::string_view subject_type, std::int64_t subject_id);

}  // namespace xh::live
