#include "core/time.h"

#include <chrono>
#include <cstdio>
#include <algorithm>
#include <ctime>

namespace xh {

Millis now_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

Millis beijing_day_start(Millis at) {
  return (at + kBeijingOffset) / kDay * kDay - kBeijingOffset;
}

namespace {
std::tm beijing_tm(Millis at) {
  std::time_t t = static_cast<std::time_t>((at + kBeijingOffset) / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  return tm;
}
}  // namespace

Millis beijing_month_start(Millis at) {
  std::tm tm = beijing_tm(at);
  tm.tm_mday = 1;
  tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
  return static_cast<Millis>(timegm(&tm)) * 1000 - kBeijingOffset;
}

int beijing_month(Millis at) {
  std::tm tm = beijing_tm(at);
  return (tm.tm_year + 1900) * 100 + tm.tm_mon + 1;
}

namespace {
// The number written by the `n` digits at `at`; -1 unless they all are digits.
int digits(std::string_view s, std::size_t at, std::size_t n) {
  if (at + n > s.size()) return -1;
  int v = 0;
  for (std::size_t i = at; i < at + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return -1;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}
}  // namespace

std::optional<Millis> parse_beijing_date(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  int y = digits(s, 0, 4), m = digits(s, 5, 2), day = digits(s, 8, 2);
  if (y < 2000 || y > 2100 || m < 1 || m > 12 || day < 1 || day > 31) return std::nullopt;
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  if (day > kDays[m - 1] + (m == 2 && leap)) return std::nullopt;
  // Days since the epoch (civil calendar, proleptic Gregorian).
  y -= m <= 2;
  int era = y / 400;
  int yoe = y - era * 400;
  int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  std::int64_t days = std::int64_t{era} * 146097 + doe - 719468;
  return days * kDay - kBeijingOffset;
}

std::optional<Millis> parse_w3c(std::string_view s) {
  auto day = parse_beijing_date(s.substr(0, std::min<std::size_t>(s.size(), 10)));
  if (!day) return std::nullopt;
  if (s.size() == 10) return day;  // a bare date is a Beijing date
  if (s.size() < 20 || s[10] != 'T' || s[13] != ':' || s[16] != ':') return std::nullopt;
  int h = digits(s, 11, 2), mi = digits(s, 14, 2), sec = digits(s, 17, 2);
  if (h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 59) return std::nullopt;
  std::size_t pos = 19;
  Millis fraction = 0;  // milliseconds; finer digits are dropped
  if (s[pos] == '.') {
    std::size_t start = ++pos;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
      if (pos - start < 3) fraction += (s[pos] - '0') * (pos == start ? 100 : pos == start + 1 ? 10 : 1);
      ++pos;
    }
    if (pos == start) return std::nullopt;
  }
  Millis offset = 0;
  std::string_view zone = s.substr(pos);
  if (zone == "Z") {
    offset = 0;
  } else if (zone.size() == 6 && (zone[0] == '+' || zone[0] == '-') && zone[3] == ':') {
    int oh = digits(zone, 1, 2), om = digits(zone, 4, 2);
    if (oh < 0 || om < 0 || om > 59 || oh * 60 + om > 14 * 60) return std::nullopt;
    offset = (zone[0] == '-' ? -1 : 1) * (oh * 60 + om) * kMinute;
  } else {
    return std::nullopt;
  }
  // The UTC midnight of that date, then the time of day, then the offset.
  Millis utc_midnight = *day + kBeijingOffset;
  return utc_midnight + h * kHour + mi * kMinute + sec * 1000LL + fraction - offset;
}

std::string w3c_beijing(Millis at) {
  std::tm tm = beijing_tm(at);
  char buf[40];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S+08:00", &tm);
  return buf;
}

std::string iso8601(Millis ms) {
  std::time_t secs = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[40];
  std::size_t n = std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  std::snprintf(buf + n, sizeof buf - n, ".%03dZ", static_cast<int>(ms % 1000));
  return buf;
}

}  // namespace xh
