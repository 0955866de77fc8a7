#include "pdf.h"

#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>

namespace xh::test {

std::string pdf_text(const std::string& bytes) {
  static std::atomic<int> serial{0};
  auto dir = std::filesystem::temp_directory_path() /
             ("xh-pdf-" + std::to_string(::getpid()) + "-" + std::to_string(serial++));
  std::filesystem::create_directories(dir);
  auto file = dir / "doc.pdf";
  { std::ofstream(file, std::ios::binary) << bytes; }
  std::string text;
  if (FILE* p = ::popen(("pdftotext -enc UTF-8 '" + file.string() + "' - 2>/dev/null").c_str(), "r")) {
    char buf[4096];
    for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, p)) > 0;) text.append(buf, n);
    ::pclose(p);
  }
  std::filesystem::remove_all(dir);
  return text;
}

}  // namespace xh::test
