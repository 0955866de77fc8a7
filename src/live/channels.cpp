// Outbound channels: the staff group robots of a community, the outbox, and
// the sender that delivers it with retries.
#include "live/channels.h"

#include <boost/json.hpp>

#include <algorithm>
#include <curl/curl.h>
#include <spdlog/spdlog.h>

#include "api/module.h"
#include "api/scope.h"
#include "audit/audit.h"
#include "core/error.h"
#include "core/json_input.h"
#include "core/json_output.h"
#include "core/time.h"

namespace xh::live {

namespace json = boost::json;
using storage::Tx;

namespace {

// After the n-th failed attempt, the next one waits this long; then dead.
constexpr Millis kRetryAfter[] = {10000, 60000, 5 * 60000, 30 * 60000, 2 * 3600000};
constexpr int kMaxAttempts = 6;

std::size_t keep(char* data, std::size_t size, std::size_t n, void* out) {
  static_cast<std::string*>(out)->append(data, size * n);
  return size * n;
}

// "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=ab…": the key hidden.
std::string masked(const std::string& url) {
  auto q = url.find('?');
  std::string shown = url.substr(0, q == std::string::npos ? url.size() : q);
  return q == std::string::npos ? shown : shown + "?…";
}

// "https://QYAPI.weixin.qq.com:443/cgi-bin/…" → "qyapi.weixin.qq.com"; no user
// part is taken for a host ("http://good.com@evil.com/" is evil.com's).
std::string host_of(const std::string& url) {
  auto start = url.find("://") + 3;
  auto end = url.find_first_of("/?#", start);
  std::string authority = url.substr(start, end == std::string::npos ? std::string::npos : end - start);
  if (auto at = authority.rfind('@'); at != std::string::npos) authority = authority.substr(at + 1);
  if (!authority.empty() && authority[0] == '[') return "";  // an IPv6 literal: never a robot's
  if (auto colon = authority.find(':'); colon != std::string::npos) authority.resize(colon);
  for (auto& c : authority) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return authority;
}

json::object channel_json(const storage::Row& r, const FieldCipher& cipher) {
  return {{"id", r.i64("id")},
          {"place_id", r.i64("place_id")},
          {"place_name", r.str("place_name")},
          {"kind", r.str("kind")},
          {"name", r.str("name")},
          {"url", masked(cipher.decrypt(r.str("url_enc")))},
          {"notice_kinds", json::parse(r.str("notice_kinds"))},
          {"enabled", r.i64("enabled") != 0},
          {"created_at", iso8601(r.i64("created_at"))}};
}

const char* const kChannelSelect =
    "SELECT c.id, c.place_id, pl.name AS place_name, c.path, c.kind, c.name, c.url_enc, "
    "c.notice_kinds, c.enabled, c.created_at FROM channels c JOIN places pl ON pl.id = c.place_id";

}  // namespace

Delivery post_json(const std::string& url, const std::string& body) {
  CURL* curl = curl_easy_init();
  if (!curl) return {false, "curl_easy_init failed"};
  std::string answer;
  curl_slist* headers = curl_slist_append(nullptr, "Content-Type: application/json; charset=utf-8");
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.c_str());
  curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, keep);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &answer);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, 10000L);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, 5000L);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  CURLcode rc = curl_easy_perform(curl);
  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  curl_slist_free_all(headers);
  curl_easy_cleanup(curl);
  if (rc != CURLE_OK) return {false, curl_easy_strerror(rc)};
  if (status != 200) return {false, "HTTP " + std::to_string(status)};
  // Both robots answer {"errcode":0,"errmsg":"ok"} when they took the message.
  std::error_code ec;
  auto v = json::parse(answer, ec);
  const json::object* o = ec ? nullptr : v.if_object();
  const json::value* code = o ? o->if_contains("errcode") : nullptr;
  if (code && code->is_int64() && code->as_int64() == 0) return {true, ""};
  return {false, answer.substr(0, 300)};
}

std::string robot_body(const std::string& kind, const std::string& title, const std::string& text) {
  std::string content = "**" + title + "**\n" + text;
  if (kind == "dingtalk")
    return json::serialize(json::object{{"msgtype", "markdown"},
                                        {"markdown", {{"title", title}, {"text", content}}}});
  return json::serialize(json::object{{"msgtype", "markdown"}, {"markdown", {{"content", content}}}});
}

