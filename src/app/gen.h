#pragma once
// The data generator for benchmarks (`xinghuo gen`): whole streets of places,
// households, residents and partners, deterministic for a seed, written in bulk
// through the storage layer on either engine.
//   street   ≈ 25,000 households / 60,000 residents (1 street)
//   district ≈ 10 streets
//   city     ≈ 40 streets: 1,000,000 households / 2,400,000 residents
#include <cstdint>
#include <functional>
#include <string>

#include "core/crypto.h"
#include "storage/database.h"

namespace xh::app {

struct GenCounts {
  std::int64_t streets = 0, places = 0, households = 0, residents = 0, partners = 0,
               work_orders = 0;
};

// Streets for a scale name; throws std::invalid_argument for an unknown one.
int streets_for_scale(const std::string& scale);

// Adds `streets` generated streets (GEN-S001 …) after those already there, and
// the benchmark logins bench_street / bench_community (password Bench@2026)
// over the first one. `progress` is told after each street.
GenCounts generate(storage::Database& db, const FieldCipher& cipher, int streets,
                   std::uint64_t seed, const std::function<void(int done, int total)>& progress);

// Appends `transactions` awards (two postings each) to the points ledger of
// the first generated community, with a valid hash chain and balances, for
// measuring `xinghuo ledger verify`. Returns the postings written.
std::int64_t generate_ledger(storage::Database& db, std::int64_t transactions,
                             const std::function<void(std::int64_t done)>& progress);

inline constexpr const char* kBenchPassword = "Bench@2026";

}  // namespace xh::app
