#pragma once
// A stored value and how a person reads it, in both languages: the kinds,
// categories and statuses the API stores as keys ("community", "open") and
// the console and exports show as words ("社区", "待认领").
#include <string_view>
#include <vector>

#include "core/messages.h"

namespace xh {

struct Label {
  std::string_view key, zh, en;
};

// The label of `key` in `lang`, or `key` itself when it has none.
inline std::string_view label_of(const std::vector<Label>& labels, std::string_view key, Lang lang) {
  for (const auto& l : labels)
    if (l.key == key) return lang == Lang::en ? l.en : l.zh;
  return key;
}

// True when `key` is one of the stored keys of `labels`.
inline bool has_key(const std::vector<Label>& labels, std::string_view key) {
  for (const auto& l : labels)
    if (l.key == key) return true;
  return false;
}

}  // namespace xh
