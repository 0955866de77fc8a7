#pragma once
// Wires the modules into a running server: each module's start() adds its
// routes, jobs and subscriptions; the auth and audit modules provide the
// authenticator and recorder the pipeline needs.
#include <memory>

#include "api/module.h"
#include "api/pipeline.h"
#include "schedule/schedule.h"

namespace xh::app {

// Starts every module against `ctx` (which must outlive the pipeline) and
// builds the pipeline. Jobs go to `scheduler` when there is one.
std::unique_ptr<api::Pipeline> start_modules(api::Context& ctx, schedule::Scheduler* scheduler,
                                             api::Pipeline::Fast static_files = {});

}  // namespace xh::app
