// The live connections of one process and the pump that fans out live
// events: subscriptions checked as GETs are, heartbeats that check them again,
// resume from the last event id seen.
#include <boost/json.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>

#include "core/error.h"
#include "core/messages.h"
#include "live/displays.h"
#include "live/live.h"
#include "storage/listen.h"

namespace xh::live {

namespace json = boost::json;
using storage::Tx;

namespace {

constexpr std::string_view kInbox = "inbox";
constexpr std::string_view kDisplay = "display";
constexpr Millis kGapPatience = 10000;     // an id skipped over may still commit this long
constexpr Millis kKeep = 24 * 3600 * 1000;  // live events kept for resume
constexpr Millis kPruneEvery = 10 * 60 * 1000;

std::string frame(json::object o) { return json::serialize(o); }

json::object error_frame(std::string_view op, const std::string& topic, const Error& e, Lang lang) {
  return {{"op", op}, {"topic", topic}, {"code", e.code()}, {"message", message(e.code(), lang)}};
}

// The topic kinds the installed modules answer for.
const api::LiveTopic* topic_kind(std::string_view kind) {
  for (const api::Module* m : api::installed_modules())
    for (const auto& t : m->live)
      if (t.kind == kind) return &t;
  return nullptr;
}

}  // namespace

// One live connection: its caller, its subscriptions. Its calls come one at a
// time (http::Channel); the hub reads `peer_` when it delivers.
class Connection : public http::Channel {
 public:
  Connection(std::shared_ptr<Hub> hub, api::LiveCaller caller, std::string address,
             std::optional<Screen> screen)
      : hub_(std::move(hub)), caller_(std::move(caller)), address_(std::move(address)),
        screen_(std::move(screen)) {}
  ~Connection() override { count_out(); }

  void opened(std::shared_ptr<http::Peer> peer) override {
    peer_ = std::move(peer);
    send({{"op", "welcome"}, {"last_id", hub_->head()}});
  }

  void received(const std::string& text) override {
    json::value v;
    std::error_code ec;
    v = json::parse(text, ec);
    const json::object* o = ec ? nullptr : v.if_object();
    const json::value* op = o ? o->if_contains("op") : nullptr;
    const json::value* topic = o ? o->if_contains("topic") : nullptr;
    if (!op || !op->is_string() || !topic || !topic->is_string()) {
      send(error_frame("error", "", Error(400, "live.bad_message"), caller_.lang));
      return;
    }
    std::string name(topic->as_string());
    if (op->as_string() == "unsubscribe") {
      if (subscriptions_.erase(name)) hub_->detach(stored(name), this);
      send({{"op", "unsubscribed"}, {"topic", name}});
      return;
    }
    if (op->as_string() != "subscribe") {
      send(error_frame("error", name, Error(400, "live.bad_message"), caller_.lang));
      return;
    }
    std::optional<std::int64_t> since;
    if (auto s = o->if_contains("since"); s && s->is_int64() && s->as_int64() >= 0) since = s->as_int64();
    try {
      if (!subscriptions_.count(name) &&
          static_cast<int>(subscriptions_.size()) >= hub_->settings().subscriptions)
        throw Error(429, "live.too_many_subscriptions");
      authorize(caller_.principal, name);
    } catch (const Error& e) {
      send(error_frame("error", name, e, caller_.lang));
      return;
    }
    if (subscriptions_.insert(name).second) hub_->attach(stored(name), this);
    send({{"op", "subscribed"}, {"topic", name}});
    if (since) replay(name, *since);
  }

  void heartbeat() override {
    if (screen_) {
      // A room's screen: while its display lives and still answers to it.
      bool kept = hub_->db().write([&](Tx& tx) {
        auto now = find_screen(tx, *caller_.display_token);
        if (!now || now->id != screen_->id) return false;
        tx.exec("UPDATE displays SET last_seen_at = $2 WHERE id = $1", screen_->id, now_ms());
        return true;
      });
      if (!kept && peer_) peer_->close(http::kCloseUnauthorized, "display.revoked");
      return;
    }
    try {
      caller_.principal = caller_.recheck();
    } catch (const Error& e) {
      // The session ended or expired, the account was disabled.
      if (peer_) peer_->close(http::kCloseUnauthorized, e.code());
      return;
    }
    std::vector<std::string> dropped;
    for (const auto& name : subscriptions_) {
      try {
        authorize(caller_.principal, name);
      } catch (const Error& e) {
        send(error_frame("revoked", name, e, caller_.lang));
        dropped.push_back(name);
      }
    }
    for (const auto& name : dropped) {
      subscriptions_.erase(name);
      hub_->detach(stored(name), this);
    }
  }

  void closed() override {
    hub_->gone(this);
    count_out();
  }

  // From the hub's pump (under the hub's lock): one text for every peer.
  void deliver(const std::shared_ptr<const std::string>& text) {
    if (peer_) peer_->send_shared(text);
  }
  void send(json::object o) {
    if (peer_) peer_->send(frame(std::move(o)));
  }

