#include "workorders/pixels.h"

#include <png.h>
#include <turbojpeg.h>
#include <webp/decode.h>

#include <csetjmp>
#include <cstdint>
#include <cstring>
#include <memory>
#include <vector>

#include "core/error.h"

namespace xh::workorders {
namespace {

[[noreturn]] void corrupt() { throw unprocessable("photo.corrupt"); }

// Interlaced PNG is decoded whole (its passes fill rows in turn).
constexpr std::uint64_t kMaxInterlacedPixels = 16000000;

struct Size {
  int width, height;
};

// The thumbnail's size: the picture's, or scaled down so its longer side is
// `max_side`.
Size fit(int width, int height, int max_side) {
  int longer = std::max(width, height);
  if (longer <= max_side) return {width, height};
  auto scale = [&](int v) {
    return std::max(1, static_cast<int>((static_cast<std::int64_t>(v) * max_side + longer / 2) / longer));
  };
  return {scale(width), scale(height)};
}

// Shrinks a picture fed row by row to the thumbnail's size by averaging the
// source pixels that fall in each thumbnail pixel (a box filter); memory is
// the thumbnail's, whatever the picture's size. Rows are RGB or RGBA; alpha
// is laid on white.
class Shrinker {
 public:
  Shrinker(Size from, Size to)
      : from_(from), to_(to), sums_(static_cast<std::size_t>(to.width) * to.height * 4, 0) {}

  void add_row(int y, const std::uint8_t* row, int channels) {
    std::size_t ty = static_cast<std::size_t>(static_cast<std::int64_t>(y) * to_.height / from_.height);
    std::uint64_t* line = &sums_[ty * to_.width * 4];
    for (int x = 0; x < from_.width; ++x) {
      const std::uint8_t* px = row + static_cast<std::size_t>(x) * channels;
      std::uint32_t a = channels == 4 ? px[3] : 255;
      std::uint64_t* cell = line + static_cast<std::size_t>(static_cast<std::int64_t>(x) * to_.width / from_.width) * 4;
      for (int c = 0; c < 3; ++c) cell[c] += (px[c] * a + 255 * (255 - a) + 127) / 255;
      cell[3] += 1;
    }
  }

  std::vector<std::uint8_t> rgb() const {
    std::vector<std::uint8_t> out(static_cast<std::size_t>(to_.width) * to_.height * 3, 255);
    for (std::size_t i = 0, n = static_cast<std::size_t>(to_.width) * to_.height; i < n; ++i) {
      std::uint64_t count = sums_[i * 4 + 3];
      if (count == 0) continue;
      for (int c = 0; c < 3; ++c)
        out[i * 3 + c] = static_cast<std::uint8_t>((sums_[i * 4 + c] + count / 2) / count);
    }
    return out;
  }

