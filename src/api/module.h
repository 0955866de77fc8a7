#pragma once
// A module declares itself in one place, its `module.cpp`: the permissions it
// defines and the roles that get them, its error codes with their texts, the
// labels of the enumerations it owns, the domain events it emits, its demo
// data, its part of the benchmark data, its dashboard figures, its exports and
// its command-line commands; and, when the server starts, its routes,
// scheduled jobs and event subscriptions.
// The application holds one list of modules (src/app/modules.cpp) and only
// iterates it; it names no module anywhere else.
//
// Declarations are constant data, read from every thread. A Setup is used by
// one thread at start.
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "api/access.h"
#include "api/call.h"
#include "api/events.h"
#include "api/export.h"
#include "core/crypto.h"
#include "core/labels.h"
#include "core/messages.h"
#include "core/random.h"
#include "core/time.h"
#include "http/websocket.h"
#include "schedule/schedule.h"
#include "storage/database.h"

namespace CLI {
class App;
}

namespace xh::api {

// How sessions and passwords behave (FND-4); set by the operator.
struct SecuritySettings {
  Millis idle_timeout_ms = 30 * 60 * 1000;  // staff (等保: a short idle timeout)
  // Residents and volunteers on their own phones stay signed in, as in WeChat:
  // the session lasts this long without use, renewed by every use; revoked by
  // signing out, a password change or a disabled account.
  Millis resident_idle_timeout_ms = 30LL * 24 * 3600 * 1000;
  int lockout_threshold = 5;
  Millis lockout_ms = 15 * 60 * 1000;
  int password_max_age_days = 0;  // 0: passwords do not expire
  bool secure_cookies = false;    // set when served over HTTPS
  Millis token_max_age_ms = 90LL * 24 * 3600 * 1000;  // API tokens expire after this
  // Live connections (/api/live) one user, and one address, may hold at once.
  int live_per_user = 20;
  int live_per_address = 200;
  // The hosts outbound channels (group robots) may post to: the robots' own,
  // never an address inside the network (SSRF).
  std::vector<std::string> channel_hosts = {"qyapi.weixin.qq.com", "oapi.dingtalk.com"};
};

// What a module may use of the running server. Owned by the application; it
// outlives every module. Thread-safe: the database and cipher are, the rest is
// read-only once the server runs.
struct Context {
  storage::Database& db;
  const FieldCipher& cipher;
  std::string data_dir;
  const SecuritySettings& security;
  EventBus& events;
  int export_chunk_rows = 2000;  // rows an export reads at a time
};

// Resolves a request's credentials to its caller. Provided by the auth
// module. Thread-safe.
class Authenticator {
 public:
  virtual ~Authenticator() = default;
  // Throw 401 auth.unauthenticated or auth.session_expired.
  virtual Principal from_session(const std::string& cookie_token) const = 0;
  virtual Principal from_bearer(const std::string& token) const = 0;
  // The session's caller now, without counting this as the user's activity
  // (a live connection's periodic check must not keep an idle session
  // alive); throws as from_session.
  virtual Principal recheck_session(const std::string& cookie_token) const {
    return from_session(cookie_token);
  }
};

// A caller whose WebSocket upgrade (/api/live) the pipeline authenticated,
// for the live module's door. `recheck` authenticates the same credentials
// again, without counting as activity: the principal as it is now (roles
// revoked, password changed); it throws 401 when the session has ended or
// expired.
struct LiveCaller {
  Principal principal;
  Actor actor;
  Lang lang = Lang::zh_CN;
  std::function<Principal()> recheck;
  // A room's screen (投屏) signs in with no user: its display token (the
  // xh_display cookie), which the live module checks and binds to one topic.
  std::optional<std::string> display_token;
};
// Opens a live connection for an authenticated caller (or refuses it).
using LiveDoor = std::function<http::Upgrade(const http::Request&, const LiveCaller&)>;

// A kind of live topic a module answers for ("work_order" for
// "work_order:12"): who may subscribe — `authorize` throws exactly as a GET of
// the same thing would (403, 404) — and the domain events that publish to it
// (the event's subject is the topic's id; its data, ids and codes only, is
// what subscribers receive).
struct LiveTopic {
  std::string_view kind;
  void (*authorize)(storage::Tx& tx, const Principal& p, std::int64_t id);
  std::vector<std::string_view> events;
  // What a room's screen (投屏) shows of it — public, no personal data —
  // read again at each event; none: the kind cannot be put on a screen.
  boost::json::object (*display)(storage::Tx& tx, std::int64_t id, Lang lang) = nullptr;
};

// Something the API kit itself records (a denial, an export), in a transaction
// of its own. Provided by the audit module. Thread-safe.
struct Record {
  std::string action, target_type, target_id;
  std::optional<std::string> after_json;
};
class Recorder {
 public:
  virtual ~Recorder() = default;
  virtual void record(const Actor& actor, const Record& r) const = 0;
};

// A set of stored keys and their words, by name ("workorder.status"); sets of
// the same name from several modules are one set (every module adds its own
// "audit.action" entries).
struct LabelSet {
  std::string_view name;
  const std::vector<Label>& (*labels)();
};

// Names the objects of one kind that audit entries point at ("work_order"):
// the names of those of `ids` that exist, read within `tx`. The audit log's
// reader sees every entry, so a name tells no more than the entries do; none
// names a resident (personal data stays out of the log's pages).
struct AuditNames {
  std::string_view target_type;
  std::map<std::string, std::string> (*names)(storage::Tx& tx, const std::vector<std::string>& ids);
};

// A list that can be exported, and its columns (for the meta endpoint).
struct ExportDef {
  std::string_view name;  // "work-orders"
  const std::vector<ExportColumn>& (*columns)();
};

// What a module hands the server when it starts.
class Setup {
 public:
  Setup(Context& ctx, Router& router, schedule::Scheduler* scheduler)
      : ctx_(ctx), router_(router), scheduler_(scheduler) {}
  Context& context() { return ctx_; }
  Router& router() { return router_; }
  // Runs `h` for the persisted jobs of `kind` (see schedule.h); ignored by
  // commands that run no scheduler.
  void job(std::string kind, schedule::Scheduler::Handler h);
  void subscribe(std::string kind, EventBus::Handler h) { ctx_.events.subscribe(std::move(kind), std::move(h)); }
  void provide(std::unique_ptr<Authenticator> a) { authenticator_ = std::move(a); }
  void provide(std::unique_ptr<Recorder> r) { recorder_ = std::move(r); }
  void provide(LiveDoor d) { live_door_ = std::move(d); }
  // Runs `f` when the server stops, before the database closes (a module's
  // threads end there).
  void on_stop(std::function<void()> f) { stops_.push_back(std::move(f)); }
  std::vector<std::function<void()>> take_stops() { return std::move(stops_); }

