// Topics (GOV-4): raised by residents on their own places with photos,
// supported once per person (also when the same person taps twice at once),
// reviewed onto a council's agenda, merged with their supporters, or declined
// with a reason the raiser reads; decided in a held meeting or by a closed
// owners' vote whose result is the outcome; followed with progress until done;
// seen by the residents of the place and nobody outside it.
#include <atomic>
#include <thread>

#include "api_test.h"
#include "support/images.h"

namespace xh::test {

namespace {

HttpResponse upload(HttpClient& c, const std::string& bytes) {
  return c.request("POST", "/api/uploads/photos", bytes, {{"Content-Type", "image/jpeg"}, {"X-CSRF-Token", c.csrf}});
}

}  // namespace

class Topics : public ApiTest {
 protected:
  static std::int64_t raise(HttpClient& who, std::int64_t place, const std::string& title,
                            const json::array& photos = {}) {
    auto made = who.post("/api/topics", json::serialize(json::object{
        {"place_id", place}, {"title", title}, {"body", title + "：请社区研究解决"}, {"photos", photos}}));
    EXPECT_EQ(made.status, 201) << made.body;
    return made.status == 201 ? made.json().at("id").as_int64() : 0;
  }
  static std::string path(std::int64_t id) { return "/api/topics/" + std::to_string(id); }
  static std::int64_t id_named(HttpClient who, const std::string& url, const std::string& field,
                               const std::string& name) {
    auto list = who.get(url).json();
    for (const auto& x : list.at("items").as_array())
      if (str(x, field.c_str()) == name) return x.at("id").as_int64();
    return 0;
  }
  static bool listed(HttpClient who, const std::string& query, std::int64_t id) {
    auto list = who.get("/api/topics" + query).json();
    for (const auto& x : list.at("items").as_array())
      if (x.at("id").as_int64() == id) return true;
    return false;
  }
};

TEST_F(Topics, ResidentsRaiseOnTheirOwnPlacesAndOnlyThePlaceSeesThem) {
  auto resident = as("resident");
  auto building = place_id("NC-QX-C1-B1");
  // Not on a household, nor on a place the resident does not live in.
  EXPECT_EQ(resident.post("/api/topics", json::serialize(json::object{
      {"place_id", place_id("NC-QX-C1-B1-U1-101")}, {"title", "x"}, {"body", "y"}})).error_code(), "topic.bad_place");
  auto other_building = place_id("NC-QX-C1-B2");
  ASSERT_GT(other_building, 0);
  EXPECT_EQ(resident.post("/api/topics", json::serialize(json::object{
      {"place_id", other_building}, {"title", "x"}, {"body", "y"}})).error_code(), "topic.bad_place");
  EXPECT_EQ(resident.post("/api/topics", json::serialize(json::object{
      {"place_id", building}, {"title", ""}, {"body", "y"}})).error_code(), "request.missing_field");
  EXPECT_EQ(resident.post("/api/topics", json::serialize(json::object{
      {"place_id", building}, {"title", "x"}, {"body", "y"}, {"photos", json::array{std::string(64, 'a')}}}))
                .error_code(), "photo.not_yours");
  EXPECT_EQ(resident.post("/api/topics", R"({"place_id":1,"title":"x","body":"y","color":"red"})").error_code(),
            "request.unknown_field");

  auto up = upload(resident, halves_jpeg(64, 48));
  ASSERT_EQ(up.status, 201) << up.body;
  auto photo = str(up.json(), "id");
  auto id = raise(resident, building, "1号楼单元门禁经常失灵", json::array{json::string(photo)});
  auto t = resident.get(path(id)).json();
  EXPECT_EQ(str(t, "status"), "raised");
  EXPECT_TRUE(t.at("mine").as_bool());
  EXPECT_FALSE(t.at("may_support").as_bool());
  EXPECT_EQ(str(t.at("photos").at(0), "id"), photo);

  // Its building's leader, the community's staff and volunteers see it, and its photo; the raiser's name is masked
  // for neighbours, in full for staff.
  auto leader = as("building_leader");
  auto seen = leader.get(path(id)).json();
  EXPECT_NE(str(seen, "raiser"), str(t, "raiser"));
  EXPECT_NE(str(seen, "raiser").find("*"), std::string::npos);
  EXPECT_EQ(str(as("community_admin").get(path(id)).json(), "raiser"), str(t, "raiser"));
  EXPECT_EQ(leader.get("/api/photos/" + photo).status, 200);
  EXPECT_EQ(as("volunteer").get("/api/photos/" + photo + "?size=thumb").status, 200);
  EXPECT_TRUE(listed(leader, "?status=open", id));
  // Another community's staff reach neither the topic nor its photo, and do not find it in their list.
  auto other = elsewhere();
  EXPECT_EQ(other.get(path(id)).error_code(), "topic.not_found");
  EXPECT_EQ(other.get("/api/photos/" + photo).status, 403);
  EXPECT_FALSE(listed(other, "", id));
  EXPECT_EQ(other.post(path(id) + "/support", "{}").error_code(), "topic.not_found");
  // Filters are checked; the search takes the text as written (a % is a %).
  EXPECT_EQ(as("street_admin").get("/api/topics?status=closed").status, 400);
  EXPECT_TRUE(listed(as("street_admin"), "?q=%E9%97%A8%E7%A6%81", id));
  EXPECT_FALSE(listed(as("street_admin"), "?q=%E9%97%A8%E7%A6%81%25", id));
  EXPECT_GE(audit_count("topic.raise"), 1);
}

TEST_F(Topics, OneSupportPerPersonEvenWhenTappedTwiceAtOnce) {
  auto resident = as("resident");
  auto id = raise(resident, place_id("NC-QX-C1"), "小区垃圾分类点太远");
  EXPECT_EQ(resident.post(path(id) + "/support", "{}").error_code(), "topic.own");

  // Eight taps of one volunteer at once: one support.
  auto volunteer = as("volunteer");
  std::atomic<int> ok{0}, twice{0};
  std::vector<std::thread> taps;
  for (int i = 0; i < 8; ++i)
    taps.emplace_back([&, c = volunteer]() mutable {
      auto r = c.post(path(id) + "/support", "{}");
      if (r.status == 200) ++ok;
      if (r.error_code() == "topic.supported") ++twice;
    });
  for (auto& t : taps) t.join();
  EXPECT_EQ(ok.load(), 1);
  EXPECT_EQ(twice.load(), 7);
  // Four people at once: four supports, none lost.
  std::vector<std::thread> people;
  for (const char* who : {"building_leader", "grid_worker", "partner_admin", "community_admin"})
    people.emplace_back([&, c = as(who)]() mutable { EXPECT_EQ(c.post(path(id) + "/support", "{}").status, 200); });
  for (auto& t : people) t.join();
  auto t = volunteer.get(path(id)).json();
  EXPECT_EQ(t.at("supports").as_int64(), 5);
  EXPECT_TRUE(t.at("supported").as_bool());
  // Withdrawn once.
  EXPECT_EQ(volunteer.del(path(id) + "/support").json().at("supports").as_int64(), 4);
  EXPECT_EQ(volunteer.del(path(id) + "/support").error_code(), "topic.not_supported");
  EXPECT_TRUE(listed(volunteer, "?sort=-supports", id));
  EXPECT_TRUE(listed(as("building_leader"), "?mine=true", id));
  EXPECT_FALSE(listed(volunteer, "?mine=true", id));
}

TEST_F(Topics, ReviewedOntoAnAgendaMergedOrDeclinedWithAReasonTheRaiserReads) {
  auto resident = as("resident");
  auto staff = as("community_admin");
  auto compound = place_id("NC-QX-C1");
  auto council = id_named(staff, "/api/councils", "name", "泉星社区圆桌议事会");
  auto coming = id_named(staff, "/api/meetings?when=upcoming", "title", "泉星花园加装电梯意愿征集议事会");
  ASSERT_GT(council, 0);
  ASSERT_GT(coming, 0);
  // The councils a topic of the compound may go to: the community's round table (over it), not another's.
  EXPECT_GT(id_named(staff, "/api/councils?place_id=" + std::to_string(compound), "name", "泉星社区圆桌议事会"), 0);
  EXPECT_EQ(id_named(as("street_admin"), "/api/councils?place_id=" + std::to_string(place_id("NC-GSH-C1")), "name",
                     "泉星社区圆桌议事会"),
            0);
  EXPECT_EQ(staff.get("/api/councils?place_id=999999").status, 400);

  // Accepted onto next week's meeting: the meeting's agenda gains it, and the raiser hears.
  auto a = raise(resident, compound, "增设小区公共晾衣区");
  EXPECT_EQ(resident.post(path(a) + "/review", R"({"action":"decline","reason":"x"})").status, 403);
  EXPECT_EQ(staff.post(path(a) + "/review", R"({"action":"approve"})").error_code(), "topic.bad_action");
  EXPECT_EQ(staff.post(path(a) + "/review", R"({"action":"decline"})").error_code(), "topic.reason_required");
  EXPECT_EQ(staff.post(path(a) + "/review", json::serialize(json::object{{"action", "merge"}, {"into_id", a}}))
                .error_code(), "topic.bad_merge");
  EXPECT_EQ(staff.post(path(a) + "/review", json::serialize(json::object{
      {"action", "accept"}, {"council_id", council}, {"meeting_id", coming}, {"minutes", 0}})).error_code(),
      "topic.bad_minutes");
  auto items_before = staff.get("/api/meetings/" + std::to_string(coming)).json().at("agenda").as_array().size();
  auto heard_before = inbox_count(resident, "topic.reviewed");
  auto accepted = staff.post(path(a) + "/review", json::serialize(json::object{
      {"action", "accept"}, {"council_id", council}, {"meeting_id", coming}, {"minutes", 10}}));
  ASSERT_EQ(accepted.status, 200) << accepted.body;
  auto at = accepted.json();
  EXPECT_EQ(str(at, "status"), "accepted");
  EXPECT_EQ(at.at("meeting").at("id").as_int64(), coming);
  auto agenda = staff.get("/api/meetings/" + std::to_string(coming)).json().at("agenda").as_array();
  ASSERT_EQ(agenda.size(), items_before + 1);
  EXPECT_EQ(str(agenda.back(), "title"), "增设小区公共晾衣区");
  EXPECT_EQ(agenda.back().at("minutes").as_int64(), 10);
  EXPECT_EQ(inbox_count(resident, "topic.reviewed"), heard_before + 1);
  EXPECT_EQ(staff.post(path(a) + "/review", R"({"action":"decline","reason":"x"})").error_code(), "topic.not_raised");

  // Merged: the merged topic's raiser and supporters now support the one it joined.
  auto volunteer = as("volunteer");
  auto b = raise(volunteer, compound, "小区里能不能有地方晒被子");
  ASSERT_EQ(as("building_leader").post(path(b) + "/support", "{}").status, 200);
  auto before = staff.get(path(a)).json().at("supports").as_int64();
  auto merged = staff.post(path(b) + "/review", json::serialize(json::object{
      {"action", "merge"}, {"into_id", a}, {"reason", "与「增设小区公共晾衣区」相同"}}));
  ASSERT_EQ(merged.status, 200) << merged.body;
  EXPECT_EQ(str(merged.json(), "status"), "merged");
  EXPECT_EQ(merged.json().at("merged_into").at("id").as_int64(), a);
  auto joined = staff.get(path(a)).json();
  EXPECT_EQ(joined.at("supports").as_int64(), before + 2);
  EXPECT_EQ(joined.at("merged").at(0).at("id").as_int64(), b);
  EXPECT_TRUE(volunteer.get(path(a)).json().at("supported").as_bool());
  EXPECT_EQ(volunteer.post(path(b) + "/support", "{}").error_code(), "topic.own");
  EXPECT_EQ(as("grid_worker").post(path(b) + "/support", "{}").error_code(), "topic.closed");

  // Declined: the raiser reads why.
  auto c = raise(resident, compound, "把小区改成封闭式管理");
  ASSERT_EQ(staff.post(path(c) + "/review", json::serialize(json::object{
      {"action", "decline"}, {"reason", "小区已实行门禁管理，另有诉求请走随手拍"}})).status, 200);
  auto declined = resident.get(path(c)).json();
  EXPECT_EQ(str(declined, "status"), "declined");
  EXPECT_EQ(str(declined, "reason"), "小区已实行门禁管理，另有诉求请走随手拍");
  auto inbox = resident.get("/api/inbox?limit=5").json();
  bool told = false;
  for (const auto& x : inbox.at("items").as_array())
    told = told || str(x, "text") == "议题「把小区改成封闭式管理」未予采纳：小区已实行门禁管理，另有诉求请走随手拍";
  EXPECT_TRUE(told);
  EXPECT_EQ(as("volunteer").post(path(c) + "/support", "{}").error_code(), "topic.closed");
}

TEST_F(Topics, DecidedInAHeldMeetingAndFollowedUntilDone) {
  auto resident = as("resident");
  auto staff = as("community_admin");
  auto held = id_named(staff, "/api/meetings?when=past", "title", "泉星花园老旧小区改造方案议事会");
  auto coming = id_named(staff, "/api/meetings?when=upcoming", "title", "泉星花园加装电梯意愿征集议事会");
  ASSERT_GT(held, 0);
  auto id = raise(resident, place_id("NC-QX-C1"), "单元门口加装无障碍坡道");
  auto decide = [&](json::object body) { return staff.post(path(id) + "/decision", json::serialize(body)); };
  EXPECT_EQ(decide({{"outcome", "adopted"}, {"text", "同意"}, {"meeting_id", coming}, {"carrier", "物业"}})
                .error_code(), "topic.meeting_not_held");
  EXPECT_EQ(decide({{"outcome", "adopted"}, {"text", "同意"}, {"meeting_id", held}}).error_code(),
            "topic.carrier_required");
  EXPECT_EQ(decide({{"outcome", "adopted"}, {"text", "同意"}, {"carrier", "物业"}}).error_code(), "topic.bad_forum");
  EXPECT_EQ(decide({{"outcome", "maybe"}, {"text", "同意"}, {"meeting_id", held}}).error_code(), "topic.bad_outcome");
  EXPECT_EQ(resident.post(path(id) + "/decision", R"({"outcome":"adopted","text":"x","carrier":"y"})").status, 403);
  EXPECT_EQ(staff.post(path(id) + "/updates", R"({"text":"x","progress":10})").error_code(), "topic.not_decided");
  auto decided = decide({{"outcome", "adopted"},
                         {"text", "议事会通过：1号楼各单元门口加装无障碍坡道"},
                         {"meeting_id", held},
                         {"carrier", "山东双城环境服务有限公司"}});
  ASSERT_EQ(decided.status, 200) << decided.body;
  auto d = decided.json();
  EXPECT_EQ(str(d, "status"), "decided");
  EXPECT_EQ(str(d.at("decision"), "outcome"), "adopted");
  EXPECT_EQ(d.at("decision").at("meeting").at("id").as_int64(), held);
  EXPECT_TRUE(d.at("may_update").as_bool());
  EXPECT_EQ(decide({{"outcome", "adopted"}, {"text", "x"}, {"meeting_id", held}, {"carrier", "y"}}).error_code(),
            "topic.not_open");

  // Progress with a photo, never backwards; done at 100, and the raiser hears.
  auto up = upload(staff, halves_jpeg(80, 60));
  ASSERT_EQ(up.status, 201);
  auto photo = str(up.json(), "id");
  auto step = staff.post(path(id) + "/updates", json::serialize(json::object{
      {"text", "坡道已施工一半"}, {"progress", 50}, {"photos", json::array{json::string(photo)}}}));
  ASSERT_EQ(step.status, 201) << step.body;
  EXPECT_EQ(step.json().at("progress").as_int64(), 50);
  EXPECT_EQ(resident.get("/api/photos/" + photo).status, 200);  // the topic's residents see its progress photos
  EXPECT_EQ(staff.post(path(id) + "/updates", R"({"text":"x","progress":40})").error_code(), "topic.bad_progress");
  EXPECT_EQ(staff.post(path(id) + "/updates", R"({"text":"x","progress":90,"done":true})").error_code(),
            "topic.bad_progress");
  auto heard = inbox_count(resident, "topic.done");
  auto done = staff.post(path(id) + "/updates", R"({"text":"坡道已全部完工并验收","done":true})");
  ASSERT_EQ(done.status, 201) << done.body;
  auto t = resident.get(path(id)).json();
  EXPECT_EQ(str(t, "status"), "done");
  EXPECT_EQ(t.at("progress").as_int64(), 100);
  EXPECT_FALSE(t.at("done_at").is_null());
  auto updates = t.at("updates").as_array();
  ASSERT_EQ(updates.size(), 3u);
  EXPECT_EQ(str(updates.at(0), "kind"), "decided");
  EXPECT_EQ(str(updates.at(1).at("photos").at(0), "id"), photo);
  EXPECT_EQ(str(updates.at(2), "kind"), "done");
  EXPECT_EQ(inbox_count(resident, "topic.done"), heard + 1);
  EXPECT_EQ(staff.post(path(id) + "/updates", R"({"text":"x","progress":100})").error_code(), "topic.not_decided");
  EXPECT_TRUE(listed(resident, "?status=done", id));
  EXPECT_GE(audit_count("topic.done"), 1);
}

TEST_F(Topics, DecidedByAnOwnersVoteWhoseResultIsTheOutcome) {
  auto resident = as("resident");
  auto staff = as("community_admin");
  auto building = place_id("NC-QX-C1-B1");
  auto id = raise(resident, building, "1号楼外墙保温改造");
  auto made = staff.post("/api/owner-votes", json::serialize(json::object{
      {"place_id", building}, {"title", "1号楼外墙保温改造表决"}, {"matter", "rebuild_or_renovate"},
      {"closes_at", "2030-01-31T18:00:00+08:00"}}));
  ASSERT_EQ(made.status, 201) << made.body;
  auto vote = made.json().at("id").as_int64();
  auto vpath = "/api/owner-votes/" + std::to_string(vote);
  auto decide = [&](const std::string& outcome) {
    return staff.post(path(id) + "/decision", json::serialize(json::object{
        {"outcome", outcome}, {"text", "业主表决结果"}, {"owner_vote_id", vote}, {"carrier", "物业"}}));
  };
  EXPECT_EQ(decide("adopted").error_code(), "topic.vote_not_closed");
  ASSERT_EQ(staff.post(vpath + "/open", "{}").status, 200);
  ASSERT_EQ(resident.post(vpath + "/ballot", R"({"choice":"agree"})").status, 200);
  ASSERT_EQ(staff.post(vpath + "/close", "{}").status, 200);
  // One owner of many took part: under two thirds, not passed — the topic cannot be called adopted.
  EXPECT_FALSE(staff.get(vpath).json().at("result").at("passed").as_bool());
  EXPECT_EQ(decide("adopted").error_code(), "topic.vote_outcome");
  auto rejected = decide("rejected");
  ASSERT_EQ(rejected.status, 200) << rejected.body;
  EXPECT_EQ(str(rejected.json(), "status"), "rejected");
  EXPECT_EQ(rejected.json().at("decision").at("owner_vote").at("id").as_int64(), vote);
  // A vote elsewhere is not this topic's.
  auto other = raise(resident, place_id("NC-QX-C1"), "小区道路重新铺设");
  auto vote_elsewhere = staff.post("/api/owner-votes", json::serialize(json::object{
      {"place_id", place_id("NC-QX-C1-B2")}, {"title", "2号楼表决"}, {"matter", "other_major"},
      {"closes_at", "2030-01-31T18:00:00+08:00"}}));
  ASSERT_EQ(vote_elsewhere.status, 201);
  (void)other;
  auto b2 = raise(resident, building, "1号楼楼顶防水");
  EXPECT_EQ(staff.post(path(b2) + "/decision", json::serialize(json::object{
      {"outcome", "rejected"}, {"text", "x"}, {"owner_vote_id", vote_elsewhere.json().at("id").as_int64()}}))
                .error_code(), "topic.bad_vote");
}

TEST_F(Topics, TwoReviewsAtOnceReviewItOnce) {
  auto staff = as("community_admin");
  auto resident = as("resident");
  auto id = raise(resident, place_id("NC-QX-C1"), "小区快递柜增设雨棚");
  auto council = id_named(staff, "/api/councils", "name", "泉星社区圆桌议事会");
  auto heard = inbox_count(as("resident"), "topic.reviewed");
  std::atomic<int> done{0}, refused{0};
  std::vector<std::thread> reviews;
  for (int i = 0; i < 4; ++i)
    reviews.emplace_back([&, i, c = as(i % 2 ? "street_admin" : "community_admin")]() mutable {
      auto body = i < 2 ? json::serialize(json::object{{"action", "accept"}, {"council_id", council}})
                        : std::string(R"({"action":"decline","reason":"已有同类议题"})");
      auto r = c.post(path(id) + "/review", body);
      if (r.status == 200) ++done;
      if (r.error_code() == "topic.not_raised") ++refused;
    });
  for (auto& t : reviews) t.join();
  EXPECT_EQ(done.load(), 1);
  EXPECT_EQ(refused.load(), 3);
  EXPECT_EQ(inbox_count(as("resident"), "topic.reviewed"), heard + 1);  // told once
  EXPECT_EQ(staff.get(path(id)).json().at("updates").as_array().size(), 1u);
}

}  // namespace xh::test
