// The inbox (站内信): notices written by the handlers of domain events, read
// in the reader's language; read and unread.
#include <boost/json.hpp>

#include <algorithm>
#include <map>

#include "core/error.h"
#include "core/json_output.h"
#include "core/messages.h"
#include "live/channels.h"
#include "live/live.h"
#include "schedule/schedule.h"

namespace xh::live {

namespace json = boost::json;
using storage::Tx;

std::string render(const std::string& key, const json::object& params, Lang lang) {
  std::vector<std::pair<std::string, std::string>> values;
  for (const auto& [name, v] : params) {
    std::string text;
    const auto* o = v.if_object();
    if (o && o->contains("label") && o->contains("key")) {
      std::string set(o->at("label").as_string()), k(o->at("key").as_string());
      text = std::string(label_of(api::installed_label_set(set), k, lang));
    } else if (o && o->contains("label") && o->contains("counts")) {
      const auto& labels = api::installed_label_set(std::string(o->at("label").as_string()));
      for (const auto& [k, n] : o->at("counts").as_object()) {
        if (!text.empty()) text += lang == Lang::en ? ", " : "、";
        text += std::string(label_of(labels, std::string(k), lang)) + " " + json::serialize(n);
      }
    } else if (o && o->contains("zh") && o->contains("en")) {
      text = std::string(o->at(lang == Lang::en ? "en" : "zh").as_string());
    } else {
      text = v.is_string() ? std::string(v.as_string()) : json::serialize(v);
    }
    values.emplace_back(std::string(name), std::move(text));
  }
  return message(key, lang, values);
}

namespace {
std::string mode_of(Tx& tx, std::int64_t user_id, const std::string& kind) {
  auto r = tx.query_one("SELECT mode FROM notification_prefs WHERE user_id = $1 AND kind = $2",
                        user_id, kind);
  return r ? r->str("mode") : "immediate";
}
}  // namespace

void notify(Tx& tx, const json::object& n, const std::string& path) {
  std::int64_t user_id = n.at("user_id").to_number<std::int64_t>();
  std::string kind(n.at("kind").as_string());
  const json::value* type = n.if_contains("subject_type");
  const json::value* subject = n.if_contains("subject_id");
  const json::value* params = n.if_contains("params");
  bool quiet = mode_of(tx, user_id, kind) == "digest";
  auto id = tx.query_one(
                  "INSERT INTO notifications (user_id, kind, subject_type, subject_id, text_key, "
                  "params, created_at, quiet, path) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) "
                  "RETURNING id",
                  user_id, kind,
                  type && type->is_string() ? std::optional<std::string>(std::string(type->as_string())) : std::nullopt,
                  subject && subject->is_number() ? std::optional<std::int64_t>(subject->to_number<std::int64_t>()) : std::nullopt,
                  std::string(n.at("text").as_string()),
                  params ? json::serialize(*params) : std::string("{}"), now_ms(),
                  static_cast<std::int64_t>(quiet), path.empty() ? std::nullopt : std::optional<std::string>(path))
                ->i64("id");
  publish(tx, "inbox:" + std::to_string(user_id), "inbox.new",
          {{"id", id}, {"kind", kind}, {"quiet", quiet}});
}

namespace {
std::int64_t unread_of(Tx& tx, std::int64_t user_id) {
  return tx.query_one("SELECT COUNT(*) AS n FROM notifications WHERE user_id = $1 AND read_at IS NULL "
                      "AND quiet = 0",
                      user_id)
      ->i64("n");
}
}  // namespace

json::object Inbox::list(const api::Principal& p, bool unread_only, api::Page page, Lang lang) const {
  return db_.read([&](Tx& tx) {
    std::string where = std::string("user_id = $1") + (unread_only ? " AND read_at IS NULL" : "");
    auto total = tx.query_one("SELECT COUNT(*) AS n FROM notifications WHERE " + where, p.user_id)->i64("n");
    json::array items;
    for (const auto& r : tx.query(
             "SELECT id, kind, subject_type, subject_id, text_key, params, created_at, read_at, quiet FROM "
             "notifications WHERE " + where + " ORDER BY id DESC LIMIT $2 OFFSET $3",
             p.user_id, static_cast<std::int64_t>(page.limit), static_cast<std::int64_t>(page.offset))) {
      json::value params = json::parse(r.str("params"));
      items.push_back({{"id", r.i64("id")},
                       {"kind", r.str("kind")},
                       {"text", render(r.str("text_key"), params.as_object(), lang)},
                       {"subject_type", nullable(r.opt_str("subject_type"))},
                       {"subject_id", nullable(r.opt_i64("subject_id"))},
                       {"created_at", iso8601(r.i64("created_at"))},
                       {"read", !r.is_null("read_at")},
                       {"quiet", r.i64("quiet") != 0}});
    }
    return json::object{{"items", std::move(items)}, {"total", total}, {"unread", unread_of(tx, p.user_id)}};
  });
}

// Other pages of the same reader follow the count.
void tell_read(Tx& tx, std::int64_t user_id, std::int64_t unread) {
  publish(tx, "inbox:" + std::to_string(user_id), "inbox.read", {{"unread", unread}});
  announce(tx);
}

json::object Inbox::read(const api::Principal& p, std::int64_t id) const {
  return db_.write([&](Tx& tx) {
    auto n = tx.query_one("SELECT read_at FROM notifications WHERE id = $1 AND user_id = $2", id, p.user_id);
    if (!n) throw not_found("inbox.not_found");
    std::int64_t unread;
    if (n->is_null("read_at")) {
      tx.exec("UPDATE notifications SET read_at = $3 WHERE id = $1 AND user_id = $2", id, p.user_id, now_ms());
      tell_read(tx, p.user_id, unread = unread_of(tx, p.user_id));
    } else {
      unread = unread_of(tx, p.user_id);
    }
    return json::object{{"id", id}, {"read", true}, {"unread", unread}};
  });
}

json::object Inbox::read_all(const api::Principal& p) const {
  return db_.write([&](Tx& tx) {
    auto n = tx.exec("UPDATE notifications SET read_at = $2 WHERE user_id = $1 AND read_at IS NULL",
                     p.user_id, now_ms());
    if (n > 0) tell_read(tx, p.user_id, 0);
    return json::object{{"updated", n}, {"unread", 0}};
  });
}

// ---- preferences ---------------------------------------------------------------

namespace {
constexpr std::string_view kDigestKind = "digest.daily";
constexpr int kDigestHour = 18;          // Beijing time
}  // namespace

json::object Inbox::preferences(const api::Principal& p, Lang lang) const {
  return db_.read([&](Tx& tx) {
    std::map<std::string, std::string> chosen;
    for (const auto& r : tx.query("SELECT kind, mode FROM notification_prefs WHERE user_id = $1", p.user_id))
      chosen[r.str("kind")] = r.str("mode");
    json::array items;
    for (const auto& l : api::installed_label_set("notice.kind")) {
      if (l.key == kDigestKind) continue;
      auto it = chosen.find(std::string(l.key));
      items.push_back({{"kind", l.key},
                       {"label", lang == Lang::en ? l.en : l.zh},
                       {"mode", it == chosen.end() ? "immediate" : it->second}});
    }
    return json::object{{"items", std::move(items)},
                        {"digest_at", std::to_string(kDigestHour) + ":00"}};
  });
}

json::object Inbox::set_preference(const api::Principal& p, const std::string& kind,
                                   const std::string& mode, Lang lang) const {
  const auto& kinds = api::installed_label_set("notice.kind");
  if (kind == kDigestKind ||
      std::none_of(kinds.begin(), kinds.end(), [&](const Label& l) { return l.key == kind; }))
    throw unprocessable("inbox.unknown_kind", "kind");
  if (mode != "immediate" && mode != "digest") throw unprocessable("inbox.bad_mode", "mode");
  db_.write([&](Tx& tx) {
    tx.exec("DELETE FROM notification_prefs WHERE user_id = $1 AND kind = $2", p.user_id, kind);
    tx.exec("INSERT INTO notification_prefs (user_id, kind, mode) VALUES ($1, $2, $3)", p.user_id,
            kind, mode);
  });
  return preferences(p, lang);
}

// ---- the daily digest ------------------------------------------------------------

void plan_digest(Tx& tx, Millis now) {
  if (tx.query_one("SELECT 1 FROM scheduled_jobs WHERE kind = 'live.digest' AND done_at IS NULL"))
    return;
  // The next 18:00 in Beijing, and its day.
  Millis local = now + kBeijingOffset;
  std::int64_t day = local / kDay;
  if (local % kDay >= kDigestHour * kHour) ++day;
  schedule::add(tx, "live.digest", day, day * kDay + kDigestHour * kHour - kBeijingOffset);
}

int run_digest(Tx& tx, std::int64_t day, Millis now) {
  // Once a day, whichever process or job comes first; the one that does it
  // plans the next.
  std::string date = w3c_beijing(day * kDay - kBeijingOffset).substr(0, 10);
  if (tx.exec("INSERT INTO digest_runs (day, ran_at, users) VALUES ($1, $2, 0) ON CONFLICT (day) "
              "DO NOTHING",
              date, now) == 0)
    return 0;
  schedule::add(tx, "live.digest", day + 1, (day + 1) * kDay + kDigestHour * kHour - kBeijingOffset);

  // Each user's quiet notices, unread and not yet gathered.
  std::map<std::int64_t, std::map<std::string, std::int64_t>> waiting;
  for (const auto& r : tx.query("SELECT user_id, kind, COUNT(*) AS n FROM notifications WHERE quiet = 1 "
                                "AND digest_id IS NULL AND read_at IS NULL AND created_at <= $1 "
                                "GROUP BY user_id, kind ORDER BY user_id, kind",
                                now))
    waiting[r.i64("user_id")][r.str("kind")] = r.i64("n");
  for (const auto& [user, kinds] : waiting) {
    json::object counts;
    std::int64_t total = 0;
    for (const auto& [kind, n] : kinds) {
      counts[kind] = n;
      total += n;
    }
    notify(tx, {{"user_id", user},
                {"kind", kDigestKind},
                {"text", "inbox.notice.digest"},
                {"params", {{"date", date}, {"count", std::to_string(total)},
                            {"kinds", {{"label", "notice.kind"}, {"counts", std::move(counts)}}}}}});
    auto digest = tx.query_one("SELECT MAX(id) AS id FROM notifications WHERE user_id = $1", user)->i64("id");
    tx.exec("UPDATE notifications SET digest_id = $2 WHERE user_id = $1 AND quiet = 1 AND digest_id IS "
            "NULL AND read_at IS NULL AND created_at <= $3",
            user, digest, now);
  }
  tx.exec("UPDATE digest_runs SET users = $2 WHERE day = $1", date,
          static_cast<std::int64_t>(waiting.size()));

  // Each staff group that asked for it: the notices about its places in the
  // day up to this digest's hour.
  Millis from = day * kDay + kDigestHour * kHour - kBeijingOffset - kDay;
  for (const auto& c : tx.query("SELECT id, kind, path, notice_kinds FROM channels WHERE enabled = 1")) {
    auto wanted = json::parse(c.str("notice_kinds"));
    bool asked = false;
    for (const auto& k : wanted.as_array()) asked = asked || k.as_string() == kDigestKind;
    if (!asked) continue;
    json::object counts;
    std::int64_t total = 0;
    for (const auto& r : tx.query(
             "SELECT kind, COUNT(DISTINCT COALESCE(subject_type, '') || ':' || COALESCE(subject_id, id)) "
             "AS n FROM notifications WHERE created_at >= $1 AND created_at < $2 AND path LIKE $3 || '%' "
             "GROUP BY kind ORDER BY kind",
             from, from + kDay, c.str("path"))) {
      counts[r.str("kind")] = r.i64("n");
      total += r.i64("n");
    }
    if (total == 0) continue;
    std::string text = render("channel.digest", {{"date", date}, {"kinds", {{"label", "notice.kind"}, {"counts", counts}}}},
                              Lang::zh_CN);
    tx.exec("INSERT INTO channel_outbox (channel_id, body, next_at, created_at) VALUES ($1, $2, $3, $3)",
            c.i64("id"), robot_body(c.str("kind"), "星火 · 每日摘要", text), now);
  }
  announce(tx);
  return static_cast<int>(waiting.size());
}

}  // namespace xh::live
