// The module's configuration: categories, routing rules, settings, and the
// keys of Open311 clients. Changed by workorder.configure only, and audited.
#include <boost/json.hpp>

#include "api/scope.h"
#include "audit/audit.h"
#include "core/crypto.h"
#include "core/error.h"
#include "core/json_output.h"
#include "places/places.h"
#include "workorders/store.h"
#include "workorders/workorders.h"

namespace xh::workorders {

namespace json = boost::json;
using storage::Tx;

namespace {

// The module's configuration serves the whole deployment (one street office):
// only a grant at the top of the hierarchy may change it.
void require_configure(const api::Principal& p) {
  api::require(p, "workorder.configure");
  for (const auto& g : p.grants)
    if (api::grant_has(g, "workorder.configure") && api::path_ids(g.place_path).size() == 1) return;
  throw forbidden("auth.scope_denied", "workorder.configure");
}

json::object category_json(const store::Category& c, Lang lang) {
  return {{"key", c.key},
          {"label", lang == Lang::en ? c.en : c.zh},
          {"zh", c.zh},
          {"en", c.en},
          {"body", c.body},
          {"body_label", std::string(label_of(bodies(), c.body, lang))},
          {"deadline_hours", c.deadline_hours},
          {"urgent", c.urgent},
          {"active", c.active}};
}

void check_body(const std::string& body) {
  if (!has_key(bodies(), body)) throw unprocessable("workorder.bad_body", "body");
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

json::object settings_of(Tx& tx) {
  Settings st = store::settings(tx);
  json::object out;
  for (const auto& d : setting_defs()) out[d.key] = st.*(d.field);
  return out;
}

}  // namespace

json::array WorkOrders::categories(Lang lang) const {
  return db_.read_once([&](Tx& tx) {
    json::array out;
    for (const auto& c : store::categories(tx)) out.push_back(category_json(c, lang));
    return out;
  });
}

json::object WorkOrders::create_category(const api::Principal& p, const api::Actor& actor,
                                         const NewCategory& in, Lang lang) const {
  require_configure(p);
  if (!valid_key(in.key)) throw unprocessable("workorder.bad_category_key", "key");
  check_body(in.body);
  check_hours(in.deadline_hours);
  return db_.write([&](Tx& tx) {
    if (store::find_category(tx, in.key)) throw conflict("workorder.category_exists", "key");
    store::Category c{in.key, in.zh,     in.en,     in.body, static_cast<int>(in.deadline_hours),
                      in.urgent, in.active, store::next_category_sort(tx)};
    store::insert_category(tx, c);
    json::object after = category_json(c, lang);
    audit::append(tx, actor, {"workorder.category_save", "wo_category", c.key, std::nullopt,
                              json::serialize(after)});
    return after;
  });
}

json::object WorkOrders::update_category(const api::Principal& p, const api::Actor& actor,
                                         const std::string& key, const CategoryPatch& in,
                                         Lang lang) const {
  require_configure(p);
  if (in.body) check_body(*in.body);
  check_hours(in.deadline_hours);
  return db_.write([&](Tx& tx) {
    auto before = store::find_category(tx, key);
    if (!before) throw not_found("workorder.category_not_found");
    store::Category c = *before;
    if (in.zh) c.zh = *in.zh;
    if (in.en) c.en = *in.en;
    if (in.body) c.body = *in.body;
    if (in.deadline_hours) c.deadline_hours = static_cast<int>(*in.deadline_hours);
    if (in.urgent) c.urgent = *in.urgent;
    if (in.active) c.active = *in.active;
    store::update_category(tx, c);
    json::object after = category_json(c, lang);
    audit::append(tx, actor, {"workorder.category_save", "wo_category", c.key,
                              json::serialize(category_json(*before, lang)), json::serialize(after)});
    return after;
  });
}

json::array WorkOrders::rules(const api::Principal& p) const {
  require_configure(p);
  return db_.read_once([&](Tx& tx) {
    json::array out;
    for (const auto& r : store::rules(tx))
      out.push_back({{"id", r.i64("id")},
                     {"category", r.str("category")},
                     {"place_id", r.i64("place_id")},
                     {"place_name", r.str("place_name")},
                     {"body", r.str("body")},
                     {"deadline_hours", nullable(r.opt_i64("deadline_hours"))},
                     {"urgent", nullable(r.opt_flag("urgent"))}});
    return out;
  });
}

json::object WorkOrders::add_rule(const api::Principal& p, const api::Actor& actor,
                                  const RuleInput& in) const {
  check_body(in.body);
  check_hours(in.deadline_hours);
  return db_.write([&](Tx& tx) {
    if (!store::find_category(tx, in.category))
      throw unprocessable("workorder.bad_category", "category");
    auto place = places::find(tx, in.place_id);
    if (!place) throw unprocessable("workorder.bad_place", "place_id");
    api::require_in_scope(p, "workorder.configure", place->path);
    if (store::rule_exists(tx, in.category, in.place_id)) throw conflict("workorder.rule_exists");
    auto id = store::insert_rule(tx, in.category, in.place_id, place->path, in.body,
                                 in.deadline_hours, in.urgent, now_ms());
    json::object after{{"id", id},
                       {"category", in.category},
                       {"place_id", in.place_id},
                       {"body", in.body},
                       {"deadline_hours", nullable(in.deadline_hours)},
                       {"urgent", nullable(in.urgent)}};
    audit::append(tx, actor, {"workorder.rule_add", "wo_rule", std::to_string(id), std::nullopt,
                              json::serialize(after)});
    return after;
  });
}

void WorkOrders::delete_rule(const api::Principal& p, const api::Actor& actor,
                             std::int64_t id) const {
  db_.write([&](Tx& tx) {
    auto r = store::find_rule(tx, id);
    if (!r) throw not_found("workorder.rule_not_found");
    api::require_in_scope(p, "workorder.configure", r->str("path"));
    store::delete_rule(tx, id);
    audit::append(tx, actor,
                  {"workorder.rule_delete", "wo_rule", std::to_string(id),
                   json::serialize(json::object{{"category", r->str("category")},
                                                {"place_id", r->i64("place_id")},
                                                {"body", r->str("body")}}),
                   std::nullopt});
  });
}

json::object WorkOrders::settings(const api::Principal& p) const {
  api::require(p, "workorder.read");
  return db_.read_once([&](Tx& tx) { return settings_of(tx); });
}

json::object WorkOrders::update_settings(
    const api::Principal& p, const api::Actor& actor,
    const std::vector<std::pair<std::string, std::int64_t>>& values) const {
  require_configure(p);
  for (const auto& [key, value] : values) {
    auto def = std::find_if(setting_defs().begin(), setting_defs().end(),
                            [&](const SettingDef& d) { return d.key == key; });
    if (def == setting_defs().end()) throw unprocessable("request.unknown_field", key);
    if (value < def->min || value > def->max) throw unprocessable("workorder.bad_setting", key);
  }
  return db_.write([&](Tx& tx) {
    auto before = settings_of(tx);
    json::object changed;
    for (const auto& [key, value] : values) {
      store::set_setting(tx, key, value);
      changed[key] = value;
    }
    audit::append(tx, actor, {"workorder.settings", "wo_settings", "module",
                              json::serialize(before), json::serialize(changed)});
    return settings_of(tx);
  });
}

json::object WorkOrders::create_open311_key(const api::Principal& p, const api::Actor& actor,
                                            const std::string& name) const {
  require_configure(p);
  if (name.empty()) throw unprocessable("request.missing_field", "name");
  std::string key = random_token(24);
  return db_.write([&](Tx& tx) {
    Millis now = now_ms();
    auto id = store::insert_open311_key(tx, name, sha256_hex(key), p.user_id, now);
    audit::append(tx, actor, {"open311.key_create", "open311_key", std::to_string(id),
                              std::nullopt, json::serialize(json::object{{"name", name}})});
    return json::object{{"id", id}, {"name", name}, {"key", key}, {"created_at", iso8601(now)}};
  });
}

json::array WorkOrders::open311_keys(const api::Principal& p) const {
  require_configure(p);
  return db_.read_once([&](Tx& tx) {
    json::array out;
    for (const auto& r : store::open311_keys(tx))
      out.push_back({{"id", r.i64("id")},
                     {"name", r.str("name")},
                     {"created_at", iso8601(r.i64("created_at"))},
                     {"revoked", !r.is_null("revoked_at")}});
    return out;
  });
}

void WorkOrders::revoke_open311_key(const api::Principal& p, const api::Actor& actor,
                                    std::int64_t id) const {
  require_configure(p);
  db_.write([&](Tx& tx) {
    if (!store::revoke_open311_key(tx, id, now_ms())) throw not_found("open311.key_not_found");
    audit::append(tx, actor, {"open311.key_revoke", "open311_key", std::to_string(id),
                              std::nullopt, std::nullopt});
  });
}

}  // namespace xh::workorders
