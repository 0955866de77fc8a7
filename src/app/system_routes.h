#pragma once
// The server's own routes (/hello, /healthz, /api/openapi.json, /api/meta,
// /api/roles, /api/dashboard/summary).
#include "api/module.h"

namespace xh::app {

// `ctx` and `modules` must outlive the router.
void add_system_routes(api::Router& r, api::Context& ctx, const api::Modules& modules);

}  // namespace xh::app
