#pragma once
// Live updates and the inbox (PRODUCT §8).
//
// Live: a WebSocket (/api/live) on which a client subscribes to topics — its
// own inbox, or a thing a module answers for ("work_order:12", see
// api::LiveTopic) — each subscription checked as a GET of the same thing
// would be, then checked again at every heartbeat (a session ended, a role
// revoked: the connection is closed, or the subscription dropped). Domain
// events write live events into the database inside their transaction; every
// server process reads those it has not delivered yet and fans them out to
// its own connections, so a change made through one process reaches the
// clients of all of them. A client that reconnects gives the last event id it
// saw and receives what it missed (at most `replay_max` per topic, else a
// "reload").
//
// The protocol, JSON text frames. Client → server:
//   {"op":"subscribe","topic":"work_order:12","since":41}   ("since" optional)
//   {"op":"unsubscribe","topic":"work_order:12"}
// Server → client:
//   {"op":"welcome","last_id":57}          the newest event id when connected
//   {"op":"subscribed","topic":…}           or {"op":"error","topic":…,"code":…,"message":…}
//   {"op":"event","id":58,"topic":…,"kind":"workorder.changed","data":{…}}
//   {"op":"reload","topic":…}               too much was missed: read it again
//   {"op":"revoked","topic":…,"code":…,"message":…}   no longer allowed
//   {"op":"resync"}                         the server lost events: read everything again
// Events may come twice around a resume; ids tell them apart.
//
// Inbox: notices (站内信) to one user with a kind, a text in the reader's
// language and what it is about; read and unread. A domain event whose data
// holds "notify" puts one in each named user's inbox (and a live event on
// their "inbox" topic).
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>

#include "api/list.h"
#include "api/module.h"
#include "http/websocket.h"
#include "storage/database.h"

namespace xh::live {

struct Settings {
  int per_user = 20;          // connections one user may hold
  int per_address = 200;      // connections one address may hold
  int subscriptions = 100;    // topics one connection may follow
  int replay_max = 200;       // events replayed per topic on resume
  // How often a process looks for new events when nothing woke it: its own
  // writes and (on PostgreSQL) other processes' commits wake it at once.
  std::chrono::milliseconds poll{100};
  std::chrono::milliseconds poll_listening{1000};
};

class Connection;

// The live connections of this process, and the pump that fans out the live
// events written by any process. Thread-safe.
class Hub : public std::enable_shared_from_this<Hub> {
 public:
  Hub(storage::Database& db, Settings s);
  ~Hub();

  // The door (api::LiveDoor): refuses with 429 live.too_many_connections
  // past the per-user and per-address limits; else a channel for the caller.
  http::Upgrade open(const http::Request& req, const api::LiveCaller& caller);

  // A live event was committed by this process: look for it now rather than
  // at the next poll.
  void nudge();

  // Stops the pump thread (started by the first connection); then the hub
  // delivers nothing more.
  void stop();

  // The newest live event id, as stored.
  std::int64_t head() const;

  // For connections.
  storage::Database& db() { return db_; }
  const Settings& settings() const { return s_; }
  void attach(const std::string& topic, Connection* c);
  void detach(const std::string& topic, Connection* c);
  void gone(Connection* c);
  void counted_out(std::int64_t user_id, const std::string& address);

 private:
  void pump();
  void poll_once();
  void deliver(const std::string& topic, const std::string& frame);

  storage::Database& db_;
  Settings s_;
  mutable std::mutex mu_;
  std::map<std::string, std::set<Connection*>> topics_;
  std::set<Connection*> connections_;
  std::map<std::int64_t, int> per_user_;
  std::map<std::string, int> per_address_;

  std::mutex pump_mu_;
  std::condition_variable wake_;
  bool stopping_ = false;
  int nudged_ = 0;  // 1: look now
  std::thread thread_;
  std::thread listener_;  // PostgreSQL: wakes the pump when another process commits
  std::once_flag started_;
  void listen();
  void start();
  std::int64_t last_id_ = 0;
  std::map<std::int64_t, Millis> gaps_;  // ids skipped over, possibly still to commit
  std::atomic<bool> lost_{false};       // events may have been missed: clients must resync
  std::atomic<bool> listening_{false};  // PostgreSQL notifications arrive
  Millis pruned_at_ = 0;
};

// Writes a live event on `topic` inside `tx` (the change's own transaction).
void publish(storage::Tx& tx, const std::string& topic, const std::string& kind,
             const boost::json::object& data);

// The inbox of the caller. Thread-safe.
class Inbox {
 public:
  explicit Inbox(storage::Database& db) : db_(db) {}

  // The caller's notices, newest first (only the unread ones when asked),
  // with "total" and "unread" (the count of all unread ones); each
  // {id, kind, text, subject_type, subject_id, created_at, read}.
  boost::json::object list(const api::Principal& p, bool unread_only, api::Page page,
                           Lang lang) const;
  // Marks one notice read (404 inbox.not_found for another's or none);
  // returns {id, read: true, unread}.
  boost::json::object read(const api::Principal& p, std::int64_t id) const;
  // Marks every notice read; returns {updated, unread: 0}.
  boost::json::object read_all(const api::Principal& p) const;
  // The caller's preference for each kind of notice (label set "notice.kind"):
  // {items: [{kind, label, mode: immediate | digest}], digest_at: "18:00"}.
  boost::json::object preferences(const api::Principal& p, Lang lang) const;
  // Sets one: 422 inbox.unknown_kind, inbox.bad_mode.
  boost::json::object set_preference(const api::Principal& p, const std::string& kind,
                                     const std::string& mode, Lang lang) const;

 private:
  storage::Database& db_;
};

// Puts a notice in `user_id`'s inbox inside `tx` and tells their live
// connections. `notice`: {user_id, kind, text (a message key), params,
// subject_type?, subject_id?}; `path`: the place it is about (for the staff
// groups' daily digest). A kind the user wants in the digest arrives quietly:
// listed, not counted unread, gathered at the end of the day.
void notify(storage::Tx& tx, const boost::json::object& notice, const std::string& path = "");

// After live events were written in `tx`: every process looks for them at
// commit (PostgreSQL: NOTIFY), this one at once.
void announce(storage::Tx& tx);

// The daily digest (scheduled job live.digest, ref_id = the Beijing day
// number): gathers each user's quiet unread notices not yet gathered into one
// notice, and tells each staff group robot that forwards "digest.daily" how
// many notices of each kind its places had that day. Once per day whatever
// runs it; schedules the next day's. Returns the users given a digest.
int run_digest(storage::Tx& tx, std::int64_t day, Millis now);
// The job of the next digest after `now` (18:00 Beijing), unless one waits.
void plan_digest(storage::Tx& tx, Millis now);

// The text of a message key with its parameters in `lang`: a parameter
// {"label": set, "key": k} reads as the label of k in the installed label
// set; {"label": set, "counts": {k: n, …}} as "label(k) n、…"; {"zh": …,
// "en": …} in the reader's language; anything else as written.
std::string render(const std::string& key, const boost::json::object& params, Lang lang);

}  // namespace xh::live
