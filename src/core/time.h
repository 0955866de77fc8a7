#pragma once
// Wall-clock time as integer milliseconds since the Unix epoch (UTC): the one
// time representation in the database and the API's `*_at` fields.
#include <cstdint>
#include <string>

namespace xh {

using Millis = std::int64_t;

Millis now_ms();

// ISO 8601 in UTC with milliseconds, e.g. "2026-11-25T15:26:44.123Z".
std::string iso8601(Millis ms);

}  // namespace xh
