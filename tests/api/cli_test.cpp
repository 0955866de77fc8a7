// The operator's command line and configuration sources.
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include "api_test.h"

extern char** environ;

namespace xh::test {

class Cli : public ApiTest {};

TEST_F(Cli, UserCreateMakesAnAccountThatCanLogIn) {
  setenv("XINGHUO_PASSWORD", "Zhang#2026san", 1);
  std::string out;
  ASSERT_EQ(server_->cli({"user", "create", "--username", "zhang.san", "--display-name", "张三",
                          "--role", "grid_worker", "--place", "NC-QX-G2"},
                         &out),
            0)
      << out;
  auto c = anonymous();
  auto r = c.login("zhang.san", "Zhang#2026san");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(str(r.json().at("user"), "display_name"), "张三");
  EXPECT_EQ(c.get("/api/places/" + std::to_string(place_id("NC-QX-G2"))).status, 200);
  // A weak password is refused with the translated rule, and nothing is created.
  setenv("XINGHUO_PASSWORD", "123", 1);
  EXPECT_EQ(server_->cli({"user", "create", "--username", "weak.one"}, &out), 2);
  EXPECT_NE(out.find("密码"), std::string::npos) << out;
  EXPECT_EQ(anonymous().login("weak.one", "123").status, 401);
  unsetenv("XINGHUO_PASSWORD");
}

TEST_F(Cli, TheOperatorAppointsAndRemovesTheAdministrators) {
  setenv("XINGHUO_PASSWORD", "Audit#2026two", 1);
  std::string out;
  ASSERT_EQ(server_->cli({"user", "create", "--username", "second.auditor", "--role", "audit_admin",
                          "--place", "NC"},
                         &out),
            0)
      << out;
  unsetenv("XINGHUO_PASSWORD");
  auto auditor = anonymous();
  ASSERT_EQ(auditor.login("second.auditor", "Audit#2026two").status, 200);
  EXPECT_EQ(auditor.get("/api/audit").status, 200);
  ASSERT_EQ(server_->cli({"user", "revoke", "--username", "second.auditor", "--role", "audit_admin"}, &out), 0)
      << out;
  auto after = anonymous();
  ASSERT_EQ(after.login("second.auditor", "Audit#2026two").status, 200);
  EXPECT_EQ(after.get("/api/audit").status, 403);
  EXPECT_EQ(server_->cli({"user", "revoke", "--username", "second.auditor", "--role", "audit_admin"}, &out), 1);
}

TEST_F(Cli, MigrateIsIdempotentAndDemoLoadsOnce) {
  std::string out;
  EXPECT_EQ(server_->cli({"migrate"}, &out), 0) << out;
  EXPECT_EQ(server_->cli({"demo"}, &out), 0) << out;
  EXPECT_NE(out.find("already present"), std::string::npos) << out;
  EXPECT_EQ(server_->cli({"version"}, &out), 0);
}

// Settings come from a config file and the environment, not only flags.
TEST(Config, FileAndEnvironmentConfigureTheServer) {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / ("xh-config-" + std::to_string(getpid()));
  fs::create_directories(dir);
  int port = 20000 + getpid() % 20000;
  std::ofstream(dir / "xinghuo.toml") << "[serve]\nport = " << port << "\naccess-log = \"off\"\n";
  std::string data_dir = (dir / "data").string();
  std::string db_env = "XINGHUO_DATA_DIR=" + data_dir;
  std::vector<std::string> args = {XH_BINARY, "serve", "--config", (dir / "xinghuo.toml").string()};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::vector<std::string> env_store = {db_env};
  if (testing_postgres()) env_store.push_back("XINGHUO_DB=" + std::string(getenv("XH_TEST_PG_URI")));
  std::vector<char*> envp;
  for (auto& e : env_store) envp.push_back(e.data());
  for (char** e = environ; *e; ++e) envp.push_back(*e);
  envp.push_back(nullptr);
  pid_t pid;
  ASSERT_EQ(posix_spawn(&pid, argv[0], nullptr, nullptr, argv.data(), envp.data()), 0);
  int status = 0;
  bool up = false;
  for (int i = 0; i < 200 && !up; ++i) {
    try {
      up = HttpClient(port).get("/healthz").status == 200;
    } catch (const std::exception&) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
  kill(pid, SIGTERM);
  waitpid(pid, &status, 0);
  EXPECT_TRUE(up) << "server did not answer on the configured port " << port;
  if (!testing_postgres()) {
    EXPECT_TRUE(fs::exists(fs::path(data_dir) / "xinghuo.db"));
  }
  EXPECT_TRUE(fs::exists(fs::path(data_dir) / "field.key"));
  EXPECT_EQ(fs::status(fs::path(data_dir) / "field.key").permissions() & fs::perms::group_all,
            fs::perms::none);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  fs::remove_all(dir);
}

}  // namespace xh::test
