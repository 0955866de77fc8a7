#pragma once
// Room screens (投屏): a meeting hall's big screen or a festival station's,
// showing one live topic, read-only, with no one signed in on it.
//
// Pairing: the screen makes a secret token of its own and asks for a code
// (POST /api/display/pairing); it shows the code and a QR of the pairing page.
// A staff member scans it on their phone, chooses one of their displays
// (made in the console: a name, a place, one topic they may follow
// themselves, of a kind a module lets on a screen), and confirms: the display
// now answers to the screen's token (a screen paired before is let go). The
// screen, asking with its token (POST /api/display/session), receives an
// HttpOnly cookie for /api and what to show; its WebSocket follows that one
// topic. Revoking the display closes the screen's connection at its next
// heartbeat.
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <cstdint>
#include <optional>
#include <string>

#include "api/principal.h"
#include "core/messages.h"
#include "storage/database.h"

namespace xh::live {

// A screen's token: 43–128 characters of base64url.
bool good_token(const std::string& token);

// A paired display, as its screen's token finds it.
struct Screen {
  std::int64_t id = 0;
  std::string name, topic;
};
// The live display whose screen holds `token`, if any.
std::optional<Screen> find_screen(storage::Tx& tx, const std::string& token);
// The topic kind's screen view of `topic` (api::LiveTopic::display).
boost::json::object screen_view(storage::Tx& tx, const std::string& topic, Lang lang);

class Displays {
 public:
  explicit Displays(storage::Database& db) : db_(db) {}

  // Staff (display.manage over the place). `body`: {name, place_id, topic};
  // 422 display.bad_topic (no such topic kind, or one no screen may show),
  // place.not_found; the topic is checked as a subscription of the caller's
  // would be (403, 404).
  boost::json::object create(const api::Principal& p, const api::Actor& actor,
                             const std::string& body) const;
  boost::json::array list(const api::Principal& p) const;
  // Pairs the screen showing `code` (body {code}); 404 display.not_found,
  // 422 display.bad_code (unknown or expired), 409 display.revoked.
  boost::json::object pair(const api::Principal& p, const api::Actor& actor, std::int64_t id,
                           const std::string& body) const;
  // Lets the screen go for good; 404 display.not_found.
  boost::json::object revoke(const api::Principal& p, const api::Actor& actor, std::int64_t id) const;

  // For screens (no user). `body`: {token} (43–128 characters of its own
  // making); {code, expires_at}; 429 display.too_many_pairings from one
  // address.
  boost::json::object start_pairing(const std::string& body, const std::string& address) const;
  // What a paired screen shows: {paired: true, id, name, topic, view}; while
  // its code waits, {paired: false, code, expires_at}; else 404
  // display.not_paired (its code expired, or its display was revoked).
  boost::json::object session(const std::string& token, Lang lang) const;

 private:
  storage::Database& db_;
};

}  // namespace xh::live
