// Volunteers (VOL-1, VOL-2): registration with the community and its
// review; teams; 双报到 branches and their monthly report; activities with
// exactly their capacity admitted under concurrent sign-ups and a waitlist
// that moves up; check-in and check-out by the leader's rotating code (or
// the volunteer's, scanned) that count once under concurrent duplicates and
// only within the window; hours confirmed by the team's leader alone, once,
// paying points once; the certificate's hours equal the confirmed hours; the
// iCalendar feeds read by a real parser (python3-icalendar).
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <thread>

#include "api_test.h"
#include "core/time.h"
#include "support/pdf.h"

namespace xh::test {

namespace {

std::int64_t num(const json::value& v, const char* key) { return v.at(key).as_int64(); }

// Runs python3 with `script` on `input` (a file path as argv[1]); its output, or "" when it failed.
std::string python(const std::string& script, const std::string& input) {
  static std::atomic<int> serial{0};
  auto dir = std::filesystem::temp_directory_path() /
             ("xh-ics-" + std::to_string(::getpid()) + "-" + std::to_string(serial++));
  std::filesystem::create_directories(dir);
  { std::ofstream(dir / "feed.ics", std::ios::binary) << input; }
  { std::ofstream(dir / "read.py") << script; }
  std::string out;
  // Debian's python3, which python3-icalendar installs into (a pyenv one may come first on PATH).
  std::string cmd = "/usr/bin/python3 '" + (dir / "read.py").string() + "' '" +
                    (dir / "feed.ics").string() + "' 2>&1";
  int rc = -1;
  if (FILE* p = ::popen(cmd.c_str(), "r")) {
    char buf[4096];
    for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, p)) > 0;) out.append(buf, n);
    rc = ::pclose(p);
  }
  std::filesystem::remove_all(dir);
  return rc == 0 ? out : "FAILED: " + out;
}

// Each VEVENT as "<uid> <DTSTART as parsed, with its zone> <RRULE> <EXDATEs>", one per line.
constexpr const char* kReadFeed = R"(import sys
from icalendar import Calendar
cal = Calendar.from_ical(open(sys.argv[1], 'rb').read())
for ev in cal.walk('VEVENT'):
    start = ev.decoded('DTSTART')
    rule = ev.get('RRULE')
    ex = ev.get('EXDATE')
    exs = []
    if ex is not None:
        for e in (ex if isinstance(ex, list) else [ex]):
            exs += [d.dt.strftime('%Y%m%dT%H%M') for d in e.dts]
    print(str(ev.get('UID')), start.strftime('%Y%m%dT%H%M%z'), rule.to_ical().decode() if rule else '-', ','.join(exs) or '-', str(ev.get('STATUS') or '-'))
)";

}  // namespace

class Volunteers : public ApiTest {
 protected:
  static std::int64_t team_id(const std::string& name) {
    auto list = as("street_admin").get("/api/volunteer-teams?limit=100").json();
    for (const auto& t : list.at("items").as_array())
      if (str(t, "name") == name) return num(t, "id");
    return 0;
  }

  // A new login registered with 泉星社区 and confirmed: its client and volunteer id.
  static std::pair<HttpClient, std::int64_t> volunteer(const std::string& username) {
    auto admin = as("sys_admin");
    auto u =
        admin.post("/api/users", json::serialize(json::object{{"username", username},
                                                              {"display_name", "志愿者" + username},
                                                              {"password", "Volu@2026x"}}));
    EXPECT_EQ(u.status, 201) << u.body;
    auto role = as("security_admin")
                    .post("/api/users/" + std::to_string(num(u.json(), "id")) + "/roles",
                          json::serialize(json::object{{"role", "volunteer"},
                                                       {"place_id", place_id("NC-QX")}}));
    EXPECT_EQ(role.status, 201) << role.body;
    HttpClient c = anonymous();
    EXPECT_EQ(c.login(username, "Volu@2026x").status, 200);
    auto reg =
        c.post("/api/volunteers", json::serialize(json::object{{"community_id", place_id("NC-QX")},
                                                               {"skills", json::array{"巡河"}}}));
    EXPECT_EQ(reg.status, 201) << reg.body;
    auto id = num(reg.json(), "id");
    auto ok =
        as("community_admin")
            .post("/api/volunteers/" + std::to_string(id) + "/review", R"({"action":"confirm"})");
    EXPECT_EQ(ok.status, 200) << ok.body;
    return {c, id};
  }

  // An activity of `team` starting `ahead` minutes from now (Beijing time,
  // to the minute), lasting 15 minutes: {id, starts_at}.
  static std::pair<std::int64_t, std::string> soon(HttpClient& who, std::int64_t team,
                                                   std::int64_t place, int capacity, bool open,
                                                   int ahead = 2) {
    Millis start = (now_ms() / kMinute + ahead) * kMinute;
    auto w = w3c_beijing(start);
    auto made =
        who.post("/api/activities",
                 json::serialize(json::object{{"team_id", team},
                                              {"title", "临时巡查"},
                                              {"place_id", place},
                                              {"first_date", w.substr(0, 10)},
                                              {"times", json::array{json::string(w.substr(11, 5))}},
                                              {"duration_minutes", 15},
                                              {"capacity", capacity},
                                              {"open_to_all", open},
                                              {"cancel_cutoff_minutes", 0}}));
    EXPECT_EQ(made.status, 201) << made.body;
    return {made.status == 201 ? num(made.json(), "id") : 0, iso8601(start)};
  }

