#pragma once
// Distances on the map, for nearby reports and Open311 locations.
#include <cmath>
#include <cstdint>

namespace xh::workorders {

// Great-circle distance in metres between two points in micro-degrees.
inline double distance_m(std::int64_t lat1, std::int64_t lng1, std::int64_t lat2,
                         std::int64_t lng2) {
  constexpr double kRad = M_PI / 180.0 / 1e6;
  double p1 = lat1 * kRad, p2 = lat2 * kRad;
  double dp = (lat2 - lat1) * kRad, dl = (lng2 - lng1) * kRad;
  double a = std::sin(dp / 2) * std::sin(dp / 2) +
             std::cos(p1) * std::cos(p2) * std::sin(dl / 2) * std::sin(dl / 2);
  return 6371000.0 * 2 * std::atan2(std::sqrt(a), std::sqrt(1 - a));
}

}  // namespace xh::workorders
