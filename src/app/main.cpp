// xinghuo: the server and its operator commands.
#include <CLI/CLI.hpp>
#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include <cstdlib>
#include <boost/json.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <iostream>

#include "app/api.h"
#include "app/config.h"
#include "app/demo.h"
#include "app/gen.h"
#include "app/static_site.h"
#include "audit/audit.h"
#include "auth/accounts.h"
#include "core/crypto.h"
#include "core/error.h"
#include "core/messages.h"
#include "http/server.h"
#include "points/ledger.h"
#include "points/points.h"
#include "schedule/schedule.h"
#include "workorders/workorders.h"
#include "places/places.h"
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
  cmd.add_option("--body-limit", c.body_limit, "largest request body in bytes")->capture_default_str();
  cmd.add_option("--header-limit", c.header_limit, "largest request header in bytes")->capture_default_str();
  cmd.add_option("--session-idle-seconds", c.session_idle_seconds, "session idle timeout in seconds")->capture_default_str();
  cmd.add_option("--lockout-threshold", c.lockout_threshold, "failed logins before lock-out")->capture_default_str();
  cmd.add_option("--lockout-seconds", c.lockout_seconds, "lock-out duration in seconds")->capture_default_str();
  cmd.add_option("--password-max-age-days", c.password_max_age_days, "password expiry (0: never)")->capture_default_str();
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
  auto db = storage::Database::open(c.database_uri(), pool);
  for (const auto& name : storage::migrate(*db, embedded::migrations()))
    spdlog::info("applied migration {}", name);
  return db;
}

void print_demo_logins() {
  std::cout << "演示账号 / demo logins (密码 / password: " << app::kDemoPassword << ")\n";
  for (const auto& l : app::demo_logins())
    std::cout << "  " << l.username << std::string(18 - std::min<std::size_t>(17, l.username.size()), ' ')
              << auth::find_role(l.role)->zh_name << " · " << l.place_name << "\n";
}

