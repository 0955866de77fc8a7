#pragma once
// A real xinghuo server process for API tests, on a fresh database of the
// engine named by XH_TEST_DB ("sqlite" or "postgresql"; PostgreSQL needs
// XH_TEST_PG_URI, which `make test` provides).
#include <memory>
#include <string>
#include <vector>

#include "storage/database.h"
#include "support/http_client.h"

namespace xh::test {

bool testing_postgres();

class TestServer {
 public:
  // `extra_args` are appended to `xinghuo serve`. The demo street is loaded.
  explicit TestServer(std::vector<std::string> extra_args = {});
  // A second process serving `first`'s database and data directory (which
  // stay `first`'s to remove), as several processes behind a proxy do.
  TestServer(const TestServer& first, std::vector<std::string> extra_args);
  ~TestServer();

  void start();   // spawns the process and waits for /healthz
  void stop();    // SIGTERM, then waits; returns once the process has exited
  void kill9();   // SIGKILL, then waits
  int wait_exit();  // exit status of a stopped process
  bool running() const { return pid_ > 0; }

  HttpClient client() const { return HttpClient(port_); }
  int port() const { return port_; }
  const std::string& db_uri() const { return db_uri_; }
  const std::string& data_dir() const { return data_dir_; }

  // Runs `xinghuo <args…> --db <uri> --data-dir <dir>`; returns the exit code.
  int cli(const std::vector<std::string>& args, std::string* output = nullptr) const;

  // A direct connection to the server's database (for checks and tampering).
  std::unique_ptr<storage::Database> open_db() const;

 private:
  std::vector<std::string> extra_;
  std::string data_dir_, db_uri_, pg_db_;
  int port_ = 0;
  int pid_ = 0;
  int last_status_ = 0;
  bool borrowed_ = false;  // the database and data directory are another server's
};

inline constexpr const char* kDemoPassword = "Demo@2026";

}  // namespace xh::test
