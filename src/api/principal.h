#pragma once
// Who is calling: the authenticated caller of a request (its grants, each a
// role held over a place), and the actor its changes are recorded under.
// Plain values, built by the authenticator for one request and read by the
// module commands that request runs; safe to share between threads once
// built.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace xh::api {

// One role held over one place: the role's permissions apply to that place
// and everything below it (its materialised path is the prefix).
struct Grant {
  std::int64_t assignment_id = 0;
  std::string role;
  std::int64_t place_id = 0;
  std::string place_path;  // "/1/4/"
  std::string place_kind;  // what the place is and is called, for showing the grant
  std::string place_name;
};

// The authenticated caller of a request.
struct Principal {
  std::int64_t user_id = 0;
  std::string username;
  std::string display_name;
  std::vector<Grant> grants;
  bool via_token = false;    // bearer token: no CSRF check
  std::string session_hash;  // cookie sessions only
  std::string csrf_token;    // cookie sessions only
  bool password_expired = false;

  bool has_role(std::string_view role) const;
  // True when some grant's role carries `permission` (see access.h).
  bool has_permission(std::string_view permission) const;
  // True when some grant's role is a staff role.
  bool is_staff() const;
};

// Who acted, and from where: what the audit log, timelines and domain events
// record of a change.
struct Actor {
  std::optional<std::int64_t> user_id;  // none for an anonymous caller or the system
  std::string name;                     // username, "anonymous", "system", "open311:<client>"
  std::string ip;

  // The server itself (scheduled work, the demo loader, the command line).
  static Actor system(std::string name = "system") { return {std::nullopt, std::move(name), "local"}; }
};

}  // namespace xh::api
