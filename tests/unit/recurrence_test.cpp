// When activities are held (volunteers/recurrence.h): libical expands the
// rule at each time of day in Beijing time, across month ends, without the
// exceptions, up to UNTIL (a date: that whole Beijing day) or COUNT; rules
// the product cannot hold are refused.
#include "volunteers/recurrence.h"

#include <gtest/gtest.h>

#include <functional>

#include "core/error.h"

namespace xh::volunteers {
namespace {

// "2027-01-30 06:30" (Beijing) as epoch ms.
Millis at(const std::string& date, int hour, int minute) {
  return *parse_beijing_date(date) + hour * kHour + minute * kMinute;
}

std::vector<std::string> shown(const std::vector<Millis>& starts) {
  std::vector<std::string> out;
  for (auto s : starts) {
    auto w = w3c_beijing(s);
    out.push_back(w.substr(0, 10) + " " + w.substr(11, 5));
  }
  return out;
}

Schedule daily(std::vector<std::string> times) {
  Schedule s;
  s.first_date = "2027-01-30";
  s.times = std::move(times);
  s.duration_minutes = 60;
  s.rrule = normalise_rule(s.first_date, "FREQ=DAILY");
  return s;
}

std::string code_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.code();
  }
  return "";
}

TEST(Recurrence, EveryDayAtTwoTimesAcrossTheMonthEnd) {
  auto s = daily({"06:30", "18:00"});
  EXPECT_EQ(shown(starts_between(s, at("2027-01-30", 0, 0), at("2027-02-02", 0, 0))),
            (std::vector<std::string>{"2027-01-30 06:30", "2027-01-30 18:00", "2027-01-31 06:30",
                                      "2027-01-31 18:00", "2027-02-01 06:30", "2027-02-01 18:00"}));
  // From the middle of a day: what is still to come, and no end.
  EXPECT_EQ(shown(starts_between(s, at("2027-03-31", 12, 0), at("2027-04-01", 12, 0))),
            (std::vector<std::string>{"2027-03-31 18:00", "2027-04-01 06:30"}));
  EXPECT_FALSE(last_end(s).has_value());
  EXPECT_TRUE(is_start(s, at("2027-02-28", 18, 0)));
  EXPECT_FALSE(is_start(s, at("2027-02-28", 18, 1)));
  EXPECT_FALSE(is_start(s, at("2027-01-29", 18, 0)));  // before the first date
}

TEST(Recurrence, ExceptionsAreLeftOut) {
  auto s = daily({"06:30", "18:00"});
  s.exdates = {at("2027-01-31", 6, 30)};
  EXPECT_EQ(shown(starts_between(s, at("2027-01-31", 0, 0), at("2027-02-01", 0, 0))),
            (std::vector<std::string>{"2027-01-31 18:00"}));
  EXPECT_FALSE(is_start(s, at("2027-01-31", 6, 30)));
}

TEST(Recurrence, WeekdaysSaturdaysAndMonthlyOnThe31st) {
  Schedule weekdays;
  weekdays.first_date = "2027-01-29";  // a Friday
  weekdays.times = {"07:30", "16:30"};
  weekdays.rrule = normalise_rule(weekdays.first_date, "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR");
  EXPECT_EQ(shown(starts_between(weekdays, at("2027-01-29", 0, 0), at("2027-02-02", 0, 0))),
            (std::vector<std::string>{"2027-01-29 07:30", "2027-01-29 16:30", "2027-02-01 07:30",
                                      "2027-02-01 16:30"}));
  Schedule saturdays;
  saturdays.first_date = "2027-01-01";
  saturdays.times = {"09:00"};
  saturdays.rrule = normalise_rule(saturdays.first_date, "RRULE:FREQ=WEEKLY;BYDAY=SA");
  EXPECT_EQ(shown(starts_between(saturdays, at("2027-01-01", 0, 0), at("2027-01-20", 0, 0))),
            (std::vector<std::string>{"2027-01-02 09:00", "2027-01-09 09:00", "2027-01-16 09:00"}));
  // The 31st: months without one are skipped.
  Schedule monthly;
  monthly.first_date = "2027-01-31";
  monthly.times = {"10:00"};
  monthly.rrule = normalise_rule(monthly.first_date, "FREQ=MONTHLY;BYMONTHDAY=31");
  EXPECT_EQ(shown(starts_between(monthly, at("2027-01-01", 0, 0), at("2027-06-01", 0, 0))),
            (std::vector<std::string>{"2027-01-31 10:00", "2027-03-31 10:00", "2027-05-31 10:00"}));
}

