// The live module's declaration: the WebSocket door and its hub, the live
// events and notices written for every module's domain events, the inbox's
// routes and messages.
#include <boost/json.hpp>

#include <set>

#include "api/module.h"
#include "live/channels.h"
#include "live/displays.h"
#include "live/live.h"

namespace xh::live {

void add_routes(api::Router& r, std::shared_ptr<const Inbox> inbox);
void add_display_routes(api::Router& r, std::shared_ptr<const Displays> displays, bool secure_cookies);
void add_channel_routes(api::Router& r, std::shared_ptr<const Channels> channels,
                        std::function<void()> nudge);

namespace json = boost::json;

namespace {
// The hub of this process (one per server; commands that run no server start none).
std::shared_ptr<Hub>& the_hub() {
  static std::shared_ptr<Hub> hub;
  return hub;
}
}  // namespace

void announce(storage::Tx& tx) {
  // Other processes learn of it at commit (PostgreSQL); this one once it has
  // committed.
  if (tx.dialect() == storage::Dialect::postgres) tx.query("SELECT pg_notify('xh_live', '')");
  tx.after_commit([hub = std::weak_ptr<Hub>(the_hub())] {
    if (auto h = hub.lock()) h->nudge();
  });
}

namespace {
// The outbound sender of this process (none for a command), and the field
// cipher that seals the robots' addresses.
std::shared_ptr<Sender>& the_sender() {
  static std::shared_ptr<Sender> sender;
  return sender;
}
const FieldCipher* cipher = nullptr;

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
  std::set<std::string> forwarded;  // a staff group hears of an event once per kind of notice
  for (const auto& n : notices) {
    const auto& notice = n.as_object();
    notify(tx, notice, e.place_path);
    wrote = true;
    std::string kind(notice.at("kind").as_string());
    if (!cipher || !forwarded.insert(kind).second) continue;
    const json::value* params = notice.if_contains("params");
    std::string text = render(std::string(notice.at("text").as_string()),
                              params && params->is_object() ? params->as_object() : json::object{},
                              Lang::zh_CN);
    queue_for_channels(tx, *cipher, e.place_path, kind, "星火 · 红色合伙人", text);
    tx.after_commit([sender = std::weak_ptr<Sender>(the_sender())] {
      if (auto s = sender.lock()) s->nudge();
    });
  }
  if (wrote) announce(tx);
}

void start(api::Setup& s) {
  auto& ctx = s.context();
  add_routes(s.router(), std::make_shared<const Inbox>(ctx.db));
  add_display_routes(s.router(), std::make_shared<const Displays>(ctx.db), ctx.security.secure_cookies);
  s.job("live.digest", [](storage::Tx& tx, std::int64_t day, Millis now) { run_digest(tx, day, now); });
  if (s.serving()) ctx.db.write([](storage::Tx& tx) { plan_digest(tx, now_ms()); });
  cipher = &ctx.cipher;
  auto sender = std::make_shared<Sender>(ctx.db, ctx.cipher);
  if (s.serving()) {
    the_sender() = sender;
    sender->start();
    s.on_stop([sender] {
      sender->stop();
      if (the_sender() == sender) the_sender().reset();
    });
  }
  add_channel_routes(s.router(), std::make_shared<const Channels>(ctx.db, ctx.cipher, ctx.security.channel_hosts),
                     [sender] { sender->nudge(); });
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

const std::vector<Label>& audit_actions() {
  static const std::vector<Label> all = {{"display.create", "新建投屏", "Display created"},
                                         {"display.pair", "配对投屏", "Display paired"},
                                         {"display.revoke", "停用投屏", "Display revoked"},
                                         {"channel.create", "添加推送渠道", "Channel added"},
                                         {"channel.update", "启停推送渠道", "Channel switched"},
                                         {"channel.retry", "重发推送消息", "Message sent again"}};
  return all;
}

const std::vector<Label>& notice_kinds() {
  static const std::vector<Label> all = {{"digest.daily", "每日摘要", "Daily digest"}};
  return all;
}

const std::vector<Label>& audit_targets() {
  static const std::vector<Label> all = {{"display", "投屏", "Display"},
                                         {"channel", "推送渠道", "Channel"},
                                         {"channel_message", "推送消息", "Channel message"}};
  return all;
}

}  // namespace

const api::Module& module() {
  static const api::Module m{
      .name = "live",
      .permissions = {{"channel.manage", {"street_admin", "community_admin"}},
                      {"display.manage", {"street_admin", "community_admin"}}},
      .messages =
          {
              {"channel.bad_kind", "推送渠道须为企业微信或钉钉群机器人", "A channel is a WeCom or DingTalk group robot"},
              {"channel.bad_url", "机器人地址须以 http:// 或 https:// 开头", "The robot's address must start with http:// or https://"},
              {"channel.not_found", "推送渠道不存在", "No such channel"},
              {"channel.bad_notice_kind", "没有这类消息", "No such kind of notice"},
              {"channel.host_not_allowed", "机器人地址须为企业微信或钉钉的机器人地址", "The address must be a WeCom or DingTalk robot's"},
              {"channel.message_not_found", "推送消息不存在", "No such message"},
              {"channel.not_dead", "只有发送失败的消息可以重发", "Only a message that failed can be sent again"},
              {"display.not_found", "投屏不存在", "No such display"},
              {"display.bad_topic", "这项内容不能投屏", "This cannot be shown on a screen"},
              {"display.bad_code", "配对码不正确或已过期，请在大屏上刷新后重试", "The pairing code is wrong or has expired: refresh it on the screen"},
              {"display.revoked", "该投屏已停用", "This display has been revoked"},
              {"display.bad_token", "大屏令牌格式不正确", "The screen's token is not valid"},
              {"display.too_many_pairings", "配对请求过多，请稍后再试", "Too many pairing requests: try again later"},
              {"display.not_paired", "大屏尚未配对或已停用", "This screen is not paired, or no longer"},
              {"display.topic_only", "投屏只能显示配对的内容", "A screen shows only what it was paired for"},
              {"live.origin_denied", "不允许从其他网站建立实时连接", "Live connections from other sites are not allowed"},
              {"live.too_many_connections", "实时连接过多，请关闭部分页面后重试", "Too many live connections: close some pages and try again"},
              {"live.too_many_subscriptions", "订阅过多", "Too many subscriptions on one connection"},
              {"live.bad_message", "消息格式错误", "The message is not understood"},
              {"live.unknown_topic", "没有这个订阅主题", "No such topic"},
              {"inbox.not_found", "消息不存在", "No such notice"},
              {"inbox.unknown_kind", "没有这类消息", "No such kind of notice"},
              {"inbox.bad_mode", "接收方式须为即时或每日摘要", "Choose immediately or in the daily digest"},
              {"inbox.notice.digest", "{date} 的消息摘要：共 {count} 条（{kinds}）",
               "Digest of {date}: {count} notices ({kinds})"},
              {"channel.digest", "**{date} 每日摘要**\n\n{kinds}", "**Digest of {date}**\n\n{kinds}"},
          },
      .labels = {{"audit.action", audit_actions},
                 {"audit.target", audit_targets},
                 {"notice.kind", notice_kinds}},
      .sealed = {{"channels", "url_enc"}},
      .start = start,
  };
  return m;
}

}  // namespace xh::live