  static HttpResponse sign_up(HttpClient& c, std::int64_t activity, const std::string& starts_at) {
    return c.post("/api/activities/" + std::to_string(activity) + "/signups",
                  json::serialize(json::object{{"starts_at", starts_at}}));
  }

  static std::string code(HttpClient& leader, std::int64_t occurrence) {
    auto r = leader.get("/api/activity-occurrences/" + std::to_string(occurrence) + "/code");
    EXPECT_EQ(r.status, 200) << r.body;
    return r.status == 200 ? str(r.json(), "code") : "";
  }

  static HttpResponse check(HttpClient& c, std::int64_t occurrence, const std::string& code,
                            const char* direction) {
    return c.post("/api/activity-occurrences/" + std::to_string(occurrence) + "/check",
                  json::serialize(json::object{{"code", code}, {"direction", direction}}));
  }

  static std::int64_t balance(HttpClient& c) {
    return num(c.get("/api/points/me").json(), "balance");
  }

};

TEST_F(Volunteers, RegistrationIsReviewedByTheCommunityAndSeenOnlyThere) {
  // The demo resident is a volunteer already.
  auto resident = as("resident");
  EXPECT_EQ(resident.post("/api/volunteers", "{}").error_code(), "volunteer.exists");
  auto me = resident.get("/api/volunteers/me").json();
  EXPECT_EQ(str(me, "status"), "confirmed");
  EXPECT_EQ(str(me.at("community"), "name"), "泉星社区");
  // Someone without a household names a community, and only a community.
  auto leader = as("building_leader");
  EXPECT_EQ(leader.get("/api/volunteers/me").error_code(), "volunteer.not_registered");
  EXPECT_EQ(leader.post("/api/volunteers", "{}").error_code(), "volunteer.bad_community");
  EXPECT_EQ(leader
                .post("/api/volunteers",
                      json::serialize(json::object{{"community_id", place_id("NC-QX-C1")}}))
                .error_code(),
            "volunteer.bad_community");
  EXPECT_EQ(leader
                .post("/api/volunteers",
                      json::serialize(json::object{{"community_id", place_id("NC-QX")},
                                                   {"serves", json::array{place_id("NC-GSH-C1")}}}))
                .error_code(),
            "volunteer.bad_serves");
  auto reg =
      leader.post("/api/volunteers",
                  json::serialize(json::object{{"community_id", place_id("NC-QX")},
                                               {"skills", json::array{"急救", "摄影"}},
                                               {"availability", "周末"},
                                               {"serves", json::array{place_id("NC-QX-C1")}}}));
  ASSERT_EQ(reg.status, 201) << reg.body;
  auto id = num(reg.json(), "id");
  EXPECT_EQ(str(reg.json(), "status"), "applied");
  auto path = "/api/volunteers/" + std::to_string(id);

  // 工商河's staff neither see nor review it; 泉星's do, in their to-do list too.
  auto other = elsewhere();
  EXPECT_EQ(other.get(path).status, 404);
  EXPECT_EQ(other.get("/api/volunteers?status=applied").json().at("total").as_int64(), 0);
  auto staff = as("community_admin");
  auto waiting = staff.get("/api/volunteers?status=applied").json();
  EXPECT_EQ(num(waiting, "total"), 1);
  bool task = false;
  auto tasks = staff.get("/api/tasks").json();
  for (const auto& t : tasks.at("items").as_array())
    if (str(t, "key") == "volunteer.review") task = num(t, "count") == 1;
  EXPECT_TRUE(task);
  EXPECT_EQ(staff.post(path + "/review", R"({"action":"decline"})").error_code(),
            "volunteer.reason_required");
  auto ok = staff.post(path + "/review", R"({"action":"confirm"})");
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(str(ok.json(), "status"), "confirmed");
  EXPECT_EQ(staff.post(path + "/review", R"({"action":"decline","reason":"x"})").error_code(),
            "volunteer.reviewed");
  EXPECT_EQ(inbox_count(leader, "volunteer.reviewed"), 1);
  // Residents and other volunteers do not read the register.
  EXPECT_EQ(resident.get("/api/volunteers").status, 403);
  EXPECT_EQ(resident.get(path).status, 404);
  auto csv = staff.get("/api/volunteers?format=csv");
  EXPECT_EQ(csv.status, 200);
  EXPECT_NE(csv.body.find("已确认"), std::string::npos);
}

