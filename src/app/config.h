#pragma once
// The server's settings, from (in rising priority) defaults, a config file,
// environment variables (XINGHUO_*) and command-line flags.
#include <string>

#include "api/module.h"
#include "http/server.h"

namespace xh::app {

struct Config {
  std::string db;                 // empty: sqlite:<data_dir>/xinghuo.db
  std::string data_dir = "data";
  std::string web_dir;            // empty: web/dist beside the sources, if built
  std::string bind = "127.0.0.1";
  int port = 8080;
  int io_threads = 1;
  int workers = 0;                // 0: 4 on SQLite, 8 on PostgreSQL
  std::string access_log;         // empty: <data_dir>/access.log; "-": stdout; "off"
  int request_timeout_ms = 15000;
  int db_timeout_ms = 15000;      // one statement, the write lock, a free connection
  int db_connect_timeout_ms = 5000;
  int export_chunk_rows = 2000;   // rows a CSV/XLSX export reads and writes at a time
  int idle_timeout_ms = 60000;
  std::size_t body_limit = 1024 * 1024;
  std::size_t header_limit = 16 * 1024;
  int session_idle_seconds = 30 * 60;
  int resident_session_idle_days = 30;
  int lockout_threshold = 5;
  int lockout_seconds = 15 * 60;
  int password_max_age_days = 0;
  int token_max_age_days = 90;
  bool secure_cookies = false;
  int scheduler_interval_ms = 30000;
  // Live connections (/api/live).
  int live_ping_ms = 30000;
  int live_per_user = 20;
  int live_per_address = 200;
  std::size_t live_queue_bytes = 1024 * 1024;
  std::size_t live_message_bytes = 16 * 1024;
  std::vector<std::string> channel_hosts = {"qyapi.weixin.qq.com", "oapi.dingtalk.com"};
  bool demo = false;              // serve: load the demo street into a new database

  // The database URI with the default applied.
  std::string database_uri() const;
  api::SecuritySettings security_settings() const;
  http::ServerOptions server_options() const;
};

}  // namespace xh::app