 private:
  // The topic as stored: the inbox is the caller's own; a screen's
  // "display", news of its own display (display.revoked).
  std::string stored(const std::string& name) const {
    if (screen_ && name == kDisplay) return "display:" + std::to_string(screen_->id);
    return name == kInbox ? "inbox:" + std::to_string(caller_.principal.user_id) : name;
  }

  // May `p` follow `name`? Throws as the GET of the same thing would.
  void authorize(const api::Principal& p, const std::string& name) {
    if (screen_) {  // a room's screen follows the one thing it was paired for, and its display
      if (name != screen_->topic && name != kDisplay) throw Error(403, "display.topic_only");
      return;
    }
    if (name == kInbox) return;  // everyone has their own
    auto colon = name.find(':');
    const api::LiveTopic* kind = colon == std::string::npos ? nullptr : topic_kind(std::string_view(name).substr(0, colon));
    std::int64_t id = 0;
    if (kind) {
      std::string digits = name.substr(colon + 1);
      bool number = !digits.empty() && digits.size() <= 18 &&
                    std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; });
      if (number) id = std::stoll(digits);
    }
    if (!kind || id <= 0) throw Error(404, "live.unknown_topic");
    hub_->db().read([&](Tx& tx) { kind->authorize(tx, p, id); });
  }

  // What the topic had after `since`: every event, or "reload" when more
  // than the hub replays.
  void replay(const std::string& name, std::int64_t since) {
    int max = hub_->settings().replay_max;
    auto rows = hub_->db().read_once([&](Tx& tx) {
      return tx.query(
          "SELECT id, kind, data FROM live_events WHERE topic = $1 AND id > $2 ORDER BY id LIMIT $3",
          stored(name), since, static_cast<std::int64_t>(max + 1));
    });
    if (static_cast<int>(rows.size()) > max) {
      send({{"op", "reload"}, {"topic", name}});
      return;
    }
    for (const auto& r : rows)
      send({{"op", "event"},
            {"id", r.i64("id")},
            {"topic", name},
            {"kind", r.str("kind")},
            {"data", json::parse(r.str("data"))}});
  }

  // The connection no longer counts against its user's and address's limits
  // (once: when it closes, or when it is dropped without opening).
  void count_out() {
    if (!counted_.exchange(false)) return;
    hub_->counted_out(counted_as(), address_);
  }
  // Whom the per-user limit counts: the user, or the display (by a negative id).
  std::int64_t counted_as() const { return screen_ ? -screen_->id : caller_.principal.user_id; }

  std::shared_ptr<Hub> hub_;
  std::atomic<bool> counted_{true};
  api::LiveCaller caller_;
  std::string address_;
  std::shared_ptr<http::Peer> peer_;
  std::set<std::string> subscriptions_;  // as the client names them
  std::optional<Screen> screen_;         // a room's screen, not a user
};

Hub::Hub(storage::Database& db, Settings s) : db_(db), s_(s) {}

Hub::~Hub() { stop(); }

http::Upgrade Hub::open(const http::Request& req, const api::LiveCaller& caller) {
  std::optional<Screen> screen;
  if (caller.display_token) {
    screen = db_.read([&](Tx& tx) { return find_screen(tx, *caller.display_token); });
    if (!screen)
      return {api::error_response(401, "display.not_paired", "", caller.lang), nullptr};
  }
  {
    std::lock_guard lock(mu_);
    int& mine = per_user_[screen ? -screen->id : caller.principal.user_id];
    int& here = per_address_[req.remote_ip];
    if (mine >= s_.per_user || here >= s_.per_address) {
      http::Response r = api::error_response(429, "live.too_many_connections", "", caller.lang);
      return {std::move(r), nullptr};
    }
    ++mine;
    ++here;
  }
  std::call_once(started_, [this] { start(); });
  return {std::nullopt, std::make_shared<Connection>(shared_from_this(), caller, req.remote_ip, std::move(screen))};
}

void Hub::counted_out(std::int64_t user_id, const std::string& address) {
  std::lock_guard lock(mu_);
  if (--per_user_[user_id] <= 0) per_user_.erase(user_id);
  if (--per_address_[address] <= 0) per_address_.erase(address);
}

void Hub::attach(const std::string& topic, Connection* c) {
  std::lock_guard lock(mu_);
  topics_[topic].insert(c);
  connections_.insert(c);
}

void Hub::detach(const std::string& topic, Connection* c) {
  std::lock_guard lock(mu_);
  auto it = topics_.find(topic);
  if (it == topics_.end()) return;
  it->second.erase(c);
  if (it->second.empty()) topics_.erase(it);
}

void Hub::gone(Connection* c) {
  std::lock_guard lock(mu_);
  for (auto it = topics_.begin(); it != topics_.end();) {
    it->second.erase(c);
    it = it->second.empty() ? topics_.erase(it) : std::next(it);
  }
  connections_.erase(c);
}

void Hub::deliver(const std::string& topic, const std::string& text) {
  auto shared = std::make_shared<const std::string>(text);
  std::lock_guard lock(mu_);
  auto it = topics_.find(topic);
  if (it == topics_.end()) return;
  for (Connection* c : it->second) c->deliver(shared);
}

