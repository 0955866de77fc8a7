#include "app/demo.h"

#include <algorithm>

#include "app/modules.h"

namespace xh::app {

bool load_demo(api::Context& ctx) {
  bool loaded_before = ctx.db.read([](storage::Tx& tx) {
    return tx.query_one("SELECT 1 FROM server_facts WHERE key = 'demo_loaded'").has_value();
  });
  if (loaded_before) return false;
  std::vector<api::DemoStep> steps;
  for (const api::Module* m : modules()) steps.insert(steps.end(), m->demo.begin(), m->demo.end());
  std::stable_sort(steps.begin(), steps.end(),
                   [](const api::DemoStep& a, const api::DemoStep& b) { return a.stage < b.stage; });
  for (const auto& step : steps) step.load(ctx);
  ctx.db.write([](storage::Tx& tx) {
    tx.exec("INSERT INTO server_facts (key, value) VALUES ('demo_loaded', '1')");
  });
  storage::refresh_statistics(ctx.db);
  return true;
}

std::vector<std::string> demo_notes() {
  std::vector<std::string> out;
  for (const api::Module* m : modules())
    if (m->demo_notes)
      for (auto& line : m->demo_notes()) out.push_back(std::move(line));
  return out;
}

}  // namespace xh::app
