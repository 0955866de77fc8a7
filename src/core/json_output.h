#pragma once
// Small helpers for writing API answers: an optional value as JSON, null when
// absent.
#include <boost/json/value.hpp>

#include <optional>

#include "core/time.h"

namespace xh {

template <class T>
boost::json::value nullable(const std::optional<T>& v) {
  if (!v) return nullptr;
  return boost::json::value(*v);
}

// An optional time as ISO 8601 (see time.h), null when absent.
inline boost::json::value nullable_time(const std::optional<Millis>& ms) {
  if (!ms) return nullptr;
  return boost::json::value(iso8601(*ms));
}

}  // namespace xh