TEST_F(Volunteers, TheSeedsTeamsAndTheirRecurringActivities) {
  auto resident = as("resident");
  auto teams = resident.get("/api/volunteer-teams?limit=100").json();
  std::set<std::string> names;
  for (const auto& t : teams.at("items").as_array()) names.insert(str(t, "name"));
  for (const char* n : {"河小工护河队", "朝乐磨刀队", "义工奶奶队", "花剪子理发队",
                        "泉心愿志愿服务队", "啄木鸟志愿服务队"})
    EXPECT_TRUE(names.count(n)) << n;
  auto river =
      resident.get("/api/volunteer-teams/" + std::to_string(team_id("河小工护河队"))).json();
  EXPECT_TRUE(river.at("is_member").as_bool());
  EXPECT_FALSE(river.at("may_manage").as_bool());
  // Members are masked to a member, named in full to the leader.
  bool masked = false;
  for (const auto& m : river.at("members").as_array())
    masked = masked || str(m, "name").find("*") != std::string::npos;
  EXPECT_TRUE(masked);
  // The river patrol: every day at 06:30 and 18:00.
  auto acts =
      resident.get("/api/activities?team_id=" + std::to_string(team_id("河小工护河队"))).json();
  ASSERT_EQ(num(acts, "total"), 1);
  auto patrol = acts.at("items").at(0);
  EXPECT_EQ(str(patrol, "rrule"), "FREQ=DAILY");
  auto detail = resident.get("/api/activities/" + std::to_string(num(patrol, "id"))).json();
  EXPECT_TRUE(detail.at("may_sign_up").as_bool());
  const auto& occ = detail.at("occurrences").as_array();
  ASSERT_GE(occ.size(), 27u);
  for (const auto& o : occ) {
    auto w = w3c_beijing(*parse_w3c(str(o, "starts_at")));
    EXPECT_TRUE(w.substr(11, 5) == "06:30" || w.substr(11, 5) == "18:00") << w;
  }
  // 朝乐磨刀队's Saturday sharpening is for its members: the resident sees it not.
  auto knives =
      as("modao").get("/api/activities?team_id=" + std::to_string(team_id("朝乐磨刀队"))).json();
  ASSERT_EQ(num(knives, "total"), 1);
  auto knives_id = num(knives.at("items").at(0), "id");
  EXPECT_EQ(resident.get("/api/activities/" + std::to_string(knives_id)).status, 404);
  auto next = *parse_w3c(str(knives.at("items").at(0), "next_starts_at"));
  EXPECT_EQ(w3c_beijing(next).substr(11, 5), "09:00");
  // Only its leader or staff make a team's activities.
  EXPECT_EQ(resident
                .post("/api/activities",
                      json::serialize(json::object{{"team_id", team_id("河小工护河队")},
                                                   {"title", "x"},
                                                   {"place_id", place_id("NC-GSH")},
                                                   {"first_date", "2027-01-01"},
                                                   {"times", json::array{"06:30"}},
                                                   {"duration_minutes", 60},
                                                   {"capacity", 3}}))
                .status,
            403);
  auto leader = as("volunteer");
  auto bad = [&](json::object patch) {
    json::object body{{"team_id", team_id("河小工护河队")},
                      {"title", "x"},
                      {"place_id", place_id("NC-GSH")},
                      {"first_date", "2027-01-01"},
                      {"times", json::array{"06:30"}},
                      {"duration_minutes", 60},
                      {"capacity", 3}};
    for (auto& [k, v] : patch) body[k] = v;
    return leader.post("/api/activities", json::serialize(body)).error_code();
  };
  EXPECT_EQ(bad({{"rrule", "FREQ=DAILY;BYHOUR=6"}}), "activity.bad_rrule");
  EXPECT_EQ(bad({{"times", json::array{"25:00"}}}), "activity.bad_time");
  EXPECT_EQ(bad({{"capacity", 0}}), "activity.bad_capacity");
  EXPECT_EQ(bad({{"place_id", place_id("NC-QX")}}), "activity.bad_place");
}

TEST_F(Volunteers, ExactlyTheCapacityIsAdmittedAndTheWaitlistMovesUp) {
  // 义工奶奶队's school-gate duty in 泉星社区, open to all its volunteers; staff lead it.
  auto leader = as("community_admin");
  auto [activity, starts_at] = soon(leader, team_id("义工奶奶队"), place_id("NC-QX"), 3, true, 30);
  std::vector<std::pair<HttpClient, std::int64_t>> people;
  for (int i = 0; i < 10; ++i) people.push_back(volunteer("cap" + std::to_string(i)));
  std::vector<HttpResponse> answers(people.size());
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < people.size(); ++i)
    threads.emplace_back([&, i] {
      HttpClient c = people[i].first;
      answers[i] = sign_up(c, activity, starts_at);
    });
  for (auto& t : threads) t.join();
  int placed = 0, waiting = 0;
  std::set<std::int64_t> positions;
  for (const auto& a : answers) {
    ASSERT_EQ(a.status, 201) << a.body;
    if (str(a.json(), "status") == "signed")
      ++placed;
    else {
      ++waiting;
      positions.insert(num(a.json(), "position"));
    }
  }
  EXPECT_EQ(placed, 3);
  EXPECT_EQ(waiting, 7);
  EXPECT_EQ(positions, (std::set<std::int64_t>{1, 2, 3, 4, 5, 6, 7}));
  auto occurrence = num(answers[0].json(), "occurrence_id");
  auto occ = leader.get("/api/activity-occurrences/" + std::to_string(occurrence)).json();
  EXPECT_EQ(num(occ, "signed"), 3);
  EXPECT_EQ(num(occ, "waiting"), 7);
  EXPECT_EQ(occ.at("signups").as_array().size(), 10u);
  EXPECT_EQ(sign_up(people[0].first, activity, starts_at).error_code(), "activity.signed_up");

  // One placed volunteer withdraws: the first waiting takes the place and is told.
  std::size_t out = 0, first_waiting = 0;
  std::int64_t best = 99;
  for (std::size_t i = 0; i < answers.size(); ++i) {
    if (str(answers[i].json(), "status") == "signed")
      out = i;
    else if (num(answers[i].json(), "position") < best)
      best = num(answers[i].json(), "position"), first_waiting = i;
  }
  auto gone = people[out].first.del("/api/activity-signups/" +
                                    std::to_string(num(answers[out].json(), "id")));
  ASSERT_EQ(gone.status, 200) << gone.body;
  auto after = leader.get("/api/activity-occurrences/" + std::to_string(occurrence)).json();
  EXPECT_EQ(num(after, "signed"), 3);
  EXPECT_EQ(num(after, "waiting"), 6);
  auto mine = people[first_waiting]
                  .first.get("/api/activity-occurrences/" + std::to_string(occurrence))
                  .json();
  EXPECT_EQ(str(mine.at("my"), "status"), "signed");
  EXPECT_EQ(inbox_count(people[first_waiting].first, "activity.promoted"), 1);
  // A volunteer sees no one else's sign-up.
  EXPECT_TRUE(mine.at("signups").as_array().empty());

  // Not yet confirmed: no sign-up.
  auto leader_b = as("building_leader");
  if (leader_b.get("/api/volunteers/me").status == 404)
    leader_b.post("/api/volunteers",
                  json::serialize(json::object{{"community_id", place_id("NC-QX")}}));
  auto me = leader_b.get("/api/volunteers/me").json();
  if (str(me, "status") == "applied") {
    EXPECT_EQ(sign_up(leader_b, activity, starts_at).error_code(), "activity.not_volunteer");
  }
  // The leader cancels the occurrence: everyone holding a place or waiting is told.
  auto cancelled = leader.post(
      "/api/activities/" + std::to_string(activity) + "/cancel",
      json::serialize(json::object{{"starts_at", starts_at}, {"reason", "河道涨水，暂停巡河"}}));
  ASSERT_EQ(cancelled.status, 200) << cancelled.body;
  EXPECT_EQ(inbox_count(people[first_waiting].first, "activity.cancelled"), 1);
  EXPECT_EQ(sign_up(people[out].first, activity, starts_at).error_code(), "activity.bad_start");
}

