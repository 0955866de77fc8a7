#include "councils/store.h"

#include "api/scope.h"

namespace xh::councils::store {

namespace {

std::string label_column(Lang lang) { return lang == Lang::en ? "en" : "zh"; }

const char* const kCouncilColumns =
    "c.id, c.kind, c.place_id, pl.name AS place_name, c.path, c.name, c.term_start, c.term_end, c.rule_set_id, "
    "rs.name AS rule_set_name, rs.params, c.consultation_id, c.created_at, k.zh AS kind_zh, k.en AS kind_en, "
    "(SELECT COUNT(*) FROM council_members m WHERE m.council_id = c.id AND m.left_at IS NULL) AS members";
const char* const kCouncilFrom =
    "councils c JOIN places pl ON pl.id = c.place_id JOIN rule_sets rs ON rs.id = c.rule_set_id JOIN "
    "council_kinds k ON k.key = c.kind";

const char* const kMeetingColumns =
    "mt.id, mt.council_id, c.name AS council_name, pl.name AS place_name, mt.title, mt.starts_at, mt.location, "
    "mt.status, mt.params";
const char* const kMeetingFrom = "meetings mt JOIN councils c ON c.id = mt.council_id JOIN places pl ON pl.id = c.place_id";

// The caller's councils: council.read over the place, or a sitting member.
void readable(api::ListQuery& l, const api::Principal& p) {
  const char* member = "EXISTS (SELECT 1 FROM council_members cm WHERE cm.council_id = c.id AND cm.user_id = ? AND "
                       "cm.left_at IS NULL)";
  if (p.has_permission("council.read")) {
    auto scope = api::scope_clause(p, "council.read", {"c.path"});
    scope.or_else(member, {p.user_id});
    l.where(scope.sql, scope.values);
  } else {
    l.where(member, {p.user_id});
  }
}

}  // namespace

// ---- vocabulary ----

Rows kinds(Tx& tx, Lang lang) {
  return tx.query("SELECT key, " + label_column(lang) + " AS label, place_kinds FROM council_kinds ORDER BY ordinal");
}

Rows seats(Tx& tx, Lang lang) {
  return tx.query("SELECT key, " + label_column(lang) + " AS label FROM council_seats ORDER BY ordinal");
}

std::optional<std::string> place_kinds(Tx& tx, const std::string& kind) {
  auto r = tx.query_one("SELECT place_kinds FROM council_kinds WHERE key = $1", kind);
  return r ? std::optional<std::string>(r->str("place_kinds")) : std::nullopt;
}

bool seat_exists(Tx& tx, const std::string& seat) {
  return tx.query_one("SELECT 1 FROM council_seats WHERE key = $1", seat).has_value();
}

// ---- places and people ----

std::optional<Row> live_place(Tx& tx, std::int64_t id) {
  return tx.query_one("SELECT path, kind FROM places WHERE id = $1 AND archived_at IS NULL", id);
}

bool active_user(Tx& tx, std::int64_t id) {
  return tx.query_one("SELECT 1 FROM users WHERE id = $1 AND disabled = 0", id).has_value();
}

bool resident_under(Tx& tx, std::int64_t resident_id, const std::string& path) {
  return tx.query_one("SELECT 1 FROM household_members hm JOIN residents r ON r.id = hm.resident_id WHERE "
                      "hm.resident_id = $1 AND r.archived_at IS NULL AND hm.path LIKE $2 || '%'",
                      resident_id, path)
      .has_value();
}

bool org_exists(Tx& tx, std::int64_t id) { return tx.query_one("SELECT 1 FROM orgs WHERE id = $1", id).has_value(); }

// ---- rule sets ----

Rows rule_sets(Tx& tx) {
  return tx.query("SELECT id, name, path, params FROM rule_sets ORDER BY CASE WHEN path IS NULL THEN 0 ELSE 1 END, id");
}

std::optional<Row> rule_set(Tx& tx, std::int64_t id) {
  return tx.query_one("SELECT path, params FROM rule_sets WHERE id = $1", id);
}

std::int64_t default_rule_set(Tx& tx) {
  return tx.query_one("SELECT MIN(id) AS id FROM rule_sets WHERE path IS NULL")->i64("id");
}

std::int64_t insert_rule_set(Tx& tx, const std::string& name, const std::string& path, const std::string& params,
                             Millis now) {
  return tx.query_one("INSERT INTO rule_sets (name, path, params, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
                      name, path, params, now)
      ->i64("id");
}

// ---- councils ----

std::int64_t insert_council(Tx& tx, const NewCouncil& c, Millis now) {
  return tx.query_one("INSERT INTO councils (kind, place_id, path, name, rule_set_id, term_start, term_end, "
                      "consultation_id, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) "
                      "RETURNING id",
                      c.kind, c.place_id, c.path, c.name, c.rule_set_id, c.term_start, c.term_end, c.consultation_id,
                      c.created_by, now)
      ->i64("id");
}

std::optional<std::string> council_path(Tx& tx, std::int64_t id) {
  auto r = tx.query_one("SELECT path FROM councils WHERE id = $1 AND archived_at IS NULL", id);
  return r ? std::optional<std::string>(r->str("path")) : std::nullopt;
}

std::optional<Row> council(Tx& tx, std::int64_t id) {
  return tx.query_one(std::string("SELECT ") + kCouncilColumns + " FROM " + kCouncilFrom + " WHERE c.id = $1", id);
}

void update_council(Tx& tx, std::int64_t id, const std::string& name, const std::optional<std::string>& term_start,
                    const std::optional<std::string>& term_end, std::int64_t rule_set_id) {
  tx.exec("UPDATE councils SET name = $2, term_start = $3, term_end = $4, rule_set_id = $5 WHERE id = $1", id, name,
          term_start, term_end, rule_set_id);
}

bool adopted(Tx& tx, std::int64_t consultation_id) {
  return tx.query_one("SELECT 1 FROM councils WHERE consultation_id = $1", consultation_id).has_value();
}

api::ListQuery::Result councils_page(Tx& tx, const api::Principal& p, const std::optional<std::string>& near,
                                     api::Page page) {
  api::ListQuery l(kCouncilFrom);
  readable(l, p);
  if (near) {
    std::vector<storage::Param> values;
    std::string over;
    for (std::size_t i = 1; i < near->size(); ++i)
      if ((*near)[i] == '/') {
        values.emplace_back(near->substr(0, i + 1));
        over += over.empty() ? "?" : ", ?";
      }
    values.emplace_back(*near);
    values.emplace_back(api::subtree_end(*near));
    l.where("(c.path IN (" + over + ") OR (c.path >= ? AND c.path < ?))", values);
  }
  l.where("c.archived_at IS NULL").sort({{"kind", "k.ordinal, c.path, c.id"}}, std::nullopt, "kind").page(page);
  return l.rows(tx, kCouncilColumns);
}

// ---- members ----

std::optional<Row> seat_of(Tx& tx, std::int64_t council_id, std::int64_t user_id) {
  return tx.query_one("SELECT id, seat, name FROM council_members WHERE council_id = $1 AND user_id = $2 AND "
                      "left_at IS NULL",
                      council_id, user_id);
}

Rows members(Tx& tx, std::int64_t council_id, Lang lang) {
  return tx.query("SELECT m.id, m.seat, s." + label_column(lang) +
                      " AS seat_label, m.name, m.user_id, m.resident_id, m.org_id, o.name AS org_name, m.joined_at "
                      "FROM council_members m JOIN council_seats s ON s.key = m.seat LEFT JOIN orgs o ON o.id = "
                      "m.org_id WHERE m.council_id = $1 AND m.left_at IS NULL ORDER BY s.ordinal, m.id",
                  council_id);
}

bool sitting(Tx& tx, std::int64_t member_id, std::int64_t council_id) {
  return tx.query_one("SELECT 1 FROM council_members WHERE id = $1 AND council_id = $2 AND left_at IS NULL", member_id,
                      council_id)
      .has_value();
}

std::int64_t insert_member(Tx& tx, std::int64_t council_id, const std::string& seat, const std::string& name,
                           std::optional<std::int64_t> user_id, std::optional<std::int64_t> resident_id,
                           std::optional<std::int64_t> org_id, Millis now) {
  return tx.query_one("INSERT INTO council_members (council_id, seat, name, user_id, resident_id, org_id, joined_at) "
                      "VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                      council_id, seat, name, user_id, resident_id, org_id, now)
      ->i64("id");
}

void seat_org(Tx& tx, std::int64_t council_id, const std::string& seat, std::int64_t org_id, Millis now) {
  tx.exec("INSERT INTO council_members (council_id, seat, name, org_id, joined_at) SELECT $1, $2, name, id, $3 FROM "
          "orgs WHERE id = $4",
          council_id, seat, now, org_id);
}

bool end_membership(Tx& tx, std::int64_t council_id, std::int64_t member_id, Millis now) {
  return tx.exec("UPDATE council_members SET left_at = $3 WHERE id = $1 AND council_id = $2 AND left_at IS NULL",
                 member_id, council_id, now) > 0;
}

std::vector<std::int64_t> member_users(Tx& tx, std::int64_t council_id) {
  std::vector<std::int64_t> out;
  for (const auto& r : tx.query("SELECT DISTINCT user_id FROM council_members WHERE council_id = $1 AND left_at IS "
                                "NULL AND user_id IS NOT NULL ORDER BY user_id",
                                council_id))
    out.push_back(r.i64("user_id"));
  return out;
}

// ---- meetings ----

std::int64_t insert_meeting(Tx& tx, std::int64_t council_id, const std::string& path, const std::string& title,
                            Millis starts_at, const std::optional<std::string>& location, const std::string& params,
                            std::optional<std::int64_t> created_by, Millis now) {
  return tx.query_one("INSERT INTO meetings (council_id, path, title, starts_at, location, params, created_by, "
                      "created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
                      council_id, path, title, starts_at, location, params, created_by, now)
      ->i64("id");
}

std::int64_t insert_agenda_item(Tx& tx, std::int64_t meeting_id, int ordinal, const std::string& kind,
                                const std::string& title, std::optional<std::int64_t> presenter_id, int minutes) {
  return tx
      .query_one("INSERT INTO agenda_items (meeting_id, ordinal, kind, title, presenter_id, minutes) VALUES ($1, $2, "
                 "$3, $4, $5, $6) RETURNING id",
                 meeting_id, static_cast<std::int64_t>(ordinal), kind, title, presenter_id,
                 static_cast<std::int64_t>(minutes))
      ->i64("id");
}

int last_ordinal(Tx& tx, std::int64_t meeting_id) {
  return static_cast<int>(
      tx.query_one("SELECT COALESCE(MAX(ordinal), 0) AS n FROM agenda_items WHERE meeting_id = $1", meeting_id)->i64("n"));
}

void invite_members(Tx& tx, std::int64_t meeting_id, std::int64_t council_id) {
  tx.exec("INSERT INTO meeting_attendance (meeting_id, member_id) SELECT $1, id FROM council_members WHERE "
          "council_id = $2 AND left_at IS NULL",
          meeting_id, council_id);
}

void invite_to_coming(Tx& tx, std::int64_t council_id, std::int64_t member_id) {
  tx.exec("INSERT INTO meeting_attendance (meeting_id, member_id) SELECT id, $2 FROM meetings WHERE council_id = $1 "
          "AND status IN ('scheduled','open')",
          council_id, member_id);
}

void uninvite_from_coming(Tx& tx, std::int64_t council_id, std::int64_t member_id) {
  tx.exec("DELETE FROM meeting_attendance WHERE member_id = $1 AND meeting_id IN (SELECT id FROM meetings WHERE "
          "council_id = $2 AND status = 'scheduled')",
          member_id, council_id);
}

std::optional<Row> meeting_facts(Tx& tx, std::int64_t id) {
  return tx.query_one("SELECT council_id, path, status, params FROM meetings WHERE id = $1", id);
}

std::optional<Row> meeting(Tx& tx, std::int64_t id) {
  return tx.query_one(std::string("SELECT ") + kMeetingColumns + " FROM " + kMeetingFrom + " WHERE mt.id = $1", id);
}

Rows council_meetings(Tx& tx, std::int64_t council_id, int limit) {
  return tx.query(std::string("SELECT ") + kMeetingColumns + " FROM " + kMeetingFrom +
                      " WHERE mt.council_id = $1 ORDER BY mt.starts_at DESC, mt.id DESC LIMIT $2",
                  council_id, static_cast<std::int64_t>(limit));
}

Rows agenda(Tx& tx, std::int64_t meeting_id) {
  return tx.query("SELECT a.id, a.ordinal, a.kind, a.title, a.presenter_id, m.name AS presenter, a.minutes FROM "
                  "agenda_items a LEFT JOIN council_members m ON m.id = a.presenter_id WHERE a.meeting_id = $1 ORDER "
                  "BY a.ordinal",
                  meeting_id);
}

Rows attendance(Tx& tx, std::int64_t meeting_id, Lang lang) {
  return tx.query("SELECT a.member_id, m.name, m.seat, s." + label_column(lang) +
                      " AS seat_label, a.reply, a.reason, a.proxy_id, a.checked_in_at FROM meeting_attendance a JOIN "
                      "council_members m ON m.id = a.member_id JOIN council_seats s ON s.key = m.seat WHERE "
                      "a.meeting_id = $1 ORDER BY s.ordinal, m.id",
                  meeting_id);
}

Row attendance_counts(Tx& tx, std::int64_t meeting_id) {
  return *tx.query_one(
      "SELECT COUNT(*) AS members, COALESCE(SUM(CASE WHEN a.reply IN ('attending','invited') THEN 1 ELSE 0 END), 0) "
      "AS expected, COALESCE(SUM(CASE WHEN a.checked_in_at IS NOT NULL THEN 1 ELSE 0 END), 0) AS present, "
      "COALESCE(SUM(CASE WHEN a.reply = 'proxy' AND a.checked_in_at IS NULL AND EXISTS (SELECT 1 FROM "
      "meeting_attendance b WHERE b.meeting_id = a.meeting_id AND b.member_id = a.proxy_id AND b.checked_in_at IS "
      "NOT NULL) THEN 1 ELSE 0 END), 0) AS by_proxy FROM meeting_attendance a WHERE a.meeting_id = $1",
      meeting_id);
}

std::optional<Row> reply_of(Tx& tx, std::int64_t meeting_id, std::int64_t member_id) {
  return tx.query_one("SELECT reply, reason, proxy_id FROM meeting_attendance WHERE meeting_id = $1 AND member_id = $2",
                      meeting_id, member_id);
}

bool invited(Tx& tx, std::int64_t meeting_id, std::int64_t member_id) {
  return reply_of(tx, meeting_id, member_id).has_value();
}

void set_reply(Tx& tx, std::int64_t meeting_id, std::int64_t member_id, const std::string& reply,
               const std::optional<std::string>& reason, std::optional<std::int64_t> proxy_id) {
  tx.exec("UPDATE meeting_attendance SET reply = $3, reason = $4, proxy_id = $5 WHERE meeting_id = $1 AND member_id = $2",
          meeting_id, member_id, reply, reason, proxy_id);
}

api::ListQuery::Result meetings_page(Tx& tx, const api::Principal& p, std::optional<std::int64_t> council_id,
                                     const std::optional<std::string>& when, bool mine, api::Page page, Millis now) {
  api::ListQuery l(kMeetingFrom);
  readable(l, p);
  if (mine)
    l.where("EXISTS (SELECT 1 FROM council_members me WHERE me.council_id = c.id AND me.user_id = ? AND me.left_at IS "
            "NULL)",
            {p.user_id});
  l.where("c.archived_at IS NULL");
  l.where_if("mt.council_id = ?", council_id);
  // A meeting is "to come" until half a day after it began, unless it closed.
  if (when == "upcoming") l.where("mt.status IN ('scheduled','open') AND mt.starts_at >= ?", {now - 12 * kHour});
  if (when == "past") l.where("(mt.status IN ('closed','cancelled') OR mt.starts_at < ?)", {now - 12 * kHour});
  l.sort({{"starts_at", "mt.starts_at, mt.id"}}, when == "past" ? std::optional<std::string>("-starts_at") : std::nullopt,
         "starts_at")
      .page(page);
  return l.rows(tx, kMeetingColumns);
}

}  // namespace xh::councils::store

namespace xh::councils::store {

// ---- the meeting in session ----

std::optional<Row> session_facts(Tx& tx, std::int64_t meeting_id) {
  return tx.query_one("SELECT council_id, path, status, params, checkin_secret, opened_at, closed_at, current_item_id FROM "
                      "meetings WHERE id = $1",
                      meeting_id);
}

void open_meeting(Tx& tx, std::int64_t meeting_id, const std::string& secret, std::optional<std::int64_t> first,
                  Millis now) {
  tx.exec("UPDATE meetings SET status = 'open', checkin_secret = $2, opened_at = $3, current_item_id = $4 WHERE id = $1",
          meeting_id, secret, now, first);
}

void close_meeting(Tx& tx, std::int64_t meeting_id, Millis now) {
  tx.exec("UPDATE meetings SET status = 'closed', closed_at = $2 WHERE id = $1", meeting_id, now);
}

std::optional<std::int64_t> first_item(Tx& tx, std::int64_t meeting_id) {
  auto r = tx.query_one("SELECT id FROM agenda_items WHERE meeting_id = $1 ORDER BY ordinal LIMIT 1", meeting_id);
  return r ? std::optional<std::int64_t>(r->i64("id")) : std::nullopt;
}

std::optional<Row> item(Tx& tx, std::int64_t meeting_id, std::int64_t item_id) {
  return tx.query_one("SELECT id, ordinal, kind, title, minutes FROM agenda_items WHERE id = $1 AND meeting_id = $2",
                      item_id, meeting_id);
}

void set_current_item(Tx& tx, std::int64_t meeting_id, std::int64_t item_id) {
  tx.exec("UPDATE meetings SET current_item_id = $2 WHERE id = $1", meeting_id, item_id);
}

bool check_in(Tx& tx, std::int64_t meeting_id, std::int64_t member_id, std::optional<std::int64_t> by, Millis now) {
  return tx.exec("UPDATE meeting_attendance SET checked_in_at = $3, checked_in_by = $4, reply = 'attending' WHERE "
                 "meeting_id = $1 AND member_id = $2 AND checked_in_at IS NULL",
                 meeting_id, member_id, now, by) > 0;
}

bool checked_in(Tx& tx, std::int64_t meeting_id, std::int64_t member_id) {
  return tx.query_one("SELECT 1 FROM meeting_attendance WHERE meeting_id = $1 AND member_id = $2 AND checked_in_at IS "
                      "NOT NULL",
                      meeting_id, member_id)
      .has_value();
}

Rows waiting(Tx& tx, std::int64_t item_id) {
  return tx.query("SELECT r.id, r.member_id, r.side, m.name FROM floor_requests r JOIN council_members m ON m.id = "
                  "r.member_id WHERE r.item_id = $1 AND r.status = 'waiting' ORDER BY r.id",
                  item_id);
}

std::optional<Row> waiting_of(Tx& tx, std::int64_t item_id, std::int64_t member_id) {
  return tx.query_one("SELECT id, side FROM floor_requests WHERE item_id = $1 AND member_id = $2 AND status = 'waiting'",
                      item_id, member_id);
}

std::int64_t insert_request(Tx& tx, std::int64_t meeting_id, std::int64_t item_id, std::int64_t member_id,
                            const std::string& side, Millis now) {
  return tx.query_one("INSERT INTO floor_requests (meeting_id, item_id, member_id, side, requested_at) VALUES ($1, $2, "
                      "$3, $4, $5) RETURNING id",
                      meeting_id, item_id, member_id, side, now)
      ->i64("id");
}

std::int64_t settle_requests(Tx& tx, std::int64_t meeting_id, std::optional<std::int64_t> member_id,
                             const std::string& status) {
  if (member_id)
    return tx.exec("UPDATE floor_requests SET status = $3 WHERE meeting_id = $1 AND member_id = $2 AND status = "
                   "'waiting'",
                   meeting_id, *member_id, status);
  return tx.exec("UPDATE floor_requests SET status = $2 WHERE meeting_id = $1 AND status = 'waiting'", meeting_id, status);
}

bool grant_request(Tx& tx, std::int64_t request_id) {
  return tx.exec("UPDATE floor_requests SET status = 'granted' WHERE id = $1 AND status = 'waiting'", request_id) > 0;
}

Rows speeches_on(Tx& tx, std::int64_t item_id) {
  return tx.query("SELECT member_id, side, started_at FROM speeches WHERE item_id = $1 ORDER BY id", item_id);
}

std::optional<Row> open_speech(Tx& tx, std::int64_t meeting_id) {
  return tx.query_one("SELECT s.id, s.member_id, m.name, s.side, s.started_at, s.limit_ms, s.extensions FROM speeches s "
                      "JOIN council_members m ON m.id = s.member_id WHERE s.meeting_id = $1 AND s.ended_at IS NULL",
                      meeting_id);
}

std::int64_t insert_speech(Tx& tx, std::int64_t meeting_id, std::int64_t item_id, std::int64_t member_id,
                           const std::string& side, std::optional<std::int64_t> request_id, Millis now,
                           std::int64_t limit_ms, const std::optional<std::string>& override_reason,
                           std::optional<std::int64_t> granted_by) {
  return tx.query_one("INSERT INTO speeches (meeting_id, item_id, member_id, side, request_id, started_at, limit_ms, "
                      "override_reason, granted_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
                      meeting_id, item_id, member_id, side, request_id, now, limit_ms, override_reason, granted_by)
      ->i64("id");
}

bool end_speech(Tx& tx, std::int64_t speech_id, Millis now) {
  return tx.exec("UPDATE speeches SET ended_at = $2 WHERE id = $1 AND ended_at IS NULL", speech_id, now) > 0;
}

Rows present(Tx& tx, std::int64_t meeting_id) {
  return tx.query("SELECT a.member_id, m.user_id FROM meeting_attendance a JOIN council_members m ON m.id = a.member_id "
                  "WHERE a.meeting_id = $1 AND a.checked_in_at IS NOT NULL ORDER BY a.member_id",
                  meeting_id);
}

bool extend_speech(Tx& tx, std::int64_t speech_id, std::int64_t by_ms, int max_extensions) {
  return tx.exec("UPDATE speeches SET limit_ms = limit_ms + $2, extensions = extensions + 1 WHERE id = $1 AND "
                 "ended_at IS NULL AND extensions < $3",
                 speech_id, by_ms, static_cast<std::int64_t>(max_extensions)) > 0;
}

}  // namespace xh::councils::store

namespace xh::councils::store {

namespace {
constexpr const char* kVoteColumns =
    "v.id, v.meeting_id, v.item_id, i.title AS item_title, v.method, v.secret, v.status, v.pass, v.present, "
    "v.members, v.votes_for, v.votes_against, v.votes_abstain, v.cast_count, v.passed, v.opened_at, v.closed_at "
    "FROM meeting_votes v JOIN agenda_items i ON i.id = v.item_id ";
}

std::int64_t insert_vote(Tx& tx, const NewVote& v, Millis now) {
  return tx.query_one("INSERT INTO meeting_votes (meeting_id, item_id, method, secret, status, pass, present, members, "
                      "opened_at, opened_by) VALUES ($1, $2, $3, $4, 'open', $5, $6, $7, $8, $9) RETURNING id",
                      v.meeting_id, v.item_id, v.method, v.secret, v.pass, v.present, v.members, now, v.opened_by)
      ->i64("id");
}

void decide_vote(Tx& tx, std::int64_t vote_id, std::int64_t for_, std::int64_t against, std::int64_t abstain,
                 bool passed, Millis now) {
  tx.exec("UPDATE meeting_votes SET votes_for = $2, votes_against = $3, votes_abstain = $4, cast_count = $7, "
          "passed = $5, status = 'closed', closed_at = $6 WHERE id = $1",
          vote_id, for_, against, abstain, passed, now, for_ + against + abstain);
}

std::optional<Row> vote(Tx& tx, std::int64_t meeting_id, std::int64_t vote_id) {
  return tx.query_one(std::string("SELECT ") + kVoteColumns + "WHERE v.id = $1 AND v.meeting_id = $2", vote_id,
                      meeting_id);
}

std::optional<Row> open_vote(Tx& tx, std::int64_t meeting_id) {
  return tx.query_one(std::string("SELECT ") + kVoteColumns + "WHERE v.meeting_id = $1 AND v.status = 'open'",
                      meeting_id);
}

std::optional<Row> last_closed_vote(Tx& tx, std::int64_t meeting_id) {
  return tx.query_one(std::string("SELECT ") + kVoteColumns +
                          "WHERE v.meeting_id = $1 AND v.status = 'closed' ORDER BY v.id DESC LIMIT 1",
                      meeting_id);
}

Rows votes(Tx& tx, std::int64_t meeting_id) {
  return tx.query(std::string("SELECT ") + kVoteColumns + "WHERE v.meeting_id = $1 ORDER BY v.id DESC", meeting_id);
}

Rows item_votes(Tx& tx, std::int64_t item_id) {
  return tx.query(std::string("SELECT ") + kVoteColumns + "WHERE v.item_id = $1 ORDER BY v.id", item_id);
}

Rows ballots(Tx& tx, std::int64_t vote_id) {
  return tx.query("SELECT b.member_id, m.name, b.choice, b.weight FROM meeting_ballots b JOIN council_members m ON "
                  "m.id = b.member_id JOIN council_seats s ON s.key = m.seat WHERE b.vote_id = $1 ORDER BY s.ordinal, "
                  "m.id",
                  vote_id);
}

bool has_voted(Tx& tx, std::int64_t vote_id, std::int64_t member_id) {
  return tx.query_one("SELECT 1 FROM meeting_ballots WHERE vote_id = $1 AND member_id = $2", vote_id, member_id)
      .has_value();
}

std::int64_t ballot_weight(Tx& tx, std::int64_t meeting_id, std::int64_t member_id) {
  return 1 + tx.query_one("SELECT COUNT(*) AS n FROM meeting_attendance WHERE meeting_id = $1 AND proxy_id = $2 AND "
                          "reply = 'proxy' AND checked_in_at IS NULL",
                          meeting_id, member_id)
                 ->i64("n");
}

Cast cast_ballot(Tx& tx, std::int64_t vote_id, std::int64_t member_id, const std::string& choice,
                 std::int64_t weight, bool keep_choice) {
  // The ballot first: the primary key makes a second one from the same
  // member a conflict (which the caller answers), whoever commits first.
  std::optional<std::string> kept;
  if (keep_choice) kept = choice;
  if (tx.exec("INSERT INTO meeting_ballots (vote_id, member_id, choice, weight) SELECT $1, $2, $3, $4 WHERE EXISTS "
              "(SELECT 1 FROM meeting_votes WHERE id = $1 AND status = 'open') ON CONFLICT DO NOTHING",
              vote_id, member_id, kept, weight) == 0)
    return has_voted(tx, vote_id, member_id) ? Cast::duplicate : Cast::closed;
  const char* column = choice == "for" ? "votes_for" : choice == "against" ? "votes_against" : "votes_abstain";
  // Closed meanwhile (another process): the caller's error undoes the ballot.
  return tx.exec(std::string("UPDATE meeting_votes SET ") + column + " = " + column +
                     " + $2, cast_count = cast_count + 1 WHERE id = $1 AND status = 'open'",
                 vote_id, weight) > 0
             ? Cast::cast
             : Cast::closed;
}

bool close_vote(Tx& tx, std::int64_t vote_id, Millis now) {
  return tx.exec("UPDATE meeting_votes SET status = 'closed', closed_at = $2 WHERE id = $1 AND status = 'open'",
                 vote_id, now) > 0;
}

void set_passed(Tx& tx, std::int64_t vote_id, bool passed) {
  tx.exec("UPDATE meeting_votes SET passed = $2 WHERE id = $1", vote_id, passed);
}

std::int64_t insert_record(Tx& tx, std::int64_t meeting_id, std::optional<std::int64_t> item_id,
                           const std::string& kind, std::optional<std::int64_t> member_id,
                           const std::optional<std::string>& rule, const std::optional<std::string>& note,
                           const std::optional<std::string>& ruling, std::optional<std::int64_t> by, Millis now) {
  return tx.query_one("INSERT INTO meeting_records (meeting_id, item_id, kind, member_id, rule, note, ruling, at, "
                      "recorded_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
                      meeting_id, item_id, kind, member_id, rule, note, ruling, now, by)
      ->i64("id");
}

Rows records(Tx& tx, std::int64_t meeting_id) {
  return tx.query("SELECT r.id, r.item_id, r.kind, r.member_id, m.name, r.rule, r.note, r.ruling, r.at FROM "
                  "meeting_records r LEFT JOIN council_members m ON m.id = r.member_id WHERE r.meeting_id = $1 ORDER "
                  "BY r.id DESC",
                  meeting_id);
}

Rows speeches(Tx& tx, std::int64_t meeting_id) {
  return tx.query("SELECT s.item_id, m.name, s.side, s.started_at, s.ended_at, s.limit_ms, s.extensions, "
                  "s.override_reason FROM speeches s JOIN council_members m ON m.id = s.member_id WHERE s.meeting_id = "
                  "$1 ORDER BY s.id",
                  meeting_id);
}

std::optional<Row> minutes(Tx& tx, std::int64_t meeting_id, std::optional<std::int64_t> version) {
  const std::string columns =
      "SELECT n.meeting_id, n.version, n.status, n.summary, n.decisions, n.content, n.edited_at, n.signed_at, "
      "u.display_name AS signed_by_name FROM meeting_minutes n LEFT JOIN users u ON u.id = n.signed_by WHERE "
      "n.meeting_id = $1 ";
  if (version) return tx.query_one(columns + "AND n.version = $2", meeting_id, *version);
  return tx.query_one(columns + "ORDER BY n.version DESC LIMIT 1", meeting_id);
}

Rows minutes_versions(Tx& tx, std::int64_t meeting_id) {
  return tx.query("SELECT version, status, signed_at FROM meeting_minutes WHERE meeting_id = $1 ORDER BY version",
                  meeting_id);
}

void insert_minutes(Tx& tx, std::int64_t meeting_id, std::int64_t version, const std::string& summary,
                    const std::string& decisions, std::optional<std::int64_t> by, Millis now) {
  tx.exec("INSERT INTO meeting_minutes (meeting_id, version, status, summary, decisions, edited_at, edited_by) VALUES "
          "($1, $2, 'draft', $3, $4, $5, $6)",
          meeting_id, version, summary, decisions, now, by);
}

void update_minutes(Tx& tx, std::int64_t meeting_id, std::int64_t version, const std::string& summary,
                    const std::string& decisions, std::optional<std::int64_t> by, Millis now) {
  tx.exec("UPDATE meeting_minutes SET summary = $3, decisions = $4, edited_at = $5, edited_by = $6 WHERE meeting_id = "
          "$1 AND version = $2 AND status = 'draft'",
          meeting_id, version, summary, decisions, now, by);
}

bool sign_minutes(Tx& tx, std::int64_t meeting_id, std::int64_t version, const std::string& content,
                  std::optional<std::int64_t> by, Millis now) {
  return tx.exec("UPDATE meeting_minutes SET status = 'signed', content = $3, signed_at = $4, signed_by = $5 WHERE "
                 "meeting_id = $1 AND version = $2 AND status = 'draft'",
                 meeting_id, version, content, now, by) > 0;
}

}  // namespace xh::councils::store
