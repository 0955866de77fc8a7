#include "core/time.h"

#include <chrono>
#include <cstdio>
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

std::optional<Millis> parse_beijing_date(std::string_view d) {
  int y, m, day;
  std::string s(d);
  if (s.size() != 10 || std::sscanf(s.c_str(), "%4d-%2d-%2d", &y, &m, &day) != 3 || m < 1 ||
      m > 12 || day < 1 || day > 31 || y < 2000 || y > 2100)
    return std::nullopt;
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