int serve(app::Config& c) {
  if (c.workers <= 0) c.workers = c.database_uri().rfind("sqlite:", 0) == 0 ? 4 : 8;
  auto db = open_and_migrate(c, c.workers);
  FieldCipher cipher = FieldCipher::from_key_file(c.data_dir + "/field.key");
  bool demo_loaded = c.demo && app::load_demo(*db, cipher);
  auth::Settings settings = c.auth_settings();
  auth::Services services{*db, cipher, settings};
  app::StaticSite site(c.web_dir.empty() ? std::string(XH_SOURCE_WEB_DIR) : c.web_dir);
  if (site.empty()) spdlog::warn("no web app found: build it with `make build` (pages are not served)");
  app::Api api(services, &site, c.data_dir);
  // Persisted scheduled work (escalations, follow-ups) runs beside the server.
  workorders::Services wo_services{*db, cipher, c.data_dir + "/photos"};
  schedule::Scheduler scheduler(*db);
  workorders::register_jobs(scheduler, wo_services);
  points::register_jobs(scheduler);
  scheduler.start(c.scheduler_interval_ms);

  std::shared_ptr<spdlog::logger> access;
  if (c.access_log == "-")
    access = spdlog::stdout_logger_mt("access");
  else if (c.access_log != "off")
    access = spdlog::basic_logger_mt(
        "access", c.access_log.empty() ? c.data_dir + "/access.log" : c.access_log);
  if (access) access->set_pattern("%Y-%m-%dT%H:%M:%S.%e %v");

  http::ServerOptions opts = c.server_options();
  if (access)
    opts.access_log = [access](const http::AccessRecord& r) {
      access->info("{} {} {} {} {} {}us", r.request.remote_ip, r.request.method, r.request.path,
                   r.status, r.bytes, r.micros);
    };
  http::Server server(
      opts, [&api](const http::Request& r) { return api.fast(r); },
      [&api](const http::Request& r) { return api.handle(r); });
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

  auto* gen_cmd = cli.add_subcommand("gen", "生成压测数据 / generate benchmark data");
  add_storage_options(*gen_cmd, c);
  std::string scale = "street";
  std::uint64_t seed = 1;
  int streets = 0;
  gen_cmd->add_option("--scale", scale, "street | district | city")->capture_default_str();
  gen_cmd->add_option("--streets", streets, "number of streets (overrides --scale)");
  gen_cmd->add_option("--seed", seed, "random seed")->capture_default_str();
  std::int64_t ledger_transactions = 0;
  gen_cmd->add_option("--ledger-transactions", ledger_transactions,
                      "then append this many points transactions (two postings each)");

  auto* user_cmd = cli.add_subcommand("user", "账号管理 / manage accounts");
  user_cmd->require_subcommand(1);
  auto* user_create = user_cmd->add_subcommand("create", "创建账号 / create an account");
  add_storage_options(*user_create, c);
  std::string username, display_name, role, place_code;
  user_create->add_option("--username", username, "登录名 / login name")->required();
  user_create->add_option("--display-name", display_name, "姓名 / display name");
  user_create->add_option("--role", role, "角色 / role, e.g. sys_admin");
  user_create->add_option("--place", place_code, "角色范围的地点编码 / place code of the role's scope");
  user_create->footer("密码从环境变量 XINGHUO_PASSWORD 读取 / the password is read from XINGHUO_PASSWORD");

  auto* audit_cmd = cli.add_subcommand("audit", "审计日志 / audit log");
  audit_cmd->require_subcommand(1);
  auto* audit_verify = audit_cmd->add_subcommand("verify", "校验哈希链 / verify the hash chain");
  add_storage_options(*audit_verify, c);

  auto* ledger_cmd = cli.add_subcommand("ledger", "积分账本 / the points ledger");
  ledger_cmd->require_subcommand(1);
  auto* ledger_verify = ledger_cmd->add_subcommand(
      "verify", "重算哈希链与全部余额 / recompute the chain and every balance");
  add_storage_options(*ledger_verify, c);
  std::string digest_file;
  ledger_verify->add_option("--digest", digest_file,
                            "同时核对此前导出的签名摘要 / also check a digest exported earlier");
  auto* ledger_digest = ledger_cmd->add_subcommand(
      "digest", "导出签名的链头摘要 / print a signed digest of the chain head (JSON)");
  add_storage_options(*ledger_digest, c);

  auto* version_cmd = cli.add_subcommand("version", "版本 / print the version");
  add_storage_options(*version_cmd, c);  // accepted everywhere alike, unused here

  CLI11_PARSE(cli, argc, argv);

  try {
    if (serve_cmd->parsed()) return serve(c);
    if (migrate_cmd->parsed()) {
      auto db = open_and_migrate(c, 1);
      std::cout << "数据库已是最新 / schema up to date\n";
      return 0;
    }
    if (demo_cmd->parsed()) {
      auto db = open_and_migrate(c, 1);
      FieldCipher cipher = FieldCipher::from_key_file(c.data_dir + "/field.key");
      std::cout << (app::load_demo(*db, cipher) ? "已载入演示数据 / demo street loaded\n"
                                         : "演示数据已存在 / demo street already present\n");
      print_demo_logins();
      return 0;
    }
    if (gen_cmd->parsed()) {
      auto db = open_and_migrate(c, 1);
      FieldCipher cipher = FieldCipher::from_key_file(c.data_dir + "/field.key");
      auto started = std::chrono::steady_clock::now();
      int n = streets > 0 ? streets : app::streets_for_scale(scale);
      app::GenCounts counts;
      if (n > 0)
        counts = app::generate(*db, cipher, n, seed, [&](int done, int total) {
          auto secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
          std::cout << "街道 / street " << done << "/" << total << "  " << secs << " s" << std::endl;
        });
      if (ledger_transactions > 0) {
        auto postings = app::generate_ledger(*db, ledger_transactions, [&](std::int64_t done) {
          if (done % 1000000 == 0 || done == ledger_transactions)
            std::cout << "积分流水 / ledger transactions " << done << std::endl;
        });
        std::cout << "积分分录 / postings written: " << postings << "\n";
      }
      auto secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
      std::cout << "生成完毕 / generated: " << counts.streets << " streets, " << counts.places
                << " places, " << counts.households << " households, " << counts.residents
                << " residents, " << counts.partners << " partners, " << counts.work_orders
                << " work orders in " << secs << " s\n"
                << "压测账号 / benchmark logins: bench_street, bench_community (" << app::kBenchPassword
                << ")\n";
      return 0;
    }
    if (user_create->parsed()) {
      const char* pw = std::getenv("XINGHUO_PASSWORD");
      if (!pw) {
        std::cerr << "请设置 XINGHUO_PASSWORD / set XINGHUO_PASSWORD to the new password\n";
        return 2;
      }
      auto db = open_and_migrate(c, 1);
      audit::Actor system{std::nullopt, "cli", "local"};
      db->write([&](storage::Tx& tx) {
        auto uid = auth::create_user_unchecked(
            tx, system, {username, display_name.empty() ? username : display_name, pw});
        if (!role.empty()) {
          auto place = tx.query_one("SELECT id FROM places WHERE code = $1", place_code);
          if (!place) throw std::runtime_error("no place with code '" + place_code + "'");
          auth::assign_role_unchecked(tx, system, uid, role, place->i64(0));
        }
      });
      std::cout << "已创建账号 / created user " << username << "\n";
      return 0;
    }
    if (audit_verify->parsed()) {
      auto db = open_and_migrate(c, 1);
      auto r = audit::verify(*db);
      if (r.ok) {
        std::cout << "审计链完整 / audit chain intact: " << r.entries << " entries\n";
        return 0;
      }
      std::cout << "审计链已损坏 / audit chain BROKEN at seq " << r.first_bad_seq << ": " << r.reason
                << "\n";
      return 1;
    }
    if (ledger_verify->parsed()) {
      auto db = open_and_migrate(c, 1);
      auto r = points::verify(*db);
      if (!r.ok) {
        std::cout << "积分账本已损坏 / ledger BROKEN"
                  << (r.first_bad_tx ? " at transaction " + std::to_string(r.first_bad_tx) : "")
                  << ": " << r.reason << "\n";
        return 1;
      }
      std::cout << "积分账本完整 / ledger intact: " << r.transactions << " transactions, "
                << r.postings << " postings, " << r.accounts << " accounts\n";
      if (!digest_file.empty()) {
        std::ifstream in(digest_file);
        std::stringstream buf;
        buf << in.rdbuf();
        auto doc = boost::json::parse(buf.str()).as_object();
        points::Digest d{doc.at("tx_id").as_int64(), std::string(doc.at("hash").as_string()),
                         doc.at("at").as_int64(), std::string(doc.at("public_key").as_string()),
                         std::string(doc.at("signature").as_string())};
        std::string why;
        if (!points::check_digest(*db, d, c.data_dir + "/ledger.key", &why)) {
          std::cout << "摘要不符 / digest does NOT match: " << why << "\n";
          return 1;
        }
        std::cout << "摘要相符 / digest matches transaction " << d.tx_id << "\n";
      }
      return 0;
    }
    if (ledger_digest->parsed()) {
      auto db = open_and_migrate(c, 1);
      auto d = points::sign_head(*db, c.data_dir + "/ledger.key");
      std::cout << boost::json::serialize(boost::json::object{{"tx_id", d.tx_id},
                                                              {"hash", d.hash},
                                                              {"at", d.at},
                                                              {"public_key", d.public_key},
                                                              {"signature", d.signature}})
                << "\n";
      return 0;
    }
    std::cout << "xinghuo " << XH_VERSION << "\n";
    return 0;
  } catch (const xh::Error& e) {
    std::cerr << "错误 / error: " << xh::message(e.code(), xh::Lang::zh_CN) << " (" << e.code()
              << (e.detail().empty() ? "" : ": " + e.detail()) << ")\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "错误 / error: " << e.what() << "\n";
    return 1;
  }
}
