// Events (EVT-1 … EVT-3): registration with capacity and a waitlist under
// concurrent sign-ups, a ticket checked in once however often it is scanned,
// queue numbers, the score card completing exactly when its required stations
// are scored, one prize a card from a limited stock; honours — one vote per
// resident and nominee (concurrently too), N votes, the household cap, votes
// of accounts made after voting opened not counted, the rate limit, and the
// anomaly report finding a planted burst and a cluster of new accounts.
#include <thread>

#include "api_test.h"
#include "core/time.h"

namespace xh::test {

namespace {

std::int64_t num(const json::value& v, const char* key) { return v.at(key).as_int64(); }

std::string body(json::object o) { return json::serialize(o); }

// Runs `f(i)` on `n` threads at once; the statuses they return.
template <class F>
std::vector<int> at_once(int n, F f) {
  std::vector<int> out(static_cast<std::size_t>(n));
  std::vector<std::thread> all;
  for (int i = 0; i < n; ++i) all.emplace_back([&, i] { out[static_cast<std::size_t>(i)] = f(i); });
  for (auto& t : all) t.join();
  return out;
}

long count_of(const std::vector<int>& v, int status) { return std::count(v.begin(), v.end(), status); }

}  // namespace

class Events : public ApiTest {
 protected:
  // A resident of 泉星社区 with a login of their own, over household `code`.
  static HttpClient resident(const std::string& code, const std::string& username) {
    auto admin = as("sys_admin"), security = as("security_admin");
    auto u = admin.post("/api/users", body({{"username", username}, {"display_name", "居民" + username},
                                            {"password", "Resi@2026x"}}));
    EXPECT_EQ(u.status, 201) << u.body;
    EXPECT_EQ(security
                  .post("/api/users/" + std::to_string(num(u.json(), "id")) + "/roles",
                        body({{"role", "resident"}, {"place_id", place_id(code)}}))
                  .status,
              201);
    HttpClient c = anonymous();
    EXPECT_EQ(c.login(username, "Resi@2026x").status, 200);
    return c;
  }

  // The households of 泉星花园 1号楼 2单元 in order: NC-QX-C1-B1-U2-101 …
  static std::string household(int k) {
    static const char* floors[] = {"101", "102", "201", "202", "301", "302", "401", "402", "501", "502", "601", "602"};
    return std::string("NC-QX-C1-B1-U2-") + floors[k % 12];
  }

  // A published festival of the street with one date at 泉星社区 running now.
  static std::pair<std::int64_t, std::int64_t> festival(HttpClient& staff, int capacity,
                                                         bool waitlist = true) {
    Millis now = now_ms();
    auto made = staff.post("/api/events",
                           body({{"place_id", place_id("NC")},
                                 {"kind", "festival"},
                                 {"title", "测试文化节"},
                                 {"audience", "residents"},
                                 {"dates", json::array{{{"place_id", place_id("NC-QX")},
                                                        {"starts_at", w3c_beijing(now - kHour)},
                                                        {"ends_at", w3c_beijing(now + 5 * kHour)},
                                                        {"capacity", capacity},
                                                        {"waitlist", waitlist}}}}}));
    EXPECT_EQ(made.status, 201) << made.body;
    auto id = num(made.json(), "id");
    auto pub = staff.patch("/api/events/" + std::to_string(id), R"({"status":"published"})");
    EXPECT_EQ(pub.status, 200) << pub.body;
    auto date = num(staff.get("/api/events/" + std::to_string(id)).json().at("dates").at(0), "id");
    return {id, date};
  }