TEST_F(Volunteers, AScanCountsOnceOnlyWithinTheWindowAndTheLeaderConfirmsHoursOnce) {
  auto leader = as("volunteer");
  auto resident = as("resident");
  auto river = team_id("河小工护河队");
  auto [activity, starts_at] = soon(leader, river, place_id("NC-GSH"), 5, false, 2);
  auto signed_up = sign_up(resident, activity, starts_at);
  ASSERT_EQ(signed_up.status, 201) << signed_up.body;
  auto occurrence = num(signed_up.json(), "occurrence_id");
  auto signup = num(signed_up.json(), "id");

  // A wrong code is refused; the leader's code counts once, however many scan at once.
  EXPECT_EQ(check(resident, occurrence, "000000", "in").error_code(), "activity.bad_code");
  EXPECT_EQ(check(resident, occurrence, code(leader, occurrence), "out").error_code(),
            "activity.not_checked_in");
  auto the_code = code(leader, occurrence);
  std::vector<HttpResponse> answers(8);
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < answers.size(); ++i)
    threads.emplace_back([&, i] {
      HttpClient c = resident;
      answers[i] = check(c, occurrence, the_code, "in");
    });
  for (auto& t : threads) t.join();
  int counted = 0;
  for (const auto& a : answers) {
    if (a.status != 200 && a.error_code() == "activity.bad_code") continue;  // the code turned over
    ASSERT_EQ(a.status, 200) << a.body;
    counted += str(a.json(), "result") == "counted";
  }
  EXPECT_EQ(counted, 1);
  auto again = check(resident, occurrence, code(leader, occurrence), "in");
  EXPECT_EQ(str(again.json(), "result"), "already");
  // Hours are confirmed after check-out only.
  auto path = "/api/activity-signups/" + std::to_string(signup);
  EXPECT_EQ(leader.post(path + "/confirm", "{}").error_code(), "activity.not_checked_out");
  auto out = check(resident, occurrence, code(leader, occurrence), "out");
  ASSERT_EQ(out.status, 200) << out.body;
  EXPECT_EQ(str(out.json(), "result"), "counted");
  EXPECT_EQ(str(check(resident, occurrence, code(leader, occurrence), "out").json(), "result"),
            "already");

  // Another team's leader may not confirm; changed minutes need a reason.
  EXPECT_EQ(as("modao").post(path + "/confirm", "{}").status, 404);
  EXPECT_EQ(leader.post(path + "/confirm", R"({"minutes":60})").error_code(),
            "activity.reason_required");
  EXPECT_EQ(leader.post(path + "/confirm", R"({"minutes":2000,"reason":"x"})").error_code(),
            "activity.bad_minutes");
  auto before = balance(resident);
  // Two confirmations at once: one pays.
  std::vector<HttpResponse> confirms(2);
  std::vector<std::thread> two;
  for (int i = 0; i < 2; ++i)
    two.emplace_back([&, i] {
      HttpClient c = leader;
      confirms[i] = c.post(path + "/confirm", R"({"minutes":105,"reason":"签到前已开始清理河道"})");
    });
  for (auto& t : two) t.join();
  EXPECT_EQ((confirms[0].status == 200) + (confirms[1].status == 200), 1);
  EXPECT_TRUE(confirms[0].error_code() == "activity.confirmed" ||
              confirms[1].error_code() == "activity.confirmed");
  // 泉星社区's rule pays 10 points an hour (daily cap 40): 1.75 h, 18 points.
  EXPECT_EQ(balance(resident) - before, 18);
  EXPECT_EQ(audit_count("activity.confirm_hours"), 2);  // the demo's and this one
  EXPECT_EQ(inbox_count(resident, "activity.confirmed"), 2);

  // The record and the certificate show the confirmed hours: the demo's 75 minutes and these 105.
  auto me = resident.get("/api/volunteers/me").json();
  auto record = resident.get("/api/volunteers/" + std::to_string(num(me, "id")) + "/record").json();
  EXPECT_EQ(num(record, "total_minutes"), 180);
  EXPECT_EQ(num(me, "confirmed_minutes"), 180);
  auto pdf = resident.get("/api/volunteers/" + std::to_string(num(me, "id")) + "/certificate.pdf");
  ASSERT_EQ(pdf.status, 200);
  EXPECT_EQ(pdf.header("content-type"), "application/pdf");
  auto text = pdf_text(pdf.body);
  EXPECT_NE(text.find("志愿服务证明"), std::string::npos) << text;
  EXPECT_NE(text.find("3.0"), std::string::npos) << text;  // 180 minutes
  EXPECT_EQ(text.find("2.2"), std::string::npos) << text;
  EXPECT_NE(text.find("河小工护河队"), std::string::npos);
  EXPECT_NE(text.find("**********"), std::string::npos);  // the national ID masked
  // Nobody else's volunteer reads it.
  EXPECT_EQ(as("modao")
                .get("/api/volunteers/" + std::to_string(num(me, "id")) + "/certificate.pdf")
                .status,
            404);
}

