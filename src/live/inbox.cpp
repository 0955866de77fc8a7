// The inbox (站内信): notices written by the handlers of domain events, read
// in the reader's language; read and unread.
#include <boost/json.hpp>

#include "core/error.h"
#include "core/json_output.h"
#include "core/messages.h"
#include "live/live.h"

namespace xh::live {

namespace json = boost::json;
using storage::Tx;

std::string render(const std::string& key, const json::object& params, Lang lang) {
  std::vector<std::pair<std::string, std::string>> values;
  for (const auto& [name, v] : params) {
    std::string text;
    if (const auto* o = v.if_object(); o && o->contains("label") && o->contains("key")) {
      std::string set(o->at("label").as_string()), k(o->at("key").as_string());
      text = std::string(label_of(api::installed_label_set(set), k, lang));
    } else {
      text = v.is_string() ? std::string(v.as_string()) : json::serialize(v);
    }
    values.emplace_back(std::string(name), std::move(text));
  }
  return message(key, lang, values);
}

void notify(Tx& tx, const json::object& n) {
  std::int64_t user_id = n.at("user_id").to_number<std::int64_t>();
  const json::value* type = n.if_contains("subject_type");
  const json::value* subject = n.if_contains("subject_id");
  const json::value* params = n.if_contains("params");
  auto id = tx.query_one(
                  "INSERT INTO notifications (user_id, kind, subject_type, subject_id, text_key, "
                  "params, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                  user_id, std::string(n.at("kind").as_string()),
                  type && type->is_string() ? std::optional<std::string>(std::string(type->as_string())) : std::nullopt,
                  subject && subject->is_number() ? std::optional<std::int64_t>(subject->to_number<std::int64_t>()) : std::nullopt,
                  std::string(n.at("text").as_string()),
                  params ? json::serialize(*params) : std::string("{}"), now_ms())
                ->i64("id");
  publish(tx, "inbox:" + std::to_string(user_id), "inbox.new",
          {{"id", id}, {"kind", n.at("kind")}});
}

namespace {
std::int64_t unread_of(Tx& tx, std::int64_t user_id) {
  return tx.query_one("SELECT COUNT(*) AS n FROM notifications WHERE user_id = $1 AND read_at IS NULL",
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
             "SELECT id, kind, subject_type, subject_id, text_key, params, created_at, read_at FROM "
             "notifications WHERE " + where + " ORDER BY id DESC LIMIT $2 OFFSET $3",
             p.user_id, static_cast<std::int64_t>(page.limit), static_cast<std::int64_t>(page.offset))) {
      json::value params = json::parse(r.str("params"));
      items.push_back({{"id", r.i64("id")},
                       {"kind", r.str("kind")},
                       {"text", render(r.str("text_key"), params.as_object(), lang)},
                       {"subject_type", nullable(r.opt_str("subject_type"))},
                       {"subject_id", nullable(r.opt_i64("subject_id"))},
                       {"created_at", iso8601(r.i64("created_at"))},
                       {"read", !r.is_null("read_at")}});
    }
    return json::object{{"items", std::move(items)}, {"total", total}, {"unread", unread_of(tx, p.user_id)}};
  });
}

json::object Inbox::read(const api::Principal& p, std::int64_t id) const {
  return db_.write([&](Tx& tx) {
    auto n = tx.query_one("SELECT read_at FROM notifications WHERE id = $1 AND user_id = $2", id, p.user_id);
    if (!n) throw not_found("inbox.not_found");
    if (n->is_null("read_at"))
      tx.exec("UPDATE notifications SET read_at = $3 WHERE id = $1 AND user_id = $2", id, p.user_id, now_ms());
    return json::object{{"id", id}, {"read", true}, {"unread", unread_of(tx, p.user_id)}};
  });
}

json::object Inbox::read_all(const api::Principal& p) const {
  return db_.write([&](Tx& tx) {
    auto n = tx.exec("UPDATE notifications SET read_at = $2 WHERE user_id = $1 AND read_at IS NULL",
                     p.user_id, now_ms());
    return json::object{{"updated", n}, {"unread", 0}};
  });
}

}  // namespace xh::live
