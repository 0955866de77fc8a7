#include "volunteers/recurrence.h"

#include <libical/ical.h>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <mutex>
#include <unordered_map>

#include "core/error.h"

namespace xh::volunteers {

namespace {

constexpr const char* kZone = "Asia/Shanghai";
constexpr int kMaxIterations = 200000;  // a rule's expansion stops here, whatever it says

void quiet_libical() {
  static std::once_flag once;
  std::call_once(once, [] { icalerror_set_errors_are_fatal(0); });
}

// Days since 1970-01-01 of a civil date, and back (Howard Hinnant's algorithms).
std::int64_t days_from_civil(int y, int m, int d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

void civil_from_days(std::int64_t z, int& y, int& m, int& d) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  y = static_cast<int>(yoe) + static_cast<int>(era * 400) + (m <= 2);
}

// Beijing wall time ↔ epoch milliseconds, through a floating icaltimetype.
Millis from_fields(int y, int mo, int d, int h, int mi, int s) {
  return days_from_civil(y, mo, d) * kDay + h * kHour + mi * kMinute + s * 1000LL;
}

Millis local_ms(const icaltimetype& t) {  // floating Beijing time → UTC ms
  return from_fields(t.year, t.month, t.day, t.hour, t.minute, t.second) - kBeijingOffset;
}

icaltimetype fields_of(Millis wall) {  // wall-clock ms → floating fields
  icaltimetype t = icaltime_null_time();
  std::int64_t days = wall >= 0 ? wall / kDay : (wall - kDay + 1) / kDay;
  Millis rest = wall - days * kDay;
  civil_from_days(days, t.year, t.month, t.day);
  t.hour = static_cast<int>(rest / kHour);
  t.minute = static_cast<int>(rest % kHour / kMinute);
  t.second = static_cast<int>(rest % kMinute / 1000);
  t.is_date = 0;
  t.zone = nullptr;
  return t;
}

icaltimetype local_of(Millis ms) { return fields_of(ms + kBeijingOffset); }

icaltimetype utc_of(Millis ms) {
  icaltimetype t = fields_of(ms);
  t.zone = icaltimezone_get_utc_timezone();
  return t;
}

std::optional<int> minute_of_day(const std::string& hhmm) {
  if (hhmm.size() != 5 || hhmm[2] != ':') return std::nullopt;
  for (int i : {0, 1, 3, 4})
    if (hhmm[i] < '0' || hhmm[i] > '9') return std::nullopt;
  int h = (hhmm[0] - '0') * 10 + hhmm[1] - '0', m = (hhmm[3] - '0') * 10 + hhmm[4] - '0';
  if (h > 23 || m > 59) return std::nullopt;
  return h * 60 + m;
}

Millis first_day(const Schedule& s) {
  auto day = parse_beijing_date(s.first_date);
  if (!day) throw unprocessable("activity.bad_date", "first_date");
  return *day;
}

// The rule parsed; none when libical refuses it.
std::optional<icalrecurrencetype> parse_rule(const std::string& text) {
  quiet_libical();
  icalrecurrencetype r = icalrecurrencetype_from_string(text.c_str());
  icalerror_clear_errno();
  if (r.freq == ICAL_NO_RECURRENCE) return std::nullopt;
  return r;
}

// UNTIL as epoch ms: a date is the end of that Beijing day; a floating time
// is Beijing's.
std::optional<Millis> until_ms(const icalrecurrencetype& r) {
  if (icaltime_is_null_time(r.until)) return std::nullopt;
  const auto& u = r.until;
  if (u.is_date) return from_fields(u.year, u.month, u.day, 23, 59, 59) - kBeijingOffset;
  Millis wall = from_fields(u.year, u.month, u.day, u.hour, u.minute, u.second);
  return icaltime_is_utc(u) ? wall : wall - kBeijingOffset;
}

struct Iterator {
  icalrecur_iterator* it = nullptr;
  ~Iterator() {
    if (it) icalrecur_iterator_free(it);
  }
};

// Calls `each(start)` for the starts of one time of day from `from` on (all
// of them with COUNT, which counts from the first), while it returns true.
template <class F>
void expand_one(const Schedule& s, Millis dtstart, Millis from, F each) {
  if (!s.rrule) {
    each(dtstart);
    return;
  }
  auto rule = parse_rule(*s.rrule);
  if (!rule) return;
  if (auto until = until_ms(*rule)) rule->until = local_of(*until);  // floating, like DTSTART
  Iterator i;
  i.it = icalrecur_iterator_new(*rule, local_of(dtstart));
  icalerror_clear_errno();
  if (!i.it) return;
  if (rule->count == 0 && from > dtstart) icalrecur_iterator_set_start(i.it, local_of(from));
  for (int n = 0; n < kMaxIterations; ++n) {
    icaltimetype t = icalrecur_iterator_next(i.it);
    if (icaltime_is_null_time(t)) return;
    if (!each(local_ms(t))) return;
  }
}

std::vector<Millis> day_starts(const Schedule& s) {
  Millis day = first_day(s);
  std::vector<Millis> out;
  for (const auto& t : s.times)
    if (auto m = minute_of_day(t)) out.push_back(day + *m * kMinute);
  return out;
}

struct IcalFree {
  void operator()(char* p) const { icalmemory_free_buffer(p); }
};

}  // namespace

std::optional<std::string> normalise_rule(const std::string& first_date,
                                          const std::optional<std::string>& rrule) {
  if (!rrule || rrule->empty()) return std::nullopt;
  auto day = parse_beijing_date(first_date);
  if (!day) throw unprocessable("activity.bad_date", "first_date");
  std::string text = *rrule;
  if (text.rfind("RRULE:", 0) == 0) text = text.substr(6);
  if (text.size() > 200) throw unprocessable("activity.bad_rrule", "rrule");
  auto r = parse_rule(text);
  if (!r) throw unprocessable("activity.bad_rrule", "rrule");
  if (r->freq != ICAL_DAILY_RECURRENCE && r->freq != ICAL_WEEKLY_RECURRENCE &&
      r->freq != ICAL_MONTHLY_RECURRENCE)
    throw unprocessable("activity.bad_rrule", "rrule");
  if (r->interval < 1 || r->interval > 12 || r->count < 0 || r->count > 1000)
    throw unprocessable("activity.bad_rrule", "rrule");
  if (r->by_hour[0] != ICAL_RECURRENCE_ARRAY_MAX || r->by_minute[0] != ICAL_RECURRENCE_ARRAY_MAX ||
      r->by_second[0] != ICAL_RECURRENCE_ARRAY_MAX)
    throw unprocessable("activity.bad_rrule", "rrule");
  if (auto until = until_ms(*r)) {
    if (*until < *day) throw unprocessable("activity.bad_rrule", "rrule");
    r->until = utc_of(*until);
  }
  std::unique_ptr<char, IcalFree> out(icalrecurrencetype_as_string_r(&*r));
  if (!out) throw unprocessable("activity.bad_rrule", "rrule");
  return std::string(out.get());
}

void check_schedule(const Schedule& s) {
  first_day(s);
  if (s.times.empty() || s.times.size() > 6) throw unprocessable("activity.bad_time", "times");
  std::optional<int> last;
  for (const auto& t : s.times) {
    auto m = minute_of_day(t);
    if (!m || (last && *m <= *last)) throw unprocessable("activity.bad_time", "times");
    last = m;
  }
  if (s.duration_minutes < 15 || s.duration_minutes > 12 * 60)
    throw unprocessable("activity.bad_duration", "duration_minutes");
  if (s.rrule && !parse_rule(*s.rrule)) throw unprocessable("activity.bad_rrule", "rrule");
}

std::vector<Millis> starts_between(const Schedule& s, Millis from, Millis to, std::size_t max) {
  std::vector<Millis> out;
  for (Millis dtstart : day_starts(s)) {
    std::size_t taken = 0;
    expand_one(s, dtstart, from, [&](Millis start) {
      if (start >= to) return false;
      if (start >= from &&
          std::find(s.exdates.begin(), s.exdates.end(), start) == s.exdates.end()) {
        out.push_back(start);
        ++taken;
      }
      return taken < max;
    });
  }
  std::sort(out.begin(), out.end());
  if (out.size() > max) out.resize(max);
  return out;
}

std::optional<Millis> next_start(const Schedule& s, Millis now, Millis horizon) {
  struct Found {
    Millis since, start;
  };
  static std::mutex mutex;
  static std::unordered_map<std::string, Found> cache;
  std::string key = s.first_date + "|" + s.rrule.value_or("") + "|";
  for (const auto& t : s.times) key += t + ",";
  key += "|";
  for (auto e : s.exdates) key += std::to_string(e) + ",";
  {
    std::lock_guard<std::mutex> lock(mutex);
    auto it = cache.find(key);
    if (it != cache.end() && it->second.since <= now && now <= it->second.start)
      return it->second.start;
  }
  auto starts = starts_between(s, now, now + horizon, 1);
  if (starts.empty()) return std::nullopt;
  std::lock_guard<std::mutex> lock(mutex);
  if (cache.size() > 20000) cache.clear();  // bounded: rebuilt as lists are read
  cache[key] = {now, starts.front()};
  return starts.front();
}

bool is_start(const Schedule& s, Millis start) {
  return !starts_between(s, start, start + 1, 1).empty();
}

std::optional<Millis> last_end(const Schedule& s) {
  std::optional<Millis> last;
  if (s.rrule) {
    auto rule = parse_rule(*s.rrule);
    if (!rule || (rule->count == 0 && icaltime_is_null_time(rule->until))) return std::nullopt;
  }
  for (Millis dtstart : day_starts(s))
    expand_one(s, dtstart, dtstart, [&](Millis start) {
      last = std::max(last.value_or(start), start);
      return true;
    });
  if (!last) return std::nullopt;
  return *last + s.duration_minutes * kMinute;
}

// ---- iCalendar ------------------------------------------------------------------

namespace {

icalproperty* zoned(icalproperty* p) {
  icalproperty_add_parameter(p, icalparameter_new_tzid(kZone));
  return p;
}

icalcomponent* shanghai() {
  icalcomponent* tz = icalcomponent_new_vtimezone();
  icalcomponent_add_property(tz, icalproperty_new_tzid(kZone));
  icalcomponent* standard = icalcomponent_new_xstandard();
  icalcomponent_add_property(standard, icalproperty_new_tzoffsetfrom(8 * 3600));
  icalcomponent_add_property(standard, icalproperty_new_tzoffsetto(8 * 3600));
  icalcomponent_add_property(standard, icalproperty_new_tzname("CST"));
  icalcomponent_add_property(standard, icalproperty_new_dtstart(fields_of(0)));
  icalcomponent_add_component(tz, standard);
  return tz;
}

}  // namespace

std::string ical_feed(const std::string& name, const std::vector<FeedEvent>& events) {
  quiet_libical();
  icalcomponent* cal = icalcomponent_new_vcalendar();
  icalcomponent_add_property(cal, icalproperty_new_version("2.0"));
  icalcomponent_add_property(cal, icalproperty_new_prodid("-//Xinghuo//Volunteers//ZH"));
  icalcomponent_add_property(cal, icalproperty_new_method(ICAL_METHOD_PUBLISH));
  icalproperty* calname = icalproperty_new_x(name.c_str());
  icalproperty_set_x_name(calname, "X-WR-CALNAME");
  icalcomponent_add_property(cal, calname);
  icalcomponent_add_component(cal, shanghai());
  for (const auto& e : events) {
    Millis day = parse_beijing_date(e.schedule.first_date).value_or(0);
    for (const auto& t : e.schedule.times) {
      auto m = minute_of_day(t);
      if (!m) continue;
      Millis start = day + *m * kMinute;
      icalcomponent* ev = icalcomponent_new_vevent();
      std::string uid = e.uid + "-" + t.substr(0, 2) + t.substr(3, 2) + "@xinghuo";
      icalcomponent_add_property(ev, icalproperty_new_uid(uid.c_str()));
      icalcomponent_add_property(ev, icalproperty_new_dtstamp(utc_of(e.stamp)));
      icalcomponent_add_property(ev, zoned(icalproperty_new_dtstart(local_of(start))));
      icalcomponent_add_property(
          ev,
          zoned(icalproperty_new_dtend(local_of(start + e.schedule.duration_minutes * kMinute))));
      icalcomponent_add_property(ev, icalproperty_new_summary(e.summary.c_str()));
      if (!e.description.empty())
        icalcomponent_add_property(ev, icalproperty_new_description(e.description.c_str()));
      if (!e.location.empty())
        icalcomponent_add_property(ev, icalproperty_new_location(e.location.c_str()));
      if (e.schedule.rrule)
        if (auto rule = parse_rule(*e.schedule.rrule))
          icalcomponent_add_property(ev, icalproperty_new_rrule(*rule));
      for (Millis ex : e.schedule.exdates)
        if ((ex + kBeijingOffset) % kDay == (start + kBeijingOffset) % kDay)
          icalcomponent_add_property(ev, zoned(icalproperty_new_exdate(local_of(ex))));
      if (e.status == std::string("CANCELLED"))
        icalcomponent_add_property(ev, icalproperty_new_status(ICAL_STATUS_CANCELLED));
      icalcomponent_add_component(cal, ev);
    }
  }
  std::unique_ptr<char, IcalFree> text(icalcomponent_as_ical_string_r(cal));
  icalcomponent_free(cal);
  return text ? std::string(text.get()) : std::string();
}

}  // namespace xh::volunteers
