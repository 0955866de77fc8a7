#include "volunteers/store.h"

#include "core/crypto.h"

namespace xh::volunteers::store {

// ---- volunteers ----

namespace {
constexpr const char* kVolunteer =
    "SELECT v.*, u.display_name AS name, c.name AS community_name, b.name AS branch_name "
    "FROM volunteers v JOIN users u ON u.id = v.user_id JOIN places c ON c.id = v.community_id "
    "LEFT JOIN party_branches b ON b.id = v.branch_id ";
}

std::optional<std::int64_t> apply(Tx& tx, const NewVolunteer& v, Millis now) {
  if (auto old = tx.query_one("SELECT id, status FROM volunteers WHERE user_id = $1", v.user_id)) {
    if (old->str("status") != "declined") return std::nullopt;
    tx.exec(
        "UPDATE volunteers SET community_id = $2, path = $3, skills = $4, availability = $5, "
        "serves = $6, branch_id = $7, status = 'applied', reason = NULL, reviewed_by = NULL, "
        "reviewed_at = NULL, updated_at = $8 WHERE id = $1 AND status = 'declined'",
        old->i64("id"), v.community_id, v.path, v.skills, v.availability, v.serves, v.branch_id,
        now);
    return old->i64("id");
  }
  auto r = tx.query_one(
      "INSERT INTO volunteers (user_id, community_id, path, skills, availability, serves, "
      "branch_id, status, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, 'applied', "
      "$8, $8) ON CONFLICT (user_id) DO NOTHING RETURNING id",
      v.user_id, v.community_id, v.path, v.skills, v.availability, v.serves, v.branch_id, now);
  if (!r) return std::nullopt;
  return r->i64("id");
}

std::optional<Row> volunteer(Tx& tx, std::int64_t id) {
  return tx.query_one(std::string(kVolunteer) + "WHERE v.id = $1", id);
}

std::optional<Row> volunteer_of_user(Tx& tx, std::int64_t user_id) {
  return tx.query_one(std::string(kVolunteer) + "WHERE v.user_id = $1", user_id);
}

bool review(Tx& tx, std::int64_t id, bool confirm, const std::optional<std::string>& reason,
            std::int64_t by, Millis now) {
  return tx.exec(
             "UPDATE volunteers SET status = $2, reason = $3, reviewed_by = $4, reviewed_at = $5, "
             "updated_at = $5 WHERE id = $1 AND status = 'applied'",
             id, confirm ? "confirmed" : "declined", reason, by, now) == 1;
}

Rows teams_of(Tx& tx, std::int64_t volunteer_id) {
  return tx.query(
      "SELECT t.id, o.name, CASE WHEN t.leader_id = $1 THEN 1 ELSE 0 END AS leader "
      "FROM team_members m JOIN volunteer_teams t ON t.id = m.team_id JOIN orgs o ON o.id = "
      "t.org_id WHERE m.volunteer_id = $1 ORDER BY t.id",
      volunteer_id);
}

std::optional<Row> home_community(Tx& tx, std::int64_t user_id) {
  // The household's path begins with the street's and the community's ids.
  return tx.query_one(
      "SELECT c.id, c.name, c.path FROM residents r JOIN household_members m ON m.resident_id = "
      "r.id JOIN places c ON c.kind = 'community' AND m.path >= c.path AND m.path < c.path || '~' "
      "WHERE r.user_id = $1 AND r.archived_at IS NULL ORDER BY m.id LIMIT 1",
      user_id);
}

std::optional<Row> place(Tx& tx, std::int64_t id) {
  return tx.query_one(
      "SELECT id, kind, name, path, grid_path FROM places WHERE id = $1 AND archived_at IS NULL",
      id);
}

std::vector<std::pair<std::int64_t, std::string>> place_names(
    Tx& tx, const std::vector<std::int64_t>& ids) {
  std::vector<std::pair<std::int64_t, std::string>> out;
  for (auto id : ids)
    if (auto r = tx.query_one("SELECT name FROM places WHERE id = $1", id))
      out.emplace_back(id, r->str("name"));
  return out;
}

// ---- Party branches ----

std::optional<Row> branch(Tx& tx, std::int64_t id) {
  return tx.query_one(
      "SELECT b.*, o.name AS org_name, c.name AS community_name, (SELECT COUNT(*) FROM "
      "volunteers v WHERE v.branch_id = b.id AND v.status = 'confirmed') AS members "
      "FROM party_branches b JOIN orgs o ON o.id = b.org_id JOIN places c ON c.id = "
      "b.community_id WHERE b.id = $1",
      id);
}

bool org_contact(Tx& tx, std::int64_t org_id, std::int64_t user_id) {
  return tx
      .query_one("SELECT 1 FROM org_contacts WHERE org_id = $1 AND user_id = $2", org_id, user_id)
      .has_value();
}

std::optional<Row> org(Tx& tx, std::int64_t id) {
  return tx.query_one(
      "SELECT id, name, kind, description AS about FROM orgs WHERE id = $1 AND archived_at IS NULL",
      id);
}

// ---- teams ----

std::optional<Row> team(Tx& tx, std::int64_t id) {
  return tx.query_one(
      "SELECT t.*, o.name, o.description AS about, p.name AS place_name, lu.display_name AS "
      "leader_name, "
      "l.user_id AS leader_user_id, (SELECT COUNT(*) FROM team_members m WHERE m.team_id = t.id) "
      "AS members_count FROM volunteer_teams t JOIN orgs o ON o.id = t.org_id JOIN places p ON "
      "p.id = t.place_id LEFT JOIN volunteers l ON l.id = t.leader_id LEFT JOIN users lu ON lu.id "
      "= l.user_id WHERE t.id = $1",
      id);
}

std::optional<std::int64_t> team_of_org(Tx& tx, std::int64_t org_id) {
  auto r = tx.query_one("SELECT id FROM volunteer_teams WHERE org_id = $1", org_id);
  if (!r) return std::nullopt;
  return r->i64("id");
}

Rows members(Tx& tx, std::int64_t team_id) {
  return tx.query(
      "SELECT m.volunteer_id, u.display_name AS name, m.created_at FROM team_members m JOIN "
      "volunteers v ON v.id = m.volunteer_id JOIN users u ON u.id = v.user_id WHERE m.team_id = "
      "$1 ORDER BY m.created_at, m.volunteer_id",
      team_id);
}

bool is_member(Tx& tx, std::int64_t team_id, std::int64_t volunteer_id) {
  return tx
      .query_one("SELECT 1 FROM team_members WHERE team_id = $1 AND volunteer_id = $2", team_id,
                 volunteer_id)
      .has_value();
}

bool add_member(Tx& tx, std::int64_t team_id, std::int64_t volunteer_id, Millis now) {
  return tx.exec(
             "INSERT INTO team_members (team_id, volunteer_id, created_at) VALUES ($1, $2, $3) "
             "ON CONFLICT DO NOTHING",
             team_id, volunteer_id, now) == 1;
}

bool remove_member(Tx& tx, std::int64_t team_id, std::int64_t volunteer_id) {
  return tx.exec("DELETE FROM team_members WHERE team_id = $1 AND volunteer_id = $2", team_id,
                 volunteer_id) == 1;
}

std::vector<std::int64_t> led_by(Tx& tx, std::int64_t user_id) {
  std::vector<std::int64_t> out;
  for (const auto& r :
       tx.query("SELECT t.id FROM volunteer_teams t JOIN volunteers v ON v.id = t.leader_id WHERE "
                "v.user_id = $1",
                user_id))
    out.push_back(r.i64("id"));
  return out;
}

// ---- activities ----

namespace {
constexpr const char* kActivity =
    "SELECT a.*, o.name AS team_name, t.path AS team_path, p.name AS place_name, "
    "l.user_id AS leader_user_id FROM activities a JOIN volunteer_teams t ON t.id = a.team_id "
    "JOIN orgs o ON o.id = t.org_id JOIN places p ON p.id = a.place_id "
    "LEFT JOIN volunteers l ON l.id = t.leader_id ";
}

std::optional<Row> activity(Tx& tx, std::int64_t id) {
  return tx.query_one(std::string(kActivity) + "WHERE a.id = $1", id);
}

std::int64_t occurrence_at(Tx& tx, std::int64_t activity_id, Millis starts_at, Millis ends_at,
                           int capacity) {
  if (auto r = occurrence_of(tx, activity_id, starts_at)) return r->i64("id");
  tx.exec(
      "INSERT INTO activity_occurrences (activity_id, starts_at, ends_at, capacity, "
      "checkin_secret) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (activity_id, starts_at) DO "
      "NOTHING",
      activity_id, starts_at, ends_at, capacity, random_token(16));
  return occurrence_of(tx, activity_id, starts_at)->i64("id");
}

std::optional<Row> occurrence(Tx& tx, std::int64_t id) {
  return tx.query_one(
      "SELECT o.id AS occurrence_id, o.starts_at, o.ends_at AS occ_ends_at, o.capacity AS "
      "occ_capacity, "
      "o.signed, o.cancelled_at, o.checkin_secret, a.*, tn.name AS team_name, t.path AS "
      "team_path, p.name AS place_name, l.user_id AS leader_user_id FROM activity_occurrences o "
      "JOIN activities a ON a.id = o.activity_id JOIN volunteer_teams t ON t.id = a.team_id "
      "JOIN orgs tn ON tn.id = t.org_id JOIN places p ON p.id = a.place_id LEFT JOIN volunteers "
      "l ON l.id = t.leader_id WHERE o.id = $1",
      id);
}

std::optional<Row> occurrence_of(Tx& tx, std::int64_t activity_id, Millis starts_at) {
  return tx.query_one(
      "SELECT id, signed, capacity, cancelled_at FROM activity_occurrences WHERE activity_id = $1 "
      "AND starts_at = $2",
      activity_id, starts_at);
}

// ---- sign-ups ----

std::optional<SignedUp> sign_up(Tx& tx, std::int64_t occurrence_id, std::int64_t volunteer_id,
                                const std::string& secret, Millis now) {
  std::int64_t id;
  // Sign-ups to one occurrence take its row's lock first, one after the
  // other: the places and the waitlist's order are those of the commits.
  tx.exec("UPDATE activity_occurrences SET signed = signed WHERE id = $1", occurrence_id);
  if (auto old = signup_of(tx, occurrence_id, volunteer_id)) {
    if (old->str("status") != "cancelled") return std::nullopt;
    // Signing up again after cancelling: at the end of the line.
    if (tx.exec("DELETE FROM activity_signups WHERE id = $1 AND status = 'cancelled'",
                old->i64("id")) == 0)
      return std::nullopt;
  }
  auto r = tx.query_one(
      "INSERT INTO activity_signups (occurrence_id, volunteer_id, status, secret, created_at, "
      "updated_at) VALUES ($1, $2, 'waiting', $3, $4, $4) ON CONFLICT (occurrence_id, "
      "volunteer_id) DO NOTHING RETURNING id",
      occurrence_id, volunteer_id, secret, now);
  if (!r) return std::nullopt;
  id = r->i64("id");
  // The place is taken by one conditional update: of those who sign up at
  // once, exactly the capacity succeed.
  bool placed = tx.exec(
                    "UPDATE activity_occurrences SET signed = signed + 1 WHERE id = $1 AND "
                    "signed < capacity AND NOT EXISTS (SELECT 1 FROM activity_signups s WHERE "
                    "s.occurrence_id = $1 AND s.status = 'waiting' AND s.id < $2)",
                    occurrence_id, id) == 1;
  if (placed) tx.exec("UPDATE activity_signups SET status = 'signed' WHERE id = $1", id);
  return SignedUp{id, placed};
}

namespace {
constexpr const char* kSignup =
    "SELECT s.*, v.user_id, u.display_name AS name FROM activity_signups s JOIN volunteers v ON "
    "v.id = s.volunteer_id JOIN users u ON u.id = v.user_id ";
}

std::optional<Row> signup(Tx& tx, std::int64_t id) {
  return tx.query_one(std::string(kSignup) + "WHERE s.id = $1", id);
}

std::optional<Row> signup_of(Tx& tx, std::int64_t occurrence_id, std::int64_t volunteer_id) {
  return tx.query_one(std::string(kSignup) + "WHERE s.occurrence_id = $1 AND s.volunteer_id = $2",
                      occurrence_id, volunteer_id);
}

Rows signups(Tx& tx, std::int64_t occurrence_id) {
  return tx.query(std::string(kSignup) +
                      "WHERE s.occurrence_id = $1 ORDER BY CASE s.status WHEN 'signed' THEN 0 "
                      "WHEN 'waiting' THEN 1 ELSE 2 END, s.id",
                  occurrence_id);
}

std::int64_t position(Tx& tx, const Row& s) {
  return tx
      .query_one(
          "SELECT COUNT(*) AS n FROM activity_signups WHERE occurrence_id = $1 AND status = "
          "'waiting' AND id <= $2",
          s.i64("occurrence_id"), s.i64("id"))
      ->i64("n");
}

bool cancel_signup(Tx& tx, std::int64_t id, Millis now) {
  auto s = tx.query_one("SELECT occurrence_id, status FROM activity_signups WHERE id = $1", id);
  if (!s || s->str("status") == "cancelled") return false;
  if (tx.exec("UPDATE activity_signups SET status = 'cancelled', updated_at = $2 WHERE id = $1 "
              "AND status = $3",
              id, now, s->str("status")) == 0)
    return false;
  if (s->str("status") != "signed") return false;
  tx.exec("UPDATE activity_occurrences SET signed = signed - 1 WHERE id = $1",
          s->i64("occurrence_id"));
  return true;
}

std::vector<std::int64_t> promote(Tx& tx, std::int64_t occurrence_id, Millis now) {
  std::vector<std::int64_t> out;
  for (int guard = 0; guard < 10000; ++guard) {
    auto next = tx.query_one(
        "SELECT id FROM activity_signups WHERE occurrence_id = $1 AND status = 'waiting' ORDER BY "
        "id LIMIT 1",
        occurrence_id);
    if (!next) break;
    if (tx.exec("UPDATE activity_occurrences SET signed = signed + 1 WHERE id = $1 AND signed < "
                "capacity",
                occurrence_id) == 0)
      break;
    if (tx.exec("UPDATE activity_signups SET status = 'signed', updated_at = $2 WHERE id = $1 AND "
                "status = 'waiting'",
                next->i64("id"), now) == 1) {
      out.push_back(next->i64("id"));
    } else {
      tx.exec("UPDATE activity_occurrences SET signed = signed - 1 WHERE id = $1", occurrence_id);
    }
  }
  return out;
}

bool check_in(Tx& tx, std::int64_t signup_id, std::optional<std::int64_t> by, Millis at) {
  return tx.exec(
             "UPDATE activity_signups SET checked_in_at = $2, checked_in_by = $3, updated_at = $2 "
             "WHERE id = $1 AND checked_in_at IS NULL AND status = 'signed'",
             signup_id, at, by) == 1;
}

bool check_out(Tx& tx, std::int64_t signup_id, std::optional<std::int64_t> by, Millis at,
               bool by_leader) {
  return tx.exec(
             "UPDATE activity_signups SET checked_out_at = $2, checked_out_by = $3, "
             "closed_by_leader = $4, minutes = ($2 - checked_in_at) / 60000, updated_at = $5 "
             "WHERE id = $1 AND checked_in_at IS NOT NULL AND checked_out_at IS NULL AND $2 >= "
             "checked_in_at",
             signup_id, at, by, by_leader ? 1 : 0, now_ms()) == 1;
}

bool confirm(Tx& tx, std::int64_t signup_id, int minutes, const std::optional<std::string>& reason,
             std::int64_t by, Millis now) {
  if (tx.exec("UPDATE activity_signups SET confirmed_minutes = $2, confirm_reason = $3, "
              "confirmed_by = $4, confirmed_at = $5, updated_at = $5 WHERE id = $1 AND "
              "confirmed_at IS NULL AND checked_out_at IS NOT NULL",
              signup_id, minutes, reason, by, now) == 0)
    return false;
  tx.exec(
      "UPDATE volunteers SET confirmed_minutes = confirmed_minutes + $2 WHERE id = (SELECT "
      "volunteer_id FROM activity_signups WHERE id = $1)",
      signup_id, minutes);
  return true;
}

std::int64_t count_status(Tx& tx, std::int64_t occurrence_id, const char* status) {
  return tx
      .query_one(
          "SELECT COUNT(*) AS n FROM activity_signups WHERE occurrence_id = $1 AND status = $2",
          occurrence_id, status)
      ->i64("n");
}

// ---- calendar feeds ----

std::int64_t add_feed(Tx& tx, const std::string& token_hash, const std::string& kind,
                      std::int64_t subject_id, std::int64_t user_id, Millis now) {
  return tx
      .query_one(
          "INSERT INTO calendar_feeds (token_hash, kind, subject_id, user_id, created_at) VALUES "
          "($1, $2, $3, $4, $5) RETURNING id",
          token_hash, kind, subject_id, user_id, now)
      ->i64("id");
}

std::optional<Row> feed_by_hash(Tx& tx, const std::string& token_hash) {
  return tx.query_one("SELECT * FROM calendar_feeds WHERE token_hash = $1 AND revoked_at IS NULL",
                      token_hash);
}

Rows feeds_of(Tx& tx, std::int64_t user_id) {
  return tx.query(
      "SELECT * FROM calendar_feeds WHERE user_id = $1 AND revoked_at IS NULL ORDER BY id",
      user_id);
}

bool revoke_feed(Tx& tx, std::int64_t id, std::int64_t user_id, Millis now) {
  return tx.exec(
             "UPDATE calendar_feeds SET revoked_at = $3 WHERE id = $1 AND user_id = $2 AND "
             "revoked_at IS NULL",
             id, user_id, now) == 1;
}

}  // namespace xh::volunteers::store
