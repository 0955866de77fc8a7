#include "app/wiring.h"

#include <stdexcept>

#include "app/modules.h"
#include "app/system_routes.h"

namespace xh::app {

std::unique_ptr<api::Pipeline> start_modules(api::Context& ctx, schedule::Scheduler* scheduler,
                                             api::Pipeline::Fast static_files) {
  const auto& all = modules();
  api::Router router;
  add_system_routes(router, ctx, all);
  std::unique_ptr<api::Authenticator> authenticator;
  std::unique_ptr<api::Recorder> recorder;
  api::LiveDoor live_door;
  std::vector<std::function<void()>> stops;
  for (const api::Module* m : all) {
    if (!m->start) continue;
    api::Setup setup(ctx, router, scheduler);
    m->start(setup);
    if (auto a = setup.take_authenticator()) authenticator = std::move(a);
    if (auto r = setup.take_recorder()) recorder = std::move(r);
    if (auto d = setup.take_live_door()) live_door = std::move(d);
    for (auto& f : setup.take_stops()) stops.push_back(std::move(f));
  }
  auto pipeline = std::make_unique<api::Pipeline>(std::move(router), std::move(authenticator),
                                                  std::move(recorder), std::move(static_files),
                                                  api::Exports{&ctx.db, ctx.export_chunk_rows});
  pipeline->set_live_door(std::move(live_door));
  pipeline->on_stop(std::move(stops));
  return pipeline;
}

}  // namespace xh::app
