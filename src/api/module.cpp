#include "api/module.h"

#include <boost/json.hpp>

#include <algorithm>
#include <charconv>
#include <stdexcept>

namespace xh::api {

namespace json = boost::json;

void Setup::job(std::string kind, schedule::Scheduler::Handler h) {
  if (scheduler_) scheduler_->on(std::move(kind), std::move(h));
}

SplitMix64 GenStreet::random(std::string_view name) const {
  std::uint64_t h = 0xcbf29ce484222325ull;  // FNV-1a of the name
  for (unsigned char ch : name) h = (h ^ ch) * 0x100000001b3ull;
  return SplitMix64(SplitMix64(seed ^ h).next() + static_cast<std::uint64_t>(number));
}

namespace {
// What install() keeps of the modules for the lookups below: written once at
// start, before any request, and only read afterwards.
struct Installed {
  Modules modules;
  std::vector<AuditNames> audit_names;
  std::map<std::string, std::vector<Label>, std::less<>> label_sets;
};
Installed& installed() {
  static Installed i;
  return i;
}
}  // namespace

const Modules& installed_modules() { return installed().modules; }

void install(const Modules& modules) {
  auto& kept = installed();
  kept.modules = modules;
  kept.audit_names.clear();
  // Assigned in place, never cleared: export columns keep references to the sets.
  for (const Module* m : modules)
    kept.audit_names.insert(kept.audit_names.end(), m->audit_names.begin(), m->audit_names.end());
  for (auto& [name, labels] : label_sets(modules)) kept.label_sets[std::string(name)] = std::move(labels);
  std::vector<RoleDef> roles;
  std::vector<PermissionDef> permissions;
  for (const Module* m : modules) {
    roles.insert(roles.end(), m->roles.begin(), m->roles.end());
    permissions.insert(permissions.end(), m->permissions.begin(), m->permissions.end());
  }
  set_access_table(std::move(roles), std::move(permissions));
  // Messages are registered once per process (a second install, as tests may
  // do, finds them there already).
  static bool messages_added = false;
  if (messages_added) return;
  for (const Module* m : modules) add_messages(m->messages);
  messages_added = true;
}

std::vector<std::pair<std::string_view, std::vector<Label>>> label_sets(const Modules& modules) {
  std::vector<std::pair<std::string_view, std::vector<Label>>> out;
  for (const Module* m : modules)
    for (const auto& set : m->labels) {
      auto it = std::find_if(out.begin(), out.end(), [&](const auto& p) { return p.first == set.name; });
      if (it == out.end()) it = out.insert(out.end(), {set.name, {}});
      const auto& labels = set.labels();
      it->second.insert(it->second.end(), labels.begin(), labels.end());
    }
  return out;
}

std::map<std::string, std::string> audit_target_names(storage::Tx& tx, std::string_view target_type,
                                                      const std::vector<std::string>& ids) {
  for (const auto& n : installed().audit_names)
    if (n.target_type == target_type && !ids.empty()) return n.names(tx, ids);
  return {};
}

std::map<std::string, std::string> names_by_id(storage::Tx& tx, std::string_view select,
                                               std::string_view id_column,
                                               const std::vector<std::string>& ids, bool text_ids) {
  std::vector<storage::Param> params;
  std::string in;
  for (const auto& id : ids) {
    if (params.size() >= 500) break;  // a page holds far fewer
    if (text_ids) {
      params.emplace_back(id);
    } else {
      std::int64_t n = 0;
      auto [end, ec] = std::from_chars(id.data(), id.data() + id.size(), n);
      if (ec != std::errc() || end != id.data() + id.size()) continue;
      params.emplace_back(n);
    }
    in += (in.empty() ? "$" : ", $") + std::to_string(params.size());
  }
  std::map<std::string, std::string> out;
  if (params.empty()) return out;
  std::string sql(select);
  sql += (sql.find(" WHERE ") == std::string::npos ? " WHERE " : " AND ");
  sql += std::string(id_column) + " IN (" + in + ")";
  for (const auto& r : tx.query_v(sql, params))
    out[text_ids ? r.str("id") : std::to_string(r.i64("id"))] = r.str("name");
  return out;
}

const std::vector<Label>& installed_label_set(std::string_view name) {
  static const std::vector<Label> none;
  const auto& sets = installed().label_sets;
  auto it = sets.find(name);
  return it == sets.end() ? none : it->second;
}

std::vector<Label> label_set(const Modules& modules, std::string_view name) {
  for (auto& [n, labels] : label_sets(modules))
    if (n == name) return labels;
  return {};
}

json::object meta(const Modules& modules) {
  json::object labels;
  for (const auto& [name, set] : label_sets(modules)) {
    json::array items;
    for (const auto& l : set) items.push_back({{"key", l.key}, {"zh", l.zh}, {"en", l.en}});
    labels[name] = std::move(items);
  }
  json::array perms;
  for (const auto& p : permissions()) perms.emplace_back(p.name);
  json::array role_list;
  for (const auto& r : roles()) {
    json::array held;
    for (const auto& p : role_permissions(r.name)) held.emplace_back(p);
    role_list.push_back({{"name", r.name},
                         {"zh", r.zh},
                         {"en", r.en},
                         {"staff", r.staff},
                         {"operator_appointed", r.operator_appointed},
                         {"permissions", std::move(held)}});
  }
  json::object limits{{"page_max", kPageMax}, {"export_max", kExportMax}};
  for (const Module* m : modules)
    for (const auto& [name, value] : m->limits) limits[name] = value;
  json::array exports;
  for (const Module* m : modules)
    for (const auto& e : m->exports) {
      json::array cols;
      for (const auto& c : e.columns()) cols.push_back({{"key", c.key}, {"zh", c.zh}, {"en", c.en}});
      exports.push_back({{"name", e.name}, {"module", m->name}, {"columns", std::move(cols)}});
    }
  json::array module_names;
  for (const Module* m : modules) module_names.emplace_back(m->name);
  return {{"modules", std::move(module_names)}, {"labels", std::move(labels)},
          {"permissions", std::move(perms)},   {"roles", std::move(role_list)},
          {"limits", std::move(limits)},       {"exports", std::move(exports)}};
}

}  // namespace xh::api
