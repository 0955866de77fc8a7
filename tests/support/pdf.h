#pragma once
// A PDF's text as poppler's pdftotext reads it (UTF-8, pages separated by
// form feeds), for tests of the documents the server prints; empty when
// poppler-utils is missing.
#include <string>

namespace xh::test {

std::string pdf_text(const std::string& bytes);

}  // namespace xh::test
