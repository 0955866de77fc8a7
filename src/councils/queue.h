#pragma once
// The speaking queue of one motion, in the order the rules give the floor
// (GOV-2 机会均等): nobody speaks twice before everyone who asked has spoken
// once (fewer speeches first); where both sides wait, pro and con alternate;
// otherwise first come, first served. Pure: no I/O.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace xh::councils {

enum class Side { pro, con, neutral };
Side side_of(const std::string& key);  // "pro" | "con" | else neutral
const char* side_key(Side s);

struct FloorRequest {
  std::int64_t id = 0;         // the request (its order of arrival: lower first)
  std::int64_t member_id = 0;
  Side side = Side::neutral;
};

struct Spoken {
  std::map<std::int64_t, int> speeches;  // member → speeches on this motion so far
  std::optional<Side> last;              // the side of the last speech, if any
};

// The waiting requests in the order they will get the floor, each as if the
// ones before it had spoken.
std::vector<FloorRequest> speaking_order(std::vector<FloorRequest> waiting, Spoken spoken,
                                         bool alternate_sides);

}  // namespace xh::councils
