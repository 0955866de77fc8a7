#pragma once
// Chinese identity data: the resident identity card number (GB 11643-1999,
// 18 characters with an ISO 7064 MOD 11-2 check character), phone numbers,
// and how both are masked on screen.
#include <optional>
#include <string>
#include <string_view>

namespace xh::people {

struct NationalId {
  std::string number;      // normalised: upper-case X
  std::string birth_date;  // YYYY-MM-DD
  std::string gender;      // "male" | "female"
};

// The check character of the first 17 digits (ISO 7064 MOD 11-2).
char national_id_check(std::string_view first17);

// Validates length, region, birth date and check character; nullopt if any fails.
std::optional<NationalId> parse_national_id(std::string_view text);

// Mainland mobile (11 digits, 1[3-9]…) or landline (0 + area code + number,
// with or without a hyphen). Returns the normalised number or nullopt.
std::optional<std::string> parse_phone(std::string_view text);

std::string mask_phone(std::string_view phone);          // 138****1234
std::string mask_national_id(std::string_view number);   // 3701**********1234
// "王桂兰" → "王**": a name where the public (or a neighbour) sees it.
std::string mask_name(std::string_view name);

}  // namespace xh::people
