#include "people/identity.h"

#include <algorithm>
#include <ctime>

namespace xh::people {

namespace {
bool digits(std::string_view s) {
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return !s.empty();
}
int num(std::string_view s) {
  int v = 0;
  for (char c : s) v = v * 10 + (c - '0');
  return v;
}
bool valid_date(int y, int m, int d) {
  static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m < 1 || m > 12 || d < 1) return false;
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return d <= days[m - 1] + (m == 2 && leap ? 1 : 0);
}
}  // namespace

char national_id_check(std::string_view first17) {
  static const int weights[] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  int sum = 0;
  for (int i = 0; i < 17; ++i) sum += (first17[i] - '0') * weights[i];
  return "10X98765432"[sum % 11];
}

std::optional<NationalId> parse_national_id(std::string_view text) {
  if (text.size() != 18 || !digits(text.substr(0, 17))) return std::nullopt;
  char last = text[17] == 'x' ? 'X' : text[17];
  if (!(last == 'X' || (last >= '0' && last <= '9'))) return std::nullopt;
  if (text[0] == '0' || num(text.substr(0, 2)) < 11) return std::nullopt;  // province codes start at 11
  int y = num(text.substr(6, 4)), m = num(text.substr(10, 2)), d = num(text.substr(12, 2));
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  int this_year = tm.tm_year + 1900;
  if (y < 1900 || y > this_year || !valid_date(y, m, d)) return std::nullopt;
  if (y == this_year && (m > tm.tm_mon + 1 || (m == tm.tm_mon + 1 && d > tm.tm_mday))) return std::nullopt;
  if (national_id_check(text) != last) return std::nullopt;
  NationalId id;
  id.number = std::string(text.substr(0, 17)) + last;
  id.birth_date = std::string(text.substr(6, 4)) + "-" + std::string(text.substr(10, 2)) + "-" +
                  std::string(text.substr(12, 2));
  id.gender = (text[16] - '0') % 2 ? "male" : "female";
  return id;
}

std::optional<std::string> parse_phone(std::string_view text) {
  if (text.size() == 11 && text[0] == '1' && text[1] >= '3' && text[1] <= '9' && digits(text))
    return std::string(text);
  std::string plain;
  for (char c : text)
    if (c != '-') plain += c;
  if (text.size() >= 2 && text[0] == '0' && digits(plain) && plain.size() >= 10 && plain.size() <= 12 &&
      std::count(text.begin(), text.end(), '-') <= 1)
    return std::string(text);
  return std::nullopt;
}

std::string mask_phone(std::string_view phone) {
  if (phone.size() < 8) return std::string(phone.size(), '*');
  return std::string(phone.substr(0, 3)) + std::string(phone.size() - 7, '*') +
         std::string(phone.substr(phone.size() - 4));
}

std::string mask_national_id(std::string_view number) {
  if (number.size() < 8) return std::string(number.size(), '*');
  return std::string(number.substr(0, 4)) + std::string(number.size() - 8, '*') +
         std::string(number.substr(number.size() - 4));
}

std::string mask_name(std::string_view name) {
  if (name.empty()) return std::string(name);
  std::size_t first = 1;  // the first character, however many bytes it takes in UTF-8
  while (first < name.size() && (static_cast<unsigned char>(name[first]) & 0xC0) == 0x80) ++first;
  return std::string(name.substr(0, first)) + "**";
}

}  // namespace xh::people