TEST_F(Volunteers, OutsideTheWindowNothingCountsAndTheLeaderScansAndCloses) {
  auto leader = as("volunteer");
  auto resident = as("resident");
  auto river = team_id("河小工护河队");
  // Three hours ahead: check-in is not open, nor the leader's code.
  auto [later, later_at] = soon(leader, river, place_id("NC-GSH"), 5, false, 180);
  auto s = sign_up(resident, later, later_at);
  ASSERT_EQ(s.status, 201);
  auto later_occ = num(s.json(), "occurrence_id");
  EXPECT_EQ(
      leader.get("/api/activity-occurrences/" + std::to_string(later_occ) + "/code").error_code(),
      "activity.window_closed");
  auto tok = resident.get("/api/activity-signups/" + std::to_string(num(s.json(), "id")) + "/token")
                 .json();
  auto scanned =
      leader.post("/api/activity-occurrences/" + std::to_string(later_occ) + "/scan",
                  json::serialize(json::object{{"token", tok.at("token")}, {"direction", "in"}}));
  EXPECT_EQ(scanned.error_code(), "activity.window_closed");

  // Now: the leader scans the volunteer's own code; a replay counts not again.
  auto [now_act, now_at] = soon(leader, river, place_id("NC-GSH"), 5, false, 1);
  auto s2 = sign_up(resident, now_act, now_at);
  ASSERT_EQ(s2.status, 201);
  auto occ = num(s2.json(), "occurrence_id");
  auto sid = num(s2.json(), "id");
  auto token =
      str(resident.get("/api/activity-signups/" + std::to_string(sid) + "/token").json(), "token");
  auto scan = [&](const std::string& t) {
    return leader.post("/api/activity-occurrences/" + std::to_string(occ) + "/scan",
                       json::serialize(json::object{{"token", t}, {"direction", "in"}}));
  };
  EXPECT_EQ(str(scan(token).json(), "result"), "counted");
  EXPECT_EQ(str(scan(token).json(), "result"), "already");
  EXPECT_EQ(scan("1-123456").error_code(), "activity.bad_code");
  EXPECT_EQ(scan(std::to_string(sid) + "-000000").error_code(), "activity.bad_code");
  // A volunteer cannot scan for others.
  EXPECT_EQ(resident
                .post("/api/activity-occurrences/" + std::to_string(occ) + "/scan",
                      json::serialize(json::object{{"token", token}, {"direction", "in"}}))
                .status,
            403);
  // The missed check-out is closed by the leader; then the hours are the leader's to confirm.
  auto path = "/api/activity-signups/" + std::to_string(sid);
  EXPECT_EQ(leader
                .post(path + "/close",
                      json::serialize(json::object{{"checked_out_at", "2020-01-01T00:00:00Z"}}))
                .error_code(),
            "activity.bad_checkout");
  auto closed = leader.post(path + "/close",
                            json::serialize(json::object{{"checked_out_at", iso8601(now_ms())}}));
  ASSERT_EQ(closed.status, 200) << closed.body;
  bool by_leader = false;
  auto closed_view = closed.json();
  for (const auto& x : closed_view.at("signups").as_array())
    if (num(x, "id") == sid) by_leader = x.at("closed_by_leader").as_bool();
  EXPECT_TRUE(by_leader);
  EXPECT_EQ(leader
                .post(path + "/close",
                      json::serialize(json::object{{"checked_out_at", iso8601(now_ms())}}))
                .error_code(),
            "activity.checked_out");
  // A leader's own hours are staff's to confirm.
  auto [own, own_at] = soon(leader, river, place_id("NC-GSH"), 5, false, 1);
  auto mine = sign_up(leader, own, own_at);
  ASSERT_EQ(mine.status, 201) << mine.body;
  auto own_occ = num(mine.json(), "occurrence_id");
  ASSERT_EQ(check(leader, own_occ, code(leader, own_occ), "in").status, 200);
  ASSERT_EQ(check(leader, own_occ, code(leader, own_occ), "out").status, 200);
  EXPECT_EQ(
      leader
          .post("/api/activity-signups/" + std::to_string(num(mine.json(), "id")) + "/confirm",
                "{}")
          .error_code(),
      "activity.own_hours");
  EXPECT_EQ(
      as("street_admin")
          .post("/api/activity-signups/" + std::to_string(num(mine.json(), "id")) + "/confirm",
                "{}")
          .status,
      200);
}