  static std::int64_t scalar(const std::string& sql, std::int64_t arg) {
    auto db = server_->open_db();
    return db->read([&](storage::Tx& tx) { return tx.query_one(sql, arg)->i64(0); });
  }
};

TEST_F(Events, ConcurrentRegistrationsFillTheCapacityThenTheWaitlistAndAFreedPlaceGoesToTheFirstWaiting) {
  auto staff = as("street_admin");
  auto [event, date] = festival(staff, 5);
  std::vector<HttpClient> people;
  for (int i = 0; i < 12; ++i) people.push_back(resident(household(i), "evreg" + std::to_string(i)));
  auto path = "/api/event-dates/" + std::to_string(date) + "/registrations";
  std::vector<std::string> statuses(12);
  std::vector<std::int64_t> ids(12);
  auto codes = at_once(12, [&](int i) {
    HttpClient c = people[static_cast<std::size_t>(i)];
    auto r = c.post(path, "{}");
    if (r.status == 201) {
      statuses[static_cast<std::size_t>(i)] = str(r.json(), "status");
      ids[static_cast<std::size_t>(i)] = num(r.json(), "id");
    }
    return r.status;
  });
  EXPECT_EQ(count_of(codes, 201), 12);
  EXPECT_EQ(std::count(statuses.begin(), statuses.end(), "registered"), 5);
  EXPECT_EQ(std::count(statuses.begin(), statuses.end(), "waiting"), 7);
  EXPECT_EQ(scalar("SELECT taken FROM event_dates WHERE id = $1", date), 5);
  // Registering twice is refused; the waiting see their place in line.
  EXPECT_EQ(people[0].post(path, "{}").error_code(), "event.already_registered");
  std::int64_t first_waiting = 0;
  for (int i = 0; i < 12; ++i)
    if (statuses[static_cast<std::size_t>(i)] == "waiting" &&
        (first_waiting == 0 || ids[static_cast<std::size_t>(i)] < ids[static_cast<std::size_t>(first_waiting - 1)]))
      first_waiting = i + 1;
  ASSERT_GT(first_waiting, 0);
  auto& lucky = people[static_cast<std::size_t>(first_waiting - 1)];
  auto mine = lucky.get("/api/event-registrations/" + std::to_string(ids[static_cast<std::size_t>(first_waiting - 1)]));
  EXPECT_EQ(num(mine.json(), "position"), 1);
  // A registered one cancels: the first waiting gets the place and is told.
  int leaving = 0;
  while (statuses[static_cast<std::size_t>(leaving)] != "registered") ++leaving;
  auto cancelled = people[static_cast<std::size_t>(leaving)].post(
      "/api/event-registrations/" + std::to_string(ids[static_cast<std::size_t>(leaving)]) + "/cancel", "{}");
  ASSERT_EQ(cancelled.status, 200) << cancelled.body;
  EXPECT_EQ(str(lucky.get("/api/event-registrations/" +
                          std::to_string(ids[static_cast<std::size_t>(first_waiting - 1)]))
                    .json(),
                "status"),
            "registered");
  EXPECT_TRUE(eventually([&] { return inbox_count(lucky, "event.promoted") == 1; }));
  EXPECT_EQ(scalar("SELECT taken FROM event_dates WHERE id = $1", date), 5);
  // Nobody else's ticket: not found to them.
  EXPECT_EQ(people[1].get("/api/event-registrations/" + std::to_string(ids[0])).status, 404);
  // Without a waitlist, a full date refuses.
  auto [e2, d2] = festival(staff, 1, false);
  ASSERT_EQ(people[0].post("/api/event-dates/" + std::to_string(d2) + "/registrations", "{}").status, 201);
  EXPECT_EQ(people[1].post("/api/event-dates/" + std::to_string(d2) + "/registrations", "{}").error_code(),
            "event.full");
  // A resident of another community cannot reach 泉星社区's date.
  auto far = resident("NC-GSH-C3-B1-U1-101", "evfar");
  EXPECT_EQ(far.post(path, "{}").status, 404);
  (void)event;
  (void)e2;
}

TEST_F(Events, ATicketChecksInOnceHoweverOftenItIsScannedAndTheDeskFindsItByNameOrPhone) {
  auto staff = as("street_admin"), desk = as("community_admin");
  auto [event, date] = festival(staff, 50);
  auto me = resident(household(0), "evscan");
  auto reg = me.post("/api/event-dates/" + std::to_string(date) + "/registrations",
                     R"({"phone": "13912345678"})");
  ASSERT_EQ(reg.status, 201) << reg.body;
  auto code = str(reg.json(), "code");
  EXPECT_EQ(str(reg.json(), "phone"), "139****5678");
  auto checkin = "/api/event-dates/" + std::to_string(date) + "/check-ins";
  std::vector<std::string> results(10);
  auto statuses = at_once(10, [&](int i) {
    HttpClient c = desk;
    auto r = c.post(checkin, body({{"code", code}}));
    if (r.status == 200) results[static_cast<std::size_t>(i)] = str(r.json(), "result");
    return r.status;
  });
  EXPECT_EQ(count_of(statuses, 200), 10);
  EXPECT_EQ(std::count(results.begin(), results.end(), "checked_in"), 1);
  EXPECT_EQ(std::count(results.begin(), results.end(), "already"), 9);
  EXPECT_EQ(scalar("SELECT checked_in FROM event_dates WHERE id = $1", date), 1);
  // A code typed in lower case from a printed slip is the same code.
  std::string lower = code;
  for (auto& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  EXPECT_EQ(str(desk.post(checkin, body({{"code", lower}})).json(), "result"), "already");  // (all digits: the same)
  // The desk finds it by phone and by name; phones masked.
  auto by_phone = desk.get("/api/event-dates/" + std::to_string(date) + "/registrations?q=13912345678");
  ASSERT_EQ(by_phone.status, 200) << by_phone.body;
  ASSERT_EQ(num(by_phone.json(), "total"), 1);
  EXPECT_EQ(str(by_phone.json().at("items").at(0), "phone"), "139****5678");
  EXPECT_TRUE(by_phone.json().at("items").at(0).at("code").is_null());
  EXPECT_EQ(num(desk.get("/api/event-dates/" + std::to_string(date) + "/registrations?q=" +
                         "%E5%B1%85%E6%B0%91evscan")
                    .json(),
                "total"),
            1);
  // Checked in, it cannot be cancelled; an unknown code is not found; a resident is no desk.
  EXPECT_EQ(me.post("/api/event-registrations/" + std::to_string(num(reg.json(), "id")) + "/cancel", "{}")
                .error_code(),
            "event.checked_in");
  EXPECT_EQ(desk.post(checkin, R"({"code": "nonesuch"})").error_code(), "event.ticket_not_found");
  EXPECT_EQ(me.post(checkin, body({{"code", code}})).status, 403);
  // Another community's staff see the street's festival, not this door.
  EXPECT_EQ(elsewhere().post(checkin, body({{"code", code}})).status, 403);
  // A walk-in: registered and checked in at once, counted against the capacity.
  auto walk = desk.post("/api/event-dates/" + std::to_string(date) + "/walk-ins", R"({"name": "王桂兰"})");
  ASSERT_EQ(walk.status, 201) << walk.body;
  EXPECT_FALSE(walk.json().at("checked_in_at").is_null());
  EXPECT_EQ(scalar("SELECT taken FROM event_dates WHERE id = $1", date), 2);
  EXPECT_EQ(scalar("SELECT checked_in FROM event_dates WHERE id = $1", date), 2);
  // The date's registrations export as on screen: phones masked.
  auto csv = desk.get("/api/event-dates/" + std::to_string(date) + "/registrations?format=csv");
  ASSERT_EQ(csv.status, 200) << csv.body;
  EXPECT_NE(csv.body.find("王桂兰"), std::string::npos);
  EXPECT_NE(csv.body.find("139****5678"), std::string::npos);
  EXPECT_EQ(csv.body.find("13912345678"), std::string::npos);
  EXPECT_GE(audit_count("export"), 1);
  (void)event;
}

TEST_F(Events, QueueNumbersAreGivenOnceInOrderCalledSkippedAndRecalled) {
  auto staff = as("street_admin"), desk = as("community_admin");
  auto [event, date] = festival(staff, 50);
  auto q = staff.post("/api/event-dates/" + std::to_string(date) + "/queues",
                      R"({"name": "健康小屋", "prefix": "A"})");
  ASSERT_EQ(q.status, 201) << q.body;
  auto queue = "/api/event-queues/" + std::to_string(num(q.json(), "id"));
  EXPECT_EQ(staff.post("/api/event-dates/" + std::to_string(date) + "/queues",
                       R"({"name": "x", "prefix": "a1"})")
                .error_code(),
            "event.bad_prefix");
  std::vector<HttpClient> people;
  for (int i = 0; i < 6; ++i) people.push_back(resident(household(i), "evq" + std::to_string(i)));
  std::vector<std::int64_t> numbers(6);
  auto statuses = at_once(6, [&](int i) {
    HttpClient c = people[static_cast<std::size_t>(i)];
    auto r = c.post(queue + "/numbers", "{}");
    if (r.status == 201) numbers[static_cast<std::size_t>(i)] = num(r.json(), "number");
    return r.status;
  });
  EXPECT_EQ(count_of(statuses, 201), 6);
  std::vector<std::int64_t> sorted = numbers;
  std::sort(sorted.begin(), sorted.end());
  EXPECT_EQ(sorted, (std::vector<std::int64_t>{1, 2, 3, 4, 5, 6}));
  EXPECT_EQ(people[0].post(queue + "/numbers", "{}").error_code(), "event.has_number");
  EXPECT_EQ(people[0].post(queue + "/next", "{}").status, 403);
  // The one holding 3 sees two ahead.
  auto third = std::find(numbers.begin(), numbers.end(), 3) - numbers.begin();
  auto& holder = people[static_cast<std::size_t>(third)];
  EXPECT_EQ(num(holder.get(queue).json().at("mine"), "ahead"), 2);
  // Call 1, then 2 (1 served), skip 2 (3 called), recall 2 (3 waits again, first in line).
  ASSERT_EQ(str(desk.post(queue + "/next", "{}").json().at("serving"), "label"), "A001");
  auto two = desk.post(queue + "/next", "{}").json();
  ASSERT_EQ(str(two.at("serving"), "label"), "A002");
  auto skipped = desk.post("/api/event-numbers/" + std::to_string(num(two.at("serving"), "ticket_id")) + "/skip", "{}");
  ASSERT_EQ(skipped.status, 200) << skipped.body;
  EXPECT_EQ(str(skipped.json().at("serving"), "label"), "A003");
  EXPECT_TRUE(eventually([&] { return inbox_count(holder, "event.called") == 1; }));
  auto recalled = desk.post("/api/event-numbers/" + std::to_string(num(two.at("serving"), "ticket_id")) + "/recall", "{}");
  ASSERT_EQ(recalled.status, 200) << recalled.body;
  EXPECT_EQ(str(recalled.json().at("serving"), "label"), "A002");
  EXPECT_EQ(str(desk.post(queue + "/next", "{}").json().at("serving"), "label"), "A003");
  EXPECT_EQ(num(holder.get(queue).json().at("mine"), "ahead"), 0);
  // A printed number for someone without a phone.
  auto printed = desk.post(queue + "/numbers", R"({"print": true})");
  ASSERT_EQ(printed.status, 201) << printed.body;
  EXPECT_EQ(str(printed.json(), "label"), "A007");
  // Closed at the end of the day: no more numbers; those waiting are still called.
  EXPECT_EQ(people[0].patch(queue, R"({"open": false})").status, 403);
  auto closed = desk.patch(queue, R"({"open": false})");
  ASSERT_EQ(closed.status, 200) << closed.body;
  EXPECT_FALSE(closed.json().at("open").as_bool());
  EXPECT_EQ(desk.post(queue + "/numbers", R"({"print": true})").error_code(), "event.queue_closed");
  EXPECT_EQ(str(desk.post(queue + "/next", "{}").json().at("serving"), "label"), "A004");
  EXPECT_TRUE(desk.patch(queue, R"({"open": true})").json().at("open").as_bool());
  (void)event;
}

TEST_F(Events, TheCardCompletesExactlyWhenTheRequiredStationsAreScoredAndAPrizeIsHandedOutOnce) {
  auto staff = as("street_admin"), desk = as("community_admin");
  auto [event, date] = festival(staff, 50);
  auto ev = "/api/events/" + std::to_string(event);
  auto station = [&](json::object o) {
    auto r = staff.post(ev + "/stations", body(std::move(o)));
    EXPECT_EQ(r.status, 201) << r.body;
    return num(r.json(), "id");
  };
  auto partner = as("partner_admin");
  auto s1 = station({{"name", "耐力"}, {"score_type", "count"}});
  auto s2 = station({{"name", "柔韧"}, {"score_type", "pass"}, {"operator_ids", json::array{}}});
  auto s3 = station({{"name", "健康检测"}, {"score_type", "check"}});
  // 睿星教育 runs the strength test: its contact scores there and nowhere else.
  auto ruixing = scalar("SELECT id FROM orgs WHERE name = '睿星教育' AND $1 = $1", 0);
  auto s4 = station({{"name", "力量"}, {"score_type", "points"}, {"org_id", ruixing}, {"required", false}});
  auto prize = staff.post(ev + "/prizes", R"({"name": "跳绳", "stock": 1})");
  ASSERT_EQ(prize.status, 201) << prize.body;
  auto prize_id = num(prize.json(), "id");
  auto score = [&](HttpClient& who, std::int64_t s, const std::string& code, json::object extra) {
    extra["code"] = code;
    return who.post("/api/event-stations/" + std::to_string(s) + "/scores", body(std::move(extra)));
  };
  auto me = resident(household(0), "evcard"), other = resident(household(1), "evcard2");
  auto reg = [&](HttpClient& who) {
    auto r = who.post("/api/event-dates/" + std::to_string(date) + "/registrations", "{}");
    EXPECT_EQ(r.status, 201) << r.body;
    return std::make_pair(num(r.json(), "id"), str(r.json(), "code"));
  };
  auto [mine, code] = reg(me);
  auto [theirs, code2] = reg(other);
  auto card = [&](std::int64_t id) { return me.get("/api/event-registrations/" + std::to_string(id)).json(); };
  // Values fit the type; a resident is no operator; the partner only at its station.
  EXPECT_EQ(score(desk, s1, code, {{"value", -1}}).error_code(), "event.bad_value");
  EXPECT_EQ(score(desk, s2, code, {{"value", 3}}).error_code(), "event.bad_value");
  EXPECT_EQ(score(me, s1, code, {{"value", 3}}).status, 403);
  // Another community's staff see the street's stations, and score nobody of this stop.
  auto far_staff = elsewhere();
  EXPECT_EQ(score(far_staff, s1, code, {{"value", 3}}).status, 403);
  EXPECT_EQ(score(partner, s1, code, {{"value", 3}}).status, 404);
  auto pscore = score(partner, s4, code, {{"value", 512}});
  ASSERT_EQ(pscore.status, 201) << pscore.body;
  EXPECT_NE(str(pscore.json(), "name"), "居民evcard");
  // Not required: the check and the strength test leave the card open.
  ASSERT_EQ(score(desk, s3, code, {}).status, 201);
  EXPECT_TRUE(card(mine).at("completed_at").is_null());
  ASSERT_EQ(score(desk, s1, code, {{"value", 88}}).status, 201);
  EXPECT_TRUE(card(mine).at("completed_at").is_null());
  EXPECT_EQ(score(desk, s1, code, {{"value", 90}}).error_code(), "event.already_scored");
  // Before completion, no prize.
  EXPECT_EQ(desk.post(ev + "/prize-awards", body({{"code", code}, {"prize_id", prize_id}})).error_code(),
            "event.card_incomplete");
  auto last = score(desk, s2, code, {{"passed", true}});
  ASSERT_EQ(last.status, 201) << last.body;
  EXPECT_TRUE(last.json().at("just_completed").as_bool());
  EXPECT_FALSE(card(mine).at("completed_at").is_null());
  EXPECT_TRUE(eventually([&] { return inbox_count(me, "event.completed") == 1; }));
  // The other ticket: its two required stations scored at once complete it once.
  auto both = at_once(2, [&](int i) {
    HttpClient c = desk;
    return i == 0 ? score(c, s1, code2, {{"value", 70}}).status : score(c, s2, code2, {{"passed", false}}).status;
  });
  EXPECT_EQ(count_of(both, 201), 2);
  EXPECT_FALSE(other.get("/api/event-registrations/" + std::to_string(theirs)).json().at("completed_at").is_null());
  EXPECT_TRUE(eventually([&] { return inbox_count(other, "event.completed") == 1; }));
  // The one prize: eight desks hand it to the first card at once — once; the second card finds none left.
  auto hands = at_once(8, [&](int) {
    HttpClient c = desk;
    return c.post(ev + "/prize-awards", body({{"code", code}, {"prize_id", prize_id}})).status;
  });
  EXPECT_EQ(count_of(hands, 201), 1);
  EXPECT_EQ(count_of(hands, 409), 7);
  EXPECT_EQ(desk.post(ev + "/prize-awards", body({{"code", code}, {"prize_id", prize_id}})).error_code(),
            "event.prize_handed");
  EXPECT_EQ(desk.post(ev + "/prize-awards", body({{"code", code2}, {"prize_id", prize_id}})).error_code(),
            "event.out_of_stock");
  EXPECT_EQ(scalar("SELECT stock FROM event_prizes WHERE id = $1", prize_id), 0);
  EXPECT_EQ(str(card(mine).at("prize"), "name"), "跳绳");
  // Another community's staff read none of this stop's results; the organisers read them all.
  auto far_results = far_staff.get("/api/event-stations/" + std::to_string(s1) + "/scores");
  ASSERT_EQ(far_results.status, 200) << far_results.body;
  EXPECT_EQ(num(far_results.json(), "total"), 0);
  EXPECT_EQ(num(staff.get("/api/event-stations/" + std::to_string(s1) + "/scores").json(), "total"), 2);
  EXPECT_EQ(num(desk.get("/api/event-stations/" + std::to_string(s1) + "/scores").json(), "total"), 2);
  // The leaderboard masks names unless consented.
  auto board = me.get("/api/event-stations/" + std::to_string(s1) + "/leaderboard?date_id=" + std::to_string(date));
  ASSERT_EQ(board.status, 200) << board.body;
  ASSERT_EQ(board.json().at("entries").as_array().size(), 2u);
  EXPECT_EQ(board.json().at("entries").at(0).at("value").as_double(), 88.0);
  EXPECT_NE(str(board.json().at("entries").at(0), "name"), "居民evcard");
}

TEST_F(Events, OrganisationsAreInvitedAndTheirContactsAnswer) {
  auto staff = as("street_admin"), partner = as("partner_admin");
  Millis now = now_ms();
  auto made = staff.post("/api/events",
                         body({{"place_id", place_id("NC")},
                               {"kind", "ceremony"},
                               {"title", "邀约仪式"},
                               {"audience", "organisations"},
                               {"dates", json::array{{{"place_id", place_id("NC")},
                                                      {"starts_at", w3c_beijing(now + kDay)},
                                                      {"ends_at", w3c_beijing(now + kDay + 2 * kHour)},
                                                      {"capacity", 1},
                                                      {"waitlist", false}}}}}));
  ASSERT_EQ(made.status, 201) << made.body;
  auto id = num(made.json(), "id");
  ASSERT_EQ(staff.patch("/api/events/" + std::to_string(id), R"({"status":"published"})").status, 200);
  auto date = num(staff.get("/api/events/" + std::to_string(id)).json().at("dates").at(0), "id");
  auto ruixing = scalar("SELECT id FROM orgs WHERE name = '睿星教育' AND $1 = $1", 0);
  auto shuangcheng = scalar("SELECT id FROM orgs WHERE name = '山东双城环境服务有限公司' AND $1 = $1", 0);
  auto invited = staff.post("/api/event-dates/" + std::to_string(date) + "/invitations",
                            body({{"org_ids", json::array{ruixing, shuangcheng}}}));
  ASSERT_EQ(invited.status, 200) << invited.body;
  EXPECT_EQ(num(invited.json(), "invited"), 2);
  EXPECT_TRUE(eventually([&] { return inbox_count(partner, "event.invited") >= 1; }));
  // A resident cannot register for it.
  EXPECT_EQ(as("resident").post("/api/event-dates/" + std::to_string(date) + "/registrations", "{}").error_code(),
            "event.invitation_only");
  std::int64_t mine = 0, property = 0;
  auto partner_tickets = partner.get("/api/event-tickets").json();
  for (const auto& t : partner_tickets.at("items").as_array())
    if (t.at("date_id").as_int64() == date) mine = t.at("id").as_int64();
  ASSERT_GT(mine, 0);
  auto staff_of_property = as("property_staff");
  auto property_tickets = staff_of_property.get("/api/event-tickets").json();
  for (const auto& t : property_tickets.at("items").as_array())
    if (t.at("date_id").as_int64() == date) property = t.at("id").as_int64();
  ASSERT_GT(property, 0);
  // Only its own contacts answer.
  EXPECT_EQ(staff_of_property.post("/api/event-registrations/" + std::to_string(mine) + "/rsvp",
                                   R"({"accept": true})")
                .status,
            404);
  auto yes = partner.post("/api/event-registrations/" + std::to_string(mine) + "/rsvp",
                          R"({"accept": true, "party": 3})");
  ASSERT_EQ(yes.status, 200) << yes.body;
  EXPECT_EQ(str(yes.json(), "status"), "registered");
  EXPECT_EQ(num(yes.json(), "party"), 3);
  // The one place is taken: the next acceptance is refused (no waitlist); declining frees it.
  EXPECT_EQ(staff_of_property.post("/api/event-registrations/" + std::to_string(property) + "/rsvp",
                                   R"({"accept": true})")
                .error_code(),
            "event.full");
  ASSERT_EQ(partner.post("/api/event-registrations/" + std::to_string(mine) + "/rsvp", R"({"accept": false})").status,
            200);
  EXPECT_EQ(str(staff_of_property
                    .post("/api/event-registrations/" + std::to_string(property) + "/rsvp", R"({"accept": true})")
                    .json(),
                "status"),
            "registered");
}

TEST_F(Events, StaffManageAnEventsDatesStationsPrizesAndQueuesWithinTheirScope) {
  auto staff = as("street_admin"), community = as("community_admin");
  auto [event, date] = festival(staff, 3);
  auto ev = "/api/events/" + std::to_string(event);
  // The lists: staff see it (a community's staff because it stops in their community); a resident sees it open.
  auto listed = community.get("/api/events?kind=festival&limit=100");
  ASSERT_EQ(listed.status, 200) << listed.body;
  bool found = false;
  auto listed_json = listed.json();
  for (const auto& e : listed_json.at("items").as_array()) found = found || e.at("id").as_int64() == event;
  EXPECT_TRUE(found);
  EXPECT_EQ(as("resident").get("/api/events").status, 403);
  auto open = as("resident").get("/api/events/open").json();
  found = false;
  for (const auto& e : open.at("items").as_array()) found = found || e.at("id").as_int64() == event;
  EXPECT_TRUE(found);
  // A second date elsewhere: 工商河社区's staff manage nothing of the street's event.
  Millis now = now_ms();
  auto added = staff.post(ev + "/dates", body({{"place_id", place_id("NC-GSH")},
                                               {"starts_at", w3c_beijing(now + 7 * kDay)},
                                               {"ends_at", w3c_beijing(now + 7 * kDay + 12 * kHour)},
                                               {"capacity", 100}}));
  ASSERT_EQ(added.status, 201) << added.body;
  EXPECT_EQ(staff.post(ev + "/dates", body({{"place_id", place_id("NC-GSH")}, {"starts_at", w3c_beijing(now)},
                                            {"ends_at", w3c_beijing(now - kHour)}, {"capacity", 1}}))
                .error_code(),
            "event.bad_time");
  EXPECT_EQ(elsewhere().post(ev + "/stations", R"({"name": "x", "score_type": "count"})").status, 403);
  EXPECT_EQ(community.patch(ev, R"({"status": "finished"})").status, 403);
  // A capacity below the places taken is refused; raised, it lets the waiting in.
  std::vector<HttpClient> people;
  for (int i = 0; i < 4; ++i) people.push_back(resident(household(i + 6), "evcap" + std::to_string(i)));
  for (auto& p : people) ASSERT_EQ(p.post("/api/event-dates/" + std::to_string(date) + "/registrations", "{}").status, 201);
  auto d = "/api/event-dates/" + std::to_string(date);
  EXPECT_EQ(community.patch(d, R"({"capacity": 2})").error_code(), "event.capacity_below_taken");
  auto raised = community.patch(d, R"({"capacity": 4})");
  ASSERT_EQ(raised.status, 200) << raised.body;
  EXPECT_EQ(num(raised.json(), "taken"), 4);
  EXPECT_EQ(num(raised.json(), "waiting"), 0);
  // Stations and their types; the partner's contact finds the station they run.
  auto types = staff.get("/api/event-score-types").json();
  EXPECT_EQ(types.at("items").as_array().size(), 8u);
  EXPECT_EQ(staff.post(ev + "/stations", R"({"name": "x", "score_type": "nonesuch"})").error_code(),
            "event.bad_score_type");
  auto station = staff.post(ev + "/stations", R"({"name": "平衡", "score_type": "duration"})");
  ASSERT_EQ(station.status, 201) << station.body;
  auto sid = num(station.json(), "id");
  auto partner = as("partner_admin");
  auto ruixing = scalar("SELECT id FROM orgs WHERE name = '睿星教育' AND $1 = $1", 0);
  auto runs = [&] {
    auto mine = partner.get("/api/event-stations/mine").json();
    for (const auto& s : mine.at("items").as_array())
      if (s.at("id").as_int64() == sid) return true;
    return false;
  };
  EXPECT_FALSE(runs());
  ASSERT_EQ(staff.patch("/api/event-stations/" + std::to_string(sid), body({{"org_id", ruixing}, {"name", "平衡掌控"}})).status,
            200);
  EXPECT_TRUE(runs());
  ASSERT_EQ(staff.patch("/api/event-stations/" + std::to_string(sid), R"({"org_id": null})").status, 200);
  EXPECT_FALSE(runs());
  // Prizes: stock adjusted, never negative.
  auto prize = staff.post(ev + "/prizes", R"({"name": "毛巾", "stock": 10})");
  ASSERT_EQ(prize.status, 201);
  auto pz = "/api/event-prizes/" + std::to_string(num(prize.json(), "id"));
  EXPECT_EQ(staff.patch(pz, R"({"stock": -1})").error_code(), "event.bad_stock");
  EXPECT_EQ(num(staff.patch(pz, R"({"stock": 25})").json(), "stock"), 25);
  auto detail = staff.get(ev).json();
  EXPECT_EQ(detail.at("dates").as_array().size(), 2u);
  EXPECT_EQ(detail.at("stations").as_array().size(), 1u);
  EXPECT_EQ(num(detail.at("prizes").at(0), "stock"), 25);
  // Queues of the date, listed for a resident who can reach it.
  ASSERT_EQ(staff.post(d + "/queues", R"({"name": "领奖处", "prefix": "C"})").status, 201);
  auto queues = people[0].get(d + "/queues").json();
  EXPECT_EQ(str(queues.at("items").at(0), "name"), "领奖处");
  // The scores and leaderboard of a station are its own: results of nobody yet.
  auto results = staff.get("/api/event-stations/" + std::to_string(sid) + "/scores");
  ASSERT_EQ(results.status, 200) << results.body;
  EXPECT_EQ(num(results.json(), "total"), 0);
  EXPECT_EQ(num(people[0].get("/api/event-stations/" + std::to_string(sid) + "/leaderboard").json(), "scored"), 0);
  // Cancelling the date tells its registrations.
  ASSERT_EQ(community.patch(d, R"({"cancelled": true})").status, 200);
  EXPECT_TRUE(eventually([&] { return inbox_count(people[0], "event.cancelled") == 1; }));
  EXPECT_EQ(people[0].post(d + "/registrations", "{}").error_code(), "event.date_cancelled");
}

class Honours : public Events {
 protected:
  static std::int64_t round(HttpClient& staff, json::object extra) {
    extra["place_id"] = place_id("NC-QX");
    extra["title"] = "最美抗疫个人";
    extra["kind"] = "individual";
    auto r = staff.post("/api/honour-rounds", body(std::move(extra)));
    EXPECT_EQ(r.status, 201) << r.body;
    return num(r.json(), "id");
  }
  static std::int64_t nominee(HttpClient& who, std::int64_t round, const std::string& name) {
    auto r = who.post("/api/honour-rounds/" + std::to_string(round) + "/nominees",
                      body({{"name", name}, {"text", "疫情期间连续值守 60 天"}}));
    EXPECT_EQ(r.status, 201) << r.body;
    return num(r.json(), "id");
  }
  static void approve(HttpClient& staff, std::int64_t n) {
    EXPECT_EQ(staff.post("/api/honour-nominees/" + std::to_string(n) + "/review", R"({"approve": true})").status, 200);
  }
  static void open(HttpClient& staff, std::int64_t round) {
    auto r = staff.post("/api/honour-rounds/" + std::to_string(round) + "/status", R"({"status": "voting"})");
    EXPECT_EQ(r.status, 200) << r.body;
  }
  static std::map<std::int64_t, std::int64_t> counts(HttpClient& staff, std::int64_t round) {
    std::map<std::int64_t, std::int64_t> out;
    auto got = staff.get("/api/honour-rounds/" + std::to_string(round)).json();
    for (const auto& n : got.at("nominees").as_array())
      out[n.at("id").as_int64()] = n.at("votes").as_int64();
    return out;
  }
};

TEST_F(Honours, OneVoteANomineeNVotesAVoterAHouseholdCapAndNewAccountsNotCounted) {
  auto staff = as("community_admin");
  auto id = round(staff, {{"votes_per_voter", 2}, {"household_cap", 3}});
  auto path = "/api/honour-rounds/" + std::to_string(id);
  // A resident nominates; staff review; only approved nominees are voted on.
  auto early = resident(household(0), "hvote0"), same_home = resident(household(0), "hvote1"),
       neighbour = resident(household(1), "hvote2");
  auto a = nominee(staff, id, "张医生"), b = nominee(staff, id, "李护士"), c = nominee(early, id, "王大姐");
  approve(staff, a);
  approve(staff, b);
  EXPECT_EQ(staff.post("/api/honour-nominees/" + std::to_string(c) + "/review", R"({"approve": false})").error_code(),
            "honour.reason_required");
  ASSERT_EQ(staff.post("/api/honour-nominees/" + std::to_string(c) + "/review",
                       R"({"approve": true, "note": "事迹属实"})")
                .status,
            200);
  EXPECT_EQ(early.post(path + "/votes", body({{"nominee_id", a}})).error_code(), "honour.not_voting");
  open(staff, id);
  EXPECT_EQ(early.post(path + "/nominees", R"({"name": "x", "text": "y"})").error_code(), "honour.not_nominating");
  // Staff are no voters; a resident of another community does not reach the round.
  EXPECT_EQ(staff.post(path + "/votes", body({{"nominee_id", a}})).status, 403);
  auto far = resident("NC-GSH-C3-B1-U1-101", "hvotefar");
  EXPECT_EQ(far.post(path + "/votes", body({{"nominee_id", a}})).status, 404);
  // Ten votes for one nominee at once: one counts.
  auto ten = at_once(10, [&](int) {
    HttpClient h = early;
    return h.post(path + "/votes", body({{"nominee_id", a}})).status;
  });
  EXPECT_EQ(count_of(ten, 201), 1);
  EXPECT_EQ(count_of(ten, 409), 9);
  // Two votes a voter: of two more at once, one passes (the voter's second vote).
  auto two = at_once(2, [&](int i) {
    HttpClient h = early;
    return h.post(path + "/votes", body({{"nominee_id", i == 0 ? b : c}})).status;
  });
  EXPECT_EQ(count_of(two, 201), 1);
  EXPECT_EQ(early.post(path + "/votes", body({{"nominee_id", b}})).status, 409);
  // The household's cap of 3: the second member's second vote is refused.
  ASSERT_EQ(same_home.post(path + "/votes", body({{"nominee_id", b}})).status, 201);
  EXPECT_EQ(same_home.post(path + "/votes", body({{"nominee_id", c}})).error_code(), "honour.household_cap");
  ASSERT_EQ(neighbour.post(path + "/votes", body({{"nominee_id", b}})).status, 201);
  // An account made after voting opened votes, and is not counted.
  auto late = resident(household(2), "hvotelate");
  ASSERT_EQ(late.post(path + "/votes", body({{"nominee_id", c}})).status, 201);
  auto tally = counts(staff, id);
  EXPECT_EQ(tally[a], 1);
  EXPECT_EQ(tally[b] + tally[c], 3);  // the early voter's second, same_home's and the neighbour's
  auto totals = staff.get(path).json().at("totals");
  EXPECT_EQ(num(totals, "votes"), 5);
  EXPECT_EQ(num(totals, "excluded"), 1);
  EXPECT_EQ(num(totals, "valid"), 4);
  // Residents see no counts until published.
  EXPECT_TRUE(early.get(path).json().at("nominees").at(0).at("votes").is_null());
  ASSERT_EQ(staff.post(path + "/status", R"({"status": "closed"})").status, 200);
  ASSERT_EQ(staff.post(path + "/status", R"({"status": "published"})").status, 200);
  auto published = early.get(path).json();
  for (const auto& n : published.at("nominees").as_array())
    EXPECT_EQ(n.at("votes").as_int64(), tally[n.at("id").as_int64()]);
}

TEST_F(Honours, AGridEvaluationIsScoredOnItsCriteria) {
  auto staff = as("community_admin");
  EXPECT_EQ(staff.post("/api/honour-rounds", body({{"place_id", place_id("NC-QX")}, {"title", "x"}, {"kind", "grid"},
                                                   {"criteria", json::array{{{"key", "Bad Key"}, {"label", "x"}, {"max", 5}}}}}))
                .error_code(),
            "honour.bad_criteria");
  auto id = round(staff, {{"criteria", json::array{{{"key", "service"}, {"label", "服务群众"}, {"max", 30}},
                                                   {{"key", "safety"}, {"label", "安全稳定"}, {"max", 20}}}}});
  auto grid = staff.post("/api/honour-rounds/" + std::to_string(id) + "/nominees",
                         body({{"name", "第一网格"}, {"text", "全年无安全事故"}, {"grid_id", place_id("NC-QX-G1")}}));
  ASSERT_EQ(grid.status, 201) << grid.body;
  auto scores = "/api/honour-nominees/" + std::to_string(num(grid.json(), "id")) + "/scores";
  EXPECT_EQ(staff.put(scores, R"({"scores": {"service": 31}})").error_code(), "honour.bad_scores");
  EXPECT_EQ(staff.put(scores, R"({"scores": {"nonesuch": 1}})").error_code(), "honour.bad_scores");
  auto scored = staff.put(scores, R"({"scores": {"service": 27, "safety": 18}})");
  ASSERT_EQ(scored.status, 200) << scored.body;
  EXPECT_EQ(num(scored.json(), "score_total"), 45);
  EXPECT_EQ(as("resident").put(scores, R"({"scores": {"service": 1}})").status, 403);
  // The rounds a resident reaches, and those staff run.
  auto mine = as("resident").get("/api/honour-rounds").json();
  bool found = false;
  for (const auto& r : mine.at("items").as_array()) found = found || r.at("id").as_int64() == id;
  EXPECT_TRUE(found);
  auto far = resident("NC-GSH-C3-B1-U1-102", "hgridfar");
  auto theirs = far.get("/api/honour-rounds").json();
  for (const auto& r : theirs.at("items").as_array()) EXPECT_NE(r.at("id").as_int64(), id);
  EXPECT_EQ(far.get("/api/honour-rounds/" + std::to_string(id)).status, 404);
}

TEST_F(Honours, TheRateLimitHoldsAndTheAnomalyReportFindsAPlantedBurstAndACluster) {
  auto staff = as("community_admin");
  auto id = round(staff, {{"per_address_per_minute", 2}, {"votes_per_voter", 3}});
  auto path = "/api/honour-rounds/" + std::to_string(id);
  auto a = nominee(staff, id, "赵师傅"), b = nominee(staff, id, "钱阿姨");
  approve(staff, a);
  approve(staff, b);
  auto v1 = resident(household(3), "hrate0"), v2 = resident(household(4), "hrate1");
  open(staff, id);
  ASSERT_EQ(v1.post(path + "/votes", body({{"nominee_id", a}})).status, 201);
  ASSERT_EQ(v2.post(path + "/votes", body({{"nominee_id", a}})).status, 201);
  // A third vote from this address within the minute.
  auto limited = v1.post(path + "/votes", body({{"nominee_id", b}}));
  EXPECT_EQ(limited.status, 429);
  EXPECT_EQ(limited.error_code(), "honour.rate_limited");
  // Plant: 30 ordinary votes over two days from 30 addresses by old accounts;
  // a burst of 8 within 4 minutes from 10.9.9.9; 6 accounts made within an
  // hour after opening, voting from anywhere.
  auto db = server_->open_db();
  Millis opened = scalar("SELECT voting_opened_at FROM honour_rounds WHERE id = $1", id);
  db->write([&](storage::Tx& tx) {
    auto user = [&](const std::string& name, Millis made) {
      return tx.query_one("INSERT INTO users (username, display_name, password_hash, "
                          "password_changed_at, created_at, updated_at) VALUES ($1, $1, 'x', $2, $2, $2) "
                          "RETURNING id",
                          name, made)
          ->i64(0);
    };
    auto vote = [&](std::int64_t u, std::int64_t household, const std::string& address, Millis at) {
      tx.exec("INSERT INTO honour_votes (round_id, nominee_id, user_id, household_id, address, "
              "account_created_at, created_at) VALUES ($1, $2, $3, $4, $5, (SELECT created_at FROM "
              "users WHERE id = $3), $6)",
              id, a, u, household, address, at);
    };
    auto home = tx.query_one("SELECT id FROM places WHERE code = $1", household(5))->i64(0);
    for (int i = 0; i < 30; ++i)
      vote(user("hplant" + std::to_string(i), opened - 400 * kDay), home, "10.1.0." + std::to_string(i),
           opened + i * 90 * kMinute);
    for (int i = 0; i < 8; ++i)
      vote(user("hburst" + std::to_string(i), opened - 300 * kDay), home, "10.9.9.9",
           opened + 5 * kHour + i * 30 * 1000);
    for (int i = 0; i < 6; ++i)
      vote(user("hnew" + std::to_string(i), opened + 2 * kHour + i * 7 * kMinute), home,
           "10.2.0." + std::to_string(i), opened + 20 * kHour + i * 3 * kHour);
  });
  auto report = staff.get(path + "/anomalies");
  ASSERT_EQ(report.status, 200) << report.body;
  std::vector<std::string> burst_addresses;
  json::array burst_ids;
  auto found = report.json();
  for (const auto& burst : found.at("bursts").as_array()) {
    burst_addresses.push_back(str(burst, "address"));
    if (str(burst, "address") == "10.9.9.9") {
      EXPECT_EQ(num(burst, "votes"), 8);
      burst_ids = burst.at("vote_ids").as_array();
    }
  }
  EXPECT_EQ(burst_addresses, std::vector<std::string>{"10.9.9.9"});
  ASSERT_EQ(report.json().at("clusters").as_array().size(), 1u);
  EXPECT_EQ(num(report.json().at("clusters").at(0), "accounts"), 6);
  // The burst voided with a reason: kept, not counted.
  auto before = counts(staff, id)[a];
  EXPECT_EQ(staff.post(path + "/void", body({{"vote_ids", burst_ids}, {"reason", ""}})).error_code(),
            "honour.reason_required");
  auto voided = staff.post(path + "/void", body({{"vote_ids", burst_ids}, {"reason", "同一地址 4 分钟内 8 票"}}));
  ASSERT_EQ(voided.status, 200) << voided.body;
  EXPECT_EQ(num(voided.json(), "voided"), 8);
  EXPECT_EQ(counts(staff, id)[a], before - 8);
  EXPECT_EQ(audit_count("honour.void"), 1);
  // The new accounts' votes are excluded already (made after voting opened).
  EXPECT_EQ(num(staff.get(path).json().at("totals"), "excluded"), 6);
}

}  // namespace xh::test
