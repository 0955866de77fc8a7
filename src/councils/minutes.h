#pragma once
// The minutes (纪要, GOV-3) of a closed meeting, written from what happened:
// attendance and absences, each agenda item with its speeches (who, side,
// start, duration, overtime, the chair's reason for an out-of-order floor),
// its votes and the chair's records (violations, points of order). The chair
// writes the summary and the decisions (each with who follows it up) and
// signs; signed minutes are fixed with the record they were signed on, and a
// later change is a new version — every version kept. Printable as a PDF the
// server makes (councils/minutes_pdf.cpp, print/pdf.h).
#include <boost/json/object.hpp>

#include <cstdint>
#include <optional>
#include <string>

#include "api/events.h"
#include "api/principal.h"
#include "core/messages.h"
#include "core/time.h"
#include "storage/database.h"

namespace xh::councils {

class Minutes {
 public:
  Minutes(storage::Database& db, const api::EventBus& events) : db_(db), events_(events) {}

  // {meeting_id, title, council, place, location, starts_at, opened_at,
  // closed_at, version, status (draft|signed), summary, decisions [{text,
  // owner}], signed_at, signed_by, versions [{version, status, signed_at}],
  // may_edit, attendance, quorum, items [{…, speeches, votes, records}],
  // records (outside any item)}. The latest version unless one is named (404
  // council.minutes_not_found). 409 council.meeting_not_closed.
  boost::json::object get(const api::Principal& p, std::int64_t meeting_id, std::optional<std::int64_t> version,
                          Lang lang) const;
  // The chair: {summary, decisions}. The draft changes; signed minutes get a
  // new version. 422 council.bad_minutes.
  boost::json::object edit(const api::Principal& p, const api::Actor& actor, std::int64_t meeting_id,
                           const std::string& body, Lang lang) const;
  // The chair: the draft is fixed. 409 council.minutes_signed.
  boost::json::object sign(const api::Principal& p, const api::Actor& actor, std::int64_t meeting_id, Lang lang) const;

  struct File {
    std::string name, bytes;
  };
  // The version (the latest by default) as a PDF, in Chinese: the street's record.
  File pdf(const api::Principal& p, std::int64_t meeting_id, std::optional<std::int64_t> version) const;

 private:
  storage::Database& db_;
  const api::EventBus& events_;
};

// Minutes signed for a meeting whose rows were written without the commands
// (the demo's meeting held last month): its record as it stands, this text.
void sign_unchecked(storage::Tx& tx, std::int64_t meeting_id, const std::string& summary,
                    const boost::json::array& decisions, std::optional<std::int64_t> by, Millis now);

// The minutes (as Minutes::get answers them, in Chinese) on A4 pages.
std::string minutes_pdf(const boost::json::object& minutes);

}  // namespace xh::councils
