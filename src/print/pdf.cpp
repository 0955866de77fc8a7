#include "print/pdf.h"

#include <qrencode.h>

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>

#include <algorithm>
#include <stdexcept>

namespace xh::print {

namespace {

// A4 in points, with margins of 20 mm and the footer below the text.
constexpr double kWidth = 595.276, kHeight = 841.89;
constexpr double kMargin = 56.7, kFooter = 28.0;
constexpr double kTop = kMargin, kBottom = kHeight - kMargin - kFooter;
constexpr double kTextWidth = kWidth - 2 * kMargin;
constexpr double kCellPad = 4.0;
constexpr const char* kFamily = "Noto Sans CJK SC";

struct Style {
  double size;
  bool bold;
  double grey;  // 0 black … 1 white
};
constexpr Style kBody{10.5, false, 0.0};
constexpr Style kTitle{18, true, 0.0};
constexpr Style kSubtitle{10.5, false, 0.35};
constexpr Style kHeading{13, true, 0.0};
constexpr Style kNote{9, false, 0.4};
constexpr Style kLabel{10.5, true, 0.25};
constexpr Style kCell{9.5, false, 0.0};
constexpr Style kHead{9.5, true, 0.0};

cairo_status_t append(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

}  // namespace

struct Pdf::Impl {
  std::string title, bytes;
  cairo_surface_t* surface = nullptr;
  cairo_t* cr = nullptr;
  double y = kTop;
  int page = 1;
  bool page_used = false;
  bool finished = false;

  explicit Impl(std::string t) : title(std::move(t)) {
    surface = cairo_pdf_surface_create_for_stream(append, &bytes, kWidth, kHeight);
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, title.c_str());
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATOR, "星火 Xinghuo");
    cr = cairo_create(surface);
    if (cairo_status(cr) != CAIRO_STATUS_SUCCESS) throw std::runtime_error("print: cannot make a PDF surface");
  }
  ~Impl() {
    if (cr) cairo_destroy(cr);
    if (surface) cairo_surface_destroy(surface);
  }

