// The audit module's declaration: the audit log's permission, its routes,
// and the recorder through which the API kit records denials and exports.
#include <CLI/CLI.hpp>

#include <iostream>

#include "api/module.h"
#include "audit/audit.h"

namespace xh::audit {

void add_routes(api::Router& r, std::shared_ptr<const AuditLog> log);
const std::vector<api::ExportColumn>& audit_columns();
api::GenCounts gen_street(storage::Tx& tx, api::Context& ctx, api::GenStreet& street);

namespace {

class AuditRecorder : public api::Recorder {
 public:
  explicit AuditRecorder(storage::Database& db) : db_(db) {}
  void record(const api::Actor& actor, const api::Record& r) const override {
    append_now(db_, actor, {r.action, r.target_type, r.target_id, std::nullopt, r.after_json});
  }

 private:
  storage::Database& db_;
};

const std::vector<Label>& audit_actions() {
  static const std::vector<Label> all = {{"export", "导出数据", "Data exported"},
                                         {"gen", "生成压测数据", "Benchmark data generated"}};
  return all;
}

// `xinghuo audit verify`: recomputes the chain; exit 1 on any break.
void commands(api::CommandSetup& c) {
  auto* audit = c.root.add_subcommand("audit", "审计日志 / audit log");
  audit->require_subcommand(1);
  auto* check = audit->add_subcommand("verify", "校验哈希链 / verify the hash chain");
  c.storage_options(*check);
  check->callback([open = c.open, &exit_code = c.exit_code] {
    auto r = verify(open().db);
    if (r.ok) {
      std::cout << "审计链完整 / audit chain intact: " << r.entries << " entries\n";
      return;
    }
    std::cout << "审计链已损坏 / audit chain BROKEN at seq " << r.first_bad_seq << ": " << r.reason
              << "\n";
    exit_code = 1;
  });
}

void start(api::Setup& s) {
  add_routes(s.router(), std::make_shared<const AuditLog>(s.context().db));
  s.provide(std::make_unique<AuditRecorder>(s.context().db));
}

}  // namespace

const api::Module& module() {
  static const api::Module m{
      .name = "audit",
      .permissions = {{"audit.read", {"audit_admin"}}},
      .labels = {{"audit.action", audit_actions}},
      .exports = {{"audit", audit_columns}},
      .start = start,
      // Last: records what the steps before added.
      .gen = {{90, gen_street}},
      .commands = commands,
  };
  return m;
}

}  // namespace xh::audit