  std::unique_ptr<Authenticator> take_authenticator() { return std::move(authenticator_); }
  std::unique_ptr<Recorder> take_recorder() { return std::move(recorder_); }
  LiveDoor take_live_door() { return std::move(live_door_); }
  // True when the server runs (with its scheduler), false for a command.
  bool serving() const { return scheduler_ != nullptr; }

 private:
  Context& ctx_;
  Router& router_;
  schedule::Scheduler* scheduler_;
  std::unique_ptr<Authenticator> authenticator_;
  std::unique_ptr<Recorder> recorder_;
  LiveDoor live_door_;
  std::vector<std::function<void()>> stops_;
};

// One step of loading the demo street (FND-6). Every module's steps run in
// the order of their stage, each through the module's own commands or in a
// transaction of its own; the whole demo is loaded once per database.
struct DemoStep {
  int stage;
  void (*load)(Context& ctx);
};

// The data generator for benchmarks (`xinghuo gen`). A generated street is one
// transaction in which every module's steps run in the order of their stage,
// each adding the module's rows in bulk (storage::BulkInsert, ids from
// storage::next_id) to its own tables and reading what the steps before it
// wrote. The counts and sizes are fixed (bench figures stay comparable); the
// values drawn are deterministic for the seed.
//
// What a step added, by the words the summary line prints ("households").
using GenCounts = std::vector<std::pair<std::string, std::int64_t>>;
struct GenStreet {
  std::uint64_t seed = 0;  // the generator's (--seed)
  // Set by the places step, which runs first: the street's number (1 for the
  // first in the database, GEN-S001, which holds the benchmark logins; 2 …)
  // and its place.
  int number = 0;
  std::int64_t id = 0;
  std::string path;
  // What the steps before have added to this street.
  GenCounts counts;
  // The random stream of the module `name` for this street: the same for the
  // same seed, number and name.
  SplitMix64 random(std::string_view name) const;
};
struct GenStep {
  int stage;
  // Adds the module's rows for `street`; returns what it added.
  GenCounts (*generate)(storage::Tx& tx, Context& ctx, GenStreet& street);
};
// A count `xinghuo gen` takes (`--ledger-transactions N`) for rows a module
// adds after the streets, in transactions of its own; `say` prints a line.
struct GenOption {
  std::string_view name;  // the option without its dashes
  std::string_view help;
  void (*generate)(Context& ctx, std::int64_t count,
                   const std::function<void(const std::string& line)>& say);
};
// The password of every benchmark login the generator makes.
inline constexpr const char* kBenchPassword = "Bench@2026";
// The password of every demo login (FND-6).
inline constexpr const char* kDemoPassword = "Demo@2026";

// Where a module adds its command-line commands (`xinghuo ledger verify`):
// subcommands of `root` whose callbacks do the work.
struct CommandSetup {
  CLI::App& root;
  // Adds --db and --data-dir to a command that uses the database.
  std::function<void(CLI::App&)> storage_options;
  // Migrates and opens the database (once), every module started against it.
  std::function<Context&()> open;
  // The process's exit code: a command that finds a fault sets it (a thrown
  // xh::Error exits with 2 and its message).
  int& exit_code;
};

struct Module {
  std::string_view name;  // "workorders": its folder
  std::vector<RoleDef> roles;              // the auth module's only
  std::vector<PermissionDef> permissions;  // defined here, with the roles that hold them
  std::vector<MessageDef> messages;        // its error codes
  std::vector<LabelSet> labels;            // the enumerations it owns
  std::vector<ExportDef> exports;
  std::vector<std::string_view> emits;     // the domain events it emits
  // The live topics it answers for; a domain event whose data holds
  // "notify" ([{user_id, kind, text, params, link}]) also puts a notice in
  // each of those users' inboxes (the live module's).
  std::vector<LiveTopic> live;
  // The columns holding values sealed with the field key (table, column): the
  // server refuses to start with a key that does not open them.
  std::vector<std::pair<std::string_view, std::string_view>> sealed;
  // Names for the objects its audit entries point at.
  std::vector<AuditNames> audit_names;
  // Limits the web app must respect too ("photo_max_bytes" …).
  std::vector<std::pair<std::string_view, std::int64_t>> limits;
  // Routes, jobs, subscriptions, providers.
  void (*start)(Setup& s) = nullptr;
  std::vector<DemoStep> demo;
  // Lines printed when the server runs with the demo (the demo logins).
  std::vector<std::string> (*demo_notes)() = nullptr;
  std::vector<GenStep> gen;
  std::vector<GenOption> gen_options;
  // Lines printed after `xinghuo gen` (the benchmark logins).
  std::vector<std::string> (*gen_notes)() = nullptr;
  // Adds the caller's open tasks of the module (待办) to `out`, each
  // {key, count, overdue}: what is waiting on them and only them, within
  // their scope and permissions; keys are labelled in the "task" label set.
  void (*tasks)(storage::Tx& tx, const Principal& p, Millis now, boost::json::array& out) = nullptr;
  // Adds the module's dashboard figures, each within the caller's scope.
  void (*figures)(storage::Tx& tx, const Principal& p, boost::json::object& out) = nullptr;
  void (*commands)(CommandSetup& c) = nullptr;
};

using Modules = std::vector<const Module*>;

// The modules install() registered, lowest first (empty before).
const Modules& installed_modules();

// Registers every module's roles, permissions and messages (once, at start,
// before any request). Throws std::logic_error on a conflict: a message or
// permission defined twice, a permission given to an undeclared role.
void install(const Modules& modules);

// The names of the audited objects of `target_type` with these `ids`, from the
// installed module that names them (none when no module does).
std::map<std::string, std::string> audit_target_names(storage::Tx& tx, std::string_view target_type,
                                                      const std::vector<std::string>& ids);
// For AuditNames: `select` (yielding columns `id` and `name`, with a WHERE
// clause or none) for the rows whose `id_column` is one of `ids`; ids that
// are not numbers are skipped unless `text_ids`.
std::map<std::string, std::string> names_by_id(storage::Tx& tx, std::string_view select,
                                               std::string_view id_column,
                                               const std::vector<std::string>& ids,
                                               bool text_ids = false);
// The installed modules' label set `name` (for columns that show labels of
// several modules, like the audit log's actions); empty before install().
const std::vector<Label>& installed_label_set(std::string_view name);

// Every label set, merged by name across the modules.
std::vector<std::pair<std::string_view, std::vector<Label>>> label_sets(const Modules& modules);
// The set named `name`, merged across the modules; empty when none has it.
std::vector<Label> label_set(const Modules& modules, std::string_view name);

// What the web app needs to know of the server (GET /api/meta, `xinghuo
// meta`): every label set in both languages, the permissions, the roles and
// the limits the server enforces.
boost::json::object meta(const Modules& modules);

}  // namespace xh::api
