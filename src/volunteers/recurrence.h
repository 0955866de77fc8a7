#pragma once
// When an activity is held (VOL-2): from its first date, at each of its
// times of day (Beijing time), by its RFC 5545 recurrence rule, minus its
// exceptions — expanded by libical, and written as an iCalendar feed by
// libical too (one VEVENT per time of day, each with the rule and its
// EXDATEs, in the zone Asia/Shanghai, which keeps +08:00 all year).
//
// "Every day at 06:30 and 18:00" is FREQ=DAILY with the times 06:30 and
// 18:00; "weekdays 07:30 and 16:30" is FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR with
// two times; "every Saturday at 09:00" is FREQ=WEEKLY;BYDAY=SA with one.
// The times of day are the schedule's, so a rule may not hold BYHOUR,
// BYMINUTE or BYSECOND.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/time.h"

namespace xh::volunteers {

struct Schedule {
  std::string first_date;          // YYYY-MM-DD
  std::vector<std::string> times;  // "HH:MM", ascending, distinct
  int duration_minutes = 60;
  std::optional<std::string> rrule;  // normalised by normalise_rule; none: held once
  std::vector<Millis> exdates;       // starts cancelled
};

// Checks a schedule's parts: 422 activity.bad_date (first_date),
// activity.bad_time (times: 1 to 6 of "HH:MM"), activity.bad_duration (15
// minutes to 12 hours), activity.bad_rrule (what libical cannot parse, a
// frequency other than DAILY, WEEKLY or MONTHLY, an INTERVAL over 12, BYHOUR,
// BYMINUTE or BYSECOND, or an UNTIL before the first date). Returns the
// rule normalised: UNTIL in UTC (a date means the end of that Beijing day),
// as RFC 5545 asks when DTSTART has a zone.
std::optional<std::string> normalise_rule(const std::string& first_date,
                                          const std::optional<std::string>& rrule);
void check_schedule(const Schedule& s);

// The starts in [from, to), ascending, exceptions left out; at most `max`.
std::vector<Millis> starts_between(const Schedule& s, Millis from, Millis to,
                                   std::size_t max = 1000);
// The first start at or after `now`, within `horizon`; none when there is
// none. Remembered per schedule (a process-wide cache, thread-safe): the
// answer found at t0 holds for every `now` from t0 until that start, so a
// list read again and again expands each rule once per occurrence passed,
// not once per read — libical's iterator (through ICU) is costly.
std::optional<Millis> next_start(const Schedule& s, Millis now, Millis horizon);
// True when `start` is one of the schedule's starts (and not an exception).
bool is_start(const Schedule& s, Millis start);
// The end of its last occurrence; none when it recurs without end.
std::optional<Millis> last_end(const Schedule& s);

// ---- iCalendar ------------------------------------------------------------------

struct FeedEvent {
  std::string uid;  // stable across reads; "-HHMM@xinghuo" is appended per time of day
  std::string summary, description, location;
  Schedule schedule;                  // one time of day per VEVENT is written out of it
  std::optional<std::string> status;  // CANCELLED
  Millis stamp = 0;                   // DTSTAMP: when it last changed
};
// A VCALENDAR (METHOD PUBLISH) named `name`, with the VTIMEZONE of
// Asia/Shanghai and the events' VEVENTs.
std::string ical_feed(const std::string& name, const std::vector<FeedEvent>& events);

}  // namespace xh::volunteers
