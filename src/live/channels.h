#pragma once
// Outbound channels (PRODUCT §8): a community's staff group robot — 企业微信
// or 钉钉 群机器人, the webhooks street offices already use for staff groups —
// receives the notices of the kinds it chose about places under it, as
// markdown. Messages wait in an outbox written in the notice's own
// transaction; a sender sends them after commit, outside any transaction,
// and retries with growing delays (10 s, 1 min, 5 min, 30 min, 2 h) until the
// robot accepts (HTTP 200 and errcode 0) or six attempts failed (dead: listed
// for staff, who may send it again). Several processes share the outbox: a
// message is claimed by one of them at a time (check-and-set).
//
// Other channels (SMS needs a provider's contract) would be more kinds with
// their own body and acceptance; see docs/operations.md.
#include <boost/json/object.hpp>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "api/list.h"
#include "api/principal.h"
#include "core/crypto.h"
#include "storage/database.h"

namespace xh::live {

// What a robot answered: accepted, or why not.
struct Delivery {
  bool accepted = false;
  std::string error;  // empty when accepted
};
// Posts `body` (JSON) to `url`; the default sends by HTTP(S) with libcurl.
using Poster = std::function<Delivery(const std::string& url, const std::string& body)>;
Delivery post_json(const std::string& url, const std::string& body);

// The group message of a notice for a robot of `kind` (wecom | dingtalk).
std::string robot_body(const std::string& kind, const std::string& title, const std::string& text);

// Inside the notice's transaction: queues `text` (in Chinese: a staff group)
// for every enabled channel over `place_path` that forwards `notice_kind`.
void queue_for_channels(storage::Tx& tx, const FieldCipher& cipher, const std::string& place_path,
                        const std::string& notice_kind, const std::string& title,
                        const std::string& text);

// The channels as their community's staff keep them (channel.manage over the
// place). Thread-safe.
class Channels {
 public:
  Channels(storage::Database& db, const FieldCipher& cipher, std::vector<std::string> hosts)
      : db_(db), cipher_(cipher), hosts_(std::move(hosts)) {}

  // 422 channel.bad_kind, channel.bad_url (http or https only),
  // channel.host_not_allowed (a host not in --channel-host),
  // channel.bad_notice_kind, request.missing_field, place.not_found; 403
  // without channel.manage over the place. The address is shown masked ever
  // after.
  boost::json::object create(const api::Principal& p, const api::Actor& actor,
                             const std::string& body) const;
  boost::json::array list(const api::Principal& p) const;
  // Enables or disables; 404 channel.not_found.
  boost::json::object set_enabled(const api::Principal& p, const api::Actor& actor, std::int64_t id,
                                  bool enabled) const;
  // The outbox of the caller's channels, newest first (status filter).
  boost::json::object outbox(const api::Principal& p, const std::optional<std::string>& status,
                             api::Page page) const;
  // Sends a dead message again (its attempts start over); 404
  // channel.message_not_found, 409 channel.not_dead.
  boost::json::object retry(const api::Principal& p, const api::Actor& actor, std::int64_t id) const;

 private:
  storage::Database& db_;
  const FieldCipher& cipher_;
  std::vector<std::string> hosts_;
};

// The sender of one process: wakes when told (a message was queued), and
// every few seconds for retries that came due.
class Sender {
 public:
  Sender(storage::Database& db, const FieldCipher& cipher, Poster poster = post_json);
  ~Sender();
  void start();
  void stop();
  void nudge();

 private:
  void run();
  bool send_one();  // false when nothing was due

  storage::Database& db_;
  const FieldCipher& cipher_;
  Poster poster_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false, nudged_ = false;
  std::thread thread_;
};

}  // namespace xh::live
