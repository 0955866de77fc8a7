#include "support/test_server.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace xh::test {

namespace {

std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

int free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  int port = ntohs(addr.sin_port);
  ::close(fd);
  return port;
}

std::string pg_uri_for(const std::string& base, const std::string& dbname) {
  auto slash = base.rfind('/');
  return base.substr(0, slash + 1) + dbname;
}

std::vector<char*> argv_of(std::vector<std::string>& args) {
  std::vector<char*> out;
  for (auto& a : args) out.push_back(a.data());
  out.push_back(nullptr);
  return out;
}

}  // namespace

bool testing_postgres() {
  std::string e = env("XH_TEST_DB");
  return e == "postgresql" || e == "postgres";
}

TestServer::TestServer(std::vector<std::string> extra_args) : extra_(std::move(extra_args)) {
  static std::atomic<int> counter{0};
  std::string tmpl = (std::filesystem::temp_directory_path() / "xh-test-XXXXXX").string();
  if (!mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
  data_dir_ = tmpl;
  if (testing_postgres()) {
    std::string base = env("XH_TEST_PG_URI");
    if (base.empty())
      throw std::runtime_error("XH_TEST_DB=postgresql needs XH_TEST_PG_URI (make test sets it)");
    pg_db_ = "xh_t_" + std::to_string(getpid()) + "_" + std::to_string(counter++);
    auto admin = storage::Database::open(base, 1);
    admin->with_connection([&](storage::Connection& c) {
      c.exec_script("DROP DATABASE IF EXISTS " + pg_db_);
      c.exec_script("CREATE DATABASE " + pg_db_);
    });
    db_uri_ = pg_uri_for(base, pg_db_);
  } else {
    db_uri_ = "sqlite:" + data_dir_ + "/xinghuo.db";
  }
  start();
}

TestServer::TestServer(const TestServer& first, std::vector<std::string> extra_args)
    : extra_(std::move(extra_args)), data_dir_(first.data_dir_), db_uri_(first.db_uri_), borrowed_(true) {
  start();
}

TestServer::~TestServer() {
  try {
    if (pid_ > 0) kill9();
    if (borrowed_) return;
    if (!pg_db_.empty()) {
      auto admin = storage::Database::open(env("XH_TEST_PG_URI"), 1);
      admin->with_connection([&](storage::Connection& c) {
        c.exec_script("DROP DATABASE IF EXISTS " + pg_db_ + " WITH (FORCE)");
      });
    }
    std::filesystem::remove_all(data_dir_);
  } catch (...) {
  }
}

void TestServer::start() {
  if (port_ == 0) port_ = free_port();
  std::vector<std::string> args = {XH_BINARY, "serve",      "--db",         db_uri_,
                                   "--data-dir", data_dir_, "--port",       std::to_string(port_),
                                   "--demo",     "--access-log", data_dir_ + "/access.log"};
  args.insert(args.end(), extra_.begin(), extra_.end());
  pid_t pid = fork();
  if (pid == 0) {
    int log = ::open((data_dir_ + "/server.log").c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    dup2(log, 1);
    dup2(log, 2);
    auto argv = argv_of(args);
    execv(argv[0], argv.data());
    _exit(127);
  }
  pid_ = pid;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (std::chrono::steady_clock::now() < deadline) {
    int status;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = 0;
      std::ifstream in(data_dir_ + "/server.log");
      std::stringstream ss;
      ss << in.rdbuf();
      throw std::runtime_error("server exited at start: " + ss.str());
    }
    try {
      if (HttpClient(port_).get("/healthz").status == 200) return;
    } catch (const std::exception&) {
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  throw std::runtime_error("server did not become healthy");
}

int TestServer::wait_exit() {
  if (pid_ <= 0) return last_status_;
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = 0;
  last_status_ = status;
  return status;
}

void TestServer::stop() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGTERM);
  wait_exit();
}

void TestServer::kill9() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGKILL);
  wait_exit();
}

int TestServer::cli(const std::vector<std::string>& cli_args, std::string* output) const {
  std::vector<std::string> args = {XH_BINARY};
  args.insert(args.end(), cli_args.begin(), cli_args.end());
  args.insert(args.end(), {"--db", db_uri_, "--data-dir", data_dir_});
  std::string out_file = data_dir_ + "/cli.out";
  pid_t pid = fork();
  if (pid == 0) {
    int fd = ::open(out_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(fd, 1);
    dup2(fd, 2);
    auto argv = argv_of(args);
    execv(argv[0], argv.data());
    _exit(127);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  if (output) {
    std::ifstream in(out_file);
    std::stringstream ss;
    ss << in.rdbuf();
    *output = ss.str();
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::unique_ptr<storage::Database> TestServer::open_db() const {
  return storage::Database::open(db_uri_, 2);
}

}  // namespace xh::test
