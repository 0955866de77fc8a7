#pragma once
// The points ledger (PTS-2): double-entry, in integer points. A transaction is
// two or more postings that sum to zero; it carries an idempotency key (a
// repeated key returns the first transaction and posts nothing); it is never
// changed or removed (the database refuses), and each is chained to the one
// before by SHA-256, so that `verify` can prove history was not rewritten.
// Residents' and organisations' balances never go below zero: the balance
// check and the update are one statement, and writers are serialised on the
// chain head. Call within a write transaction; thread-safe as the database is.
//
// The ledger is a part of the points module of its own: the one writer of
// point_transactions, point_postings, point_chain_head and the accounts'
// balances (its SQL is in ledger.cpp; the commands read these tables through
// store.h), and what `xinghuo ledger verify` and `xinghuo ledger digest`
// check. What a transaction's hash covers is fixed for good: the chains of
// existing databases must keep verifying.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/time.h"
#include "storage/database.h"

namespace xh::points {

struct Posting {
  std::int64_t account_id;
  std::int64_t amount;  // credit > 0, debit < 0
};

// A posting as the chain hashes it.
struct PostingRow {
  std::int64_t account_id;
  std::string account_kind;
  std::int64_t owner_id, amount, balance_after;
};

struct Posted {
  std::int64_t tx_id;
  bool repeated;  // the key was used before: nothing was posted now
  Millis created_at = 0;  // when it was posted (0 when repeated)
};

struct NewTransaction {
  std::string idem_key;
  std::string kind;  // award | redeem | refund | reversal | expiry
  std::string memo;
  std::vector<Posting> postings;
  std::optional<std::int64_t> reverses_id, created_by;
  // The memo as a message key with its parameters (a JSON object), shown in
  // the reader's language; outside the hash, which covers `memo`.
  std::optional<std::string> memo_key, memo_params;
};

// Posts `t`. Throws 422 points.unbalanced (fewer than two postings, or not
// summing to zero), 409 points.insufficient when a resident's or
// organisation's balance would go below zero, 422 points.no_account for a
// posting to no account (nothing is written).
Posted post(storage::Tx& tx, const NewTransaction& t);

// The chain hash of a transaction: SHA-256 over the previous hash, the
// transaction's fields and its postings (account, amount, balance after), in
// order. Exposed for bulk loaders that write the chain themselves.
std::string transaction_hash(const std::string& prev_hash, const std::string& idem_key,
                             const std::string& kind, const std::string& memo,
                             std::optional<std::int64_t> reverses_id,
                             std::optional<std::int64_t> created_by, Millis created_at,
                             const std::vector<PostingRow>& postings);

// Takes the ledger's writer lock (the chain head row) for the rest of `tx`:
// commands that check an idempotency key before posting take it first, so
// that two requests with one key cannot both pass the check.
void lock(storage::Tx& tx);

// The transaction an idempotency key was used for, if any.
std::optional<std::int64_t> find_by_key(storage::Tx& tx, const std::string& idem_key);

// Accounts, created on first use. A resident's account belongs to the
// community of their (first) household; 422 points.no_household otherwise.
std::int64_t resident_account(storage::Tx& tx, std::int64_t resident_id);
// True when the resident belongs to a household (so may hold an account).
bool has_household(storage::Tx& tx, std::int64_t resident_id);
std::int64_t org_account(storage::Tx& tx, std::int64_t org_id);
// kind: issuing | redemption | expiry
std::int64_t community_account(storage::Tx& tx, std::string_view kind, std::int64_t community_id);

struct VerifyResult {
  bool ok = true;
  std::int64_t transactions = 0, postings = 0, accounts = 0;
  std::int64_t first_bad_tx = 0;  // 0 when ok, or when the fault is in a balance or the head
  std::string reason;
};
// Recomputes the chain from the first transaction, every running balance and
// every account's balance, streaming (constant memory per account); then the
// totals derived from the postings outside the chain: what each resident
// earned per month (the leaderboard's point_earned_monthly) and the lots a
// resident's points are spent and lapse from (they add up to the balance).
VerifyResult verify(storage::Database& db);

// The chain head, signed with the ledger key (Ed25519), so an auditor can
// later check that the history up to it was not rewritten.
struct Digest {
  std::int64_t tx_id;
  std::string hash;
  Millis at;
  std::string public_key, signature;  // hex
};
Digest sign_head(storage::Database& db, const std::string& key_file);
// True when `d` is signed with this ledger's key (`key_file`) and the ledger
// still holds `d.hash` at `d.tx_id`.
bool check_digest(storage::Database& db, const Digest& d, const std::string& key_file,
                  std::string* reason);

}  // namespace xh::points
