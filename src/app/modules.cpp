#include "app/modules.h"

#define XH_MODULE(name) \
  namespace xh::name {  \
  const api::Module& module(); \
  }
#include "app/modules.def"
#undef XH_MODULE

namespace xh::app {

const api::Modules& modules() {
  static const api::Modules all = [] {
    api::Modules out = {
#define XH_MODULE(name) &xh::name::module(),
#include "app/modules.def"
#undef XH_MODULE
    };
    api::install(out);
    return out;
  }();
  return all;
}

}  // namespace xh::app
