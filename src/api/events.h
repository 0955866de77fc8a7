#pragma once
// Domain events: what happened, emitted by a module inside the transaction of
// the change ("workorder.verified" when a report is verified), and handled by
// the modules that subscribe to the kind, in the same transaction, so that the
// change and its consequences commit or vanish together (points paid for a
// verified report). Modules talk to each other this way, never by calling
// each other's commands.
//
// Subscriptions are made at start (not thread-safe with emit); emit() is safe
// from every thread once the subscriptions are made.
#include <boost/json/object.hpp>

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/principal.h"
#include "storage/database.h"

namespace xh::api {

struct Event {
  std::string kind;          // "workorder.verified"
  std::string subject_type;  // "work_order"
  std::int64_t subject_id = 0;
  Actor actor;
  // The place the subject belongs to (its materialised path), for scope.
  std::string place_path;
  // The person the event is about, when there is one (the reporter of a
  // verified report): whom points are paid to.
  std::optional<std::int64_t> beneficiary_user_id;
  boost::json::object data;  // further facts, by kind
};

class EventBus {
 public:
  using Handler = std::function<void(storage::Tx& tx, const Event& e)>;

  // Calls `h` for every event of `kind`, inside the emitting transaction. A
  // handler that throws rolls the whole change back.
  void subscribe(std::string kind, Handler h);

  // Hands `e` to the subscribers of its kind, in subscription order.
  void emit(storage::Tx& tx, const Event& e) const;

  // The kinds someone subscribed to (for the module registry's checks).
  std::vector<std::string> subscribed_kinds() const;

 private:
  std::map<std::string, std::vector<Handler>, std::less<>> handlers_;
};

}  // namespace xh::api
