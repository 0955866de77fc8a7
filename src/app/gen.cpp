#include "app/gen.h"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <chrono>
#include <iostream>
#include <memory>
#include <sstream>
#include <stdexcept>

namespace xh::app {

int streets_for_scale(const std::string& scale) {
  if (scale == "none") return 0;
  if (scale == "street") return 1;
  if (scale == "district") return 10;
  if (scale == "city") return 40;
  throw std::invalid_argument("scale must be street, district or city");
}

Generated generate(api::Context& ctx, const api::Modules& modules, int streets, std::uint64_t seed,
                   const std::function<void(int, int)>& progress) {
  std::vector<api::GenStep> steps;
  for (const api::Module* m : modules) steps.insert(steps.end(), m->gen.begin(), m->gen.end());
  std::stable_sort(steps.begin(), steps.end(),
                   [](const api::GenStep& a, const api::GenStep& b) { return a.stage < b.stage; });
  Generated out;
  for (int s = 0; s < streets; ++s) {
    api::GenStreet street;
    street.seed = seed;
    ctx.db.write([&](storage::Tx& tx) {
      street.counts.clear();
      for (const auto& step : steps)
        for (auto& [name, n] : step.generate(tx, ctx, street)) street.counts.emplace_back(name, n);
    });
    for (const auto& [name, n] : street.counts) {
      auto it = std::find_if(out.counts.begin(), out.counts.end(),
                             [&](const auto& c) { return c.first == name; });
      if (it == out.counts.end()) out.counts.emplace_back(name, n);
      else it->second += n;
    }
    ++out.streets;
    if (progress) progress(s + 1, streets);
  }
  // Fresh statistics, so the planners pick the selective indexes.
  storage::refresh_statistics(ctx.db);
  return out;
}

std::string summary(const Generated& g, double seconds) {
  std::ostringstream line;
  line << "生成完毕 / generated: " << g.streets << " streets";
  for (const auto& [name, n] : g.counts) line << ", " << n << " " << name;
  line << " in " << seconds << " s";
  return line.str();
}

void add_gen_command(api::CommandSetup& c, const api::Modules& modules) {
  auto* cmd = c.root.add_subcommand("gen", "生成压测数据 / generate benchmark data");
  c.storage_options(*cmd);
  struct Options {
    std::string scale = "street";
    std::uint64_t seed = 1;
    int streets = 0;
    std::vector<std::pair<const api::GenOption*, std::int64_t>> counts;  // the modules' options
  };
  auto o = std::make_shared<Options>();
  cmd->add_option("--scale", o->scale, "street | district | city")->capture_default_str();
  cmd->add_option("--streets", o->streets, "number of streets (overrides --scale)");
  cmd->add_option("--seed", o->seed, "random seed")->capture_default_str();
  for (const api::Module* m : modules)
    for (const auto& option : m->gen_options) o->counts.emplace_back(&option, 0);
  for (auto& [option, n] : o->counts)
    cmd->add_option("--" + std::string(option->name), n, std::string(option->help));
  cmd->callback([o, &modules, open = c.open] {
    int streets = o->streets > 0 ? o->streets : streets_for_scale(o->scale);
    auto& ctx = open();
    auto started = std::chrono::steady_clock::now();
    auto seconds = [&] {
      return std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    };
    Generated g;
    if (streets > 0)
      g = generate(ctx, modules, streets, o->seed, [&](int done, int total) {
        std::cout << "街道 / street " << done << "/" << total << "  " << seconds() << " s" << std::endl;
      });
    for (const auto& [option, n] : o->counts)
      if (n > 0) option->generate(ctx, n, [](const std::string& line) { std::cout << line << std::endl; });
    std::cout << summary(g, seconds()) << "\n";
    for (const api::Module* m : modules)
      if (m->gen_notes)
        for (const auto& line : m->gen_notes()) std::cout << line << "\n";
  });
}

}  // namespace xh::app
