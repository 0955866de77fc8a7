#include "votes/store.h"

#include <map>

#include "api/scope.h"

namespace xh::votes::store {

std::optional<Row> place(Tx& tx, std::int64_t id) {
  return tx.query_one("SELECT id, kind, path, name FROM places WHERE id = $1 AND archived_at IS NULL", id);
}

Rows households(Tx& tx, const std::string& path) {
  return tx.query("SELECT h.id, h.name, u.name AS unit, h.path, h.grid_path, h.area_centi_m2, COALESCE(m.developer, 0) "
                  "AS developer, m.buyer FROM places h LEFT JOIN places u ON u.id = h.parent_id AND u.kind = 'unit' "
                  "LEFT JOIN roll_marks m ON m.household_id = h.id WHERE h.kind = 'household' AND h.archived_at IS NULL "
                  "AND h.path LIKE $1 ORDER BY h.id",
                  path + "%");
}

Rows buildings(Tx& tx, const std::string& path) {
  return tx.query("SELECT id, name, path FROM places WHERE kind = 'building' AND archived_at IS NULL AND path LIKE $1",
                  path + "%");
}

void set_mark(Tx& tx, std::int64_t household_id, bool developer, const std::optional<std::string>& buyer,
              std::optional<std::int64_t> by, Millis now) {
  tx.exec("INSERT INTO roll_marks (household_id, developer, buyer, updated_at, updated_by) VALUES ($1, $2, $3, $4, $5) "
          "ON CONFLICT (household_id) DO UPDATE SET developer = $2, buyer = $3, updated_at = $4, updated_by = $5",
          household_id, developer, buyer, now, by);
}

std::int64_t insert_vote(Tx& tx, const NewVote& v, Millis now) {
  return tx.query_one("INSERT INTO owner_votes (place_id, path, title, matter, secret, status, closes_at, created_by, "
                      "created_at) VALUES ($1, $2, $3, $4, $5, 'draft', $6, $7, $8) RETURNING id",
                      v.place_id, v.path, v.title, v.matter, v.secret, v.closes_at, v.created_by, now)
      ->i64("id");
}

namespace {
constexpr const char* kVoteColumns =
    "v.id, v.place_id, pl.name AS place_name, v.path, v.title, v.matter, v.secret, v.status, v.closes_at, "
    "v.total_area, v.total_owners, v.participating_area, v.participating_owners, v.agreeing_area, "
    "v.agreeing_owners, v.passed, v.opened_at, v.closed_at, v.created_at";
constexpr const char* kVoteFrom = " FROM owner_votes v JOIN places pl ON pl.id = v.place_id ";
}  // namespace

std::optional<Row> vote(Tx& tx, std::int64_t id) {
  return tx.query_one(std::string("SELECT ") + kVoteColumns + kVoteFrom + "WHERE v.id = $1", id);
}

bool open_vote(Tx& tx, std::int64_t id, const std::vector<RollEntry>& roll, std::int64_t total_area,
               std::int64_t total_owners, Millis now) {
  if (tx.exec("UPDATE owner_votes SET status = 'open', opened_at = $2, total_area = $3, total_owners = $4 WHERE id = $1 "
              "AND status = 'draft'",
              id, now, total_area, total_owners) == 0)
    return false;
  struct Building {
    std::optional<std::string> name;
    std::int64_t ordinal = 0, units = 0, area = 0;
  };
  std::map<std::int64_t, Building> buildings;
  std::int64_t ordinal = 0;
  for (const auto& r : roll) {
    tx.exec("INSERT INTO owner_vote_roll (vote_id, household_id, ordinal, path, grid_path, building_id, building, unit, "
            "household, area, owner_key) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
            id, r.household_id, ++ordinal, r.path, r.grid_path, r.building_id, r.building, r.unit, r.household, r.area,
            r.owner_key);
    auto& b = buildings[r.building_id.value_or(0)];
    if (b.units == 0) {
      b.name = r.building;
      b.ordinal = ordinal;
    }
    ++b.units;
    b.area += r.area;
  }
  for (const auto& [key, b] : buildings)
    tx.exec("INSERT INTO owner_vote_turnout (vote_id, building_key, building, ordinal, units, area) VALUES ($1, $2, $3, "
            "$4, $5, $6)",
            id, key, b.name, b.ordinal, b.units, b.area);
  return true;
}

Rows owners_of(Tx& tx, std::int64_t vote_id, const std::vector<std::int64_t>& household_ids) {
  Rows out;
  for (auto h : household_ids)
    for (auto& r : tx.query("SELECT household_id, owner_key FROM owner_vote_roll WHERE vote_id = $1 AND household_id = $2",
                            vote_id, h))
      out.push_back(std::move(r));
  return out;
}

std::int64_t owner_area(Tx& tx, std::int64_t vote_id, const std::string& owner_key) {
  return tx.query_one("SELECT COALESCE(SUM(area), 0) AS area FROM owner_vote_roll WHERE vote_id = $1 AND owner_key = $2",
                      vote_id, owner_key)
      ->i64("area");
}

Cast cast_ballot(Tx& tx, std::int64_t vote_id, const std::string& owner_key, const std::optional<std::string>& kept,
                 bool agree, std::int64_t area, const std::string& channel, std::optional<std::int64_t> by,
                 const std::string& receipt_hash, Millis now) {
  if (tx.exec("INSERT INTO owner_ballots (vote_id, owner_key, choice, channel, cast_by, receipt_hash, cast_at) SELECT "
              "$1, $2, $3, $4, $5, $6, $7 WHERE EXISTS (SELECT 1 FROM owner_votes WHERE id = $1 AND status = 'open') "
              "ON CONFLICT DO NOTHING",
              vote_id, owner_key, kept, channel, by, receipt_hash, now) == 0)
    return ballot_of(tx, vote_id, owner_key) ? Cast::duplicate : Cast::closed;
  // Closed meanwhile by another process: the caller's error undoes the ballot.
  if (tx.exec("UPDATE owner_votes SET participating_area = participating_area + $2, participating_owners = "
              "participating_owners + 1, agreeing_area = agreeing_area + $3, agreeing_owners = agreeing_owners + $4 "
              "WHERE id = $1 AND status = 'open'",
              vote_id, area, agree ? area : std::int64_t{0}, agree ? std::int64_t{1} : std::int64_t{0}) == 0)
    return Cast::closed;
  // The owner's units have voted; their buildings' turnout moves.
  for (const auto& b : tx.query("SELECT COALESCE(building_id, 0) AS building_key, COUNT(*) AS units, SUM(area) AS area "
                                "FROM owner_vote_roll WHERE vote_id = $1 AND owner_key = $2 GROUP BY COALESCE(building_id, 0)",
                                vote_id, owner_key))
    tx.exec("UPDATE owner_vote_turnout SET voted_units = voted_units + $3, voted_area = voted_area + $4 WHERE vote_id = $1 "
            "AND building_key = $2",
            vote_id, b.i64("building_key"), b.i64("units"), b.i64("area"));
  tx.exec("UPDATE owner_vote_roll SET voted = 1 WHERE vote_id = $1 AND owner_key = $2", vote_id, owner_key);
  return Cast::cast;
}

std::optional<Row> ballot_of(Tx& tx, std::int64_t vote_id, const std::string& owner_key) {
  return tx.query_one("SELECT choice, channel, cast_at FROM owner_ballots WHERE vote_id = $1 AND owner_key = $2",
                      vote_id, owner_key);
}

bool close_vote(Tx& tx, std::int64_t id, bool passed, Millis now) {
  return tx.exec("UPDATE owner_votes SET status = 'closed', closed_at = $2, passed = $3 WHERE id = $1 AND status = 'open'",
                 id, now, passed) > 0;
}

Rows turnout(Tx& tx, std::int64_t vote_id) {
  return tx.query("SELECT CASE WHEN building_key = 0 THEN NULL ELSE building_key END AS building_id, building, units, "
                  "area, voted_units, voted_area FROM owner_vote_turnout WHERE vote_id = $1 ORDER BY ordinal",
                  vote_id);
}

api::ListQuery::Result pending(Tx& tx, const api::Principal& p, std::int64_t vote_id,
                               std::optional<std::int64_t> building_id, api::Page page) {
  // A page of the roll's own rows, by its order: no join, no sort beyond the index.
  api::ListQuery l("owner_vote_roll r");
  l.scope(p, "owner_vote.doors", {"r.path", "r.grid_path"});
  l.where("r.vote_id = ?", {vote_id});
  l.where("r.voted = 0");
  l.where_if("r.building_id = ?", building_id);
  bool counted = page.counted;
  page.counted = false;  // the page by the index alone; the total counted apart, without the page's columns
  l.sort({{"place", "r.ordinal"}}, std::nullopt, "place").page(page);
  auto out = l.rows(tx, "r.household_id, r.household, r.unit, r.building, r.building_id");
  if (counted) out.total = l.count(tx);
  return out;
}

Rows owner_names(Tx& tx, const std::vector<std::int64_t>& household_ids) {
  if (household_ids.empty()) return {};
  std::string in;
  std::vector<storage::Param> params;
  for (auto h : household_ids) {
    params.emplace_back(h);
    in += (in.empty() ? "$" : ", $") + std::to_string(params.size());
  }
  return tx.query_v("SELECT m.household_id, r.name FROM household_members m JOIN residents r ON r.id = m.resident_id "
                    "WHERE m.household_id IN (" + in + ") AND m.relation = 'owner' AND r.archived_at IS NULL ORDER BY "
                    "m.household_id, r.id",
                    params);
}

std::vector<std::string> receipt_hashes(Tx& tx, std::int64_t vote_id) {
  std::vector<std::string> out;
  for (const auto& r : tx.query("SELECT receipt_hash FROM owner_ballots WHERE vote_id = $1 ORDER BY receipt_hash", vote_id))
    out.push_back(r.str("receipt_hash"));
  return out;
}

}  // namespace xh::votes::store

