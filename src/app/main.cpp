// xinghuo: the server and its operator commands.
#include <CLI/CLI.hpp>
#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <cstdlib>
#include <boost/json.hpp>

#include <filesystem>
#include <iostream>

#include "app/keys.h"
#include "app/modules.h"
#include "app/wiring.h"
#include "app/config.h"
#include "app/health.h"
#include "app/demo.h"
#include "app/gen.h"
#include "app/static_site.h"
#include "core/crypto.h"
#include "core/error.h"
#include "core/messages.h"
#include "http/server.h"
#include "schedule/schedule.h"
#include "storage/migrate.h"

using namespace xh;

namespace {

void add_storage_options(CLI::App& cmd, app::Config& c) {
  cmd.add_option("--db", c.db,
                 "数据库 / database: sqlite:PATH (默认 <data-dir>/xinghuo.db) 或 postgresql://…")
      ->envname("XINGHUO_DB");
  cmd.add_option("--data-dir", c.data_dir, "数据目录 / data directory (keys, uploads, logs)")
      ->envname("XINGHUO_DATA_DIR")
      ->capture_default_str();
}

void add_serve_options(CLI::App& cmd, app::Config& c) {
  cmd.add_option("--port", c.port, "监听端口 / port")->envname("XINGHUO_PORT")->capture_default_str();
  cmd.add_option("--bind", c.bind, "监听地址 / bind address")->envname("XINGHUO_BIND")->capture_default_str();
  cmd.add_option("--io-threads", c.io_threads, "network threads")->envname("XINGHUO_IO_THREADS")->capture_default_str();
  cmd.add_option("--workers", c.workers, "worker threads for blocking work (0: by engine)")->envname("XINGHUO_WORKERS");
  cmd.add_option("--access-log", c.access_log, "access log file, '-' for stdout, 'off'")->envname("XINGHUO_ACCESS_LOG");
  cmd.add_option("--request-timeout-ms", c.request_timeout_ms, "time to receive one request")->capture_default_str();
  cmd.add_option("--idle-timeout-ms", c.idle_timeout_ms, "keep-alive idle time")->capture_default_str();
  cmd.add_option("--db-timeout-ms", c.db_timeout_ms,
                 "longest wait for the database on a request (a statement, the write lock, a free "
                 "connection); then 503")
      ->envname("XINGHUO_DB_TIMEOUT_MS")
      ->check(CLI::Range(100, 600000))
      ->capture_default_str();
  cmd.add_option("--export-chunk-rows", c.export_chunk_rows,
                 "rows a CSV/XLSX export reads and writes at a time (its memory is that of one chunk)")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
  cmd.add_option("--db-connect-timeout-ms", c.db_connect_timeout_ms, "longest wait to connect to PostgreSQL")
      ->check(CLI::Range(100, 600000))
      ->capture_default_str();
  cmd.add_option("--body-limit", c.body_limit, "largest request body in bytes")->capture_default_str();
  cmd.add_option("--header-limit", c.header_limit, "largest request header in bytes")->capture_default_str();
  cmd.add_option("--session-idle-seconds", c.session_idle_seconds, "staff session idle timeout in seconds")->capture_default_str();
  cmd.add_option("--resident-session-idle-days", c.resident_session_idle_days,
                 "idle timeout of residents' and volunteers' sessions in days (renewed on use)")
      ->check(CLI::Range(1, 365))
      ->capture_default_str();
  cmd.add_option("--live-ping-ms", c.live_ping_ms,
                 "live connections: ping after this quiet time, and check each one's session and "
                 "subscriptions again")
      ->check(CLI::Range(50, 600000))
      ->capture_default_str();
  cmd.add_option("--live-per-user", c.live_per_user, "live connections one user may hold")
      ->check(CLI::Range(1, 1000000))
      ->capture_default_str();
  cmd.add_option("--live-per-address", c.live_per_address, "live connections one address may hold")
      ->check(CLI::Range(1, 1000000))
      ->capture_default_str();
  cmd.add_option("--live-queue-bytes", c.live_queue_bytes,
                 "unsent bytes after which a slow live client is dropped")
      ->capture_default_str();
  cmd.add_option("--live-message-bytes", c.live_message_bytes, "largest message a live client may send")
      ->capture_default_str();
  cmd.add_option("--channel-host", c.channel_hosts,
                 "a host group robots may be reached at (repeat for more; replaces the default list)")
      ->capture_default_str();
  cmd.add_option("--lockout-threshold", c.lockout_threshold, "failed logins before lock-out")->capture_default_str();
  cmd.add_option("--lockout-seconds", c.lockout_seconds, "lock-out duration in seconds")->capture_default_str();
  cmd.add_option("--password-max-age-days", c.password_max_age_days, "password expiry (0: never)")->capture_default_str();
  cmd.add_option("--token-max-age-days", c.token_max_age_days, "API tokens expire after this many days")
      ->check(CLI::Range(1, 3650))
      ->capture_default_str();
  cmd.add_flag("--secure-cookies", c.secure_cookies, "mark cookies Secure (behind HTTPS)");
  cmd.add_option("--scheduler-interval-ms", c.scheduler_interval_ms,
                 "how often due scheduled work is looked for")
      ->capture_default_str();
  cmd.add_flag("--demo", c.demo, "load the demo street into a new database");
  cmd.add_option("--web-dir", c.web_dir, "the built web app (default: web/dist of the sources)")
      ->envname("XINGHUO_WEB_DIR");
}

std::unique_ptr<storage::Database> open_and_migrate(const app::Config& c, int pool) {
  std::filesystem::create_directories(c.data_dir);
  auto db = storage::Database::open(
      c.database_uri(), pool,
      {std::chrono::milliseconds(c.db_connect_timeout_ms), std::chrono::milliseconds(c.db_timeout_ms)});
  for (const auto& name : storage::migrate(*db, embedded::migrations()))
    spdlog::info("applied migration {}", name);
  return db;
}

void print_demo_logins() {
  for (const auto& line : app::demo_notes()) std::cout << line << "\n";
}

int serve(app::Config& c) {
  if (c.workers <= 0) c.workers = c.database_uri().rfind("sqlite:", 0) == 0 ? 4 : 8;
  auto db = open_and_migrate(c, c.workers);
  FieldCipher cipher = app::open_field_key(*db, c.data_dir, app::modules());
  api::SecuritySettings settings = c.security_settings();
  api::EventBus events;
  api::Context ctx{*db, cipher, c.data_dir, settings, events, c.export_chunk_rows};
  app::StaticSite site(c.web_dir.empty() ? std::string(XH_SOURCE_WEB_DIR) : c.web_dir);
  if (site.empty()) spdlog::warn("no web app found: build it with `make build` (pages are not served)");
  // Persisted scheduled work (escalations, follow-ups) runs beside the server.
  schedule::Scheduler scheduler(*db);
  app::Health health(*db);
  auto api = app::start_modules(
      ctx, &scheduler, [&site, &health](const http::Request& r) -> std::optional<http::Response> {
        if (r.path == "/healthz" && (r.method == "GET" || r.method == "HEAD")) return health.answer();
        return site.serve(r);
      });
  bool demo_loaded = c.demo && app::load_demo(ctx);
  scheduler.start(c.scheduler_interval_ms);

  std::shared_ptr<spdlog::logger> access;
  if (c.access_log == "-")
    access = spdlog::stdout_logger_mt("access");
  else if (c.access_log != "off")
    access = spdlog::basic_logger_mt(
        "access", c.access_log.empty() ? c.data_dir + "/access.log" : c.access_log);
  if (access) access->set_pattern("%Y-%m-%dT%H:%M:%S.%e %v");

  http::ServerOptions opts = c.server_options();
  opts.early_error = [&api](const http::Request& head, int status, std::string_view code) {
    return api->early_error(head, status, code);
  };
  opts.upgrade = [&api](const http::Request& r) { return api->upgrade(r); };
  if (access)
    opts.access_log = [access](const http::AccessRecord& r) {
      access->info("{} {} {} {} {} {}us", r.request.remote_ip, r.request.method, r.request.path,
                   r.status, r.bytes, r.micros);
    };
  http::Server server(
      opts, [&api](const http::Request& r) { return api->fast(r); },
      [&api](const http::Request& r) { return api->handle(r); });
  server.run([&](unsigned short port) {
    std::cout << "星火 Xinghuo " << XH_VERSION << " 已启动 / serving http://" << c.bind << ":" << port
              << "/  (database: " << (db->dialect() == storage::Dialect::sqlite ? "SQLite" : "PostgreSQL")
              << ")" << std::endl;
    if (demo_loaded) std::cout << "已载入演示数据 / demo street loaded\n";
    if (c.demo) print_demo_logins();
    std::cout.flush();
  });
  scheduler.stop();
  spdlog::info("stopped");
  if (access) access->flush();
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  crypto_init();
  app::modules();  // registers roles, permissions and messages
  spdlog::set_default_logger(spdlog::stderr_logger_mt("xinghuo"));
  app::Config c;
  CLI::App cli{"星火 Xinghuo — 红色合伙人社区共治平台 / community co-governance server"};
  cli.set_config("--config", "", "配置文件 / config file (TOML or INI)");
  cli.require_subcommand(1);
  cli.fallthrough();  // --config may follow the subcommand

  auto* serve_cmd = cli.add_subcommand("serve", "启动服务 / run the HTTP server");
  add_storage_options(*serve_cmd, c);
  add_serve_options(*serve_cmd, c);

  auto* migrate_cmd = cli.add_subcommand("migrate", "执行数据库迁移 / apply schema migrations");
  add_storage_options(*migrate_cmd, c);

  auto* demo_cmd = cli.add_subcommand("demo", "载入演示街道 / load the demo street");
  add_storage_options(*demo_cmd, c);

  // The modules' own commands (user create, audit verify, ledger verify …).
  int exit_code = 0;
  std::unique_ptr<storage::Database> command_db;
  std::optional<FieldCipher> command_cipher;
  api::SecuritySettings command_settings;
  api::EventBus command_events;
  std::optional<api::Context> command_ctx;
  std::unique_ptr<api::Pipeline> command_pipeline;
  api::CommandSetup commands{
      cli, [&c](CLI::App& cmd) { add_storage_options(cmd, c); },
      [&]() -> api::Context& {
        if (!command_ctx) {
          command_db = open_and_migrate(c, 1);
          command_cipher.emplace(app::open_field_key(*command_db, c.data_dir, app::modules()));
          command_settings = c.security_settings();
          command_ctx.emplace(api::Context{*command_db, *command_cipher, c.data_dir,
                                           command_settings, command_events});
          command_pipeline = app::start_modules(*command_ctx, nullptr);
        }
        return *command_ctx;
      },
      exit_code};
  // `xinghuo gen`, with the modules' own options of it.
  app::add_gen_command(commands, app::modules());
  for (const api::Module* m : app::modules())
    if (m->commands) m->commands(commands);

  auto* meta_cmd = cli.add_subcommand(
      "meta", "打印网页端所需的标签、权限与限制 / print the labels, permissions and limits (JSON)");
  meta_cmd->callback([] { std::cout << boost::json::serialize(api::meta(app::modules())) << "\n"; });

  auto* version_cmd = cli.add_subcommand("version", "版本 / print the version");
  add_storage_options(*version_cmd, c);  // accepted everywhere alike, unused here

  try {
    try {
      cli.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
      return cli.exit(e);
    }
    if (serve_cmd->parsed()) return serve(c);
    if (migrate_cmd->parsed()) {
      auto db = open_and_migrate(c, 1);
      std::cout << "数据库已是最新 / schema up to date\n";
      return 0;
    }
    if (demo_cmd->parsed()) {
      std::cout << (app::load_demo(commands.open()) ? "已载入演示数据 / demo street loaded\n"
                                         : "演示数据已存在 / demo street already present\n");
      print_demo_logins();
      return 0;
    }
    if (version_cmd->parsed()) {
      std::cout << "xinghuo " << XH_VERSION << "\n";
      return 0;
    }
    return exit_code;
  } catch (const xh::Error& e) {
    std::cerr << "错误 / error: " << xh::message(e.code(), xh::Lang::zh_CN) << " (" << e.code()
              << (e.detail().empty() ? "" : ": " + e.detail()) << ")\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "错误 / error: " << e.what() << "\n";
    return 1;
  }
}
