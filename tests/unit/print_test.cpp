// print::Pdf: Chinese text laid out on A4 pages, long tables broken across
// pages with their header repeated, the text extractable by poppler.
#include <gtest/gtest.h>

#include "print/pdf.h"
#include "support/pdf.h"

namespace xh::print {
namespace {

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

TEST(Pdf, ChineseTextOnPagesWithTheTablesHeaderOnEachPage) {
  Pdf doc("测试文档");
  doc.title("泉星社区会议纪要");
  doc.heading("一、出席情况");
  doc.paragraph(std::string("一段很长的中文段落，") + std::string(600, 'x') + "，在页宽处换行。");
  std::vector<std::vector<std::string>> rows;
  for (int i = 1; i <= 120; ++i) rows.push_back({"第" + std::to_string(i) + "行", "居民代表", "参加"});
  doc.table({"姓名", "席位", "答复"}, {0.4, 0.3, 0.3}, rows);
  doc.paragraph("结束。");
  auto bytes = doc.finish();
  ASSERT_EQ(bytes.substr(0, 5), "%PDF-");
  EXPECT_THROW(doc.paragraph("x"), std::logic_error);
  auto text = test::pdf_text(bytes);
  ASSERT_FALSE(text.empty()) << "pdftotext (poppler-utils) is needed";
  EXPECT_NE(text.find("泉星社区会议纪要"), std::string::npos);
  EXPECT_NE(text.find("第120行"), std::string::npos);
  EXPECT_NE(text.find("结束。"), std::string::npos);
  // 120 rows of about 20 points: several pages, each with the header and its number.
  std::size_t pages = count(text, "\f");
  EXPECT_GE(pages, 3u);
  EXPECT_EQ(count(text, "姓名"), pages);
  EXPECT_NE(text.find("第 " + std::to_string(pages) + " 页"), std::string::npos);
}

}  // namespace
}  // namespace xh::print
