#pragma once
// PostgreSQL notifications (LISTEN/NOTIFY) on a connection of their own: how
// one server process learns at once that another committed something it
// cares about (the live layer's events). A NOTIFY sent inside a transaction is
// delivered when it commits, to every listener, the sender included.
#include <chrono>
#include <memory>
#include <string>

#include "storage/database.h"

namespace xh::storage {

class Listener {
 public:
  virtual ~Listener() = default;
  // Waits up to `timeout` for notifications on the channel: true when some
  // came (all of them are consumed). Throws DatabaseUnavailable when the
  // connection broke (notifications may have been lost meanwhile).
  virtual bool wait(std::chrono::milliseconds timeout) = 0;
};

// Connects to the PostgreSQL database at `uri` and listens on `channel` (a
// plain identifier). Throws DatabaseUnavailable when it cannot.
std::unique_ptr<Listener> listen_postgres(const std::string& uri, const std::string& channel,
                                          const Timeouts& t = {});

}  // namespace xh::storage