  // A layout of `text` in `style`, `width` points wide (wrapped by word, or
  // by character where a word is longer than the line), aligned as asked.
  PangoLayout* layout(std::string_view text, const Style& style, double width,
                      PangoAlignment align = PANGO_ALIGN_LEFT) const {
    PangoLayout* l = pango_cairo_create_layout(cr);
    pango_context_set_language(pango_layout_get_context(l), pango_language_from_string("zh-cn"));
    PangoFontDescription* font = pango_font_description_new();
    pango_font_description_set_family(font, kFamily);
    pango_font_description_set_absolute_size(font, style.size * PANGO_SCALE);
    pango_font_description_set_weight(font, style.bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    pango_layout_set_font_description(l, font);
    pango_font_description_free(font);
    pango_layout_set_width(l, static_cast<int>(width * PANGO_SCALE));
    pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
    pango_layout_set_alignment(l, align);
    pango_layout_set_text(l, text.data(), static_cast<int>(text.size()));
    return l;
  }

  static double height_of(PangoLayout* l) {
    int w = 0, h = 0;
    pango_layout_get_size(l, &w, &h);
    return static_cast<double>(h) / PANGO_SCALE;
  }

  void footer() {
    PangoLayout* l = layout(title + "    第 " + std::to_string(page) + " 页", kNote, kTextWidth, PANGO_ALIGN_CENTER);
    cairo_set_source_rgb(cr, 0.4, 0.4, 0.4);
    cairo_move_to(cr, kMargin, kHeight - kMargin);
    pango_cairo_show_layout(cr, l);
    g_object_unref(l);
  }

  void new_page() {
    footer();
    cairo_show_page(cr);
    ++page;
    y = kTop;
    page_used = false;
  }

  // Room for `h` points more on this page, or a new one (unless this one is
  // still empty: what is taller than a page is clipped, not looped on).
  void room(double h) {
    if (y + h > kBottom && page_used) new_page();
  }

  // A layout drawn line by line from the cursor, breaking pages between lines.
  void flow(std::string_view text, const Style& style, PangoAlignment align = PANGO_ALIGN_LEFT, double indent = 0) {
    PangoLayout* l = layout(text, style, kTextWidth - indent, align);
    PangoLayoutIter* it = pango_layout_get_iter(l);
    cairo_set_source_rgb(cr, style.grey, style.grey, style.grey);
    double top_of_layout = y;  // where line 0 sits on this page
    double shift = 0;          // how far the lines moved up by page breaks
    do {
      PangoRectangle logical;
      pango_layout_iter_get_line_extents(it, nullptr, &logical);
      double line_top = static_cast<double>(logical.y) / PANGO_SCALE;
      double line_h = static_cast<double>(logical.height) / PANGO_SCALE;
      double at = top_of_layout + line_top - shift;
      if (at + line_h > kBottom && page_used) {
        new_page();
        cairo_set_source_rgb(cr, style.grey, style.grey, style.grey);
        shift = line_top;
        top_of_layout = y;
        at = y;
      }
      double baseline = static_cast<double>(pango_layout_iter_get_baseline(it)) / PANGO_SCALE - line_top;
      cairo_move_to(cr, kMargin + indent + static_cast<double>(logical.x) / PANGO_SCALE, at + baseline);
      pango_cairo_show_layout_line(cr, pango_layout_iter_get_line_readonly(it));
      page_used = true;
      y = at + line_h;
    } while (pango_layout_iter_next_line(it));
    pango_layout_iter_free(it);
    g_object_unref(l);
  }

  // One row of a table; `heights` pre-measured.
  void row(const std::vector<std::string>& cells, const std::vector<double>& widths, const Style& style, bool shaded) {
    std::vector<PangoLayout*> ls;
    double h = 0;
    for (std::size_t i = 0; i < widths.size(); ++i) {
      ls.push_back(layout(i < cells.size() ? cells[i] : "", style, widths[i] * kTextWidth - 2 * kCellPad));
      h = std::max(h, height_of(ls.back()));
    }
    h += 2 * kCellPad;
    double x = kMargin;
    if (shaded) {
      cairo_set_source_rgb(cr, 0.93, 0.93, 0.93);
      cairo_rectangle(cr, kMargin, y, kTextWidth, h);
      cairo_fill(cr);
    }
    cairo_set_line_width(cr, 0.5);
    for (std::size_t i = 0; i < ls.size(); ++i) {
      double w = widths[i] * kTextWidth;
      cairo_set_source_rgb(cr, 0.6, 0.6, 0.6);
      cairo_rectangle(cr, x, y, w, h);
      cairo_stroke(cr);
      cairo_set_source_rgb(cr, 0, 0, 0);
      cairo_move_to(cr, x + kCellPad, y + kCellPad);
      pango_cairo_show_layout(cr, ls[i]);
      g_object_unref(ls[i]);
      x += w;
    }
    y += h;
    page_used = true;
  }

  double row_height(const std::vector<std::string>& cells, const std::vector<double>& widths, const Style& style) const {
    double h = 0;
    for (std::size_t i = 0; i < widths.size(); ++i) {
      PangoLayout* l = layout(i < cells.size() ? cells[i] : "", style, widths[i] * kTextWidth - 2 * kCellPad);
      h = std::max(h, height_of(l));
      g_object_unref(l);
    }
    return h + 2 * kCellPad;
  }

  void check_open() const {
    if (finished) throw std::logic_error("print: the document is finished");
  }
};

Pdf::Pdf(std::string title) : impl_(std::make_unique<Impl>(std::move(title))) {}
Pdf::~Pdf() = default;

void Pdf::title(std::string_view text) {
  impl_->check_open();
  impl_->flow(text, kTitle, PANGO_ALIGN_CENTER);
  impl_->y += 6;
}

void Pdf::subtitle(std::string_view text) {
  impl_->check_open();
  impl_->flow(text, kSubtitle, PANGO_ALIGN_CENTER);
  impl_->y += 10;
}

void Pdf::heading(std::string_view text) {
  impl_->check_open();
  // A heading is not left alone at the foot of a page.
  impl_->room(60);
  impl_->y += 8;
  impl_->flow(text, kHeading);
  impl_->y += 4;
}

void Pdf::paragraph(std::string_view text) {
  impl_->check_open();
  impl_->flow(text, kBody);
  impl_->y += 4;
}

void Pdf::note(std::string_view text) {
  impl_->check_open();
  impl_->flow(text, kNote);
  impl_->y += 3;
}

void Pdf::facts(const std::vector<std::pair<std::string, std::string>>& rows) {
  impl_->check_open();
  for (const auto& [label, value] : rows) {
    impl_->flow(label + "：" + value, kBody);
    impl_->y += 2;
  }
  impl_->y += 4;
}

void Pdf::table(const std::vector<std::string>& head, const std::vector<double>& widths,
                const std::vector<std::vector<std::string>>& rows) {
  impl_->check_open();
  auto& d = *impl_;
  double head_h = d.row_height(head, widths, kHead);
  d.room(head_h + (rows.empty() ? 0 : d.row_height(rows.front(), widths, kCell)));
  d.row(head, widths, kHead, true);
  for (const auto& r : rows) {
    double h = d.row_height(r, widths, kCell);
    if (d.y + h > kBottom) {
      d.new_page();
      d.row(head, widths, kHead, true);  // the header again on the new page
    }
    d.row(r, widths, kCell, false);
  }
  d.y += 8;
}

void Pdf::qr(std::string_view data, double size) {
  impl_->check_open();
  auto& d = *impl_;
  std::string text(data);
  QRcode* code = QRcode_encodeString(text.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1);
  if (!code) throw std::runtime_error("print: cannot encode a QR code");
  const int quiet = 4, n = code->width + 2 * quiet;
  d.room(size);
  double cell = size / n, left = kMargin + (kTextWidth - size) / 2;
  cairo_set_source_rgb(d.cr, 1, 1, 1);
  cairo_rectangle(d.cr, left, d.y, size, size);
  cairo_fill(d.cr);
  cairo_set_source_rgb(d.cr, 0, 0, 0);
  for (int row = 0; row < code->width; ++row)
    for (int col = 0; col < code->width; ++col)
      if (code->data[row * code->width + col] & 1)
        cairo_rectangle(d.cr, left + (col + quiet) * cell, d.y + (row + quiet) * cell, cell, cell);
  cairo_fill(d.cr);
  QRcode_free(code);
  d.y += size;
  d.page_used = true;
}

void Pdf::page_break() {
  impl_->check_open();
  if (impl_->page_used) impl_->new_page();
}

void Pdf::space(double points) {
  impl_->check_open();
  impl_->y += points;
}

void Pdf::need(double points) {
  impl_->check_open();
  impl_->room(points);
}

std::string Pdf::finish() {
  impl_->check_open();
  auto& d = *impl_;
  d.footer();
  cairo_show_page(d.cr);
  cairo_destroy(d.cr);
  d.cr = nullptr;
  cairo_surface_finish(d.surface);
  cairo_status_t status = cairo_surface_status(d.surface);
  cairo_surface_destroy(d.surface);
  d.surface = nullptr;
  d.finished = true;
  if (status != CAIRO_STATUS_SUCCESS) throw std::runtime_error(std::string("print: ") + cairo_status_to_string(status));
  return std::move(d.bytes);
}

}  // namespace xh::print
