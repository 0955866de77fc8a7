#pragma once
// Wall-clock time as integer milliseconds since the Unix epoch (UTC): the one
// time representation in the database and the API's `*_at` fields.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace xh {

using Millis = std::int64_t;

inline constexpr Millis kMinute = 60LL * 1000;
inline constexpr Millis kHour = 60 * kMinute;
inline constexpr Millis kDay = 24 * kHour;

Millis now_ms();

// Beijing time (UTC+8, no daylight saving): the street's calendar. Days,
// months and dates in the product are Beijing's.
inline constexpr Millis kBeijingOffset = 8 * kHour;
// The start of the Beijing day, and of the Beijing month, holding `at`.
Millis beijing_day_start(Millis at);
Millis beijing_month_start(Millis at);
// The Beijing month of `at` as YYYYMM (202611).
int beijing_month(Millis at);
// Beijing midnight of "YYYY-MM-DD" (years 2000–2100); nullopt when malformed
// or not a real date. Strict: four, two and two digits, nothing else.
std::optional<Millis> parse_beijing_date(std::string_view date);
// A W3C date-time, strictly: "YYYY-MM-DD" (a Beijing date), or
// "YYYY-MM-DDThh:mm:ss[.fraction](Z|±hh:mm)" with a real date (2000–2100),
// hours 0–23, minutes and seconds 0–59 and an offset of at most ±14:00.
std::optional<Millis> parse_w3c(std::string_view text);
// "2026-11-25T18:30:00+08:00": W3C date-time in Beijing time with its offset.
std::string w3c_beijing(Millis at);

// ISO 8601 in UTC with milliseconds, e.g. "2026-11-25T15:26:44.123Z".
std::string iso8601(Millis ms);

}  // namespace xh