TEST_F(Volunteers, PartyBranchesReportTheirMembersServicePerMonth) {
  auto partner = as("partner_admin");
  auto branches = partner.get("/api/party-branches").json();
  ASSERT_EQ(num(branches, "total"), 1);
  auto branch = branches.at("items").at(0);
  EXPECT_EQ(str(branch, "name"), "睿星教育党支部");
  EXPECT_EQ(num(branch, "members"), 1);  // the demo volunteer
  EXPECT_EQ(partner
                .post("/api/party-branches",
                      json::serialize(json::object{{"org_id", num(branch.at("org"), "id")},
                                                   {"community_id", place_id("NC-QX")},
                                                   {"name", "x"}}))
                .error_code(),
            "branch.exists");
  // Another partner's branch is not this one's to register.
  EXPECT_EQ(as("resident")
                .post("/api/party-branches",
                      json::serialize(json::object{{"org_id", num(branch.at("org"), "id")},
                                                   {"community_id", place_id("NC-GSH")},
                                                   {"name", "x"}}))
                .status,
            403);

  // The Party member serves in 朝乐磨刀队's sharpening; its leader confirms.
  auto member = as("volunteer"), modao = as("modao");
  auto [act, at] = soon(modao, team_id("朝乐磨刀队"), place_id("NC-QX"), 4, false, 1);
  auto s = sign_up(member, act, at);
  ASSERT_EQ(s.status, 201) << s.body;
  auto occ = num(s.json(), "occurrence_id");
  ASSERT_EQ(check(member, occ, code(modao, occ), "in").status, 200);
  ASSERT_EQ(check(member, occ, code(modao, occ), "out").status, 200);
  auto ok = modao.post("/api/activity-signups/" + std::to_string(num(s.json(), "id")) + "/confirm",
                       R"({"minutes":90,"reason":"提前到场布置"})");
  ASSERT_EQ(ok.status, 200) << ok.body;
  auto month = w3c_beijing(*parse_w3c(at)).substr(0, 7);
  auto report = as("community_admin").get("/api/party-branches/report?month=" + month).json();
  ASSERT_EQ(num(report, "total"), 1);
  auto row = report.at("items").at(0);
  EXPECT_EQ(num(row, "serving"), 1);
  EXPECT_EQ(num(row, "activities"), 1);
  EXPECT_EQ(num(row, "minutes"), 90);
  EXPECT_EQ(num(as("community_admin")
                    .get("/api/party-branches/report?month=2020-01")
                    .json()
                    .at("items")
                    .at(0),
                "minutes"),
            0);
  EXPECT_EQ(as("community_admin").get("/api/party-branches/report?month=2026-13").status, 400);
  auto xlsx =
      as("community_admin").get("/api/party-branches/report?month=" + month + "&format=xlsx");
  EXPECT_EQ(xlsx.status, 200);
  EXPECT_EQ(
      elsewhere().get("/api/party-branches/report?month=" + month).json().at("total").as_int64(),
      0);
}

TEST_F(Volunteers, CalendarFeedsAreReadByARealParserAndCanBeRevoked) {
  auto leader = as("volunteer");
  auto river = team_id("河小工护河队");
  auto feed = leader.post("/api/calendar-feeds",
                          json::serialize(json::object{{"kind", "team"}, {"id", river}}));
  ASSERT_EQ(feed.status, 201) << feed.body;
  auto url = str(feed.json(), "url");
  auto ics = anonymous().get(url);
  ASSERT_EQ(ics.status, 200) << ics.body;
  EXPECT_EQ(ics.header("content-type").rfind("text/calendar", 0), 0u);
  auto parsed = python(kReadFeed, ics.body);
  ASSERT_EQ(parsed.find("FAILED"), std::string::npos) << parsed;
  // The daily patrol: two events (06:30 and 18:00 Beijing), each FREQ=DAILY.
  EXPECT_NE(parsed.find("T0630+0800 FREQ=DAILY"), std::string::npos) << parsed;
  EXPECT_NE(parsed.find("T1800+0800 FREQ=DAILY"), std::string::npos) << parsed;

  // Cancelling one morning becomes an EXDATE of the morning's event.
  auto acts = leader.get("/api/activities?team_id=" + std::to_string(river)).json();
  std::int64_t patrol = 0;
  for (const auto& a : acts.at("items").as_array())
    if (str(a, "title") == "西工商河早晚巡河") patrol = num(a, "id");
  auto detail = leader.get("/api/activities/" + std::to_string(patrol)).json();
  std::string morning;
  for (const auto& o : detail.at("occurrences").as_array())
    if (w3c_beijing(*parse_w3c(str(o, "starts_at"))).substr(11, 5) == "06:30" &&
        *parse_w3c(str(o, "starts_at")) > now_ms())
      if (morning.empty()) morning = str(o, "starts_at");
  ASSERT_FALSE(morning.empty());
  auto c = leader.post("/api/activities/" + std::to_string(patrol) + "/cancel",
                       json::serialize(json::object{{"starts_at", morning}, {"reason", "暴雨"}}));
  ASSERT_EQ(c.status, 200) << c.body;
  auto exdate = w3c_beijing(*parse_w3c(morning));
  std::string ex = exdate.substr(0, 4) + exdate.substr(5, 2) + exdate.substr(8, 2) + "T0630";
  auto reparsed = python(kReadFeed, anonymous().get(url).body);
  EXPECT_NE(reparsed.find(ex), std::string::npos) << reparsed;

  // A volunteer's own feed: their sign-ups as single events.
  auto resident = as("resident");
  auto own = resident.post("/api/calendar-feeds", R"({"kind":"volunteer"})");
  ASSERT_EQ(own.status, 201) << own.body;
  auto mine = python(kReadFeed, anonymous().get(str(own.json(), "url")).body);
  EXPECT_EQ(mine.find("FAILED"), std::string::npos) << mine;
  EXPECT_NE(mine.find("signup-"), std::string::npos) << mine;
  // Someone outside the team cannot have its feed; a revoked feed is gone.
  EXPECT_EQ(elsewhere()
                .post("/api/calendar-feeds", json::serialize(json::object{
                                                 {"kind", "team"}, {"id", team_id("朝乐磨刀队")}}))
                .status,
            404);
  auto listed = leader.get("/api/calendar-feeds").json();
  ASSERT_EQ(listed.at("items").as_array().size(), 1u);
  EXPECT_EQ(leader.del("/api/calendar-feeds/" + std::to_string(num(feed.json(), "id"))).status,
            200);
  EXPECT_EQ(anonymous().get(url).status, 404);
  EXPECT_EQ(anonymous().get("/api/calendars/nonsense/calendar.ics").status, 404);
}

