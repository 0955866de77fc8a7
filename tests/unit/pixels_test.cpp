// Report photos decoded in full and thumbnailed (workorders/pixels.h): real
// pictures made here with the same libraries (libjpeg-turbo, libpng,
// libwebp), shrunk, turned upright and laid on white; broken pixel data
// refused.
#include <gtest/gtest.h>
#include <png.h>
#include <turbojpeg.h>
#include <webp/encode.h>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/error.h"
#include "support/error_code.h"
#include "support/images.h"
#include "workorders/image.h"
#include "workorders/pixels.h"

namespace xh::workorders {
namespace {

// A picture whose left half is red and right half blue.
std::vector<std::uint8_t> halves(int w, int h, int channels, std::uint8_t alpha = 255) {
  std::vector<std::uint8_t> px(static_cast<std::size_t>(w) * h * channels);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      std::uint8_t* p = &px[(static_cast<std::size_t>(y) * w + x) * channels];
      p[0] = x < w / 2 ? 220 : 20;
      p[1] = 20;
      p[2] = x < w / 2 ? 20 : 220;
      if (channels == 4) p[3] = alpha;
    }
  return px;
}

std::string jpeg_of(int w, int h) { return test::halves_jpeg(w, h); }

struct Decoded {
  int width = 0, height = 0;
  std::vector<std::uint8_t> rgb;
  const std::uint8_t* at(int x, int y) const { return &rgb[(static_cast<std::size_t>(y) * width + x) * 3]; }
};

Decoded decode_jpeg(const std::string& jpeg) {
  Decoded d;
  tjhandle tj = tjInitDecompress();
  int sub = 0, cs = 0;
  auto* data = reinterpret_cast<const unsigned char*>(jpeg.data());
  EXPECT_EQ(tjDecompressHeader3(tj, data, jpeg.size(), &d.width, &d.height, &sub, &cs), 0);
  d.rgb.resize(static_cast<std::size_t>(d.width) * d.height * 3);
  EXPECT_EQ(tjDecompress2(tj, data, jpeg.size(), d.rgb.data(), d.width, 0, d.height, TJPF_RGB, 0), 0);
  tjDestroy(tj);
  return d;
}

void write_to_string(png_structp png, png_bytep data, std::size_t n) {
  static_cast<std::string*>(png_get_io_ptr(png))->append(reinterpret_cast<char*>(data), n);
}
void no_flush(png_structp) {}

// RGBA, optionally interlaced (Adam7), through libpng's writer.
std::string png_of(int w, int h, std::uint8_t alpha, bool interlaced) {
  std::string out;
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
  png_infop info = png_create_info_struct(png);
  png_set_write_fn(png, &out, write_to_string, no_flush);
  png_set_IHDR(png, info, w, h, 8, PNG_COLOR_TYPE_RGB_ALPHA,
               interlaced ? PNG_INTERLACE_ADAM7 : PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
               PNG_FILTER_TYPE_DEFAULT);
  auto px = halves(w, h, 4, alpha);
  std::vector<png_bytep> rows(h);
  for (int y = 0; y < h; ++y) rows[y] = &px[static_cast<std::size_t>(y) * w * 4];
  png_set_rows(png, info, rows.data());
  png_write_png(png, info, PNG_TRANSFORM_IDENTITY, nullptr);
  png_destroy_write_struct(&png, &info);
  return out;
}

std::string webp_of(int w, int h) {
  auto px = halves(w, h, 3);
  std::uint8_t* buf = nullptr;
  std::size_t size = WebPEncodeRGB(px.data(), w, h, w * 3, 80, &buf);
  std::string out(reinterpret_cast<char*>(buf), size);
  WebPFree(buf);
  return out;
}

std::string code_of(const std::function<void()>& f) { return test::error_code_of(f); }

bool reddish(const std::uint8_t* p) { return p[0] > 150 && p[2] < 90; }
bool bluish(const std::uint8_t* p) { return p[2] > 150 && p[0] < 90; }

TEST(Pixels, AJpegIsShrunkToTheThumbnailAndStaysAPicture) {
  auto img = clean_photo(jpeg_of(1200, 800), 8 << 20);
  auto t = make_thumbnail(img);
  EXPECT_EQ(t.width, 480);
  EXPECT_EQ(t.height, 320);
  auto d = decode_jpeg(t.jpeg);
  ASSERT_EQ(d.width, 480);
  EXPECT_TRUE(reddish(d.at(60, 160)));
  EXPECT_TRUE(bluish(d.at(420, 160)));
  // A small picture keeps its size.
  auto small = make_thumbnail(clean_photo(jpeg_of(64, 48), 8 << 20));
  EXPECT_EQ(small.width, 64);
  EXPECT_EQ(small.height, 48);
}

TEST(Pixels, APortraitPhoneJpegIsTurnedUpright) {
  auto img = clean_photo(jpeg_of(1200, 800), 8 << 20);
  img.orientation = 6;  // the camera was turned: shown rotated 90° clockwise
  auto d = decode_jpeg(make_thumbnail(img).jpeg);
  ASSERT_EQ(d.width, 320);
  ASSERT_EQ(d.height, 480);
  EXPECT_TRUE(reddish(d.at(160, 60)));   // the left half is now on top
  EXPECT_TRUE(bluish(d.at(160, 420)));
  img.orientation = 8;
  auto e = decode_jpeg(make_thumbnail(img).jpeg);
  EXPECT_TRUE(bluish(e.at(160, 60)));
  EXPECT_TRUE(reddish(e.at(160, 420)));
}

TEST(Pixels, PngsPlainAndInterlacedAreReadAndTransparencyIsLaidOnWhite) {
  for (bool interlaced : {false, true}) {
    auto t = make_thumbnail(clean_photo(png_of(960, 300, 255, interlaced), 8 << 20));
    EXPECT_EQ(t.width, 480) << interlaced;
    EXPECT_EQ(t.height, 150) << interlaced;
    auto d = decode_jpeg(t.jpeg);
    EXPECT_TRUE(reddish(d.at(100, 75))) << interlaced;
    EXPECT_TRUE(bluish(d.at(380, 75))) << interlaced;
  }
  auto clear = decode_jpeg(make_thumbnail(clean_photo(png_of(40, 40, 0, false), 8 << 20)).jpeg);
  const auto* p = clear.at(10, 20);
  EXPECT_GT(p[0], 240);
  EXPECT_GT(p[1], 240);
  EXPECT_GT(p[2], 240);
}

TEST(Pixels, AWebpIsDecodedAtTheThumbnailsSize) {
  auto t = make_thumbnail(clean_photo(webp_of(600, 400), 8 << 20));
  EXPECT_EQ(t.width, 480);
  EXPECT_EQ(t.height, 320);
  auto d = decode_jpeg(t.jpeg);
  EXPECT_TRUE(reddish(d.at(60, 160)));
  EXPECT_TRUE(bluish(d.at(420, 160)));
}

TEST(Pixels, PixelDataThatCannotBeDecodedIsRefused) {
  // JPEG: the structure is sound (markers, lengths, EOI), the coded data is not.
  std::string jpeg = jpeg_of(640, 480);
  std::size_t sos = jpeg.find("\xFF\xDA");
  ASSERT_NE(sos, std::string::npos);
  for (std::size_t i = sos + 20; i < jpeg.size() - 4; i += 2) jpeg[i] = '\x00';
  auto broken = clean_photo(jpeg, 8 << 20);
  EXPECT_EQ(code_of([&] { make_thumbnail(broken); }), "photo.corrupt");
  // PNG: image data cut short inside a sound stream of chunks.
  CleanImage png = clean_photo(png_of(200, 200, 255, false), 8 << 20);
  std::size_t idat = png.bytes.find("IDAT");
  ASSERT_NE(idat, std::string::npos);
  for (std::size_t i = idat + 20; i < idat + 60; ++i) png.bytes[i] = '\x55';
  EXPECT_EQ(code_of([&] { make_thumbnail(png); }), "photo.corrupt");
  // WebP: the coded picture overwritten.
  CleanImage webp = clean_photo(webp_of(300, 200), 8 << 20);
  for (std::size_t i = 40; i < webp.bytes.size(); ++i) webp.bytes[i] = '\x11';
  EXPECT_EQ(code_of([&] { make_thumbnail(webp); }), "photo.corrupt");
}

}  // namespace
}  // namespace xh::workorders
