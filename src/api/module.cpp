#include "api/module.h"

#include <boost/json.hpp>

#include <algorithm>
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

void install(const Modules& modules) {
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
    role_list.push_back({{"name", r.name}, {"zh", r.zh}, {"en", r.en}, {"staff", r.staff},
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
