#include "topics/store.h"

namespace xh::topics::store {

std::int64_t insert_topic(Tx& tx, const NewTopic& t, Millis now) {
  return tx
      .query_one(
          "INSERT INTO topics (place_id, path, grid_path, title, body, photos, raised_by, org_id, "
          "status, "
          "created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'raised', $9, $9) "
          "RETURNING id",
          t.place_id, t.path, t.grid_path, t.title, t.body, t.photos, t.raised_by, t.org_id, now)
      ->i64("id");
}

std::optional<Row> topic(Tx& tx, std::int64_t id) {
  return tx.query_one(
      "SELECT t.*, pl.name AS place_name, u.display_name AS raiser_name, o.name AS org_name, "
      "c.name AS council_name, "
      "m.title AS meeting_title, m.starts_at AS meeting_starts_at, m.status AS meeting_status, "
      "dm.title AS decided_meeting_title, v.title AS owner_vote_title, co.name AS "
      "carrier_org_name, "
      "mi.title AS merged_into_title "
      "FROM topics t JOIN places pl ON pl.id = t.place_id JOIN users u ON u.id = t.raised_by "
      "LEFT JOIN orgs o ON o.id = t.org_id LEFT JOIN councils c ON c.id = t.council_id "
      "LEFT JOIN meetings m ON m.id = t.meeting_id LEFT JOIN meetings dm ON dm.id = "
      "t.decided_in_meeting "
      "LEFT JOIN owner_votes v ON v.id = t.owner_vote_id LEFT JOIN orgs co ON co.id = "
      "t.carrier_org_id "
      "LEFT JOIN topics mi ON mi.id = t.merged_into WHERE t.id = $1",
      id);
}

std::optional<Row> place(Tx& tx, std::int64_t id) {
  return tx.query_one(
      "SELECT id, kind, name, path, grid_path FROM places WHERE id = $1 AND archived_at IS NULL",
      id);
}

bool org_contact(Tx& tx, std::int64_t org_id, std::int64_t user_id) {
  return tx
      .query_one("SELECT 1 FROM org_contacts WHERE org_id = $1 AND user_id = $2", org_id, user_id)
      .has_value();
}

bool org_exists(Tx& tx, std::int64_t org_id) {
  return tx.query_one("SELECT 1 FROM orgs WHERE id = $1", org_id).has_value();
}

std::optional<std::string> display_name(Tx& tx, std::int64_t user_id) {
  auto r = tx.query_one("SELECT display_name FROM users WHERE id = $1", user_id);
  return r ? std::optional<std::string>(r->str("display_name")) : std::nullopt;
}

// ---- supports ----

bool add_support(Tx& tx, std::int64_t topic_id, std::int64_t user_id, Millis now) {
  if (tx.exec("INSERT INTO topic_supports (topic_id, user_id, created_at) VALUES ($1, $2, $3) ON "
              "CONFLICT DO NOTHING",
              topic_id, user_id, now) == 0)
    return false;
  tx.exec("UPDATE topics SET supports = supports + 1 WHERE id = $1", topic_id);
  return true;
}

bool remove_support(Tx& tx, std::int64_t topic_id, std::int64_t user_id) {
  if (tx.exec("DELETE FROM topic_supports WHERE topic_id = $1 AND user_id = $2", topic_id,
              user_id) == 0)
    return false;
  tx.exec("UPDATE topics SET supports = supports - 1 WHERE id = $1", topic_id);
  return true;
}

bool supports(Tx& tx, std::int64_t topic_id, std::int64_t user_id) {
  return tx
      .query_one("SELECT 1 FROM topic_supports WHERE topic_id = $1 AND user_id = $2", topic_id,
                 user_id)
      .has_value();
}

void move_supports(Tx& tx, std::int64_t from, std::int64_t into, std::int64_t from_raiser,
                   Millis now) {
  tx.exec(
      "INSERT INTO topic_supports (topic_id, user_id, created_at) SELECT $1, s.user_id, "
      "s.created_at FROM "
      "topic_supports s WHERE s.topic_id = $2 AND s.user_id <> (SELECT raised_by FROM topics WHERE "
      "id = $1) "
      "ON CONFLICT DO NOTHING",
      into, from);
  tx.exec(
      "INSERT INTO topic_supports (topic_id, user_id, created_at) SELECT $1, $2, $3 FROM topics "
      "WHERE id = $1 AND "
      "raised_by <> $2 ON CONFLICT DO NOTHING",
      into, from_raiser, now);
  tx.exec(
      "UPDATE topics SET supports = (SELECT COUNT(*) FROM topic_supports WHERE topic_id = $1) "
      "WHERE id = $1",
      into);
}

std::vector<std::int64_t> followers(Tx& tx, std::int64_t topic_id) {
  std::vector<std::int64_t> out;
  for (const auto& r :
       tx.query("SELECT raised_by AS user_id FROM topics WHERE id = $1 UNION SELECT user_id FROM "
                "topic_supports WHERE topic_id = $1",
                topic_id))
    out.push_back(r.i64("user_id"));
  return out;
}

// ---- review, decision, progress ----

bool accept(Tx& tx, std::int64_t id, std::int64_t council_id,
            std::optional<std::int64_t> meeting_id, std::optional<std::int64_t> agenda_item_id,
            std::int64_t by, Millis now) {
  return tx.exec(
             "UPDATE topics SET status = 'accepted', council_id = $2, meeting_id = $3, "
             "agenda_item_id = $4, "
             "reviewed_by = $5, reviewed_at = $6, updated_at = $6 WHERE id = $1 AND status = "
             "'raised'",
             id, council_id, meeting_id, agenda_item_id, by, now) > 0;
}

bool merge(Tx& tx, std::int64_t id, std::int64_t into, const std::optional<std::string>& reason,
           std::int64_t by, Millis now) {
  return tx.exec(
             "UPDATE topics SET status = 'merged', merged_into = $2, reason = $3, reviewed_by = "
             "$4, "
             "reviewed_at = $5, updated_at = $5 WHERE id = $1 AND status = 'raised'",
             id, into, reason, by, now) > 0;
}

bool decline(Tx& tx, std::int64_t id, const std::string& reason, std::int64_t by, Millis now) {
  return tx.exec(
             "UPDATE topics SET status = 'declined', reason = $2, reviewed_by = $3, reviewed_at = "
             "$4, "
             "updated_at = $4 WHERE id = $1 AND status = 'raised'",
             id, reason, by, now) > 0;
}

bool decide(Tx& tx, std::int64_t id, const Decision& d, Millis now) {
  return tx.exec(
             "UPDATE topics SET status = $2, decision = $3, decided_in_meeting = $4, owner_vote_id "
             "= $5, "
             "carrier = $6, carrier_org_id = $7, decided_at = $8, updated_at = $8 WHERE id = $1 "
             "AND status IN "
             "('raised', 'accepted')",
             id, std::string(d.adopted ? "decided" : "rejected"), d.text, d.meeting_id,
             d.owner_vote_id, d.carrier, d.carrier_org_id, now) > 0;
}

bool set_progress(Tx& tx, std::int64_t id, int progress, bool done, Millis now) {
  if (done)
    return tx.exec(
               "UPDATE topics SET status = 'done', progress = 100, done_at = $2, updated_at = $2 "
               "WHERE id = $1 "
               "AND status = 'decided'",
               id, now) > 0;
  return tx.exec(
             "UPDATE topics SET progress = $2, updated_at = $3 WHERE id = $1 AND status = "
             "'decided' AND "
             "progress <= $2",
             id, static_cast<std::int64_t>(progress), now) > 0;
}

void add_update(Tx& tx, std::int64_t topic_id, const std::string& kind,
                const std::optional<std::string>& text, std::optional<int> progress,
                const std::string& photos, std::optional<std::int64_t> user_id, Millis now) {
  std::optional<std::int64_t> pct;
  if (progress) pct = *progress;
  tx.exec(
      "INSERT INTO topic_updates (topic_id, kind, text, progress, photos, user_id, created_at) "
      "VALUES ($1, $2, $3, "
      "$4, $5, $6, $7)",
      topic_id, kind, text, pct, photos, user_id, now);
}

Rows updates(Tx& tx, std::int64_t topic_id) {
  return tx.query(
      "SELECT x.id, x.kind, x.text, x.progress, x.photos, u.display_name AS by_name, x.created_at "
      "FROM "
      "topic_updates x LEFT JOIN users u ON u.id = x.user_id WHERE x.topic_id = $1 ORDER BY x.id",
      topic_id);
}

Rows merged_into_it(Tx& tx, std::int64_t topic_id) {
  return tx.query("SELECT id, title FROM topics WHERE merged_into = $1 ORDER BY id", topic_id);
}

std::optional<Row> council(Tx& tx, std::int64_t id) {
  return tx.query_one("SELECT id, path, name FROM councils WHERE id = $1 AND archived_at IS NULL",
                      id);
}

std::optional<Row> meeting(Tx& tx, std::int64_t id) {
  return tx.query_one(
      "SELECT m.id, m.council_id, m.status, m.title, c.path FROM meetings m JOIN councils c ON "
      "c.id = m.council_id WHERE m.id = $1",
      id);
}

}  // namespace xh::topics::store
