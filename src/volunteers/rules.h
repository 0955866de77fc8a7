#pragma once
// What varies in the volunteers module, as data: the statuses of a
// volunteer's registration, the kinds of service a team gives, the statuses
// of a sign-up, and the defaults and ranges of an activity's settings.
#include <vector>

#include "core/labels.h"
#include "core/time.h"

namespace xh::volunteers {

const std::vector<Label>& volunteer_statuses();  // applied | confirmed | declined
const std::vector<Label>& team_services();       // patrol, school_safety, repair, …
const std::vector<Label>& signup_statuses();     // signed | waiting | cancelled
const std::vector<Label>& activity_statuses();   // active | cancelled
const std::vector<Label>& wish_statuses();       // submitted → published → claimed → fulfilled → confirmed
const std::vector<Label>& home_service_kinds();  // haircut, visit, delivery, accompaniment, other
const std::vector<Label>& home_service_statuses();

// An activity's settings: a volunteer cancels until `cancel_cutoff` before
// the start; check-in is open from `window` before the start to `window`
// after it, check-out from `window` before the end to `window` after it.
inline constexpr int kDefaultCutoffMinutes = 120;
inline constexpr int kMaxCutoffMinutes = 7 * 24 * 60;
inline constexpr int kDefaultWindowMinutes = 30;
inline constexpr int kMinWindowMinutes = 5, kMaxWindowMinutes = 180;
inline constexpr int kMaxCapacity = 5000;
// The phone's list spans at most this many days.
inline constexpr Millis kMaxListSpan = 31 * kDay;
// A confirmation may set at most this many minutes.
inline constexpr int kMaxConfirmedMinutes = 24 * 60;
// Rotating codes change every 30 s; the one before is still taken.
inline constexpr Millis kCodeWindow = 30000;

}  // namespace xh::volunteers
