// Councils (GOV-1 … GOV-3, first part): the demo's 圆桌议事会, councils made and
// seated, rule sets as data, meetings called with an agenda and answered by
// their members, who alone (with the staff over the place) can see them; a
// work order's 三方协商 becomes a council.
#include <algorithm>
#include <map>
#include <thread>

#include "api_test.h"
#include "support/pdf.h"
#include "support/ws_client.h"

namespace xh::test {

namespace {
using namespace std::chrono_literals;
}

class Councils : public ApiTest {
 protected:
  // The demo's 泉星社区圆桌议事会, as `who` lists it.
  static std::string roundtable(HttpClient& who) {
    auto list = who.get("/api/councils").json();
    for (const auto& c : list.at("items").as_array())
      if (str(c, "name") == "泉星社区圆桌议事会") return std::to_string(c.at("id").as_int64());
    return "";
  }
  static std::string meeting_titled(HttpClient& who, const std::string& title, const std::string& when) {
    auto list = who.get("/api/meetings?when=" + when).json();
    for (const auto& m : list.at("items").as_array())
      if (str(m, "title") == title) return std::to_string(m.at("id").as_int64());
    return "";
  }
};

TEST_F(Councils, TheDemosRoundTableWithItsSeatsTheTenRulesAndItsMeetings) {
  auto community = as("community_admin");
  auto words = community.get("/api/councils/vocabulary").json();
  EXPECT_EQ(str(words.at("kinds").at(0), "label"), "圆桌议事会");
  EXPECT_EQ(words.at("rules").as_array().size(), 10u);
  EXPECT_EQ(str(as("community_admin").get("/api/councils/vocabulary?lang=en").json().at("kinds").at(3), "label"),
            "Three-party consultation");
  auto id = roundtable(community);
  ASSERT_FALSE(id.empty());
  auto council = community.get("/api/councils/" + id).json();
  EXPECT_EQ(str(council, "kind_label"), "圆桌议事会");
  EXPECT_EQ(council.at("members_list").as_array().size(), 9u);
  EXPECT_EQ(str(council.at("members_list").at(0), "seat_label"), "社区党组织书记");
  EXPECT_EQ(council.at("rules").at("speech_seconds").as_int64(), 180);
  EXPECT_TRUE(council.at("may_manage").as_bool());
  auto past = meeting_titled(community, "泉星花园老旧小区改造方案议事会", "past");
  auto next = meeting_titled(community, "泉星花园加装电梯意愿征集议事会", "upcoming");
  ASSERT_FALSE(past.empty());
  ASSERT_FALSE(next.empty());
  auto held = community.get("/api/meetings/" + past).json();
  EXPECT_EQ(str(held, "status"), "closed");
  EXPECT_EQ(held.at("agenda").as_array().size(), 3u);
  EXPECT_EQ(held.at("quorum").at("present").as_int64(), 8);
  EXPECT_TRUE(held.at("quorum").at("quorate").as_bool());
  // A member who signs in sees their council; someone of the community who is not one does not.
  auto resident = as("resident");
  EXPECT_EQ(roundtable(resident), id);
  EXPECT_EQ(resident.get("/api/meetings/" + next).json().at("me").at("seat").as_string(), "resident_rep");
  // A member's phone lists the meetings of their own councils; staff over the place see them all.
  auto mine = resident.get("/api/meetings?mine=true&when=upcoming").json();
  bool listed = false;
  for (const auto& m : mine.at("items").as_array()) listed = listed || std::to_string(m.at("id").as_int64()) == next;
  EXPECT_TRUE(listed);
  EXPECT_EQ(as("street_admin").get("/api/meetings?mine=true").json().at("total").as_int64(), 0);
  EXPECT_GE(as("street_admin").get("/api/meetings").json().at("total").as_int64(), 2);
  auto volunteer = as("volunteer");
  EXPECT_EQ(roundtable(volunteer), "");
  EXPECT_EQ(volunteer.get("/api/councils/" + id).status, 404);
  EXPECT_EQ(volunteer.get("/api/meetings/" + next).status, 404);
}

TEST_F(Councils, AnotherCommunitysStaffNeitherSeeNorAct) {
  auto community = as("community_admin");
  auto id = roundtable(community);
  auto next = meeting_titled(community, "泉星花园加装电梯意愿征集议事会", "upcoming");
  auto other = elsewhere();
  EXPECT_EQ(roundtable(other), "");
  EXPECT_EQ(other.get("/api/councils/" + id).error_code(), "council.not_found");
  EXPECT_EQ(other.get("/api/meetings/" + next).error_code(), "council.meeting_not_found");
  EXPECT_EQ(other.post("/api/councils/" + id + "/members", R"({"seat":"resident_rep","name":"x"})").status, 404);
  EXPECT_EQ(other.post("/api/councils/" + id + "/meetings",
                       R"({"title":"x","starts_at":"2027-01-10T19:00:00+08:00","agenda":[{"kind":"motion","title":"x"}]})")
                .status, 404);
  auto listed = other.get("/api/meetings").json();
  for (const auto& m : listed.at("items").as_array()) EXPECT_NE(std::to_string(m.at("id").as_int64()), next);
  // Nor follow it live, exactly as the GET.
  WsClient ws(server_->port(), "/api/live", live_headers(server_->port(), other.cookies["xh_session"]));
  ASSERT_EQ(ws.status(), 101);
  ws.next();
  ws.send_text(R"({"op":"subscribe","topic":"meeting:)" + next + R"("})");
  auto answer = ws.until("meeting:" + next);
  ASSERT_TRUE(answer.has_value());
  EXPECT_NE(answer->find("council.meeting_not_found"), std::string::npos) << *answer;
}

TEST_F(Councils, ACouncilIsFormedSeatedAndCallsAMeetingItsMembersAnswer) {
  auto community = as("community_admin");
  auto make = [&](const json::object& o) { return community.post("/api/councils", json::serialize(o)); };
  EXPECT_EQ(make({{"kind", "parliament"}, {"place_id", place_id("NC-QX-C1")}, {"name", "x"}}).error_code(), "council.bad_kind");
  EXPECT_EQ(make({{"kind", "roundtable"}, {"place_id", place_id("NC-QX-C1-B1")}, {"name", "x"}}).error_code(),
            "council.bad_place");
  EXPECT_EQ(make({{"kind", "home_council"}, {"place_id", place_id("NC-QX-C1")}, {"name", "x"}, {"term_start", "2026-13-01"}})
                .error_code(), "council.bad_term");
  EXPECT_EQ(make({{"kind", "home_council"}, {"place_id", place_id("NC-GSH-C1")}, {"name", "x"}}).status, 403);
  EXPECT_EQ(as("grid_worker").post("/api/councils", json::serialize(json::object{
      {"kind", "home_council"}, {"place_id", place_id("NC-QX-C1")}, {"name", "x"}})).status, 403);
  auto made = make({{"kind", "home_council"}, {"place_id", place_id("NC-QX-C1")}, {"name", "泉星花园家园理事会"},
                    {"term_start", "2026-01-01"}, {"term_end", "2028-12-31"}});
  ASSERT_EQ(made.status, 201) << made.body;
  auto id = std::to_string(made.json().at("id").as_int64());

  auto seat = [&](const json::object& o) { return community.post("/api/councils/" + id + "/members", json::serialize(o)); };
  EXPECT_EQ(seat({{"seat", "king"}, {"name", "x"}}).error_code(), "council.bad_seat");
  auto me = as("resident").get("/api/auth/me").json().at("id").as_int64();
  ASSERT_EQ(seat({{"seat", "resident_rep"}, {"name", "居民代表（演示）"}, {"user_id", me}}).status, 201);
  EXPECT_EQ(seat({{"seat", "resident_rep"}, {"name", "again"}, {"user_id", me}}).error_code(), "council.member_exists");
  auto leader = as("building_leader").get("/api/auth/me").json().at("id").as_int64();
  auto seated = seat({{"seat", "building_leader"}, {"name", "张楼长"}, {"user_id", leader}});
  ASSERT_EQ(seated.status, 201);
  std::int64_t leader_member = 0;
  auto seated_doc = seated.json();
  for (const auto& m : seated_doc.at("members_list").as_array())
    if (str(m, "name") == "张楼长") leader_member = m.at("id").as_int64();

  // A meeting: checked, then called; the members hear of it.
  auto call = [&](const std::string& body) { return community.post("/api/councils/" + id + "/meetings", body); };
  EXPECT_EQ(call(R"({"title":"x","starts_at":"next week","agenda":[{"kind":"motion","title":"x"}]})").error_code(),
            "council.bad_time");
  EXPECT_EQ(call(R"({"title":"x","starts_at":"2027-01-10T19:00:00+08:00","agenda":[]})").error_code(), "council.bad_agenda");
  EXPECT_EQ(call(R"({"title":"x","starts_at":"2027-01-10T19:00:00+08:00","agenda":[{"kind":"speech","title":"x"}]})")
                .error_code(), "council.bad_agenda");
  EXPECT_EQ(call(R"({"title":"x","starts_at":"2027-01-10T19:00:00+08:00","agenda":[{"kind":"motion","title":"x","presenter_id":999999}]})")
                .error_code(), "council.bad_presenter");
  auto resident = as("resident");
  auto unread = resident.get("/api/inbox").json().at("unread").as_int64();
  auto called = call(json::serialize(json::object{
      {"title", "楼道堆物清理公约"}, {"starts_at", "2027-01-10T19:00:00+08:00"}, {"location", "1号楼架空层"},
      {"agenda", json::array{json::object{{"kind", "motion"}, {"title", "楼道堆物清理公约（草案）"}, {"presenter_id", leader_member}, {"minutes", 20}},
                             json::object{{"kind", "discussion"}, {"title", "清理时间安排"}, {"minutes", 10}}}}}));
  ASSERT_EQ(called.status, 201) << called.body;
  auto meeting = std::to_string(called.json().at("id").as_int64());
  EXPECT_EQ(str(called.json().at("agenda").at(0), "presenter"), "张楼长");
  EXPECT_EQ(called.json().at("quorum").at("members").as_int64(), 2);
  auto inbox = resident.get("/api/inbox").json();
  EXPECT_EQ(inbox.at("unread").as_int64(), unread + 1);
  EXPECT_EQ(str(inbox.at("items").at(0), "text"), "泉星花园家园理事会 召开会议：楼道堆物清理公约（2027-01-10T19:00）");
  EXPECT_EQ(str(inbox.at("items").at(0), "subject_type"), "meeting");

  // The member answers, following the meeting live; the rules decide what may be answered.
  WsClient ws(server_->port(), "/api/live", live_headers(server_->port(), resident.cookies["xh_session"]));
  ASSERT_EQ(ws.status(), 101);
  ws.next();
  ws.send_text(R"({"op":"subscribe","topic":"meeting:)" + meeting + R"("})");
  ASSERT_TRUE(ws.until("subscribed").has_value());
  auto reply = [&](HttpClient& who, const std::string& body) { return who.post("/api/meetings/" + meeting + "/reply", body); };
  EXPECT_EQ(reply(resident, R"({"reply":"maybe"})").error_code(), "council.bad_reply");
  EXPECT_EQ(reply(resident, R"({"reply":"absent"})").error_code(), "council.reason_required");
  EXPECT_EQ(reply(resident, R"({"reply":"proxy","reason":"出差","proxy_id":)" + std::to_string(leader_member) + "}")
                .error_code(), "council.no_proxies");
  auto street = as("street_admin");
  EXPECT_EQ(reply(street, R"({"reply":"attending"})").error_code(), "council.not_member");
  auto answered = reply(resident, R"({"reply":"absent","reason":"那天值夜班"})");
  ASSERT_EQ(answered.status, 200) << answered.body;
  EXPECT_EQ(str(answered.json().at("me"), "reply"), "absent");
  EXPECT_EQ(answered.json().at("quorum").at("expected").as_int64(), 1);
  EXPECT_TRUE(ws.until("council.attendance", 3s).has_value()) << "the meeting's followers were not told";

  // A rule set of the community's own allows proxies; the council adopts it; a new meeting takes it.
  EXPECT_EQ(community.post("/api/rule-sets", json::serialize(json::object{
      {"name", "x"}, {"place_id", place_id("NC-QX")}, {"params", {{"speech_seconds", 5}}}})).error_code(), "council.bad_rules");
  auto rules = community.get("/api/rule-sets").json().at("items").at(0).at("params").as_object();
  rules["proxies_allowed"] = true;
  auto own = community.post("/api/rule-sets", json::serialize(json::object{
      {"name", "泉星社区议事规则（可委托）"}, {"place_id", place_id("NC-QX")}, {"params", rules}}));
  ASSERT_EQ(own.status, 201) << own.body;
  EXPECT_EQ(elsewhere().patch("/api/councils/" + id, json::serialize(json::object{{"rule_set_id", own.json().at("id")}})).status, 404);
  auto adopted = community.patch("/api/councils/" + id, json::serialize(json::object{{"rule_set_id", own.json().at("id")}}));
  ASSERT_EQ(adopted.status, 200) << adopted.body;
  EXPECT_TRUE(adopted.json().at("rules").at("proxies_allowed").as_bool());
  auto second = call(R"({"title":"第二次会议","starts_at":"2027-02-10T19:00:00+08:00","agenda":[{"kind":"discussion","title":"回顾"}]})");
  ASSERT_EQ(second.status, 201);
  auto by_proxy = resident.post("/api/meetings/" + std::to_string(second.json().at("id").as_int64()) + "/reply",
                                R"({"reply":"proxy","reason":"出差","proxy_id":)" + std::to_string(leader_member) + "}");
  ASSERT_EQ(by_proxy.status, 200) << by_proxy.body;
  EXPECT_EQ(by_proxy.json().at("me").at("proxy_id").as_int64(), leader_member);
  // The earlier meeting keeps the rules it was called under.
  EXPECT_FALSE(community.get("/api/meetings/" + meeting).json().at("rules").at("proxies_allowed").as_bool());
}

TEST_F(Councils, AWorkOrdersConsultationBecomesAThreePartyCouncil) {
  auto resident = as("resident"), community = as("community_admin");
  auto filed = resident.post("/api/work-orders", json::serialize(json::object{
      {"category", "parking"}, {"place_id", place_id("NC-QX-C1")}, {"text", "小区内车辆乱停，消防通道被占"}}));
  ASSERT_EQ(filed.status, 201) << filed.body;
  auto order = std::to_string(filed.json().at("id").as_int64());
  auto topic = community.post("/api/work-orders/" + order + "/consultation",
                              R"({"title":"泉星花园停车秩序","resident_reps":["王桂兰","李建国"]})");
  ASSERT_EQ(topic.status, 201) << topic.body;
  auto list = community.get("/api/councils").json();
  std::string id;
  for (const auto& c : list.at("items").as_array())
    if (str(c, "name") == "三方协商：泉星花园停车秩序") id = std::to_string(c.at("id").as_int64());
  ASSERT_FALSE(id.empty()) << "no council for the consultation";
  auto council = community.get("/api/councils/" + id).json();
  EXPECT_EQ(str(council, "kind"), "three_party");
  EXPECT_EQ(council.at("consultation_id").as_int64(), topic.json().at("id").as_int64());
  std::set<std::string> members;
  for (const auto& m : council.at("members_list").as_array()) members.insert(str(m, "name"));
  EXPECT_EQ(members, (std::set<std::string>{"山东双城环境服务有限公司", "王桂兰", "李建国"}));
  ASSERT_EQ(council.at("meetings").as_array().size(), 1u);
  EXPECT_EQ(str(council.at("meetings").at(0), "title"), "泉星花园停车秩序");
}

TEST_F(Councils, AMeetingInSessionCheckInTheFloorByTheRulesAndOneSpeechAtATime) {
  auto chair = as("community_admin");
  auto id = roundtable(chair);
  // A meeting of the round table, opened now.
  auto called = chair.post("/api/councils/" + id + "/meetings", json::serialize(json::object{
      {"title", "停车管理议事"}, {"starts_at", "2026-12-08T19:00:00+08:00"},
      {"agenda", json::array{json::object{{"kind", "motion"}, {"title", "夜间停车收费方案"}, {"minutes", 30}},
                             json::object{{"kind", "discussion"}, {"title", "其他事项"}, {"minutes", 10}}}}}));
  ASSERT_EQ(called.status, 201) << called.body;
  auto doc = called.json();
  auto meeting = std::to_string(doc.at("id").as_int64());
  auto second_item = doc.at("agenda").at(1).at("id").as_int64();
  auto m = "/api/meetings/" + meeting;
  auto resident = as("resident"), leader = as("building_leader"), grid = as("grid_worker");
  EXPECT_EQ(resident.post(m + "/open", "{}").status, 403);
  EXPECT_EQ(resident.post(m + "/checkin", R"({"code":"000000"})").error_code(), "council.meeting_not_open");
  auto opened = chair.post(m + "/open", "{}");
  ASSERT_EQ(opened.status, 200) << opened.body;
  EXPECT_EQ(str(opened.json(), "status"), "open");
  EXPECT_EQ(str(opened.json().at("item"), "title"), "夜间停车收费方案");
  EXPECT_EQ(chair.post(m + "/open", "{}").error_code(), "council.meeting_not_scheduled");

  // Check-in by the screen's code, which only the chair's screen reads; or by the chair's hand.
  EXPECT_EQ(resident.get(m + "/checkin-code").status, 403);
  auto code = str(chair.get(m + "/checkin-code").json(), "code");
  ASSERT_EQ(code.size(), 6u);
  std::string wrong = code == "000000" ? "111111" : "000000";
  EXPECT_EQ(resident.post(m + "/checkin", json::serialize(json::object{{"code", wrong}})).error_code(), "council.bad_code");
  EXPECT_EQ(resident.post(m + "/floor", R"({"side":"pro"})").error_code(), "council.not_checked_in");
  auto in = resident.post(m + "/checkin", json::serialize(json::object{{"code", code}}));
  ASSERT_EQ(in.status, 200) << in.body;
  EXPECT_TRUE(in.json().at("me").at("checked_in").as_bool());
  EXPECT_EQ(as("street_admin").post(m + "/checkin", json::serialize(json::object{{"code", code}})).error_code(),
            "council.not_member");
  auto members = chair.get(m).json().at("attendance").as_array();
  auto member_of = [&](const std::string& name) {
    for (const auto& a : members)
      if (str(a, "name") == name) return std::to_string(a.at("member_id").as_int64());
    return std::string();
  };
  for (const char* name : {"张楼长", "网格员（演示）"})
    ASSERT_EQ(chair.post(m + "/attendance/" + member_of(name) + "/checkin", "{}").status, 200);
  EXPECT_EQ(chair.get(m + "/session").json().at("quorum").at("present").as_int64(), 3);

  // The room's screen: paired to the meeting, it shows the check-in code (and no API beyond its view).
  auto display = chair.post("/api/displays", json::serialize(json::object{
      {"name", "议事厅大屏"}, {"place_id", place_id("NC-QX")}, {"topic", "meeting:" + meeting}}));
  ASSERT_EQ(display.status, 201) << display.body;
  HttpClient screen = server_->client();
  const std::string token = "meeting-screen-token-abcdefghijklmnopqrstuvwxyz012345";
  auto pairing = screen.post("/api/display/pairing", json::serialize(json::object{{"token", token}}));
  ASSERT_EQ(pairing.status, 201);
  ASSERT_EQ(chair.post("/api/displays/" + std::to_string(display.json().at("id").as_int64()) + "/pair",
                       json::serialize(json::object{{"code", pairing.json().at("code")}})).status, 200);
  auto shown = screen.post("/api/display/session", json::serialize(json::object{{"token", token}}));
  ASSERT_EQ(shown.status, 200) << shown.body;
  auto view = shown.json().at("view");
  EXPECT_EQ(str(view, "title"), "停车管理议事");
  EXPECT_EQ(str(view.at("item"), "title"), "夜间停车收费方案");
  EXPECT_EQ(view.at("quorum").at("present").as_int64(), 3);
  auto now_code = str(chair.get(m + "/checkin-code").json(), "code");
  EXPECT_EQ(str(view.at("checkin"), "code"), now_code);
  EXPECT_GT(view.at("checkin").at("changes_at_ms").as_int64(), view.at("server_now_ms").as_int64());

  // Requests: pro, pro, con → pro, con, pro; nobody twice in the queue.
  EXPECT_EQ(resident.post(m + "/floor", R"({"side":"maybe"})").error_code(), "council.bad_side");
  ASSERT_EQ(resident.post(m + "/floor", R"({"side":"pro"})").status, 200);
  EXPECT_EQ(resident.post(m + "/floor", R"({"side":"con"})").error_code(), "council.already_waiting");
  ASSERT_EQ(leader.post(m + "/floor", R"({"side":"pro"})").status, 200);
  auto waiting = grid.post(m + "/floor", R"({"side":"con"})");
  ASSERT_EQ(waiting.status, 200);
  auto queue = waiting.json().at("queue").as_array();
  ASSERT_EQ(queue.size(), 3u);
  EXPECT_EQ(str(queue[0], "name"), "居民代表（演示）");
  EXPECT_EQ(str(queue[1], "name"), "网格员（演示）");
  EXPECT_EQ(str(queue[2], "name"), "张楼长");
  EXPECT_EQ(waiting.json().at("me").at("place").as_int64(), 2);

  // The floor: the rules' next; the chair may choose another only with a reason.
  auto out_of_order = json::serialize(json::object{{"request_id", queue[2].at("request_id")}});
  EXPECT_EQ(chair.post(m + "/floor/grant", out_of_order).error_code(), "council.override_reason");
  EXPECT_EQ(resident.post(m + "/floor/grant", "{}").status, 403);
  auto granted = chair.post(m + "/floor/grant", "{}");
  ASSERT_EQ(granted.status, 200) << granted.body;
  auto speaker = granted.json().at("speaker");
  EXPECT_EQ(str(speaker, "name"), "居民代表（演示）");
  EXPECT_EQ(speaker.at("limit_ms").as_int64(), 180000);
  EXPECT_EQ(chair.post(m + "/floor/grant", "{}").error_code(), "council.floor_taken");
  auto on_screen = screen.get("/api/display/session").json().at("view");
  EXPECT_EQ(str(on_screen.at("speaker"), "name"), "居民代表（演示）");
  EXPECT_EQ(on_screen.at("speaker").at("limit_ms").as_int64(), 180000);
  EXPECT_EQ(on_screen.at("queue").as_array().size(), 2u);
  EXPECT_EQ(chair.post(m + "/item", json::serialize(json::object{{"item_id", second_item}})).error_code(),
            "council.floor_taken");  // one motion at a time
  ASSERT_EQ(chair.post(m + "/floor/extend", "{}").status, 200);
  EXPECT_EQ(chair.get(m + "/session").json().at("speaker").at("limit_ms").as_int64(), 240000);
  EXPECT_EQ(chair.post(m + "/floor/extend", "{}").error_code(), "council.no_extension");
  ASSERT_EQ(chair.post(m + "/floor/end", "{}").status, 200);
  EXPECT_EQ(chair.post(m + "/floor/end", "{}").error_code(), "council.no_speech");

  // Out of order, with the reason recorded.
  auto chosen = chair.post(m + "/floor/grant", json::serialize(json::object{
      {"request_id", queue[2].at("request_id")}, {"reason", "楼长需先说明施工安排"}}));
  ASSERT_EQ(chosen.status, 200) << chosen.body;
  EXPECT_EQ(str(chosen.json().at("speaker"), "name"), "张楼长");
  ASSERT_EQ(chair.post(m + "/floor/end", "{}").status, 200);
  auto db = server_->open_db();
  db->read([&](storage::Tx& tx) {
    EXPECT_EQ(tx.query_one("SELECT override_reason FROM speeches WHERE meeting_id = $1 AND override_reason IS NOT NULL",
                           static_cast<std::int64_t>(std::stoll(meeting)))->str("override_reason"),
              "楼长需先说明施工安排");
  });

  // Two chairs pressing at once: one speech.
  auto other_chair = as("street_admin");
  std::vector<int> statuses(2);
  std::thread a([&] { statuses[0] = chair.post(m + "/floor/grant", "{}").status; });
  std::thread b([&] { statuses[1] = other_chair.post(m + "/floor/grant", "{}").status; });
  a.join();
  b.join();
  std::sort(statuses.begin(), statuses.end());
  EXPECT_EQ(statuses, (std::vector<int>{200, 409}));
  ASSERT_EQ(chair.post(m + "/floor/end", "{}").status, 200);

  // As often as the rules allow (2), then no more.
  ASSERT_EQ(resident.post(m + "/floor", R"({"side":"pro"})").status, 200);
  ASSERT_EQ(chair.post(m + "/floor/grant", "{}").status, 200);
  ASSERT_EQ(chair.post(m + "/floor/end", "{}").status, 200);
  EXPECT_EQ(resident.post(m + "/floor", R"({"side":"pro"})").error_code(), "council.speech_limit");
  // A withdrawn request leaves the queue.
  ASSERT_EQ(leader.post(m + "/floor", R"({"side":"con"})").status, 200);
  ASSERT_EQ(leader.post(m + "/floor/withdraw", "{}").status, 200);
  EXPECT_EQ(leader.post(m + "/floor/withdraw", "{}").error_code(), "council.not_waiting");
  EXPECT_EQ(chair.post(m + "/floor/grant", "{}").error_code(), "council.queue_empty");
  // The next item; then the meeting closes.
  auto moved = chair.post(m + "/item", json::serialize(json::object{{"item_id", second_item}}));
  ASSERT_EQ(moved.status, 200) << moved.body;
  EXPECT_EQ(str(moved.json().at("item"), "title"), "其他事项");
  EXPECT_FALSE(moved.json().at("me").at("may_request").as_bool());  // the chair's seat never checked in
  EXPECT_TRUE(resident.get(m + "/session").json().at("me").at("may_request").as_bool());  // a new item, new turns
  auto balance = [&] { return resident.get("/api/points/me").json().at("balance").as_int64(); };
  auto before = balance();
  auto closed = chair.post(m + "/close", "{}");
  ASSERT_EQ(closed.status, 200);
  EXPECT_EQ(str(closed.json(), "status"), "closed");
  // The demo community pays 5 points for attending (meeting_attended): once, to those who came.
  EXPECT_EQ(balance(), before + 5);
  EXPECT_EQ(resident.post(m + "/floor", R"({"side":"pro"})").error_code(), "council.meeting_not_open");
}



// A meeting of the round table with `agenda`, opened, with the chair's seat,
// the resident, the building leader and the grid worker present (4 of 9).
class CouncilVotes : public Councils {
 protected:
  struct Opened {
    std::string path;
    std::vector<std::int64_t> items;
    std::map<std::string, std::string> member;  // name → member id
  };
  static Opened open_with_four(HttpClient& chair, const std::string& council, const std::string& title,
                               const json::array& agenda) {
    auto called = chair.post("/api/councils/" + council + "/meetings",
                             json::serialize(json::object{{"title", title}, {"starts_at", "2026-12-09T19:00:00+08:00"},
                                                          {"agenda", agenda}}));
    EXPECT_EQ(called.status, 201) << called.body;
    auto doc = called.json();
    Opened o;
    o.path = "/api/meetings/" + std::to_string(doc.at("id").as_int64());
    for (const auto& a : doc.at("agenda").as_array()) o.items.push_back(a.at("id").as_int64());
    for (const auto& a : doc.at("attendance").as_array())
      o.member[str(a, "name")] = std::to_string(a.at("member_id").as_int64());
    EXPECT_EQ(chair.post(o.path + "/open", "{}").status, 200);
    for (const auto& [name, id] : o.member)
      if (name == "王书记" || name == "居民代表（演示）" || name == "张楼长" || name == "网格员（演示）")
        EXPECT_EQ(chair.post(o.path + "/attendance/" + id + "/checkin", "{}").status, 200);
    return o;
  }
};

TEST_F(CouncilVotes, ByHandsAndOnPhonesDecidedByTheRulesThresholdAtItsBoundary) {
  auto chair = as("community_admin");
  auto council = roundtable(chair);
  auto o = open_with_four(chair, council, "表决规则检验",
                          json::array{json::object{{"kind", "discussion"}, {"title", "情况通报"}},
                                      json::object{{"kind", "motion"}, {"title", "增设非机动车棚"}},
                                      json::object{{"kind", "motion"}, {"title", "更换单元门禁"}}});
  auto resident = as("resident"), leader = as("building_leader"), grid = as("grid_worker");
  auto hands = [&](int f, int a, int s) {
    return chair.post(o.path + "/votes", json::serialize(json::object{{"method", "hands"}, {"for", f}, {"against", a}, {"abstain", s}}));
  };
  // Only a motion is voted on; only the chair opens a vote.
  EXPECT_EQ(hands(3, 1, 0).error_code(), "council.not_motion");
  ASSERT_EQ(chair.post(o.path + "/item", json::serialize(json::object{{"item_id", o.items[1]}})).status, 200);
  EXPECT_EQ(resident.post(o.path + "/votes", R"({"method":"phones"})").status, 403);
  EXPECT_EQ(chair.post(o.path + "/votes", R"({"method":"shout"})").error_code(), "council.bad_method");
  EXPECT_EQ(hands(3, 2, 0).error_code(), "council.bad_count");  // 5 of 4 present
  EXPECT_EQ(hands(-1, 2, 0).error_code(), "council.bad_count");
  // More than half of those present (4): 2 is not, 3 is.
  auto tie = hands(2, 2, 0);
  ASSERT_EQ(tie.status, 200) << tie.body;
  EXPECT_FALSE(tie.json().at("last_vote").at("passed").as_bool());
  EXPECT_EQ(tie.json().at("last_vote").at("present").as_int64(), 4);
  auto carried = hands(3, 0, 1);
  EXPECT_TRUE(carried.json().at("last_vote").at("passed").as_bool());
  EXPECT_EQ(str(carried.json().at("last_vote"), "pass"), "more_than_half_present");

  // On the phones, named: the counts and choices show once it closes.
  ASSERT_EQ(chair.post(o.path + "/item", json::serialize(json::object{{"item_id", o.items[2]}})).status, 200);
  auto opened = chair.post(o.path + "/votes", R"({"method":"phones"})");
  ASSERT_EQ(opened.status, 200) << opened.body;
  auto vote = opened.json().at("vote");
  EXPECT_FALSE(vote.at("secret").as_bool());
  auto ballot = o.path + "/votes/" + std::to_string(vote.at("id").as_int64()) + "/ballot";
  EXPECT_EQ(chair.post(o.path + "/votes", R"({"method":"phones"})").error_code(), "council.vote_open");
  // While it is taken, nobody is given the floor and the meeting stays on the motion.
  ASSERT_EQ(leader.post(o.path + "/floor", R"({"side":"con"})").status, 200);
  EXPECT_EQ(chair.post(o.path + "/floor/grant", "{}").error_code(), "council.vote_open");
  EXPECT_EQ(chair.post(o.path + "/item", json::serialize(json::object{{"item_id", o.items[0]}})).error_code(), "council.vote_open");
  ASSERT_EQ(leader.post(o.path + "/floor/withdraw", "{}").status, 200);
  EXPECT_EQ(as("partner_admin").post(ballot, R"({"choice":"for"})").error_code(), "council.not_checked_in");
  EXPECT_EQ(as("street_admin").post(ballot, R"({"choice":"for"})").error_code(), "council.not_member");
  EXPECT_EQ(resident.post(ballot, R"({"choice":"maybe"})").error_code(), "council.bad_choice");
  EXPECT_TRUE(resident.get(o.path + "/session").json().at("vote").at("me").at("may_vote").as_bool());
  // The same member twice at once: one ballot.
  std::vector<int> statuses(2);
  std::thread a([&] { statuses[0] = resident.post(ballot, R"({"choice":"for"})").status; });
  std::thread b([&] { statuses[1] = as("resident").post(ballot, R"({"choice":"against"})").status; });
  a.join();
  b.join();
  std::sort(statuses.begin(), statuses.end());
  EXPECT_EQ(statuses, (std::vector<int>{200, 409}));
  auto during = leader.post(ballot, R"({"choice":"for"})");
  ASSERT_EQ(during.status, 200) << during.body;
  EXPECT_TRUE(during.json().at("vote").at("for").is_null());  // how it stands is not shown before it closes
  EXPECT_EQ(during.json().at("vote").at("cast").as_int64(), 2);
  EXPECT_TRUE(during.json().at("vote").at("me").at("voted").as_bool());
  ASSERT_EQ(grid.post(ballot, R"({"choice":"abstain"})").status, 200);
  EXPECT_EQ(resident.post(o.path + "/votes/" + std::to_string(vote.at("id").as_int64()) + "/close", "{}").status, 403);
  auto closed = chair.post(o.path + "/votes/" + std::to_string(vote.at("id").as_int64()) + "/close", "{}");
  ASSERT_EQ(closed.status, 200) << closed.body;
  auto result = closed.json().at("last_vote");
  EXPECT_EQ(result.at("for").as_int64() + result.at("against").as_int64(), 2);
  EXPECT_EQ(result.at("abstain").as_int64(), 1);
  EXPECT_EQ(result.at("cast").as_int64(), 3);
  // 2 for of 4 present at most: not carried whichever way the resident's ballot went.
  EXPECT_FALSE(result.at("passed").as_bool());
  bool named = false;
  for (const auto& b : result.at("ballots").as_array())
    if (str(b, "name") == "网格员（演示）") named = str(b, "choice") == "abstain";
  EXPECT_TRUE(named);
  EXPECT_EQ(grid.post(ballot, R"({"choice":"for"})").error_code(), "council.vote_closed");
  EXPECT_EQ(chair.post(o.path + "/votes/" + std::to_string(vote.at("id").as_int64()) + "/close", "{}").error_code(),
            "council.vote_closed");
  EXPECT_EQ(chair.get(o.path + "/votes").json().at("items").as_array().size(), 3u);
  // Another community's staff: nothing to see, nothing to do.
  auto other = elsewhere();
  EXPECT_EQ(other.get(o.path + "/votes").status, 404);
  EXPECT_EQ(other.post(o.path + "/votes", R"({"method":"phones"})").status, 404);
  EXPECT_EQ(other.post(o.path + "/violations", R"({"member_id":1,"rule":"on_topic"})").status, 404);
  ASSERT_EQ(chair.post(o.path + "/close", "{}").status, 200);
  EXPECT_EQ(other.get(o.path + "/minutes").status, 404);
  EXPECT_EQ(other.get(o.path + "/minutes.pdf").status, 404);
}

TEST_F(CouncilVotes, ASecretVoteNeverRevealsAChoice) {
  auto chair = as("community_admin");
  // A council of its own whose rules make phone votes secret.
  auto rules = chair.get("/api/rule-sets").json().at("items").at(0).at("params").as_object();
  rules["secret_votes"] = true;
  auto secret_rules = chair.post("/api/rule-sets", json::serialize(json::object{
      {"name", "泉星社区议事规则（无记名）"}, {"place_id", place_id("NC-QX")}, {"params", rules}}));
  ASSERT_EQ(secret_rules.status, 201) << secret_rules.body;
  auto made = chair.post("/api/councils", json::serialize(json::object{
      {"kind", "roundtable"}, {"place_id", place_id("NC-QX")}, {"name", "泉星社区选举议事会"},
      {"rule_set_id", secret_rules.json().at("id")}}));
  ASSERT_EQ(made.status, 201) << made.body;
  auto council = std::to_string(made.json().at("id").as_int64());
  for (const char* who : {"resident", "building_leader", "grid_worker"}) {
    auto user = as(who).get("/api/auth/me").json().at("id").as_int64();
    ASSERT_EQ(chair.post("/api/councils/" + council + "/members",
                         json::serialize(json::object{{"seat", "resident_rep"}, {"name", std::string("代表 ") + who}, {"user_id", user}})).status, 201);
  }
  auto called = chair.post("/api/councils/" + council + "/meetings", json::serialize(json::object{
      {"title", "楼栋长推选"}, {"starts_at", "2026-12-10T19:00:00+08:00"},
      {"agenda", json::array{json::object{{"kind", "motion"}, {"title", "推选张楼长连任"}}}}}));
  ASSERT_EQ(called.status, 201) << called.body;
  auto path = "/api/meetings/" + std::to_string(called.json().at("id").as_int64());
  ASSERT_EQ(chair.post(path + "/open", "{}").status, 200);
  auto called_doc = called.json();
  for (const auto& a : called_doc.at("attendance").as_array())
    ASSERT_EQ(chair.post(path + "/attendance/" + std::to_string(a.at("member_id").as_int64()) + "/checkin", "{}").status, 200);
  auto opened = chair.post(path + "/votes", R"({"method":"phones"})");
  ASSERT_EQ(opened.status, 200) << opened.body;
  EXPECT_TRUE(opened.json().at("vote").at("secret").as_bool());
  auto vote = std::to_string(opened.json().at("vote").at("id").as_int64());
  ASSERT_EQ(as("resident").post(path + "/votes/" + vote + "/ballot", R"({"choice":"against"})").status, 200);
  ASSERT_EQ(as("building_leader").post(path + "/votes/" + vote + "/ballot", R"({"choice":"for"})").status, 200);
  ASSERT_EQ(as("grid_worker").post(path + "/votes/" + vote + "/ballot", R"({"choice":"for"})").status, 200);
  auto closed = chair.post(path + "/votes/" + vote + "/close", "{}");
  ASSERT_EQ(closed.status, 200) << closed.body;
  auto result = closed.json().at("last_vote");
  EXPECT_EQ(result.at("for").as_int64(), 2);
  EXPECT_EQ(result.at("against").as_int64(), 1);
  EXPECT_TRUE(result.at("passed").as_bool());  // 2 of 3 present
  EXPECT_EQ(result.at("ballots").as_array().size(), 3u);  // who voted is shown …
  ASSERT_EQ(chair.post(path + "/close", "{}").status, 200);
  ASSERT_EQ(chair.post(path + "/minutes/sign", "{}").status, 200);

  // … how, nowhere: not in any answer, the minutes, their PDF, the audit log or the stored rows and events.
  auto choices_in = [](const std::string& text) {
    return text.find("\"choice\":\"") != std::string::npos || text.find("against") != std::string::npos;
  };
  for (const auto& who : {"community_admin", "resident", "building_leader"}) {
    auto c = as(who);
    for (const auto& url : {path + "/votes", path + "/session", path + "/minutes", path + "/minutes?version=1"}) {
      auto r = c.get(url);
      ASSERT_EQ(r.status, 200) << url << r.body;
      auto doc = r.json();
      const auto& vote = url.find("/votes") != std::string::npos    ? doc.at("items").at(0)
                         : url.find("/session") != std::string::npos ? doc.at("last_vote")
                                                                     : doc.at("items").at(0).at("votes").at(0);
      for (const auto& b : vote.at("ballots").as_array()) EXPECT_TRUE(b.at("choice").is_null()) << who << " " << url;
    }
  }
  auto pdf = chair.get(path + "/minutes.pdf");
  ASSERT_EQ(pdf.status, 200);
  auto text = pdf_text(pdf.body);
  EXPECT_NE(text.find("无记名表决"), std::string::npos) << text;
  EXPECT_NE(text.find("已投票"), std::string::npos);
  EXPECT_EQ(text.find("赞成\n"), std::string::npos);
  auto audit = as("audit_admin").get("/api/audit?action=council.ballot&limit=100");
  ASSERT_EQ(audit.status, 200);
  int ours = 0;
  auto meeting_id = std::to_string(called.json().at("id").as_int64());
  auto audit_doc = audit.json();
  for (const auto& e : audit_doc.at("items").as_array())
    if (str(e, "target_id") == meeting_id) {
      ++ours;
      EXPECT_FALSE(choices_in(json::serialize(e))) << json::serialize(e);
    }
  EXPECT_EQ(ours, 3);
  auto db = server_->open_db();
  db->read([&](storage::Tx& tx) {
    auto id = static_cast<std::int64_t>(std::stoll(vote));
    EXPECT_EQ(tx.query_one("SELECT COUNT(*) AS n FROM meeting_ballots WHERE vote_id = $1 AND choice IS NOT NULL", id)->i64("n"), 0);
    EXPECT_EQ(tx.query_one("SELECT COUNT(*) AS n FROM meeting_ballots WHERE vote_id = $1", id)->i64("n"), 3);
    for (const auto& e : tx.query("SELECT data FROM live_events WHERE kind = 'council.session'"))
      EXPECT_EQ(e.str("data").find("choice"), std::string::npos) << e.str("data");
  });
}

TEST_F(CouncilVotes, ViolationsPointsOfOrderAndMinutesSignedVersionedAndPrinted) {
  auto chair = as("community_admin");
  auto council = roundtable(chair);
  auto o = open_with_four(chair, council, "楼道堆物整治议事",
                          json::array{json::object{{"kind", "motion"}, {"title", "楼道堆物限期清理"}, {"minutes", 20}}});
  auto resident = as("resident"), leader = as("building_leader");
  EXPECT_EQ(chair.get(o.path + "/minutes").error_code(), "council.meeting_not_closed");
  // What the software cannot see, the chair records.
  EXPECT_EQ(chair.post(o.path + "/violations", json::serialize(json::object{{"member_id", std::stoll(o.member["张楼长"])}, {"rule", "be_nice"}}))
                .error_code(), "council.bad_rule");
  EXPECT_EQ(resident.post(o.path + "/violations", json::serialize(json::object{{"member_id", std::stoll(o.member["张楼长"])}, {"rule", "no_interrupting"}}))
                .status, 403);
  auto recorded = chair.post(o.path + "/violations", json::serialize(json::object{
      {"member_id", std::stoll(o.member["张楼长"])}, {"rule", "no_interrupting"}, {"note", "打断居民代表发言"}}));
  ASSERT_EQ(recorded.status, 200) << recorded.body;
  EXPECT_EQ(str(recorded.json().at("records").at(0), "rule"), "no_interrupting");
  EXPECT_EQ(chair.post(o.path + "/points-of-order", "{}").error_code(), "council.text_required");
  ASSERT_EQ(chair.post(o.path + "/points-of-order", json::serialize(json::object{
      {"member_id", std::stoll(o.member["居民代表（演示）"])}, {"text", "发言偏离议题"}, {"ruling", "主持人提醒回到议题"}})).status, 200);
  // A speech that runs over, given out of order.
  ASSERT_EQ(resident.post(o.path + "/floor", R"({"side":"pro"})").status, 200);
  ASSERT_EQ(leader.post(o.path + "/floor", R"({"side":"con"})").status, 200);
  auto queue = chair.get(o.path + "/session").json().at("queue").as_array();
  ASSERT_EQ(chair.post(o.path + "/floor/grant", json::serialize(json::object{
      {"request_id", queue.at(1).at("request_id")}, {"reason", "先请楼长介绍现状"}})).status, 200);
  ASSERT_EQ(chair.post(o.path + "/floor/end", "{}").status, 200);
  ASSERT_EQ(chair.post(o.path + "/votes", R"({"method":"hands","for":4,"against":0,"abstain":0})").status, 200);
  ASSERT_EQ(chair.post(o.path + "/close", "{}").status, 200);

  // The record, made from what happened.
  auto draft = chair.get(o.path + "/minutes");
  ASSERT_EQ(draft.status, 200) << draft.body;
  auto d = draft.json();
  EXPECT_EQ(str(d, "status"), "draft");
  EXPECT_EQ(d.at("version").as_int64(), 1);
  EXPECT_TRUE(d.at("may_edit").as_bool());
  auto item = d.at("items").at(0);
  EXPECT_EQ(str(item.at("speeches").at(0), "name"), "张楼长");
  EXPECT_EQ(str(item.at("speeches").at(0), "override_reason"), "先请楼长介绍现状");
  EXPECT_TRUE(item.at("votes").at(0).at("passed").as_bool());
  EXPECT_EQ(item.at("records").as_array().size(), 2u);
  EXPECT_EQ(str(item.at("records").at(0), "rule_text"), "不打断：不打断他人发言");
  EXPECT_EQ(d.at("quorum").at("present").as_int64(), 4);
  EXPECT_FALSE(resident.get(o.path + "/minutes").json().at("may_edit").as_bool());
  EXPECT_EQ(resident.get(o.path + "/minutes?version=1").status, 200);  // the draft before anyone wrote to it
  EXPECT_EQ(resident.get(o.path + "/minutes.pdf").status, 200);

  // Edited and signed by the chair; then fixed — a change is a new version.
  auto body = [](const std::string& summary) {
    return json::serialize(json::object{{"summary", summary},
                                        {"decisions", json::array{json::object{{"text", "12 月 20 日前清理楼道堆物"}, {"owner", "张楼长"}}}}});
  };
  EXPECT_EQ(resident.put(o.path + "/minutes", body("x")).status, 403);
  EXPECT_EQ(chair.put(o.path + "/minutes", R"({"decisions":[{"owner":"x"}]})").error_code(), "request.missing_field");
  ASSERT_EQ(chair.put(o.path + "/minutes", body("会议同意限期清理楼道堆物。")).status, 200);
  auto signed_ = chair.post(o.path + "/minutes/sign", "{}");
  ASSERT_EQ(signed_.status, 200) << signed_.body;
  EXPECT_EQ(str(signed_.json(), "status"), "signed");
  EXPECT_EQ(str(signed_.json(), "signed_by"), str(chair.get("/api/auth/me").json(), "display_name"));
  EXPECT_EQ(chair.post(o.path + "/minutes/sign", "{}").error_code(), "council.minutes_signed");
  auto second = chair.put(o.path + "/minutes", body("会议同意限期清理楼道堆物，物业配合清运。"));
  ASSERT_EQ(second.status, 200);
  EXPECT_EQ(second.json().at("version").as_int64(), 2);
  EXPECT_EQ(str(second.json(), "status"), "draft");
  EXPECT_EQ(second.json().at("versions").as_array().size(), 2u);
  auto first = chair.get(o.path + "/minutes?version=1").json();
  EXPECT_EQ(str(first, "summary"), "会议同意限期清理楼道堆物。");
  EXPECT_EQ(str(first, "status"), "signed");
  EXPECT_EQ(chair.get(o.path + "/minutes?version=9").error_code(), "council.minutes_not_found");

  // On paper, made by the server: its text extracted by poppler.
  auto pdf = resident.get(o.path + "/minutes.pdf?version=1");
  ASSERT_EQ(pdf.status, 200);
  EXPECT_EQ(pdf.body.substr(0, 5), "%PDF-");
  auto text = pdf_text(pdf.body);
  for (const char* expected : {"楼道堆物整治议事", "一、出席情况", "张楼长", "先请楼长介绍现状", "不打断", "发言偏离议题",
                               "会议同意限期清理楼道堆物。", "12 月 20 日前清理楼道堆物", "已签发", "结果：通过"})
    EXPECT_NE(text.find(expected), std::string::npos) << expected << "\n" << text;
  EXPECT_EQ(text.find("物业配合清运"), std::string::npos);  // version 2 is not version 1
}

}  // namespace xh::test