std::int64_t Hub::head() const {
  return db_.read_once([](Tx& tx) {
    auto r = tx.query_one("SELECT MAX(id) AS id FROM live_events");
    return r && !r->is_null("id") ? r->i64("id") : std::int64_t{0};
  });
}

void Hub::nudge() {
  {
    std::lock_guard lock(pump_mu_);
    nudged_ = 1;
  }
  wake_.notify_one();
}

void Hub::start() {
  try {
    last_id_ = head();
  } catch (const std::exception& e) {
    spdlog::warn("live: could not read the newest event: {}", e.what());
  }
  thread_ = std::thread([this] { pump(); });
  if (db_.dialect() == storage::Dialect::postgres) listener_ = std::thread([this] { listen(); });
}

void Hub::listen() {
  bool was_lost = false;
  while (true) {
    {
      std::lock_guard lock(pump_mu_);
      if (stopping_) return;
    }
    try {
      auto l = storage::listen_postgres(db_.uri().target, "xh_live");
      listening_ = true;
      spdlog::info("live: listening for other processes' events (PostgreSQL LISTEN xh_live)");
      if (was_lost) {
        // Notifications may have been missed: look now, and let the clients resync.
        std::lock_guard lock(pump_mu_);
        lost_ = true;
      }
      nudge();
      for (;;) {
        {
          std::lock_guard lock(pump_mu_);
          if (stopping_) return;
        }
        if (l->wait(std::chrono::milliseconds(250))) nudge();
      }
    } catch (const std::exception& e) {
      listening_ = false;
      if (!was_lost) spdlog::warn("live: listening for other processes' events failed: {}", e.what());
      was_lost = true;
      std::unique_lock lock(pump_mu_);
      wake_.wait_for(lock, std::chrono::seconds(1), [&] { return stopping_; });
    }
  }
}

void Hub::stop() {
  {
    std::lock_guard lock(pump_mu_);
    if (stopping_ && !thread_.joinable()) return;
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
  if (listener_.joinable()) listener_.join();
}

void Hub::pump() {
  for (;;) {
    {
      std::unique_lock lock(pump_mu_);
      wake_.wait_for(lock, listening_ ? s_.poll_listening : s_.poll,
                     [&] { return stopping_ || nudged_ > 0; });
      if (stopping_) return;
      nudged_ = 0;
    }
    poll_once();
  }
}

void Hub::poll_once() {
  Millis now = now_ms();
  for (auto it = gaps_.begin(); it != gaps_.end();)
    it = now - it->second > kGapPatience ? gaps_.erase(it) : std::next(it);
  std::int64_t from = gaps_.empty() ? last_id_ : std::min(last_id_, gaps_.begin()->first - 1);
  storage::Rows rows;
  try {
    rows = db_.read_once([&](Tx& tx) {
      return tx.query("SELECT id, topic, kind, data FROM live_events WHERE id > $1 ORDER BY id LIMIT 1000",
                      from);
    });
    if (now - pruned_at_ > kPruneEvery) {
      pruned_at_ = now;
      db_.write([&](Tx& tx) { tx.exec("DELETE FROM live_events WHERE created_at < $1", now - kKeep); });
    }
  } catch (const std::exception& e) {
    if (!lost_) spdlog::warn("live: cannot read events: {}", e.what());
    lost_ = true;
    return;
  }
  if (lost_) {
    // Events may have come and gone while the database could not be read.
    lost_ = false;
    auto text = std::make_shared<const std::string>(frame({{"op", "resync"}}));
    std::lock_guard lock(mu_);
    for (Connection* c : connections_) c->deliver(text);
  }
  for (const auto& r : rows) {
    std::int64_t id = r.i64("id");
    if (id <= last_id_) {
      if (!gaps_.erase(id)) continue;  // delivered before
    } else {
      // Ids skipped over may belong to transactions not committed yet (a
      // PostgreSQL sequence hands them out before commit): looked for again
      // for a while. A wide jump is no such thing.
      if (id - last_id_ <= 1000)
        for (std::int64_t skipped = last_id_ + 1; skipped < id; ++skipped) gaps_.emplace(skipped, now);
      last_id_ = id;
    }
    std::string topic = r.str("topic");
    std::string shown = topic.rfind("inbox:", 0) == 0     ? std::string(kInbox)
                        : topic.rfind("display:", 0) == 0 ? std::string(kDisplay)
                                                          : topic;
    deliver(topic, frame({{"op", "event"},
                          {"id", id},
                          {"topic", shown},
                          {"kind", r.str("kind")},
                          {"data", json::parse(r.str("data"))}}));
  }
}

void publish(Tx& tx, const std::string& topic, const std::string& kind, const json::object& data) {
  tx.exec("INSERT INTO live_events (topic, kind, data, created_at) VALUES ($1, $2, $3, $4)", topic,
          kind, json::serialize(data), now_ms());
}

}  // namespace xh::live