TEST_F(Volunteers, StaffSetUpATeamItsLeaderAddsMembersAndTheyMayLeave) {
  auto street = as("street_admin");
  auto org =
      street.post("/api/partners", json::serialize(json::object{{"name", "泉星青年志愿服务队"},
                                                                {"kind", "volunteer_team"},
                                                                {"place_id", place_id("NC-QX")}}));
  ASSERT_EQ(org.status, 201) << org.body;
  auto resident = as("resident");
  auto leader_id = num(resident.get("/api/volunteers/me").json(), "id");
  auto body = json::object{{"org_id", num(org.json(), "id")},
                           {"place_id", place_id("NC-QX")},
                           {"service", "other"},
                           {"places", json::array{place_id("NC-QX-C1")}},
                           {"leader_id", leader_id}};
  EXPECT_EQ(resident.post("/api/volunteer-teams", json::serialize(body)).status, 403);
  body["service"] = "juggling";
  EXPECT_EQ(street.post("/api/volunteer-teams", json::serialize(body)).error_code(),
            "team.bad_service");
  body["service"] = "other";
  body["places"] = json::array{place_id("NC-GSH")};
  EXPECT_EQ(street.post("/api/volunteer-teams", json::serialize(body)).error_code(),
            "team.bad_places");
  body["places"] = json::array{place_id("NC-QX-C1")};
  auto made = street.post("/api/volunteer-teams", json::serialize(body));
  ASSERT_EQ(made.status, 201) << made.body;
  auto path = "/api/volunteer-teams/" + std::to_string(num(made.json(), "id"));
  EXPECT_EQ(num(made.json(), "members_count"), 1);
  EXPECT_EQ(street.post("/api/volunteer-teams", json::serialize(body)).error_code(),
            "team.bad_org");
  auto patched = street.patch(path, R"({"service":"education"})");
  ASSERT_EQ(patched.status, 200) << patched.body;
  EXPECT_EQ(str(patched.json(), "service"), "education");
  // The leader adds a confirmed volunteer (the building leader, confirmed above); not twice.
  auto other = as("building_leader");
  auto other_me = other.get("/api/volunteers/me");
  ASSERT_EQ(other_me.status, 200) << other_me.body;
  auto other_id = num(other_me.json(), "id");
  auto added =
      resident.post(path + "/members", json::serialize(json::object{{"volunteer_id", other_id}}));
  ASSERT_EQ(added.status, 200) << added.body;
  EXPECT_EQ(num(added.json(), "members_count"), 2);
  EXPECT_EQ(
      resident.post(path + "/members", json::serialize(json::object{{"volunteer_id", other_id}}))
          .error_code(),
      "team.member_exists");
  EXPECT_EQ(inbox_count(other, "team.joined"), 1);
  // A member leaves; the leader stays until replaced.
  EXPECT_EQ(other.del(path + "/members/" + std::to_string(other_id)).status, 200);
  EXPECT_EQ(other.del(path + "/members/" + std::to_string(other_id)).error_code(),
            "team.not_member");
  EXPECT_EQ(resident.del(path + "/members/" + std::to_string(leader_id)).error_code(),
            "team.leader_stays");

  // The phone's lists: what is coming, and one's own sign-ups.
  auto coming = resident.get("/api/activity-occurrences");
  ASSERT_EQ(coming.status, 200) << coming.body;
  auto coming_view = coming.json();
  bool patrol = false;
  for (const auto& o : coming_view.at("items").as_array())
    patrol = patrol || str(o, "title") == "西工商河早晚巡河";
  EXPECT_TRUE(patrol);
  auto mine = resident.get("/api/volunteers/me/signups").json();
  EXPECT_FALSE(mine.at("items").as_array().empty());
  auto from = iso8601(now_ms() - 10 * kDay), to = iso8601(now_ms() + 10 * kDay);
  auto mine_window = resident.get("/api/activity-occurrences?mine=true&from=" + from + "&to=" + to);
  ASSERT_EQ(mine_window.status, 200) << mine_window.body;
  EXPECT_FALSE(mine_window.json().at("items").as_array().empty());
  EXPECT_EQ(
      resident
          .get("/api/activity-occurrences?from=" + from + "&to=" + iso8601(now_ms() + 40 * kDay))
          .status,
      400);
}