TEST(Recurrence, UntilIsAWholeBeijingDayAndCountCountsFromTheFirst) {
  Schedule s;
  s.first_date = "2027-01-30";
  s.times = {"06:30", "18:00"};
  s.duration_minutes = 60;
  s.rrule = normalise_rule(s.first_date, "FREQ=DAILY;UNTIL=20270201");
  // Stored as UTC, as RFC 5545 asks when DTSTART has a zone: 23:59:59 Beijing.
  EXPECT_NE(s.rrule->find("UNTIL=20270201T155959Z"), std::string::npos) << *s.rrule;
  auto all = starts_between(s, at("2027-01-01", 0, 0), at("2027-03-01", 0, 0));
  ASSERT_EQ(all.size(), 6u);
  EXPECT_EQ(shown(all).back(), "2027-02-01 18:00");
  EXPECT_EQ(*last_end(s), at("2027-02-01", 19, 0));

  Schedule counted = s;
  counted.rrule = normalise_rule(s.first_date, "FREQ=DAILY;COUNT=3");
  // COUNT counts each time of day's occurrences: three mornings, three evenings.
  auto later = starts_between(counted, at("2027-01-31", 12, 0), at("2027-03-01", 0, 0));
  EXPECT_EQ(shown(later),
            (std::vector<std::string>{"2027-01-31 18:00", "2027-02-01 06:30", "2027-02-01 18:00"}));
  Schedule once;
  once.first_date = "2027-05-04";
  once.times = {"14:00"};
  once.duration_minutes = 90;
  EXPECT_EQ(*last_end(once), at("2027-05-04", 15, 30));
  EXPECT_TRUE(is_start(once, at("2027-05-04", 14, 0)));
}

TEST(Recurrence, RulesTheProductCannotHoldAreRefused) {
  for (const char* bad : {"FREQ=DAILY;BYHOUR=6,18", "FREQ=HOURLY", "FREQ=YEARLY", "every day",
                          "FREQ=DAILY;INTERVAL=40", "FREQ=DAILY;UNTIL=20260101"})
    EXPECT_EQ(code_of([&] { normalise_rule("2027-01-30", std::string(bad)); }),
              "activity.bad_rrule")
        << bad;
  EXPECT_EQ(code_of([&] { normalise_rule("2027-02-30", std::string("FREQ=DAILY")); }),
            "activity.bad_date");
  auto s = daily({"06:30"});
  s.times = {"18:00", "06:30"};
  EXPECT_EQ(code_of([&] { check_schedule(s); }), "activity.bad_time");
  s.times = {"24:00"};
  EXPECT_EQ(code_of([&] { check_schedule(s); }), "activity.bad_time");
  s.times = {"06:30"};
  s.duration_minutes = 5;
  EXPECT_EQ(code_of([&] { check_schedule(s); }), "activity.bad_duration");
}

TEST(Recurrence, TheFeedHoldsOneEventPerTimeOfDayWithItsRuleAndExceptions) {
  FeedEvent e;
  e.uid = "activity-1";
  e.summary = "西工商河早晚巡河";
  e.location = "西工商河沿岸";
  e.schedule = daily({"06:30", "18:00"});
  e.schedule.exdates = {at("2027-01-31", 6, 30)};
  e.stamp = at("2027-01-01", 0, 0);
  auto text = ical_feed("河小工护河队", {e});
  EXPECT_NE(text.find("BEGIN:VCALENDAR"), std::string::npos);
  EXPECT_NE(text.find("TZID:Asia/Shanghai"), std::string::npos);
  EXPECT_NE(text.find("DTSTART;TZID=Asia/Shanghai:20270130T063000"), std::string::npos) << text;
  EXPECT_NE(text.find("DTSTART;TZID=Asia/Shanghai:20270130T180000"), std::string::npos);
  EXPECT_NE(text.find("RRULE:FREQ=DAILY"), std::string::npos);
  // The exception belongs to the morning's event only.
  auto ex = text.find("EXDATE;TZID=Asia/Shanghai:20270131T063000");
  ASSERT_NE(ex, std::string::npos);
  EXPECT_LT(ex, text.find("UID:activity-1-1800@xinghuo"));
  EXPECT_NE(text.find("UID:activity-1-0630@xinghuo"), std::string::npos);
}

TEST(Recurrence, TheNextStartIsRememberedOnlyUntilItPasses) {
  auto s = daily({"06:30", "18:00"});
  EXPECT_EQ(*next_start(s, at("2027-02-01", 7, 0), 62 * kDay), at("2027-02-01", 18, 0));
  // Asked again before it: the same; once it has passed: the next one.
  EXPECT_EQ(*next_start(s, at("2027-02-01", 12, 0), 62 * kDay), at("2027-02-01", 18, 0));
  EXPECT_EQ(*next_start(s, at("2027-02-01", 18, 0), 62 * kDay), at("2027-02-01", 18, 0));
  EXPECT_EQ(*next_start(s, at("2027-02-01", 18, 1), 62 * kDay), at("2027-02-02", 6, 30));
  // Earlier than what was remembered: expanded again, not answered from it.
  EXPECT_EQ(*next_start(s, at("2027-01-30", 0, 0), 62 * kDay), at("2027-01-30", 6, 30));
  // An exception makes it another schedule.
  s.exdates = {at("2027-02-02", 6, 30)};
  EXPECT_EQ(*next_start(s, at("2027-02-01", 18, 1), 62 * kDay), at("2027-02-02", 18, 0));
  Schedule once;
  once.first_date = "2027-05-04";
  once.times = {"14:00"};
  EXPECT_FALSE(next_start(once, at("2027-05-05", 0, 0), 62 * kDay).has_value());
}

}  // namespace
}  // namespace xh::volunteers
