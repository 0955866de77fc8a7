// Owners' votes in the app (GOV-5): called on a building, the roll frozen at
// the opening with the developer's units and one buyer's units counted as one
// owner each, a ballot per owner with its receipt, turnout and the units not
// yet voted for those who knock on doors, the result decided by the same
// count as `xinghuo votes tally`, and a secret vote that never tells how.
#include <algorithm>
#include <map>
#include <thread>

#include "api_test.h"
#include "support/pdf.h"
#include "support/images.h"
#include "core/crypto.h"
#include "places/places.h"
#include "votes/tally.h"

namespace xh::test {

class OwnerVotes : public ApiTest {
 protected:
  // The scheduler looks for due jobs five times a second (a vote closes at its deadline).
  static void SetUpTestSuite() {
    server_ = std::make_unique<TestServer>(std::vector<std::string>{"--scheduler-interval-ms", "200"});
  }
  struct Home {
    std::int64_t household = 0, building = 0, compound = 0;
  };
  // The demo resident's household and the building and compound it is in.
  static Home home() {
    auto mine = as("resident").get("/api/places/mine").json();
    Home h;
    h.household = mine.at("items").at(0).at("place").at("id").as_int64();
    for (const auto& a : mine.at("items").at(0).at("ancestors").as_array()) {
      if (str(a, "kind") == "building") h.building = a.at("id").as_int64();
      if (str(a, "kind") == "compound") h.compound = a.at("id").as_int64();
    }
    return h;
  }
  static json::object call(HttpClient& staff, std::int64_t place, const std::string& title, const std::string& matter,
                           bool secret) {
    auto made = staff.post("/api/owner-votes", json::serialize(json::object{
        {"place_id", place}, {"title", title}, {"matter", matter}, {"secret", secret},
        {"closes_at", "2030-01-31T18:00:00+08:00"}}));
    EXPECT_EQ(made.status, 201) << made.body;
    return made.json().as_object();
  }
};

TEST_F(OwnerVotes, TheRollIsFrozenOwnersVoteOnceAndTheCountIsTheCommandsCount) {
  auto staff = as("community_admin");
  Home h = home();
  ASSERT_GT(h.building, 0);
  // Checked when called.
  EXPECT_EQ(staff.post("/api/owner-votes", json::serialize(json::object{
      {"place_id", h.household}, {"title", "x"}, {"matter", "other_major"}, {"closes_at", "2030-01-31T18:00:00+08:00"}}))
                .error_code(), "vote.bad_place");
  EXPECT_EQ(staff.post("/api/owner-votes", json::serialize(json::object{
      {"place_id", h.building}, {"title", "x"}, {"matter", "paint"}, {"closes_at", "2030-01-31T18:00:00+08:00"}}))
                .error_code(), "vote.bad_matter");
  EXPECT_EQ(staff.post("/api/owner-votes", json::serialize(json::object{
      {"place_id", h.building}, {"title", "x"}, {"matter", "other_major"}, {"closes_at", "2020-01-31T18:00:00+08:00"}}))
                .error_code(), "vote.bad_time");
  EXPECT_EQ(as("resident").post("/api/owner-votes", json::serialize(json::object{
      {"place_id", h.building}, {"title", "x"}, {"matter", "other_major"}, {"closes_at", "2030-01-31T18:00:00+08:00"}}))
                .status, 403);
  auto draft = call(staff, h.building, "加装电梯意愿征集", "rebuild_or_renovate", false);
  auto path = "/api/owner-votes/" + std::to_string(draft.at("id").as_int64());
  auto households = draft.at("roll").at("households").as_int64();
  ASSERT_GE(households, 4);
  EXPECT_EQ(draft.at("roll").at("total_owners").as_int64(), households);
  EXPECT_EQ(str(draft, "kind"), "special");

  // The roll's marks: two units of the developer, two of one buyer → two owners fewer.
  auto pending_before = staff.get(path + "/pending?limit=100").json();
  std::vector<std::int64_t> others;
  for (const auto& u : pending_before.at("items").as_array())
    if (u.at("household_id").as_int64() != h.household) others.push_back(u.at("household_id").as_int64());
  // A draft has no frozen roll: nobody is pending yet. Read the households from the places instead.
  if (others.empty()) {
    auto under = staff.get("/api/places?parent_id=" + std::to_string(h.building) + "&limit=100").json();
    for (const auto& unit : under.at("items").as_array()) {
      auto hs = staff.get("/api/places?parent_id=" + std::to_string(unit.at("id").as_int64()) + "&limit=100").json();
      for (const auto& x : hs.at("items").as_array())
        if (str(x, "kind") == "household" && x.at("id").as_int64() != h.household) others.push_back(x.at("id").as_int64());
    }
  }
  ASSERT_GE(others.size(), 4u);
  auto mark = [&](std::int64_t household, const json::object& body) {
    return staff.put("/api/roll-marks/" + std::to_string(household), json::serialize(body));
  };
  ASSERT_EQ(mark(others[0], {{"developer", true}}).status, 200);
  ASSERT_EQ(mark(others[1], {{"developer", true}}).status, 200);
  ASSERT_EQ(mark(others[2], {{"buyer", "李某"}}).status, 200);
  ASSERT_EQ(mark(others[3], {{"buyer", "李某"}}).status, 200);
  EXPECT_EQ(as("resident").put("/api/roll-marks/" + std::to_string(others[0]), R"({"developer":true})").status, 403);
  EXPECT_EQ(staff.get(path).json().at("roll").at("total_owners").as_int64(), households - 2);

  // A draft is the staff's: the owners see it once it opens. Then frozen: a mark changed later does not move
  // the count.
  EXPECT_EQ(as("resident").get(path).error_code(), "vote.not_found");
  EXPECT_EQ(as("resident").post(path + "/ballot", R"({"choice":"agree"})").error_code(), "vote.not_found");
  EXPECT_EQ(as("building_leader").post(path + "/open", "{}").status, 404);
  auto resident_list = as("resident").get("/api/owner-votes").json();
  for (const auto& v : resident_list.at("items").as_array()) EXPECT_NE(str(v, "status"), "draft");
  auto opened = staff.post(path + "/open", "{}");
  ASSERT_EQ(opened.status, 200) << opened.body;
  EXPECT_EQ(staff.post(path + "/open", "{}").error_code(), "vote.not_draft");
  ASSERT_EQ(mark(others[2], {{"buyer", ""}}).status, 200);
  EXPECT_EQ(staff.get(path).json().at("roll").at("total_owners").as_int64(), households - 2);

  // The street reaches it, and the grid worker whose grid governs the building (a grid is no ancestor of a
  // building: it governs it by its grid path); another community's staff reach nothing of it.
  EXPECT_EQ(as("street_admin").get(path).status, 200);
  EXPECT_EQ(as("grid_worker").get(path).status, 200);
  bool listed = false;
  auto grid_list = as("grid_worker").get("/api/owner-votes").json();
  for (const auto& v : grid_list.at("items").as_array()) listed = listed || str(v, "title") == "加装电梯意愿征集";
  EXPECT_TRUE(listed);
  auto other = elsewhere();
  EXPECT_EQ(other.get(path).status, 404);
  EXPECT_EQ(other.get(path + "/pending").status, 404);
  EXPECT_EQ(other.post(path + "/close", "{}").status, 404);
  auto other_list = other.get("/api/owner-votes").json();
  for (const auto& v : other_list.at("items").as_array()) EXPECT_NE(str(v, "title"), "加装电梯意愿征集");
  // The resident votes once, with a receipt; two presses at once: one ballot.
  auto resident = as("resident");
  EXPECT_TRUE(resident.get(path).json().at("me").at("may_vote").as_bool());
  EXPECT_EQ(resident.post(path + "/ballot", R"({"choice":"maybe"})").error_code(), "vote.bad_choice");
  std::vector<HttpResponse> answers(2);
  std::thread a([&] { answers[0] = resident.post(path + "/ballot", R"({"choice":"agree"})"); });
  std::thread b([&] { answers[1] = as("resident").post(path + "/ballot", R"({"choice":"disagree"})"); });
  a.join();
  b.join();
  std::vector<int> statuses{answers[0].status, answers[1].status};
  std::sort(statuses.begin(), statuses.end());
  EXPECT_EQ(statuses, (std::vector<int>{200, 409}));
  const auto& won = answers[0].status == 200 ? answers[0] : answers[1];
  auto receipt = str(won.json(), "receipt");
  EXPECT_EQ(receipt.size(), 16u);
  auto after = resident.get(path).json();
  EXPECT_TRUE(after.at("me").at("voted").as_bool());
  EXPECT_FALSE(after.at("me").at("may_vote").as_bool());
  EXPECT_EQ(after.at("participating").at("owners").as_int64(), 1);
  // Someone who is no owner on this roll.
  EXPECT_EQ(as("building_leader").post(path + "/ballot", R"({"choice":"agree"})").error_code(), "vote.not_owner");

  // The doors to knock on: every unit but the resident's, owners' names masked.
  auto pending = as("building_leader").get(path + "/pending?limit=500");
  ASSERT_EQ(pending.status, 200) << pending.body;
  auto left = pending.json();
  EXPECT_EQ(left.at("total").as_int64(), households - 1);
  for (const auto& u : left.at("items").as_array()) {
    EXPECT_NE(u.at("household_id").as_int64(), h.household);
    for (const auto& o : u.at("owners").as_array()) EXPECT_NE(std::string(o.as_string()).find("**"), std::string::npos);
  }
  EXPECT_EQ(resident.get(path + "/pending").status, 403);
  // Printed for the doors: a CSV of the same units.
  auto csv = as("building_leader").get(path + "/pending?format=csv&limit=500");
  ASSERT_EQ(csv.status, 200) << csv.body;
  EXPECT_NE(csv.body.find("楼栋"), std::string::npos);
  EXPECT_NE(csv.body.find("**"), std::string::npos);  // the owners' names masked there too
  EXPECT_EQ(std::count(csv.body.begin(), csv.body.end(), '\n'), households);  // a header and a line a unit
  EXPECT_EQ(as("grid_worker").get(path + "/pending?limit=500").json().at("total").as_int64(), households - 1);
  // Turnout by building, live.
  auto turnout = staff.get(path).json().at("turnout").as_array();
  ASSERT_EQ(turnout.size(), 1u);
  EXPECT_EQ(turnout[0].at("voted_units").as_int64(), 1);

  // Closed and decided — exactly as the command counts the frozen roll and the ballots.
  EXPECT_EQ(staff.get(path + "/receipts").error_code(), "vote.not_closed");
  auto closed = staff.post(path + "/close", "{}");
  ASSERT_EQ(closed.status, 200) << closed.body;
  auto result = closed.json().at("result");
  EXPECT_FALSE(result.at("quorum_met").as_bool());
  EXPECT_EQ(resident.post(path + "/ballot", R"({"choice":"agree"})").error_code(), "vote.not_open");
  auto db = server_->open_db();
  std::string file;
  db->read([&](storage::Tx& tx) {
    auto id = draft.at("id").as_int64();
    json::array units;
    for (const auto& r : tx.query("SELECT household_id, area, owner_key FROM owner_vote_roll WHERE vote_id = $1", id))
      units.push_back({{"unit", std::to_string(r.i64("household_id"))}, {"area", places::format_area(r.i64("area"))}, {"owner", r.str("owner_key")}});
    json::object ballots;
    for (const auto& r : tx.query("SELECT owner_key, choice FROM owner_ballots WHERE vote_id = $1", id)) ballots[r.str("owner_key")] = r.str("choice");
    file = json::serialize(json::object{{"matter", "rebuild_or_renovate"}, {"units", units}, {"ballots", ballots}});
  });
  auto reference = votes::to_json(votes::tally_json(file), Lang::zh_CN);
  EXPECT_EQ(json::serialize(result), json::serialize(reference));
  EXPECT_EQ(result.at("total_owners").as_int64(), households - 2);
  // The receipt's hash is published; the receipt itself is not.
  auto receipts = resident.get(path + "/receipts").json().at("receipts").as_array();
  ASSERT_EQ(receipts.size(), 1u);
  EXPECT_EQ(std::string(receipts[0].as_string()), sha256_hex(receipt));
}

TEST_F(OwnerVotes, ASecretOwnersVoteKeepsWhoNotHow) {
  auto staff = as("community_admin");
  Home h = home();
  auto draft = call(staff, h.building, "更换物业服务企业", "hire_property_service", true);
  auto id = draft.at("id").as_int64();
  auto path = "/api/owner-votes/" + std::to_string(id);
  ASSERT_EQ(staff.post(path + "/open", "{}").status, 200);
  auto resident = as("resident");
  ASSERT_EQ(resident.post(path + "/ballot", R"({"choice":"disagree"})").status, 200);
  auto mine = resident.get(path).json();
  EXPECT_TRUE(mine.at("me").at("voted").as_bool());
  EXPECT_TRUE(mine.at("me").at("choice").is_null());
  ASSERT_EQ(staff.post(path + "/close", "{}").status, 200);
  auto result = staff.get(path).json().at("result");
  EXPECT_EQ(result.at("participating_owners").as_int64(), 1);
  EXPECT_EQ(result.at("agreeing_owners").as_int64(), 0);
  auto db = server_->open_db();
  db->read([&](storage::Tx& tx) {
    EXPECT_TRUE(tx.query_one("SELECT choice FROM owner_ballots WHERE vote_id = $1", id)->is_null("choice"));
    for (const auto& e : tx.query("SELECT data FROM live_events WHERE topic = $1", "owner_vote:" + std::to_string(id)))
      EXPECT_EQ(e.str("data").find("disagree"), std::string::npos) << e.str("data");
  });
  auto audit = as("audit_admin").get("/api/audit?action=owner_vote.ballot&limit=100");
  ASSERT_EQ(audit.status, 200);
  auto audit_doc = audit.json();
  int ours = 0;
  for (const auto& e : audit_doc.at("items").as_array())
    if (str(e, "target_id") == std::to_string(id)) {
      ++ours;
      EXPECT_EQ(json::serialize(e).find("disagree"), std::string::npos) << json::serialize(e);
    }
  EXPECT_EQ(ours, 1);
}

TEST_F(OwnerVotes, PaperBallotsCountOnceASecondPersonConfirmsAndAnOwnersOwnVoteBeatsTheirProxy) {
  auto first = as("community_admin"), second = as("street_admin");
  Home h = home();
  auto draft = call(first, h.building, "楼道照明改造维修资金使用", "use_maintenance_fund", true);
  auto id = draft.at("id").as_int64();
  auto path = "/api/owner-votes/" + std::to_string(id);
  ASSERT_EQ(first.post(path + "/open", "{}").status, 200);
  // Two households that are owners of their own (not the developer's, nor one buyer's).
  std::vector<std::int64_t> others;
  server_->open_db()->read([&](storage::Tx& tx) {
    for (const auto& r : tx.query("SELECT household_id FROM owner_vote_roll WHERE vote_id = $1 AND owner_key LIKE 'h:%' "
                                  "AND household_id <> $2 ORDER BY household_id LIMIT 2", id, h.household))
      others.push_back(r.i64("household_id"));
  });
  ASSERT_EQ(others.size(), 2u);
  auto enter = [&](HttpClient& who, std::int64_t household, const json::object& more) {
    json::object body{{"household_id", household}};
    for (const auto& [k, v] : more) body[k] = v;
    return who.post(path + "/paper", json::serialize(body));
  };
  auto participating = [&] { return first.get(path).json().at("participating").at("owners").as_int64(); };

  // A paper ballot: entered once, then read again by someone else.
  EXPECT_EQ(enter(first, others[0], {{"kind", "paper"}, {"choice", "yes"}}).error_code(), "vote.bad_choice");
  EXPECT_EQ(enter(first, others[0], {{"kind", "proxy"}, {"choice", "agree"}}).error_code(), "vote.proxy_name");
  EXPECT_EQ(as("resident").post(path + "/paper", json::serialize(json::object{{"household_id", others[0]}, {"kind", "paper"}, {"choice", "agree"}})).status, 403);
  auto paper = enter(first, others[0], {{"kind", "paper"}, {"choice", "agree"}});
  ASSERT_EQ(paper.status, 201) << paper.body;
  auto entry = std::to_string(paper.json().at("id").as_int64());
  EXPECT_EQ(enter(first, others[0], {{"kind", "paper"}, {"choice", "agree"}}).error_code(), "vote.entry_waiting");
  EXPECT_EQ(participating(), 0);  // not counted before a second person reads it
  EXPECT_EQ(first.post(path + "/paper/" + entry + "/confirm", R"({"choice":"agree"})").error_code(), "vote.same_person");
  auto differs = second.post(path + "/paper/" + entry + "/confirm", R"({"choice":"disagree"})");
  ASSERT_EQ(differs.status, 200) << differs.body;
  EXPECT_EQ(str(differs.json().at("entry"), "status"), "disputed");
  EXPECT_EQ(str(differs.json().at("entry"), "note"), "entries_differ");  // a key, worded in the reader's language
  EXPECT_TRUE(differs.json().at("receipt").is_null());
  EXPECT_EQ(participating(), 0);
  // The list keeps a waiting entry's reading to itself: the next reader reads the paper blind.
  auto waiting = first.get(path + "/paper").json();
  for (const auto& e : waiting.at("items").as_array())
    if (std::to_string(e.at("id").as_int64()) == entry) EXPECT_TRUE(e.at("choice").is_null());
  // The differing reading is now the one to check, by anyone but its reader — the first clerk too, who reads
  // the paper again; until two readings in a row agree, nothing counts.
  EXPECT_EQ(second.post(path + "/paper/" + entry + "/confirm", R"({"choice":"agree"})").error_code(), "vote.same_person");
  auto again = first.post(path + "/paper/" + entry + "/confirm", R"({"choice":"agree"})");
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(str(again.json().at("entry"), "status"), "disputed");
  EXPECT_EQ(participating(), 0);
  auto counted = second.post(path + "/paper/" + entry + "/confirm", R"({"choice":"agree"})");
  ASSERT_EQ(counted.status, 200) << counted.body;
  EXPECT_EQ(str(counted.json().at("entry"), "status"), "counted");
  EXPECT_TRUE(counted.json().at("entry").at("choice").is_null());  // a secret vote forgets it once counted
  EXPECT_EQ(str(counted.json(), "receipt").size(), 16u);
  EXPECT_EQ(participating(), 1);
  EXPECT_EQ(second.post(path + "/paper/" + entry + "/confirm", R"({"choice":"agree"})").error_code(), "vote.entry_settled");

  // A written proxy, with the photo of its document: checked, then counted at the close — unless the owner votes
  // first. The photo is the vote's staff's alone (a paper of a secret vote shows how its owner voted).
  auto up = first.request("POST", "/api/uploads/photos", halves_jpeg(64, 48),
                          {{"Content-Type", "image/jpeg"}, {"X-CSRF-Token", first.csrf}});
  ASSERT_EQ(up.status, 201) << up.body;
  auto photo = str(up.json(), "id");
  EXPECT_EQ(enter(second, others[1], {{"kind", "proxy"}, {"choice", "disagree"}, {"proxy_name", "张受托"},
                                      {"photos", json::array{json::string(photo)}}}).error_code(), "photo.not_yours");
  auto proxy = enter(first, others[1], {{"kind", "proxy"}, {"choice", "disagree"}, {"proxy_name", "张受托"},
                                        {"photos", json::array{json::string(photo)}}});
  ASSERT_EQ(proxy.status, 201) << proxy.body;
  EXPECT_EQ(str(proxy.json().at("photos").at(0), "id"), photo);
  EXPECT_EQ(second.get("/api/photos/" + photo).status, 200);
  EXPECT_EQ(as("resident").get("/api/photos/" + photo).status, 403);
  EXPECT_EQ(as("building_leader").get("/api/photos/" + photo + "?size=thumb").status, 403);
  EXPECT_EQ(elsewhere().get("/api/photos/" + photo).status, 403);
  auto checked = second.post(path + "/paper/" + std::to_string(proxy.json().at("id").as_int64()) + "/confirm", R"({"choice":"disagree"})");
  ASSERT_EQ(str(checked.json().at("entry"), "status"), "confirmed");
  EXPECT_EQ(participating(), 1);
  auto own = enter(first, h.household, {{"kind", "proxy"}, {"choice", "disagree"}, {"proxy_name", "李受托"}});
  ASSERT_EQ(own.status, 201);
  ASSERT_EQ(second.post(path + "/paper/" + std::to_string(own.json().at("id").as_int64()) + "/confirm", R"({"choice":"disagree"})").status, 200);
  ASSERT_EQ(as("resident").post(path + "/ballot", R"({"choice":"agree"})").status, 200);  // the owner's own vote wins
  EXPECT_EQ(enter(first, h.household, {{"kind", "paper"}, {"choice", "agree"}}).error_code(), "vote.owner_voted");
  auto list = first.get(path + "/paper").json().at("items").as_array();
  std::map<std::int64_t, std::string> status;
  for (const auto& e : list) status[e.at("id").as_int64()] = str(e, "status");
  EXPECT_EQ(status[own.json().at("id").as_int64()], "superseded");
  for (const auto& e : list)
    if (e.at("id").as_int64() == own.json().at("id").as_int64()) EXPECT_EQ(str(e, "note"), "owner_voted");
  EXPECT_EQ(status[proxy.json().at("id").as_int64()], "confirmed");
  auto closed = first.post(path + "/close", "{}");
  ASSERT_EQ(closed.status, 200) << closed.body;
  auto result = closed.json().at("result");
  EXPECT_EQ(result.at("participating_owners").as_int64(), 3);  // paper, proxy, the owner's own
  EXPECT_EQ(result.at("agreeing_owners").as_int64(), 2);
  auto db = server_->open_db();
  db->read([&](storage::Tx& tx) {
    EXPECT_EQ(tx.query_one("SELECT COUNT(*) AS n FROM owner_ballots WHERE vote_id = $1 AND choice IS NOT NULL", id)->i64("n"), 0);
    EXPECT_EQ(tx.query_one("SELECT COUNT(*) AS n FROM owner_paper_entries WHERE vote_id = $1 AND status IN ('counted','superseded') "
                           "AND choice IS NOT NULL", id)->i64("n"), 0);
    auto channels = tx.query("SELECT channel FROM owner_ballots WHERE vote_id = $1 ORDER BY channel", id);
    ASSERT_EQ(channels.size(), 3u);
    EXPECT_EQ(channels[0].str("channel"), "app");
    EXPECT_EQ(channels[1].str("channel"), "paper");
    EXPECT_EQ(channels[2].str("channel"), "proxy");
  });
  EXPECT_EQ(first.get(path + "/receipts").json().at("receipts").as_array().size(), 3u);
  // The result sheet, made by the server, read back by poppler.
  auto pdf = as("resident").get(path + "/result.pdf");
  ASSERT_EQ(pdf.status, 200);
  EXPECT_EQ(pdf.body.substr(0, 5), "%PDF-");
  auto text = pdf_text(pdf.body);
  for (const char* expected : {"楼道照明改造维修资金使用", "业主表决结果", "使用建筑物及其附属设施的维修资金", "参与表决人数",
                               "无记名", "共 3 张", "表决结果：未通过"})
    EXPECT_NE(text.find(expected), std::string::npos) << expected << "\n" << text;
  // The owners were told it opened and how it ended.
  auto inbox = as("resident").get("/api/inbox?limit=20").json();
  int told = 0;
  for (const auto& n : inbox.at("items").as_array())
    if (str(n, "text").find("楼道照明改造维修资金使用") != std::string::npos) ++told;
  EXPECT_EQ(told, 2) << json::serialize(inbox);
}

TEST_F(OwnerVotes, AtItsDeadlineAVoteTakesNoMoreBallotsAndClosesItself) {
  auto staff = as("community_admin");
  Home h = home();
  auto id = call(staff, h.building, "单元门禁更换", "other_major", false).at("id").as_int64();
  auto path = "/api/owner-votes/" + std::to_string(id);
  ASSERT_EQ(staff.post(path + "/open", "{}").status, 200);
  auto db = server_->open_db();
  // The deadline passes; the job that closes it has not run yet.
  db->write([&](storage::Tx& tx) { tx.exec("UPDATE owner_votes SET closes_at = $1 WHERE id = $2", now_ms() - 1000, id); });
  EXPECT_EQ(as("resident").post(path + "/ballot", R"({"choice":"agree"})").error_code(), "vote.past_deadline");
  db->write([&](storage::Tx& tx) {
    tx.exec("UPDATE scheduled_jobs SET due_at = 0 WHERE kind = 'owner_vote.close' AND ref_id = $1 AND done_at IS NULL", id);
  });
  json::value v;
  for (int i = 0; i < 100; ++i) {
    v = staff.get(path).json();
    if (str(v, "status") == "closed") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(str(v, "status"), "closed");
  EXPECT_FALSE(v.at("result").at("quorum_met").as_bool());
  db->read([&](storage::Tx& tx) {  // recorded, by the system
    auto entry = tx.query_one("SELECT actor_id FROM audit_log WHERE action = 'owner_vote.close' AND target_id = $1",
                              std::to_string(id));
    ASSERT_TRUE(entry.has_value());
    EXPECT_TRUE(entry->is_null("actor_id"));
  });
}

}  // namespace xh::test