void queue_for_channels(Tx& tx, const FieldCipher& cipher, const std::string& place_path,
                        const std::string& notice_kind, const std::string& title,
                        const std::string& text) {
  (void)cipher;
  Millis now = now_ms();
  for (const auto& r : tx.query(
           "SELECT id, kind, notice_kinds FROM channels WHERE enabled = 1 AND $1 LIKE path || '%'",
           place_path)) {
    auto kinds = json::parse(r.str("notice_kinds"));
    bool wanted = false;
    for (const auto& k : kinds.as_array()) wanted = wanted || k.as_string() == notice_kind;
    if (!wanted) continue;
    tx.exec("INSERT INTO channel_outbox (channel_id, body, next_at, created_at) VALUES ($1, $2, $3, $3)",
            r.i64("id"), robot_body(r.str("kind"), title, text), now);
  }
}

json::object Channels::create(const api::Principal& p, const api::Actor& actor,
                              const std::string& body) const {
  api::require(p, "channel.manage");
  JsonInput in(body, {"place_id", "kind", "name", "url", "notice_kinds"});
  auto place_id = in.i64("place_id");
  auto kind = in.str("kind", 20);
  auto name = in.str("name", 50);
  auto url = in.str("url", 500);
  auto kinds = in.opt_str_array("notice_kinds", 20, 60).value_or(std::vector<std::string>{});
  if (kind != "wecom" && kind != "dingtalk") throw unprocessable("channel.bad_kind", "kind");
  if (url.rfind("https://", 0) != 0 && url.rfind("http://", 0) != 0)
    throw unprocessable("channel.bad_url", "url");
  if (std::find(hosts_.begin(), hosts_.end(), host_of(url)) == hosts_.end())
    throw unprocessable("channel.host_not_allowed", "url");
  if (name.empty()) throw unprocessable("request.missing_field", "name");
  if (kinds.empty()) throw unprocessable("request.missing_field", "notice_kinds");
  const auto& known = api::installed_label_set("notice.kind");
  for (const auto& k : kinds)
    if (std::none_of(known.begin(), known.end(), [&](const Label& l) { return l.key == k; }))
      throw unprocessable("channel.bad_notice_kind", "notice_kinds");
  return db_.write([&](Tx& tx) {
    auto place = tx.query_one("SELECT path FROM places WHERE id = $1 AND archived_at IS NULL", place_id);
    if (!place) throw unprocessable("place.not_found", "place_id");
    api::require_in_scope(p, "channel.manage", place->str("path"));
    auto id = tx.query_one(
                    "INSERT INTO channels (place_id, path, kind, name, url_enc, notice_kinds, "
                    "created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                    place_id, place->str("path"), kind, name, cipher_.encrypt(url),
                    json::serialize(json::value_from(kinds)), now_ms())
                  ->i64("id");
    audit::append(tx, actor, {"channel.create", "channel", std::to_string(id), std::nullopt,
                              json::serialize(json::object{{"kind", kind}, {"name", name}, {"url", masked(url)}})});
    return channel_json(*tx.query_one(std::string(kChannelSelect) + " WHERE c.id = $1", id), cipher_);
  });
}

json::array Channels::list(const api::Principal& p) const {
  api::require(p, "channel.manage");
  return db_.read([&](Tx& tx) {
    json::array out;
    for (const auto& r : tx.query(std::string(kChannelSelect) + " ORDER BY c.id"))
      if (api::in_scope(p, "channel.manage", r.str("path"))) out.push_back(channel_json(r, cipher_));
    return out;
  });
}

json::object Channels::set_enabled(const api::Principal& p, const api::Actor& actor, std::int64_t id,
                                   bool enabled) const {
  api::require(p, "channel.manage");
  return db_.write([&](Tx& tx) {
    auto r = tx.query_one(std::string(kChannelSelect) + " WHERE c.id = $1", id);
    if (!r) throw not_found("channel.not_found");
    api::require_in_scope(p, "channel.manage", r->str("path"));
    tx.exec("UPDATE channels SET enabled = $2 WHERE id = $1", id, enabled);
    audit::append(tx, actor, {"channel.update", "channel", std::to_string(id), std::nullopt,
                              json::serialize(json::object{{"enabled", enabled}})});
    return channel_json(*tx.query_one(std::string(kChannelSelect) + " WHERE c.id = $1", id), cipher_);
  });
}

json::object Channels::outbox(const api::Principal& p, const std::optional<std::string>& status,
                              api::Page page) const {
  api::require(p, "channel.manage");
  if (status && *status != "pending" && *status != "sent" && *status != "dead")
    throw bad_request("request.bad_query", "status");
  return db_.read([&](Tx& tx) {
    json::array items;
    std::int64_t total = 0;
    for (const auto& r : tx.query(
             "SELECT m.id, m.channel_id, c.name AS channel_name, c.path, m.body, m.status, "
             "m.attempts, m.next_at, m.last_error, m.created_at, m.sent_at FROM channel_outbox m "
             "JOIN channels c ON c.id = m.channel_id WHERE ($1 = '' OR m.status = $1) ORDER BY m.id DESC",
             status.value_or(""))) {
      if (!api::in_scope(p, "channel.manage", r.str("path"))) continue;
      if (total++ < page.offset || static_cast<int>(items.size()) >= page.limit) continue;
      items.push_back({{"id", r.i64("id")},
                       {"channel_id", r.i64("channel_id")},
                       {"channel_name", r.str("channel_name")},
                       {"body", json::parse(r.str("body"))},
                       {"status", r.str("status")},
                       {"attempts", r.i64("attempts")},
                       {"next_at", iso8601(r.i64("next_at"))},
                       {"last_error", nullable(r.opt_str("last_error"))},
                       {"created_at", iso8601(r.i64("created_at"))},
                       {"sent_at", nullable_time(r.opt_i64("sent_at"))}});
    }
    return json::object{{"items", std::move(items)}, {"total", total}};
  });
}

