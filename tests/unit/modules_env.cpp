// Every unit test runs with the modules' roles, permissions and messages
// registered, as the server has them.
#include <gtest/gtest.h>

#include "app/modules.h"

namespace {
class Modules : public ::testing::Environment {
 public:
  void SetUp() override { xh::app::modules(); }
};
const auto* const kModules = ::testing::AddGlobalTestEnvironment(new Modules);
}  // namespace
