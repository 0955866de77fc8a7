#include "councils/queue.h"

#include <algorithm>

namespace xh::councils {

Side side_of(const std::string& key) {
  if (key == "pro") return Side::pro;
  if (key == "con") return Side::con;
  return Side::neutral;
}

const char* side_key(Side s) {
  switch (s) {
    case Side::pro: return "pro";
    case Side::con: return "con";
    case Side::neutral: break;
  }
  return "neutral";
}

namespace {

// The next to speak among `waiting` (arrival order), or its end.
std::vector<FloorRequest>::iterator next(std::vector<FloorRequest>& waiting, const Spoken& spoken,
                                         bool alternate_sides) {
  auto count = [&](const FloorRequest& r) {
    auto it = spoken.speeches.find(r.member_id);
    return it == spoken.speeches.end() ? 0 : it->second;
  };
  // Those who have spoken least come first.
  int fewest = count(*std::min_element(waiting.begin(), waiting.end(),
                                       [&](const auto& a, const auto& b) { return count(a) < count(b); }));
  auto first_of = [&](auto pred) {
    return std::find_if(waiting.begin(), waiting.end(), [&](const FloorRequest& r) { return count(r) == fewest && pred(r); });
  };
  auto earliest = first_of([](const FloorRequest&) { return true; });
  if (!alternate_sides || !spoken.last || *spoken.last == Side::neutral) return earliest;
  // After a pro speech a con waiting among them goes first, and the other way round.
  Side other = *spoken.last == Side::pro ? Side::con : Side::pro;
  auto opposite = first_of([&](const FloorRequest& r) { return r.side == other; });
  return opposite != waiting.end() ? opposite : earliest;
}

}  // namespace

std::vector<FloorRequest> speaking_order(std::vector<FloorRequest> waiting, Spoken spoken,
                                         bool alternate_sides) {
  std::sort(waiting.begin(), waiting.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  std::vector<FloorRequest> out;
  while (!waiting.empty()) {
    auto it = next(waiting, spoken, alternate_sides);
    out.push_back(*it);
    ++spoken.speeches[it->member_id];
    if (it->side != Side::neutral) spoken.last = it->side;
    waiting.erase(it);
  }
  return out;
}

}  // namespace xh::councils
