#pragma once
// The demo street (FND-6): Nancun Street with its communities and one login
// per role, password Demo@2026. Deterministic, so screenshots and tests are
// stable. Loading twice changes nothing.
#include <string>
#include <vector>

#include "core/crypto.h"
#include "storage/database.h"

namespace xh::app {

struct DemoLogin {
  std::string username, role, place_code, place_name;
};

// Loads the demo street unless one is already there; returns true if loaded.
bool load_demo(storage::Database& db, const FieldCipher& cipher);

// The demo logins, for printing at start.
std::vector<DemoLogin> demo_logins();

inline constexpr const char* kDemoPassword = "Demo@2026";

}  // namespace xh::app
