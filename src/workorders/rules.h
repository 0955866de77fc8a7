#pragma once
// What varies in the work-order module is data, not branches: the statuses of
// the closed loop and the steps between them (who may take each), the bodies
// responsible, the categories and routing rules (configuration rows), and the
// module's windows and thresholds.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/labels.h"
#include "storage/database.h"

namespace xh::workorders {

const std::vector<Label>& statuses();
const std::vector<Label>& bodies();    // property | sanitation | community | street
const std::vector<Label>& channels();  // mobile | console | phone | walk_in | open311
// Timeline entries: the steps below plus file, escalate_*, followup_*, rate, consult.
const std::vector<Label>& event_labels();

// Statuses in which an order still waits for work (GeoReport's "open").
bool is_open(std::string_view status);

// One step of the closed loop (WO-3).
struct Transition {
  std::string_view action;                  // "accept"
  std::vector<std::string_view> from;       // statuses it may start from
  std::string_view to;                      // the status it leads to
  std::string_view permission;              // the staff permission it takes
  std::vector<std::string_view> reporter_from;  // statuses from which the reporter may take it
  bool needs_reason = false;                // "reject" must say why
};
const std::vector<Transition>& transitions();
const Transition* find_transition(std::string_view action);

struct Category {
  std::string key, zh, en, body;
  int deadline_hours = 72;
  bool urgent = false, active = true;
  int sort = 0;
};
std::vector<Category> load_categories(storage::Tx& tx);
std::optional<Category> find_category(storage::Tx& tx, std::string_view key);
std::string category_label(const Category& c, Lang lang);

// Where an order goes and by when: the rule of the most specific place at or
// above `place_path`, else the category's defaults.
struct Routing {
  std::string body;
  int deadline_hours;
  bool urgent;
};
Routing route(storage::Tx& tx, const Category& c, std::string_view place_path);

struct Settings {
  int recurrence_window_days = 30;     // a new report after a closed one: a recurrence
  int followup_days = 14;              // after closing, ask whether it stayed fixed
  int hotspot_threshold = 2;           // recurrences at one place that make a hot spot
  int hotspot_window_days = 90;
  int reinspection_interval_days = 7;  // re-inspections of a hot spot, this far apart
  int reinspection_count = 3;
};
Settings load_settings(storage::Tx& tx);
// The setting keys with their allowed ranges, for validation.
struct SettingDef {
  std::string_view key;
  int Settings::*field;
  int min, max;
};
const std::vector<SettingDef>& setting_defs();

}  // namespace xh::workorders
