#include "api/events.h"

namespace xh::api {

void EventBus::subscribe(std::string kind, Handler h) { handlers_[std::move(kind)].push_back(std::move(h)); }

void EventBus::emit(storage::Tx& tx, const Event& e) const {
  auto it = handlers_.find(e.kind);
  if (it == handlers_.end()) return;
  for (const auto& h : it->second) h(tx, e);
}

std::vector<std::string> EventBus::subscribed_kinds() const {
  std::vector<std::string> out;
  for (const auto& [k, v] : handlers_) out.push_back(k);
  return out;
}

}  // namespace xh::api
