#pragma once
// Documents on paper (the minutes of a meeting, the monthly report): A4
// pages written top to bottom — a title, headings, paragraphs, label–value
// facts, tables whose header repeats on each page — laid out by Pango with
// the Noto CJK fonts (line breaking and shaping for Chinese and Latin alike)
// and written by Cairo as a PDF with its text extractable (pdftotext).
// Each page ends with the document's footer and its number (第 N 页).
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace xh::print {

class Pdf {
 public:
  // `title` goes into the PDF's metadata and each page's footer.
  explicit Pdf(std::string title);
  ~Pdf();
  Pdf(const Pdf&) = delete;
  Pdf& operator=(const Pdf&) = delete;

  void title(std::string_view text);                // large and centred
  void subtitle(std::string_view text);             // centred, muted
  void heading(std::string_view text);              // a section
  void paragraph(std::string_view text);
  void note(std::string_view text);                 // small and muted
  // Label–value lines ("时间：2026-12-07 19:00").
  void facts(const std::vector<std::pair<std::string, std::string>>& rows);
  // `widths`: each column's share of the page's width (they add up to 1).
  void table(const std::vector<std::string>& head, const std::vector<double>& widths,
             const std::vector<std::vector<std::string>>& rows);
  // A QR code of `data` (libqrencode, error correction M), `size` points
  // wide, centred, black on white with its quiet zone: a plate to scan.
  void qr(std::string_view data, double size);
  // What follows starts on a new page.
  void page_break();
  void space(double points);
  // A new page unless `points` more fit on this one: what follows (an item's
  // heading and the start of its table) stays together.
  void need(double points);

  // The PDF's bytes; the document takes nothing more after it.
  std::string finish();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace xh::print
