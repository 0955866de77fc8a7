// The volunteers of a generated street (`xinghuo gen`): each community's
// volunteer-team partner becomes a team at the community, holding twelve
// activities — three daily patrols at 06:30 and 18:00, three weekly ones,
// and six one-off — so that a community's activity list is read at scale.
#include <string>

#include "api/module.h"
#include "storage/bulk.h"

namespace xh::volunteers {

api::GenCounts gen_street(storage::Tx& tx, api::Context&, api::GenStreet& street) {
  Millis now = now_ms();
  std::string today = w3c_beijing(now).substr(0, 10);
  auto random = street.random("volunteers");
  auto creator = tx.query_one("SELECT MIN(id) AS id FROM users")->i64("id");
  auto orgs = tx.query(
      "SELECT o.id, o.place_id, o.path FROM orgs o JOIN places c ON c.id = o.place_id WHERE "
      "o.kind = 'volunteer_team' AND c.parent_id = $1 ORDER BY o.id",
      street.id);
  std::int64_t team = storage::next_id(tx, "volunteer_teams"), first_team = team;
  std::int64_t activity = storage::next_id(tx, "activities"), first_activity = activity;
  {
    storage::BulkInsert teams(
        tx, "volunteer_teams",
        {"id", "org_id", "place_id", "path", "service", "places", "created_at", "updated_at"});
    storage::BulkInsert activities(
        tx, "activities",
        {"id", "team_id", "place_id", "path", "title", "description", "first_date", "times",
         "duration_minutes", "rrule", "exdates", "capacity", "open_to_all", "cancel_cutoff_minutes",
         "window_minutes", "status", "created_by", "created_at", "updated_at"});
    activities.depends_on(teams);
    for (const auto& o : orgs) {
      teams.add(team, o.i64("id"), o.i64("place_id"), o.str("path"), "patrol", "[]", now, now);
      for (int a = 0; a < 12; ++a) {
        std::optional<std::string> rule;
        std::string times = R"(["09:00"])";
        std::string first = today;
        if (a < 3) {
          rule = "FREQ=DAILY";
          times = R"(["06:30","18:00"])";
        } else if (a < 6) {
          rule = "FREQ=WEEKLY;BYDAY=SA";
        } else {
          first = w3c_beijing(now + static_cast<Millis>(random.next() % 60) * kDay).substr(0, 10);
        }
        activities.add(activity++, team, o.i64("place_id"), o.str("path"),
                       "生成活动" + std::to_string(a + 1), "", first, times, 60, rule, "[]",
                       static_cast<std::int64_t>(10 + random.next() % 40), a % 2, 120, 30, "active",
                       creator, now, now);
      }
      ++team;
    }
  }
  storage::advance_id_sequence(tx, "volunteer_teams");
  storage::advance_id_sequence(tx, "activities");
  return {{"teams", team - first_team}, {"activities", activity - first_activity}};
}

}  // namespace xh::volunteers