 private:
  Size from_, to_;
  std::vector<std::uint64_t> sums_;  // R, G, B sums and the count, per thumbnail pixel
};

struct Pixels {
  Size size;
  std::vector<std::uint8_t> rgb;
};

// ---- JPEG: libjpeg-turbo, decoded at the smallest of its scales (1/8 … 1)
// that is still at least the thumbnail's size.

struct TjHandle {
  tjhandle h;
  explicit TjHandle(tjhandle handle) : h(handle) {
    if (!h) throw std::runtime_error("libjpeg-turbo: cannot start");
  }
  ~TjHandle() { tjDestroy(h); }
  TjHandle(const TjHandle&) = delete;
  TjHandle& operator=(const TjHandle&) = delete;
};

Pixels decode_jpeg(std::string_view bytes, int max_side) {
  TjHandle tj(tjInitDecompress());
  auto* data = reinterpret_cast<const unsigned char*>(bytes.data());
  auto size = static_cast<unsigned long>(bytes.size());
  int width = 0, height = 0, subsampling = 0, colorspace = 0;
  if (tjDecompressHeader3(tj.h, data, size, &width, &height, &subsampling, &colorspace) != 0) corrupt();
  int count = 0;
  tjscalingfactor* factors = tjGetScalingFactors(&count);
  tjscalingfactor best{1, 1};
  Size target = fit(width, height, max_side);
  int best_side = std::max(width, height);
  for (int i = 0; factors && i < count; ++i) {
    if (factors[i].num > factors[i].denom) continue;  // never enlarge
    int w = TJSCALED(width, factors[i]), h = TJSCALED(height, factors[i]);
    if (w < target.width || h < target.height) continue;
    if (std::max(w, h) < best_side) {
      best = factors[i];
      best_side = std::max(w, h);
    }
  }
  Size scaled{TJSCALED(width, best), TJSCALED(height, best)};
  Pixels out{scaled, std::vector<std::uint8_t>(static_cast<std::size_t>(scaled.width) * scaled.height * 3)};
  // libjpeg reports damaged coded data (a bad Huffman code, data that ends
  // early) as a warning and paints grey blocks; a report photo with them is
  // refused like any other damaged picture.
  if (tjDecompress2(tj.h, data, size, out.rgb.data(), scaled.width, 0, scaled.height, TJPF_RGB,
                    TJFLAG_STOPONWARNING) != 0)
    corrupt();
  return out;
}

// ---- PNG: libpng, row by row into the shrinker (interlaced: whole).

struct PngSource {
  const std::uint8_t* data;
  std::size_t size, pos;
  std::unique_ptr<Shrinker> shrinker;
  std::vector<std::uint8_t> rows;  // one row, or the whole picture when interlaced
  Size size_px{0, 0};
  bool too_many_pixels = false;
};

void png_read(png_structp png, png_bytep out, std::size_t n) {
  auto* src = static_cast<PngSource*>(png_get_io_ptr(png));
  if (n > src->size - src->pos) png_error(png, "truncated");
  std::memcpy(out, src->data + src->pos, n);
  src->pos += n;
}
void png_fail(png_structp png, png_const_charp) { std::longjmp(png_jmpbuf(png), 1); }
void png_warn(png_structp, png_const_charp) {}

// Reads the picture into src->shrinker; false when libpng refuses the data.
// Only plain data lives in this frame across setjmp; what changes after it is
// on the heap behind `src`.
bool read_png(PngSource* src, int max_side) {
  png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, nullptr, png_fail, png_warn);
  if (!png) throw std::runtime_error("libpng: cannot start");
  png_infop info = png_create_info_struct(png);
  if (!info) {
    png_destroy_read_struct(&png, nullptr, nullptr);
    throw std::runtime_error("libpng: cannot start");
  }
  if (setjmp(png_jmpbuf(png))) {
    png_destroy_read_struct(&png, &info, nullptr);
    return false;
  }
  png_set_read_fn(png, src, png_read);
  png_read_info(png, info);
  int width = static_cast<int>(png_get_image_width(png, info));
  int height = static_cast<int>(png_get_image_height(png, info));
  png_set_expand(png);  // palette → RGB, low bit depths → 8, tRNS → alpha
  png_set_strip_16(png);
  png_set_gray_to_rgb(png);
  png_set_add_alpha(png, 0xFF, PNG_FILLER_AFTER);  // RGBA throughout
  int passes = png_set_interlace_handling(png);
  png_read_update_info(png, info);
  src->size_px = {width, height};
  src->shrinker = std::make_unique<Shrinker>(src->size_px, fit(width, height, max_side));
  std::size_t row_bytes = static_cast<std::size_t>(width) * 4;
  if (passes > 1) {
    if (static_cast<std::uint64_t>(width) * height > kMaxInterlacedPixels) {
      src->too_many_pixels = true;
      png_destroy_read_struct(&png, &info, nullptr);
      return true;
    }
    src->rows.assign(row_bytes * height, 0);
    for (int pass = 0; pass < passes; ++pass)
      for (int y = 0; y < height; ++y) png_read_row(png, src->rows.data() + row_bytes * y, nullptr);
    for (int y = 0; y < height; ++y) src->shrinker->add_row(y, src->rows.data() + row_bytes * y, 4);
  } else {
    src->rows.assign(row_bytes, 0);
    for (int y = 0; y < height; ++y) {
      png_read_row(png, src->rows.data(), nullptr);
      src->shrinker->add_row(y, src->rows.data(), 4);
    }
  }
  png_read_end(png, nullptr);  // the rest of the data, checksums included
  png_destroy_read_struct(&png, &info, nullptr);
  return true;
}

Pixels decode_png(std::string_view bytes, int max_side) {
  auto src = std::make_unique<PngSource>();
  src->data = reinterpret_cast<const std::uint8_t*>(bytes.data());
  src->size = bytes.size();
  src->pos = 0;
  if (!read_png(src.get(), max_side)) corrupt();
  if (src->too_many_pixels) throw unprocessable("photo.too_many_pixels");
  Size to = fit(src->size_px.width, src->size_px.height, max_side);
  return {to, src->shrinker->rgb()};
}

// ---- WebP: libwebp, scaled to the thumbnail while it decodes.

Pixels decode_webp(std::string_view bytes, int max_side) {
  auto* data = reinterpret_cast<const std::uint8_t*>(bytes.data());
  WebPDecoderConfig config;
  if (!WebPInitDecoderConfig(&config)) throw std::runtime_error("libwebp: version mismatch");
  if (WebPGetFeatures(data, bytes.size(), &config.input) != VP8_STATUS_OK) corrupt();
  if (config.input.has_animation) throw unprocessable("photo.bad_type");
  Size to = fit(config.input.width, config.input.height, max_side);
  config.options.use_scaling = 1;
  config.options.scaled_width = to.width;
  config.options.scaled_height = to.height;
  config.output.colorspace = MODE_RGBA;
  VP8StatusCode status = WebPDecode(data, bytes.size(), &config);
  if (status != VP8_STATUS_OK) {
    WebPFreeDecBuffer(&config.output);
    corrupt();
  }
  Shrinker same(to, to);  // lays alpha on white
  const auto& out = config.output.u.RGBA;
  for (int y = 0; y < to.height; ++y) same.add_row(y, out.rgba + static_cast<std::size_t>(out.stride) * y, 4);
  WebPFreeDecBuffer(&config.output);
  return {to, same.rgb()};
}

// Turns pixels upright by an Exif orientation (1–8): which source pixel
// shows at each place of the upright picture.
Pixels upright(Pixels in, int orientation) {
  if (orientation < 2 || orientation > 8) return in;
  int w = in.size.width, h = in.size.height;
  bool swap = orientation >= 5;
  Size out_size = swap ? Size{h, w} : Size{w, h};
  Pixels out{out_size, std::vector<std::uint8_t>(in.rgb.size())};
  for (int oy = 0; oy < out_size.height; ++oy) {
    for (int ox = 0; ox < out_size.width; ++ox) {
      int sx = 0, sy = 0;
      switch (orientation) {
        case 2: sx = w - 1 - ox; sy = oy; break;
        case 3: sx = w - 1 - ox; sy = h - 1 - oy; break;
        case 4: sx = ox; sy = h - 1 - oy; break;
        case 5: sx = oy; sy = ox; break;
        case 6: sx = oy; sy = h - 1 - ox; break;
        case 7: sx = w - 1 - oy; sy = h - 1 - ox; break;
        case 8: sx = w - 1 - oy; sy = ox; break;
      }
      std::memcpy(&out.rgb[(static_cast<std::size_t>(oy) * out_size.width + ox) * 3],
                  &in.rgb[(static_cast<std::size_t>(sy) * w + sx) * 3], 3);
    }
  }
  return out;
}

std::string encode_jpeg(const Pixels& p) {
  TjHandle tj(tjInitCompress());
  unsigned char* buf = nullptr;
  unsigned long size = 0;
  if (tjCompress2(tj.h, p.rgb.data(), p.size.width, 0, p.size.height, TJPF_RGB, &buf, &size, TJSAMP_420,
                  80, 0) != 0) {
    tjFree(buf);
    throw std::runtime_error(std::string("libjpeg-turbo: ") + tjGetErrorStr2(tj.h));
  }
  std::string out(reinterpret_cast<const char*>(buf), size);
  tjFree(buf);
  return out;
}

}  // namespace

Thumbnail make_thumbnail(const CleanImage& img, int max_side) {
  Pixels p;
  switch (img.type) {
    case ImageType::jpeg: {
      p = decode_jpeg(img.bytes, max_side);
      Size to = fit(p.size.width, p.size.height, max_side);
      if (to.width != p.size.width || to.height != p.size.height) {
        Shrinker s(p.size, to);
        for (int y = 0; y < p.size.height; ++y)
          s.add_row(y, p.rgb.data() + static_cast<std::size_t>(p.size.width) * 3 * y, 3);
        p = {to, s.rgb()};
      }
      break;
    }
    case ImageType::png: p = decode_png(img.bytes, max_side); break;
    case ImageType::webp: p = decode_webp(img.bytes, max_side); break;
  }
  p = upright(std::move(p), img.orientation);
  return {encode_jpeg(p), p.size.width, p.size.height};
}

}  // namespace xh::workorders
