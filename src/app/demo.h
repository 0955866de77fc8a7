#pragma once
// The demo street (FND-6): Nancun Street with its communities, residents,
// partners, one login per role (password api::kDemoPassword), reports and
// points. Every module loads its own part (Module::demo, in the order of the
// steps' stages); this runs them, once per database. Deterministic, so
// screenshots and tests are stable.
#include <string>
#include <vector>

#include "api/module.h"

namespace xh::app {

// Loads the demo street unless it was loaded into this database before;
// returns true if it loaded it now. `ctx`'s event bus must carry the modules'
// subscriptions (start them first).
bool load_demo(api::Context& ctx);

// What the modules print when the server runs with the demo (the logins).
std::vector<std::string> demo_notes();

}  // namespace xh::app
