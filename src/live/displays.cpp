// Room screens (投屏): displays made by staff, paired with a screen by a code
// the screen shows, revoked by staff; what a screen shows.
#include "live/displays.h"

#include <boost/json.hpp>

#include <algorithm>
#include <cstdio>

#include "api/module.h"
#include "api/scope.h"
#include "audit/audit.h"
#include "core/crypto.h"
#include "core/error.h"
#include "core/json_input.h"
#include "core/json_output.h"
#include "core/time.h"
#include "live/live.h"

namespace xh::live {

namespace json = boost::json;
using storage::Tx;

namespace {

constexpr Millis kPairingLife = 10 * 60 * 1000;  // a code shown on a screen lasts ten minutes
constexpr int kPairingsPerAddress = 20;          // waiting at once from one address

// "work_order:12" → its kind's declaration and id; nullopt when it names none.
std::optional<std::pair<const api::LiveTopic*, std::int64_t>> parse_topic(const std::string& name) {
  auto colon = name.find(':');
  if (colon == std::string::npos) return std::nullopt;
  std::string_view kind = std::string_view(name).substr(0, colon);
  std::string digits = name.substr(colon + 1);
  if (digits.empty() || digits.size() > 18 ||
      !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return std::nullopt;
  for (const api::Module* m : api::installed_modules())
    for (const auto& t : m->live)
      if (t.kind == kind) return std::pair{&t, std::stoll(digits)};
  return std::nullopt;
}

}  // namespace

// 43–128 characters of base64url: random enough, and safe in a cookie.
bool good_token(const std::string& token) {
  return token.size() >= 43 && token.size() <= 128 &&
         std::all_of(token.begin(), token.end(), [](char c) {
           return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
                  c == '_';
         });
}

namespace {

json::object display_json(const storage::Row& r) {
  return {{"id", r.i64("id")},
          {"place_id", r.i64("place_id")},
          {"place_name", r.str("place_name")},
          {"name", r.str("name")},
          {"topic", r.str("topic")},
          {"paired", !r.is_null("token_hash")},
          {"paired_at", r.is_null("paired_at") ? json::value(nullptr) : json::value(iso8601(r.i64("paired_at")))},
          {"last_seen_at", r.is_null("last_seen_at") ? json::value(nullptr) : json::value(iso8601(r.i64("last_seen_at")))},
          {"revoked", !r.is_null("revoked_at")},
          {"created_at", iso8601(r.i64("created_at"))}};
}

const char* const kSelect =
    "SELECT d.id, d.place_id, pl.name AS place_name, d.path, d.name, d.topic, d.token_hash, "
    "d.paired_at, d.last_seen_at, d.revoked_at, d.created_at FROM displays d JOIN places pl ON "
    "pl.id = d.place_id";

storage::Row load(Tx& tx, const api::Principal& p, std::int64_t id) {
  auto r = tx.query_one(std::string(kSelect) + " WHERE d.id = $1", id);
  if (!r || !api::in_scope(p, "display.manage", r->str("path"))) throw not_found("display.not_found");
  return *r;
}

}  // namespace

std::optional<Screen> find_screen(Tx& tx, const std::string& token) {
  if (!good_token(token)) return std::nullopt;
  auto r = tx.query_one("SELECT id, name, topic FROM displays WHERE token_hash = $1 AND revoked_at IS NULL",
                        sha256_hex(token));
  if (!r) return std::nullopt;
  return Screen{r->i64("id"), r->str("name"), r->str("topic")};
}

json::object screen_view(Tx& tx, const std::string& topic, Lang lang) {
  auto t = parse_topic(topic);
  if (!t || !t->first->display) throw not_found("display.not_paired");
  return t->first->display(tx, t->second, lang);
}

json::object Displays::create(const api::Principal& p, const api::Actor& actor,
                              const std::string& body) const {
  api::require(p, "display.manage");
  JsonInput in(body, {"name", "place_id", "topic"});
  auto name = in.str("name", 50);
  auto place_id = in.i64("place_id");
  auto topic = in.str("topic", 100);
  auto t = parse_topic(topic);
  if (!t || !t->first->display) throw unprocessable("display.bad_topic", "topic");
  return db_.write([&](Tx& tx) {
    auto place = tx.query_one("SELECT path FROM places WHERE id = $1 AND archived_at IS NULL", place_id);
    if (!place) throw unprocessable("place.not_found", "place_id");
    api::require_in_scope(p, "display.manage", place->str("path"));
    t->first->authorize(tx, p, t->second);  // what the screen shows, its maker may see
    auto id = tx.query_one("INSERT INTO displays (place_id, path, name, topic, created_by, created_at) "
                           "VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
                           place_id, place->str("path"), name, topic, p.user_id, now_ms())
                  ->i64("id");
    audit::append(tx, actor, {"display.create", "display", std::to_string(id), std::nullopt,
                              json::serialize(json::object{{"name", name}, {"topic", topic}})});
    return display_json(*tx.query_one(std::string(kSelect) + " WHERE d.id = $1", id));
  });
}

json::array Displays::list(const api::Principal& p) const {
  api::require(p, "display.manage");
  return db_.read([&](Tx& tx) {
    json::array out;
    for (const auto& r : tx.query(std::string(kSelect) + " ORDER BY d.revoked_at IS NOT NULL, d.id DESC"))
      if (api::in_scope(p, "display.manage", r.str("path"))) out.push_back(display_json(r));
    return out;
  });
}

json::object Displays::pair(const api::Principal& p, const api::Actor& actor, std::int64_t id,
                            const std::string& body) const {
  api::require(p, "display.manage");
  JsonInput in(body, {"code"});
  auto code = in.str("code", 20);
  return db_.write([&](Tx& tx) {
    auto d = load(tx, p, id);
    if (!d.is_null("revoked_at")) throw conflict("display.revoked");
    Millis now = now_ms();
    auto waiting = tx.query_one("SELECT token_hash FROM display_pairings WHERE code = $1 AND expires_at > $2",
                                code, now);
    if (!waiting) throw unprocessable("display.bad_code", "code");
    // The code is used up; a screen paired before is let go.
    tx.exec("DELETE FROM display_pairings WHERE code = $1", code);
    tx.exec("UPDATE displays SET token_hash = NULL WHERE token_hash = $1", waiting->str("token_hash"));
    tx.exec("UPDATE displays SET token_hash = $2, paired_at = $3, last_seen_at = NULL WHERE id = $1", id,
            waiting->str("token_hash"), now);
    audit::append(tx, actor, {"display.pair", "display", std::to_string(id), std::nullopt, std::nullopt});
    return display_json(*tx.query_one(std::string(kSelect) + " WHERE d.id = $1", id));
  });
}

json::object Displays::revoke(const api::Principal& p, const api::Actor& actor, std::int64_t id) const {
  api::require(p, "display.manage");
  return db_.write([&](Tx& tx) {
    auto d = load(tx, p, id);
    if (d.is_null("revoked_at")) {
      tx.exec("UPDATE displays SET token_hash = NULL, revoked_at = $2 WHERE id = $1", id, now_ms());
      audit::append(tx, actor, {"display.revoke", "display", std::to_string(id), std::nullopt, std::nullopt});
      // The screen hears of it at once (and is let go at its next heartbeat).
      publish(tx, "display:" + std::to_string(id), "display.revoked", {{"display_id", id}});
      announce(tx);
    }
    return display_json(*tx.query_one(std::string(kSelect) + " WHERE d.id = $1", id));
  });
}

json::object Displays::start_pairing(const std::string& body, const std::string& address) const {
  JsonInput in(body, {"token"});
  auto token = in.str("token", 128);
  if (!good_token(token)) throw unprocessable("display.bad_token", "token");
  return db_.write([&](Tx& tx) {
    Millis now = now_ms();
    tx.exec("DELETE FROM display_pairings WHERE expires_at <= $1", now);
    std::string hash = sha256_hex(token);
    tx.exec("DELETE FROM display_pairings WHERE token_hash = $1", hash);  // asked again: a new code
    if (tx.query_one("SELECT COUNT(*) AS n FROM display_pairings WHERE address = $1", address)->i64("n") >=
        kPairingsPerAddress)
      throw Error(429, "display.too_many_pairings");
    for (;;) {
      char code[8];
      std::snprintf(code, sizeof code, "%06llu",
                    std::stoull(sha256_hex(random_token(16)).substr(0, 12), nullptr, 16) % 1000000ULL);
      if (tx.query_one("SELECT 1 FROM display_pairings WHERE code = $1", std::string(code))) continue;
      tx.exec("INSERT INTO display_pairings (code, token_hash, address, created_at, expires_at) VALUES "
              "($1, $2, $3, $4, $5)",
              std::string(code), hash, address, now, now + kPairingLife);
      return json::object{{"code", code}, {"expires_at", iso8601(now + kPairingLife)}};
    }
  });
}

json::object Displays::session(const std::string& token, Lang lang) const {
  if (!good_token(token)) throw not_found("display.not_paired");
  return db_.read([&](Tx& tx) {
    auto s = find_screen(tx, token);
    if (!s) {
      // Still showing its code: not an error, the screen asks again.
      auto waiting = tx.query_one("SELECT code, expires_at FROM display_pairings WHERE token_hash = $1 AND "
                                  "expires_at > $2",
                                  sha256_hex(token), now_ms());
      if (!waiting) throw not_found("display.not_paired");
      return json::object{{"paired", false},
                          {"code", waiting->str("code")},
                          {"expires_at", iso8601(waiting->i64("expires_at"))}};
    }
    return json::object{{"paired", true}, {"id", s->id}, {"name", s->name}, {"topic", s->topic},
                        {"view", screen_view(tx, s->topic, lang)}};
  });
}

}  // namespace xh::live
