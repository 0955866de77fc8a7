#include "app/config.h"

namespace xh::app {

std::string Config::database_uri() const {
  return db.empty() ? "sqlite:" + data_dir + "/xinghuo.db" : db;
}

api::SecuritySettings Config::security_settings() const {
  api::SecuritySettings s;
  s.idle_timeout_ms = static_cast<Millis>(session_idle_seconds) * 1000;
  s.resident_idle_timeout_ms = static_cast<Millis>(resident_session_idle_days) * kDay;
  s.lockout_threshold = lockout_threshold;
  s.lockout_ms = static_cast<Millis>(lockout_seconds) * 1000;
  s.password_max_age_days = password_max_age_days;
  s.token_max_age_ms = static_cast<Millis>(token_max_age_days) * kDay;
  s.secure_cookies = secure_cookies;
  s.live_per_user = live_per_user;
  s.live_per_address = live_per_address;
  s.channel_hosts = channel_hosts;
  return s;
}

http::ServerOptions Config::server_options() const {
  http::ServerOptions o;
  o.bind = bind;
  o.port = static_cast<unsigned short>(port);
  o.io_threads = io_threads;
  o.worker_threads = workers;
  o.body_limit = body_limit;
  o.header_limit = header_limit;
  o.request_timeout = std::chrono::milliseconds(request_timeout_ms);
  o.idle_timeout = std::chrono::milliseconds(idle_timeout_ms);
  o.ws_ping_interval = std::chrono::milliseconds(live_ping_ms);
  o.ws_queue_limit = live_queue_bytes;
  o.ws_message_limit = live_message_bytes;
  return o;
}

}  // namespace xh::app