TEST_F(Volunteers, APatrolScansItsPlatesOnceFlagsTheOrderAndFilesWhatItFinds) {
  auto leader = as("volunteer"), resident = as("resident");
  auto river = team_id("河小工护河队");
  auto route_body = [&](json::array cps) {
    return json::serialize(json::object{{"team_id", river}, {"name", "临时巡河路线"}, {"place_id", place_id("NC-GSH")},
                                        {"every_hours", 12}, {"window_minutes", 60}, {"checkpoints", cps}});
  };
  EXPECT_EQ(leader.post("/api/patrol-routes", route_body(json::array{{{"name", "桥"}, {"place_id", place_id("NC-GSH")}}}))
                .error_code(), "patrol.bad_checkpoints");
  EXPECT_EQ(leader.post("/api/patrol-routes", route_body(json::array{
      {{"name", "桥"}, {"place_id", place_id("NC-GSH")}}, {{"name", "泉星"}, {"place_id", place_id("NC-QX")}}}))
                .error_code(), "patrol.bad_checkpoints");
  EXPECT_EQ(resident.post("/api/patrol-routes", route_body(json::array{
      {{"name", "桥"}, {"place_id", place_id("NC-GSH")}}, {{"name", "闸"}, {"place_id", place_id("NC-GSH-C1")}}})).status, 403);
  auto made = leader.post("/api/patrol-routes", route_body(json::array{
      {{"name", "工商河桥"}, {"place_id", place_id("NC-GSH")}},
      {{"name", "北岸闸口"}, {"place_id", place_id("NC-GSH-C1")}},
      {{"name", "东段护栏"}, {"place_id", place_id("NC-GSH-C2")}}}));
  ASSERT_EQ(made.status, 201) << made.body;
  auto route = num(made.json(), "id");
  auto route_path = "/api/patrol-routes/" + std::to_string(route);
  // The plates, for printing: the leader's.
  auto plates = leader.get(route_path + "/plates.pdf");
  ASSERT_EQ(plates.status, 200);
  auto text = pdf_text(plates.body);
  EXPECT_NE(text.find("北岸闸口"), std::string::npos) << text;
  EXPECT_EQ(resident.get(route_path + "/plates.pdf").status, 403);
  EXPECT_EQ(resident.patch(route_path, R"({"every_hours":4})").status, 403);
  auto raised = leader.patch(route_path, R"({"every_hours":4})");
  ASSERT_EQ(raised.status, 200) << raised.body;
  EXPECT_EQ(num(raised.json(), "every_hours"), 4);
  EXPECT_EQ(as("modao").get(route_path).status, 404);

  // What is printed on each plate (a scan reads it).
  std::vector<std::string> codes;
  {
    auto db = server_->open_db();
    db->read([&](storage::Tx& tx) {
      for (const auto& c : tx.query("SELECT id, secret FROM patrol_checkpoints WHERE route_id = $1 ORDER BY ordinal", route))
        codes.push_back("XH-CP:" + std::to_string(c.i64("id")) + ":" + c.str("secret"));
    });
  }
  ASSERT_EQ(codes.size(), 3u);
  auto started = resident.post("/api/patrols", json::serialize(json::object{{"route_id", route}}));
  ASSERT_EQ(started.status, 201) << started.body;
  EXPECT_EQ(resident.post("/api/patrols", json::serialize(json::object{{"route_id", route}})).error_code(), "patrol.ongoing");
  auto patrol = "/api/patrols/" + std::to_string(num(started.json(), "id"));
  auto scan = [&](const std::string& code) {
    return resident.post(patrol + "/scans", json::serialize(json::object{{"code", code}}));
  };
  auto third = scan(codes[2]);
  ASSERT_EQ(third.status, 200) << third.body;
  EXPECT_EQ(str(third.json(), "result"), "counted");
  EXPECT_FALSE(third.json().at("in_order").as_bool());
  auto first = scan(codes[0]);
  EXPECT_TRUE(first.json().at("in_order").as_bool());
  EXPECT_EQ(str(scan(codes[0]).json(), "result"), "already");
  // The plate's code with its last character changed (to another one, whatever it was).
  auto tampered = codes[0];
  tampered.back() = tampered.back() == 'x' ? 'y' : 'x';
  EXPECT_EQ(scan(tampered).error_code(), "patrol.bad_code");
  EXPECT_EQ(scan("XH-CP:1:nothing").error_code(), "patrol.bad_code");
  EXPECT_EQ(leader.post(patrol + "/scans", json::serialize(json::object{{"code", codes[1]}})).status, 403);
  // What it finds at the bridge becomes a work order the patroller follows.
  auto cp1 = std::stoll(codes[0].substr(6, codes[0].find(':', 6) - 6));
  auto found = resident.post(patrol + "/findings", json::serialize(json::object{
      {"checkpoint_id", cp1}, {"category", "clutter"}, {"text", "桥下堆放建筑垃圾"}}));
  ASSERT_EQ(found.status, 201) << found.body;
  auto order = resident.get("/api/work-orders/" + std::to_string(num(found.json(), "work_order_id")));
  ASSERT_EQ(order.status, 200) << order.body;
  EXPECT_NE(str(order.json(), "text").find("工商河桥"), std::string::npos);
  auto done = resident.post(patrol + "/finish", "{}");
  ASSERT_EQ(done.status, 200) << done.body;
  EXPECT_EQ(num(done.json(), "missed"), 1);
  EXPECT_EQ(num(done.json(), "out_of_order"), 1);
  EXPECT_EQ(scan(codes[1]).error_code(), "patrol.ended");
  EXPECT_EQ(resident.post(patrol + "/findings", json::serialize(json::object{
      {"checkpoint_id", cp1}, {"category", "clutter"}, {"text", "x"}})).error_code(), "patrol.ended");
  auto seen = leader.get(route_path).json();
  EXPECT_EQ(seen.at("patrols").as_array().size(), 1u);
  EXPECT_FALSE(seen.at("next_due_at").is_null());
}

}  // namespace xh::test
