#pragma once
// The code of the xh::Error a call throws ("" when it throws none), for unit
// tests of functions that refuse their input.
#include <functional>
#include <string>

#include "core/error.h"

namespace xh::test {

inline std::string error_code_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.code();
  }
  return "";
}

}  // namespace xh::test
