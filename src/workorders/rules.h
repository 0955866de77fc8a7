#pragma once
// What varies in the work-order module is data, not branches: the statuses of
// the closed loop with what each means, the steps between them with who may
// take each and what each does (the time it stamps, the photos it carries,
// the follow-up it schedules, the event it announces), the bodies
// responsible, the channels, and the module's settings with their ranges.
// Categories and routing rules are configuration rows (store.h). Constant
// tables: safe from every thread.
#include <string>
#include <string_view>
#include <vector>

#include "core/labels.h"

namespace xh::workorders {

// A status of the closed loop (WO-3).
struct Status {
  std::string_view key, zh, en;
  bool open;      // still waits for work: escalates, may be followed (GeoReport's "open")
  bool rateable;  // its result exists: the reporter may rate it
};
const std::vector<Status>& statuses();
const Status* find_status(std::string_view key);
bool is_open(std::string_view status);
bool is_rateable(std::string_view status);
// The open statuses as an SQL list ("('submitted', …)"), from the table.
const std::string& open_statuses_sql();

const std::vector<Label>& status_labels();
const std::vector<Label>& bodies();    // property | sanitation | community | street
const std::vector<Label>& channels();  // mobile | console | phone | walk_in | open311
// Timeline entries: the steps plus file, escalate_*, followup_*, rate, consult.
const std::vector<Label>& event_labels();

// One step of the closed loop, with what it does besides changing the status.
struct Transition {
  std::string_view action;                      // "accept"
  std::vector<std::string_view> from;           // statuses it may start from
  std::string_view to;                          // the status it leads to
  std::string_view permission;                  // the staff permission it takes
  std::vector<std::string_view> reporter_from;  // statuses from which the reporter may take it
  bool needs_reason = false;                    // said in `reason`, kept as the reject reason
  std::string_view stamps_first;                // the time column it sets the first time
  std::string_view stamps;                      // the time column it sets every time
  std::string_view photo_stage;                 // photos it may carry, and as what
  bool asks_followup = false;  // schedules the follow-up question (and forgets an earlier one)
  bool restarts_clock = false;  // a new deadline from now, escalation back to none
  std::string_view announces;   // the domain event it emits
};
const std::vector<Transition>& transitions();
const Transition* find_transition(std::string_view action);

// The module's windows and thresholds (wo_settings rows).
struct Settings {
  int recurrence_window_days = 30;     // a new report after a closed one: a recurrence
  int followup_days = 14;              // after closing, ask whether it stayed fixed
  int hotspot_threshold = 2;           // recurrences at one place that make a hot spot
  int hotspot_window_days = 90;
  int reinspection_interval_days = 7;  // re-inspections of a hot spot, this far apart
  int reinspection_count = 3;
};
// The setting keys with their allowed ranges, for validation.
struct SettingDef {
  std::string_view key;
  int Settings::*field;
  int min, max;
};
const std::vector<SettingDef>& setting_defs();

}  // namespace xh::workorders