json::object Channels::retry(const api::Principal& p, const api::Actor& actor, std::int64_t id) const {
  api::require(p, "channel.manage");
  return db_.write([&](Tx& tx) {
    auto r = tx.query_one(
        "SELECT m.status, c.path FROM channel_outbox m JOIN channels c ON c.id = m.channel_id WHERE m.id = $1", id);
    if (!r) throw not_found("channel.message_not_found");
    api::require_in_scope(p, "channel.manage", r->str("path"));
    if (r->str("status") != "dead") throw conflict("channel.not_dead");
    tx.exec("UPDATE channel_outbox SET status = 'pending', attempts = 0, next_at = $2 WHERE id = $1", id,
            now_ms());
    audit::append(tx, actor, {"channel.retry", "channel_message", std::to_string(id), std::nullopt, std::nullopt});
    return json::object{{"id", id}, {"status", "pending"}};
  });
}

Sender::Sender(storage::Database& db, const FieldCipher& cipher, Poster poster)
    : db_(db), cipher_(cipher), poster_(std::move(poster)) {}

Sender::~Sender() { stop(); }

void Sender::start() {
  thread_ = std::thread([this] { run(); });
}

void Sender::stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Sender::nudge() {
  {
    std::lock_guard lock(mu_);
    nudged_ = true;
  }
  wake_.notify_all();
}

void Sender::run() {
  for (;;) {
    {
      std::unique_lock lock(mu_);
      // A nudge comes before the queuing transaction commits: look a moment later.
      wake_.wait_for(lock, std::chrono::seconds(2), [&] { return stopping_ || nudged_; });
      if (stopping_) return;
      if (nudged_) {
        nudged_ = false;
        wake_.wait_for(lock, std::chrono::milliseconds(50), [&] { return stopping_; });
        if (stopping_) return;
      }
    }
    try {
      while (send_one()) {
        std::lock_guard lock(mu_);
        if (stopping_) return;
      }
    } catch (const std::exception& e) {
      spdlog::warn("channels: {}", e.what());
    }
  }
}

bool Sender::send_one() {
  Millis now = now_ms();
  // Claimed by this process (check-and-set on next_at): another one skips it.
  auto claimed = db_.write([&](Tx& tx) -> std::optional<storage::Row> {
    auto r = tx.query_one(
        "SELECT m.id, m.body, m.attempts, m.next_at, c.url_enc FROM channel_outbox m JOIN channels c "
        "ON c.id = m.channel_id WHERE m.status = 'pending' AND m.next_at <= $1 ORDER BY m.next_at, m.id "
        "LIMIT 1",
        now);
    if (!r) return std::nullopt;
    if (tx.exec("UPDATE channel_outbox SET next_at = $3 WHERE id = $1 AND next_at = $2", r->i64("id"),
                r->i64("next_at"), now + 60000) != 1)
      return std::nullopt;
    return r;
  });
  if (!claimed) return false;
  std::int64_t id = claimed->i64("id");
  Delivery d = poster_(cipher_.decrypt(claimed->str("url_enc")), claimed->str("body"));
  int attempts = static_cast<int>(claimed->i64("attempts")) + 1;
  db_.write([&](Tx& tx) {
    if (d.accepted) {
      tx.exec("UPDATE channel_outbox SET status = 'sent', attempts = $2, sent_at = $3, last_error = NULL "
              "WHERE id = $1",
              id, static_cast<std::int64_t>(attempts), now_ms());
    } else if (attempts >= kMaxAttempts) {
      tx.exec("UPDATE channel_outbox SET status = 'dead', attempts = $2, last_error = $3 WHERE id = $1", id,
              static_cast<std::int64_t>(attempts), d.error);
    } else {
      tx.exec("UPDATE channel_outbox SET attempts = $2, last_error = $3, next_at = $4 WHERE id = $1", id,
              static_cast<std::int64_t>(attempts), d.error, now_ms() + kRetryAfter[attempts - 1]);
    }
  });
  return true;
}

}  // namespace xh::live
