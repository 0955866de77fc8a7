#pragma once
// User-visible messages of the server, keyed by error code, in zh-CN (the
// default) and en. The codes every module shares (malformed requests, the
// access checks) are defined here; each module declares its own codes with
// their texts in its module declaration, and add_messages() registers them at
// start. A unit test walks the sources so that every code thrown has a text.
#include <string>
#include <string_view>
#include <vector>

namespace xh {

enum class Lang { zh_CN, en };

// Picks the language from an Accept-Language header: English only when the
// caller prefers it; Chinese otherwise.
Lang lang_from_accept_language(std::string_view header);

// One message: its code, its text in both languages, and what the detail an
// error of this code carries is ("field": a request field, "parameter": a
// query parameter, "status": the status that refused a step …), so the API
// labels it by what it is.
struct MessageDef {
  std::string_view code, zh, en;
  std::string_view detail = "field";
};

// Registers a module's messages. Called at start, before any request is
// served (not thread-safe with concurrent lookups). Throws std::logic_error
// for a code that is already defined or has an empty text.
void add_messages(const std::vector<MessageDef>& defs);

// The translated message for `code`, or a generic message when the code is
// unknown (never the raw code alone).
std::string message(std::string_view code, Lang lang);

// The message for `code` with each "{name}" replaced by its parameter: text
// the server writes for people to read later (a timeline note, a ledger memo)
// is stored as its code and parameters and rendered here in the reader's
// language.
std::string message(std::string_view code, Lang lang,
                    const std::vector<std::pair<std::string, std::string>>& params);

// The text of `def` in `lang`.
inline std::string_view text_of(const MessageDef& def, Lang lang) {
  return lang == Lang::en ? def.en : def.zh;
}

// What the detail of an error of `code` is ("field" when unknown).
std::string_view detail_kind(std::string_view code);

// True when `code` has a translation in both languages.
bool has_message(std::string_view code);

// Every known code (for tests).
std::vector<std::string> message_codes();

}  // namespace xh