namespace xh::votes::store {

std::int64_t insert_entry(Tx& tx, std::int64_t vote_id, std::int64_t household_id, const std::string& owner_key,
                          const std::string& kind, const std::string& choice,
                          const std::optional<std::string>& proxy_name, const std::string& photos, std::int64_t by,
                          Millis now) {
  return tx.query_one("INSERT INTO owner_paper_entries (vote_id, household_id, owner_key, kind, choice, proxy_name, "
                      "photos, status, entered_by, entered_at) VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending', $8, $9) "
                      "RETURNING id",
                      vote_id, household_id, owner_key, kind, choice, proxy_name, photos, by, now)
      ->i64("id");
}

namespace {
constexpr const char* kEntryColumns =
    "SELECT e.id, e.vote_id, e.household_id, h.name AS household, e.owner_key, e.kind, e.choice, e.proxy_name, e.photos, "
    "e.status, e.note, e.entered_by, eu.display_name AS entered_by_name, e.entered_at, e.confirmed_by, "
    "cu.display_name AS confirmed_by_name, e.confirmed_at FROM owner_paper_entries e JOIN places h ON h.id = "
    "e.household_id JOIN users eu ON eu.id = e.entered_by LEFT JOIN users cu ON cu.id = e.confirmed_by ";
}

std::optional<Row> entry(Tx& tx, std::int64_t vote_id, std::int64_t entry_id) {
  return tx.query_one(std::string(kEntryColumns) + "WHERE e.id = $1 AND e.vote_id = $2", entry_id, vote_id);
}

Rows entries(Tx& tx, std::int64_t vote_id) {
  return tx.query(std::string(kEntryColumns) + "WHERE e.vote_id = $1 ORDER BY e.id DESC", vote_id);
}

std::optional<Row> open_entry_of(Tx& tx, std::int64_t vote_id, const std::string& owner_key) {
  return tx.query_one("SELECT id, kind, status FROM owner_paper_entries WHERE vote_id = $1 AND owner_key = $2 AND "
                      "status IN ('pending','disputed','confirmed')",
                      vote_id, owner_key);
}

void reread_entry(Tx& tx, std::int64_t entry_id, const std::string& choice, std::int64_t by) {
  tx.exec("UPDATE owner_paper_entries SET status = 'disputed', note = 'entries_differ', choice = $2, entered_by = $3 "
          "WHERE id = $1",
          entry_id, choice, by);
}

void settle_entry(Tx& tx, std::int64_t entry_id, const std::string& status, const std::optional<std::string>& note,
                  std::optional<std::int64_t> confirmed_by, Millis now, bool clear_choice) {
  std::string clear = clear_choice ? ", choice = NULL" : "";
  if (confirmed_by)
    tx.exec("UPDATE owner_paper_entries SET status = $2, note = $3, confirmed_by = $4, confirmed_at = $5" + clear +
                " WHERE id = $1",
            entry_id, status, note, *confirmed_by, now);
  else
    tx.exec("UPDATE owner_paper_entries SET status = $2, note = $3" + clear + " WHERE id = $1", entry_id, status, note);
}

void set_entry_receipt(Tx& tx, std::int64_t entry_id, const std::string& receipt_hash) {
  tx.exec("UPDATE owner_paper_entries SET receipt_hash = $2 WHERE id = $1", entry_id, receipt_hash);
}

void supersede_entries(Tx& tx, std::int64_t vote_id, const std::string& owner_key, const std::string& note) {
  tx.exec("UPDATE owner_paper_entries SET status = 'superseded', note = $3, choice = NULL WHERE vote_id = $1 AND "
          "owner_key = $2 AND status IN ('pending','disputed','confirmed')",
          vote_id, owner_key, note);
}

void refuse_waiting_entries(Tx& tx, std::int64_t vote_id, const std::string& note) {
  tx.exec("UPDATE owner_paper_entries SET status = 'refused', note = $2, choice = NULL WHERE vote_id = $1 AND status IN "
          "('pending','disputed')",
          vote_id, note);
}

Rows confirmed_proxies(Tx& tx, std::int64_t vote_id) {
  return tx.query("SELECT id, owner_key, choice, confirmed_by, receipt_hash FROM owner_paper_entries WHERE vote_id = $1 AND status = "
                  "'confirmed' ORDER BY id",
                  vote_id);
}

}  // namespace xh::votes::store

namespace xh::votes::store {

std::vector<std::int64_t> household_users(Tx& tx, const std::string& role, const std::string& path) {
  std::vector<std::int64_t> out;
  for (const auto& r : tx.query("SELECT DISTINCT ra.user_id FROM role_assignments ra JOIN places p ON p.id = ra.place_id "
                                "JOIN users u ON u.id = ra.user_id WHERE ra.role = $1 AND p.kind = 'household' AND "
                                "p.path LIKE $2 AND u.disabled = 0 ORDER BY ra.user_id",
                                role, path + "%"))
    out.push_back(r.i64("user_id"));
  return out;
}

}  // namespace xh::votes::store
