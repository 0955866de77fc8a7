// The module's configuration: categories, routing rules, settings, and the
// keys of Open311 clients. Changed by workorder.configure only, and audited.
#include <boost/json.hpp>

#include "core/crypto.h"
#include "core/error.h"
#include "workorders/internal.h"
#include "workorders/workorders.h"

namespace xh::workorders {

namespace json = boost::json;
using storage::Tx;
using detail::path_ids;

namespace {

// The module's configuration serves the whole deployment (one street office):
// only a grant at the top of the hierarchy may change it.
void require_configure(const api::Principal& p) {
  api::require(p, "workorder.configure");
  for (const auto& g : p.grants)
    if (api::grant_has(g, "workorder.configure") && path_ids(g.place_path).size() == 1) return;
  throw forbidden("auth.scope_denied", "workorder.configure");
}

json::object category_json(const Category& c, Lang lang) {
  return {{"key", c.key},         {"label", category_label(c, lang)},
          {"zh", c.zh},           {"en", c.en},
          {"body", c.body},       {"body_label", std::string(label_of(bodies(), c.body, lang))},
          {"deadline_hours", c.deadline_hours},
          {"urgent", c.urgent},   {"active", c.active}};
}

void check_body(const std::string& body, const char* field) {
  for (const auto& b : bodies())
    if (b.key == body) return;
  throw unprocessable("workorder.bad_body", field);
}

void check_hours(std::optional<std::int64_t> h) {
  if (h && (*h < 1 || *h > 8760)) throw unprocessable("workorder.bad_deadline", "deadline_hours");
}

bool valid_key(const std::string& k) {
  if (k.empty() || k.size() > 30) return false;
  for (char c : k)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  return true;
}

}  // namespace

json::array categories_json(Services& s, Lang lang) {
  return s.db.read_once([&](Tx& tx) {
    json::array out;
    for (const auto& c : load_categories(tx)) out.push_back(category_json(c, lang));
    return out;
  });
}

json::object save_category(Services& s, const api::Principal& p, const api::Actor& actor,
                           const std::optional<std::string>& key, const CategoryInput& in,
                           Lang lang) {
  require_configure(p);
  if (in.body) check_body(*in.body, "body");
  check_hours(in.deadline_hours);
  return s.db.write([&](Tx& tx) {
    Category c;
    std::optional<Category> before;
    if (key) {
      before = find_category(tx, *key);
      if (!before) throw not_found("workorder.category_not_found");
      c = *before;
    } else {
      if (!in.key || !valid_key(*in.key)) throw unprocessable("workorder.bad_category_key", "key");
      if (!in.zh || !in.en || !in.body || !in.deadline_hours)
        throw unprocessable("request.missing_field", !in.zh ? "zh" : !in.en ? "en" : !in.body ? "body" : "deadline_hours");
      if (find_category(tx, *in.key)) throw conflict("workorder.category_exists", "key");
      c.key = *in.key;
      c.sort = static_cast<int>(
          tx.query_one("SELECT COALESCE(MAX(sort), 0) + 10 FROM wo_categories")->i64(0));
    }
    if (in.zh) c.zh = *in.zh;
    if (in.en) c.en = *in.en;
    if (in.body) c.body = *in.body;
    if (in.deadline_hours) c.deadline_hours = static_cast<int>(*in.deadline_hours);
    if (in.urgent) c.urgent = *in.urgent;
    if (in.active) c.active = *in.active;
    if (before)
      tx.exec("UPDATE wo_categories SET zh = $2, en = $3, body = $4, deadline_hours = $5, urgent = "
              "$6, active = $7 WHERE key = $1",
              c.key, c.zh, c.en, c.body, c.deadline_hours, c.urgent, c.active);
    else
      tx.exec("INSERT INTO wo_categories (key, zh, en, body, deadline_hours, urgent, active, sort) "
              "VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
              c.key, c.zh, c.en, c.body, c.deadline_hours, c.urgent, c.active, c.sort);
    json::object after = category_json(c, lang);
    audit::append(tx, actor,
                  {"workorder.category_save", "wo_category", c.key,
                   before ? std::optional(json::serialize(category_json(*before, lang))) : std::nullopt,
                   json::serialize(after)});
    return after;
  });
}

json::array rules_json(Services& s, const api::Principal& p) {
  require_configure(p);
  return s.db.read_once([&](Tx& tx) {
    json::array out;
    for (const auto& r : tx.query(
             "SELECT r.id, r.category, r.place_id, pl.name, r.body, r.deadline_hours, r.urgent "
             "FROM wo_rules r JOIN places pl ON pl.id = r.place_id ORDER BY r.category, r.path"))
      out.push_back({{"id", r.i64(0)},
                     {"category", r.str(1)},
                     {"place_id", r.i64(2)},
                     {"place_name", r.str(3)},
                     {"body", r.str(4)},
                     {"deadline_hours", r.is_null(5) ? json::value(nullptr) : json::value(r.i64(5))},
                     {"urgent", r.is_null(6) ? json::value(nullptr) : json::value(r.i64(6) != 0)}});
    return out;
  });
}

json::object add_rule(Services& s, const api::Principal& p, const api::Actor& actor,
                      const RuleInput& in) {
  check_body(in.body, "body");
  check_hours(in.deadline_hours);
  return s.db.write([&](Tx& tx) {
    if (!find_category(tx, in.category)) throw unprocessable("workorder.bad_category", "category");
    auto place = tx.query_one("SELECT path FROM places WHERE id = $1", in.place_id);
    if (!place) throw unprocessable("workorder.bad_place", "place_id");
    api::require_in_scope(p, "workorder.configure", place->str(0));
    if (tx.query_one("SELECT 1 FROM wo_rules WHERE category = $1 AND place_id = $2", in.category,
                     in.place_id))
      throw conflict("workorder.rule_exists");
    auto id = tx.query_one(
                    "INSERT INTO wo_rules (category, place_id, path, body, deadline_hours, urgent, "
                    "created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                    in.category, in.place_id, place->str(0), in.body, in.deadline_hours, in.urgent,
                    now_ms())
                  ->i64(0);
    json::object after{{"id", id},
                       {"category", in.category},
                       {"place_id", in.place_id},
                       {"body", in.body},
                       {"deadline_hours", in.deadline_hours ? json::value(*in.deadline_hours) : nullptr},
                       {"urgent", in.urgent ? json::value(*in.urgent) : nullptr}};
    audit::append(tx, actor,
                  {"workorder.rule_add", "wo_rule", std::to_string(id), std::nullopt,
                   json::serialize(after)});
    return after;
  });
}

void delete_rule(Services& s, const api::Principal& p, const api::Actor& actor, std::int64_t id) {
  s.db.write([&](Tx& tx) {
    auto r = tx.query_one("SELECT path, category, place_id, body FROM wo_rules WHERE id = $1", id);
    if (!r) throw not_found("workorder.rule_not_found");
    api::require_in_scope(p, "workorder.configure", r->str(0));
    tx.exec("DELETE FROM wo_rules WHERE id = $1", id);
    audit::append(tx, actor,
                  {"workorder.rule_delete", "wo_rule", std::to_string(id),
                   json::serialize(json::object{{"category", r->str(1)},
                                                {"place_id", r->i64(2)},
                                                {"body", r->str(3)}}),
                   std::nullopt});
  });
}

json::object settings_json(Services& s) {
  return s.db.read_once([&](Tx& tx) {
    Settings st = load_settings(tx);
    json::object out;
    for (const auto& d : setting_defs()) out[d.key] = st.*(d.field);
    return out;
  });
}

json::object update_settings(Services& s, const api::Principal& p, const api::Actor& actor,
                             const std::vector<std::pair<std::string, std::int64_t>>& values) {
  require_configure(p);
  for (const auto& [key, value] : values) {
    bool known = false;
    for (const auto& d : setting_defs())
      if (d.key == key) {
        known = true;
        if (value < d.min || value > d.max) throw unprocessable("workorder.bad_setting", key);
      }
    if (!known) throw unprocessable("request.unknown_field", key);
  }
  auto before = settings_json(s);
  s.db.write([&](Tx& tx) {
    for (const auto& [key, value] : values)
      tx.exec("UPDATE wo_settings SET value = $2 WHERE key = $1", key, value);
    json::object after;
    for (const auto& [key, value] : values) after[key] = value;
    audit::append(tx, actor,
                  {"workorder.settings", "wo_settings", "module", json::serialize(before),
                   json::serialize(after)});
  });
  return settings_json(s);
}

json::object create_open311_key(Services& s, const api::Principal& p, const api::Actor& actor,
                                const std::string& name) {
  require_configure(p);
  if (name.empty()) throw unprocessable("request.missing_field", "name");
  std::string key = random_token(24);
  return s.db.write([&](Tx& tx) {
    Millis now = now_ms();
    auto id = tx.query_one("INSERT INTO open311_keys (name, key_hash, created_by, created_at) "
                           "VALUES ($1, $2, $3, $4) RETURNING id",
                           name, sha256_hex(key), p.user_id, now)
                  ->i64(0);
    audit::append(tx, actor,
                  {"open311.key_create", "open311_key", std::to_string(id), std::nullopt,
                   json::serialize(json::object{{"name", name}})});
    return json::object{{"id", id}, {"name", name}, {"key", key}, {"created_at", iso8601(now)}};
  });
}

json::array list_open311_keys(Services& s, const api::Principal& p) {
  require_configure(p);
  return s.db.read_once([&](Tx& tx) {
    json::array out;
    for (const auto& r : tx.query("SELECT id, name, created_at, revoked_at FROM open311_keys "
                                  "ORDER BY id"))
      out.push_back({{"id", r.i64(0)},
                     {"name", r.str(1)},
                     {"created_at", iso8601(r.i64(2))},
                     {"revoked", !r.is_null(3)}});
    return out;
  });
}

void revoke_open311_key(Services& s, const api::Principal& p, const api::Actor& actor,
                        std::int64_t id) {
  require_configure(p);
  s.db.write([&](Tx& tx) {
    if (tx.exec("UPDATE open311_keys SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL", id,
                now_ms()) != 1)
      throw not_found("open311.key_not_found");
    audit::append(tx, actor,
                  {"open311.key_revoke", "open311_key", std::to_string(id), std::nullopt,
                   std::nullopt});
  });
}

}  // namespace xh::workorders
