#pragma once
// The demo street (FND-6): Nancun Street with its communities and one login
// per role, password Demo@2026. Deterministic, so screenshots and tests are
// stable. Loading twice changes nothing.
#include <string>
#include <vector>

#include "api/module.h"
#include "core/crypto.h"
#include "storage/database.h"

namespace xh::app {

struct DemoLogin {
  std::string username, role, place_code, place_name;
};

// Loads the demo street unless one is already there; returns true if loaded.
// `ctx`'s event bus must carry the modules' subscriptions (start them first).
bool load_demo(api::Context& ctx);

// The demo logins, for printing at start.
std::vector<DemoLogin> demo_logins();

inline constexpr const char* kDemoPassword = "Demo@2026";

}  // namespace xh::app
