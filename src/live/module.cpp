// The live module's declaration: the WebSocket door and its hub, the live
// events and notices written for every module's domain events, the inbox's
// routes and messages.
#include <boost/json.hpp>

#include <set>

#include "api/module.h"
#include "live/live.h"

namespace xh::live {

void add_routes(api::Router& r, std::shared_ptr<const Inbox> inbox);

namespace {

namespace json = boost::json;

// The hub of this process (one per server; commands that run no server start none).
std::shared_ptr<Hub>& the_hub() {
  static std::shared_ptr<Hub> hub;
  return hub;
}

// Every domain event: a live event on each topic that declares it, and a
// notice for each user it names in "notify" — in the event's transaction.
void on_event(storage::Tx& tx, const api::Event& e, const std::vector<std::string_view>& topic_kinds) {
  json::object data = e.data;
  const json::value* notify_list = data.if_contains("notify");
  json::array notices = notify_list && notify_list->is_array() ? notify_list->as_array() : json::array{};
  data.erase("notify");
  data["subject_id"] = e.subject_id;
  bool wrote = false;
  for (auto kind : topic_kinds) {
    publish(tx, std::string(kind) + ":" + std::to_string(e.subject_id), e.kind, data);
    wrote = true;
  }
  for (const auto& n : notices) {
    notify(tx, n.as_object());
    wrote = true;
  }
  if (!wrote) return;
  // Other processes learn of it at commit (PostgreSQL); this one at once.
  if (tx.dialect() == storage::Dialect::postgres) tx.query("SELECT pg_notify('xh_live', '')");
  if (the_hub()) the_hub()->nudge();
}

void start(api::Setup& s) {
  auto& ctx = s.context();
  add_routes(s.router(), std::make_shared<const Inbox>(ctx.db));
  Settings settings;
  settings.per_user = ctx.security.live_per_user;
  settings.per_address = ctx.security.live_per_address;
  auto hub = std::make_shared<Hub>(ctx.db, settings);
  the_hub() = hub;
  s.on_stop([hub] {
    hub->stop();
    if (the_hub() == hub) the_hub().reset();
  });
  s.provide(api::LiveDoor([hub](const http::Request& req, const api::LiveCaller& caller) {
    return hub->open(req, caller);
  }));
  // Which topics each event kind publishes to, and every kind a module emits.
  std::map<std::string, std::vector<std::string_view>, std::less<>> topics;
  std::set<std::string, std::less<>> kinds;
  for (const api::Module* m : api::installed_modules()) {
    for (auto k : m->emits) kinds.emplace(k);
    for (const auto& t : m->live)
      for (auto k : t.events) {
        topics[std::string(k)].push_back(t.kind);
        kinds.emplace(k);
      }
  }
  for (const auto& kind : kinds)
    s.subscribe(kind, [topic_kinds = topics[kind]](storage::Tx& tx, const api::Event& e) {
      on_event(tx, e, topic_kinds);
    });
}

}  // namespace

const api::Module& module() {
  static const api::Module m{
      .name = "live",
      .messages =
          {
              {"live.origin_denied", "不允许从其他网站建立实时连接", "Live connections from other sites are not allowed"},
              {"live.too_many_connections", "实时连接过多，请关闭部分页面后重试", "Too many live connections: close some pages and try again"},
              {"live.too_many_subscriptions", "订阅过多", "Too many subscriptions on one connection"},
              {"live.bad_message", "消息格式错误", "The message is not understood"},
              {"live.unknown_topic", "没有这个订阅主题", "No such topic"},
              {"inbox.not_found", "消息不存在", "No such notice"},
          },
      .start = start,
  };
  return m;
}

}  // namespace xh::live
