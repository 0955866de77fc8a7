#pragma once
// The modules of this server, in the order of src/app/modules.def.
#include "api/module.h"

namespace xh::app {

// Every module, lowest first; install()ed on first call.
const api::Modules& modules();

}  // namespace xh::app
