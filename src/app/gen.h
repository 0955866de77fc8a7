#pragma once
// The data generator for benchmarks (`xinghuo gen`): whole streets of places,
// households, residents, partners and work orders, deterministic for a seed,
// written in bulk through the storage layer on either engine. Each module adds
// its part of a street (its Module::gen steps, in the order of their stage,
// one transaction a street); its Module::gen_options add what the command line
// asks of it beyond the streets (`--ledger-transactions`).
//   street   ≈ 25,000 households / 60,000 residents (1 street)
//   district ≈ 10 streets
//   city     ≈ 40 streets: 1,000,000 households / 2,400,000 residents
#include <cstdint>
#include <functional>
#include <string>

#include "api/module.h"

namespace xh::app {

// Streets for a scale name; throws std::invalid_argument for an unknown one.
int streets_for_scale(const std::string& scale);

struct Generated {
  int streets = 0;
  api::GenCounts counts;  // what the steps added, summed by name, in their order
};

// Adds `streets` generated streets after those already there, each in one
// transaction through every module's steps; then refreshes the planners'
// statistics. `progress` is told after each street.
Generated generate(api::Context& ctx, const api::Modules& modules, int streets,
                   std::uint64_t seed, const std::function<void(int done, int total)>& progress);

// The line the command ends with: "生成完毕 / generated: 1 streets, 28913
// places, 25920 households, … work orders in 5.2 s".
std::string summary(const Generated& g, double seconds);

// Adds the command `xinghuo gen [--scale street|district|city] [--streets N]
// [--seed S]`, with the modules' options, to `c.root`.
void add_gen_command(api::CommandSetup& c, const api::Modules& modules);

}  // namespace xh::app
