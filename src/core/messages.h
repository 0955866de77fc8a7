#pragma once
// User-visible messages of the server, keyed by error code, in zh-CN (the
// default) and en. Every Error code thrown anywhere must have an entry here;
// a unit test walks the sources to keep it so.
#include <string>
#include <string_view>
#include <vector>

namespace xh {

enum class Lang { zh_CN, en };

// Picks the language from an Accept-Language header: English only when the
// caller prefers it; Chinese otherwise.
Lang lang_from_accept_language(std::string_view header);

// The translated message for `code`, or a generic message when the code is
// unknown (never the raw code alone).
std::string message(std::string_view code, Lang lang);

// True when `code` has a translation in both languages.
bool has_message(std::string_view code);

// Every known code (for tests).
std::vector<std::string> message_codes();

}  // namespace xh
