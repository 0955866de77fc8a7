#include "support/images.h"

#include <turbojpeg.h>

#include <cstdint>
#include <initializer_list>
#include <vector>

namespace xh::test {
namespace {

using namespace std::string_literals;
using namespace std::string_view_literals;

constexpr std::uint16_t kOrientationTag = 0x0112, kGpsInfoTag = 0x8825;
constexpr std::uint16_t kAscii = 2, kShort = 3, kLong = 4, kRational = 5;

void append_be16(std::string& out, std::uint32_t v) {
  out += static_cast<char>(v >> 8 & 0xFF);
  out += static_cast<char>(v & 0xFF);
}
void append_be32(std::string& out, std::uint32_t v) {
  append_be16(out, v >> 16);
  append_be16(out, v & 0xFFFF);
}
void append_le32(std::string& out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) out += static_cast<char>(v >> (8 * i) & 0xFF);
}
std::string bytes(std::initializer_list<int> list) {
  std::string out;
  for (int b : list) out += static_cast<char>(b);
  return out;
}

// A TIFF structure in either byte order, written front to back.
class TiffWriter {
 public:
  explicit TiffWriter(ByteOrder order) : little_(order == ByteOrder::little_endian) {
    out_ = little_ ? "II*\0"s : "MM\0*"s;
    u32(8);  // IFD0 follows the header
  }
  void u16(std::uint32_t v) {
    std::uint8_t hi = v >> 8 & 0xFF, lo = v & 0xFF;
    out_ += static_cast<char>(little_ ? lo : hi);
    out_ += static_cast<char>(little_ ? hi : lo);
  }
  void u32(std::uint32_t v) {
    if (little_) {
      u16(v & 0xFFFF);
      u16(v >> 16);
    } else {
      u16(v >> 16);
      u16(v & 0xFFFF);
    }
  }
  // An IFD entry whose value is a SHORT stored in the entry itself.
  void short_entry(std::uint16_t tag, std::uint16_t value) {
    entry_head(tag, kShort, 1);
    u16(value);
    u16(0);
  }
  // An IFD entry whose value is a one-letter ASCII string ("N\0") stored in the entry itself.
  void letter_entry(std::uint16_t tag, char letter) {
    entry_head(tag, kAscii, 2);
    out_ += letter;
    out_.append(3, '\0');
  }
  // An IFD entry whose value (or, for larger values, offset) is the 4 bytes given.
  void entry(std::uint16_t tag, std::uint16_t type, std::uint32_t count, std::uint32_t value) {
    entry_head(tag, type, count);
    u32(value);
  }
  const std::string& str() const { return out_; }

 private:
  void entry_head(std::uint16_t tag, std::uint16_t type, std::uint32_t count) {
    u16(tag);
    u16(type);
    u32(count);
  }
  bool little_;
  std::string out_;
};

// The Exif a phone writes: IFD0 with Orientation = 6 and a GPSInfo pointer; the GPS IFD with
// latitude 36°40'12"N and longitude 117°0'0"E as degree/minute/second rationals.
std::string exif_with_gps(ByteOrder order) {
  TiffWriter t(order);
  constexpr std::uint32_t kIfd0Size = 2 + 2 * 12 + 4, kGpsIfdSize = 2 + 4 * 12 + 4;
  constexpr std::uint32_t kGpsIfd = 8 + kIfd0Size, kLatitude = kGpsIfd + kGpsIfdSize,
                          kLongitude = kLatitude + 24;
  t.u16(2);
  t.short_entry(kOrientationTag, 6);
  t.entry(kGpsInfoTag, kLong, 1, kGpsIfd);
  t.u32(0);  // no next IFD
  t.u16(4);
  t.letter_entry(0x0001, 'N');  // GPSLatitudeRef
  t.entry(0x0002, kRational, 3, kLatitude);
  t.letter_entry(0x0003, 'E');  // GPSLongitudeRef
  t.entry(0x0004, kRational, 3, kLongitude);
  t.u32(0);
  for (std::uint32_t v : {36, 1, 40, 1, 12, 1, 117, 1, 0, 1, 0, 1}) t.u32(v);
  return t.str();
}

constexpr std::string_view kXmpWithGps =
    "<?xpacket begin=\"\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>"
    "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF "
    "xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">"
    "<rdf:Description xmlns:exif=\"http://ns.adobe.com/exif/1.0/\" "
    "exif:GPSLatitude=\"36,40.2N\" exif:GPSLongitude=\"117,0.0E\"/>"
    "</rdf:RDF></x:xmpmeta><?xpacket end=\"w\"?>";

// ---- JPEG

std::string jpeg_segment(std::uint8_t marker, std::string_view payload) {
  std::string out = bytes({0xFF, marker});
  append_be16(out, static_cast<std::uint32_t>(payload.size() + 2));
  out += payload;
  return out;
}

std::string jfif_segment() {
  // Version 1.2, no units, 1:1 pixel aspect, no thumbnail.
  return jpeg_segment(0xE0, "JFIF\0"s + bytes({1, 2, 0, 0, 1, 0, 1, 0, 0}));
}

// One 8×8 grey block: every quantiser 1; Huffman tables with a single 1-bit code each (DC
// difference 0, AC end-of-block), so the scan is the bits 00 padded with ones.
std::string jpeg_picture() {
  std::string out = jpeg_segment(0xDB, "\0"s + std::string(64, '\x01'));  // DQT
  out += jpeg_segment(0xC0, bytes({8, 0, 1, 0, 1, 1, 1, 0x11, 0}));       // SOF0 1×1, 1 component
  std::string one_code = bytes({1}) + std::string(15, '\0') + bytes({0});
  out += jpeg_segment(0xC4, "\x00"s + one_code + "\x10"s + one_code);  // DHT DC 0, AC 0
  out += jpeg_segment(0xDA, bytes({1, 1, 0x00, 0, 63, 0}));            // SOS
  out += bytes({0x3F, 0xFF, 0xD9});                                    // scan, EOI
  return out;
}

// ---- PNG

std::uint32_t crc32(std::string_view s) {
  std::uint32_t c = 0xFFFFFFFF;
  for (char ch : s) {
    c ^= static_cast<std::uint8_t>(ch);
    for (int k = 0; k < 8; ++k) c = (c >> 1) ^ (0xEDB88320 & (0 - (c & 1)));
  }
  return ~c;
}

std::uint32_t adler32(std::string_view s) {
  std::uint32_t a = 1, b = 0;
  for (char ch : s) {
    a = (a + static_cast<std::uint8_t>(ch)) % 65521;
    b = (b + a) % 65521;
  }
  return b << 16 | a;
}

std::string png_chunk(std::string_view type, std::string_view data) {
  std::string out;
  append_be32(out, static_cast<std::uint32_t>(data.size()));
  std::string body = std::string(type) + std::string(data);
  out += body;
  append_be32(out, crc32(body));
  return out;
}

std::string png_head() {
  std::string ihdr;
  append_be32(ihdr, 1);            // width
  append_be32(ihdr, 1);            // height
  ihdr += bytes({8, 0, 0, 0, 0});  // 8-bit grey, deflate, standard filters, not interlaced
  return "\x89PNG\r\n\x1A\n"s + png_chunk("IHDR", ihdr);
}

std::string png_pixels() {
  std::string row = bytes({0, 0x80});  // filter "none", one grey pixel
  std::string zlib = bytes({0x78, 0x01, 0x01, 0x02, 0x00, 0xFD, 0xFF});  // one stored block
  zlib += row;
  append_be32(zlib, adler32(row));
  return png_chunk("IDAT", zlib) + png_chunk("IEND", "");
}

// ---- WebP

std::string webp_chunk(std::string_view fourcc, std::string_view data) {
  std::string out(fourcc);
  append_le32(out, static_cast<std::uint32_t>(data.size()));
  out += data;
  if (data.size() % 2) out += '\0';
  return out;
}

std::string riff_webp(std::string_view chunks) {
  std::string out = "RIFF";
  append_le32(out, static_cast<std::uint32_t>(4 + chunks.size()));
  return out + "WEBP" + std::string(chunks);
}

// A lossless 1×1 bitstream: header, then no transform, no colour cache, no meta prefix codes and
// five "simple" prefix codes of one symbol each (green, red, blue, alpha, distance), so the one
// pixel (0x80 grey, opaque) takes no bits.
std::string vp8l_pixel() {
  std::string out = bytes({0x2F});
  int used = 8;  // bits used in the last byte, which fills from its least significant bit
  auto put = [&](std::uint32_t value, int count) {
    for (int i = 0; i < count; ++i, ++used) {
      if (used == 8) out += '\0', used = 0;
      out.back() = static_cast<char>(out.back() | (value >> i & 1) << used);
    }
  };
  put(0, 14);                                                  // width - 1
  put(0, 14);                                                  // height - 1
  put(0, 1);                                                   // alpha unused
  put(0, 3);                                                   // version
  put(0, 1);                                                   // no transform
  put(0, 1);                                                   // no colour cache
  put(0, 1);                                                   // no meta prefix codes
  for (std::uint32_t symbol : {0x80u, 0x80u, 0x80u, 0xFFu}) {  // green, red, blue, alpha
    put(1, 1);                                                 // simple code
    put(0, 1);                                                 // of one symbol
    put(1, 1);                                                 // written in 8 bits
    put(symbol, 8);
  }
  put(1, 1), put(0, 1), put(0, 1), put(0, 1);  // distance: symbol 0 in 1 bit
  return out;
}

// The value of `tag` in IFD0 of the TIFF structure at the start of `tiff`, if it is there.
std::optional<std::uint32_t> ifd0_value(std::string_view tiff, std::uint16_t tag) {
  if (tiff.size() < 8) return std::nullopt;
  bool little = tiff[0] == 'I';
  auto u16 = [&](std::size_t at) -> std::uint32_t {
    std::uint32_t a = static_cast<std::uint8_t>(tiff[at]),
                  b = static_cast<std::uint8_t>(tiff[at + 1]);
    return little ? b << 8 | a : a << 8 | b;
  };
  auto u32 = [&](std::size_t at) {
    return little ? u16(at + 2) << 16 | u16(at) : u16(at) << 16 | u16(at + 2);
  };
  std::size_t ifd = u32(4);
  if (ifd > tiff.size() - 2) return std::nullopt;
  for (std::size_t i = 0, count = u16(ifd); i < count; ++i) {
    std::size_t entry = ifd + 2 + 12 * i;
    if (entry + 12 > tiff.size()) break;
    if (u16(entry) == tag) return u16(entry + 2) == kShort ? u16(entry + 8) : u32(entry + 8);
  }
  return std::nullopt;
}

// The value of `tag` in the first TIFF structure in `image` (found by its header) that has it.
std::optional<std::uint32_t> find_ifd0_value(std::string_view image, std::uint16_t tag) {
  for (std::string_view header : {"II*\0"sv, "MM\0*"sv}) {
    for (std::size_t at = image.find(header); at != image.npos; at = image.find(header, at + 1)) {
      if (auto value = ifd0_value(image.substr(at), tag)) return value;
    }
  }
  return std::nullopt;
}

}  // namespace

std::string jpeg_with_gps(ByteOrder order) {
  std::string out = bytes({0xFF, 0xD8}) + jfif_segment();
  out += jpeg_segment(0xE1, "Exif\0\0"s + exif_with_gps(order));
  out += jpeg_segment(0xE1, "http://ns.adobe.com/xap/1.0/\0"s + std::string(kXmpWithGps));
  out += jpeg_segment(0xFE, "Taken by Zhang San at home");
  return out + jpeg_picture();
}

std::string plain_jpeg() { return bytes({0xFF, 0xD8}) + jfif_segment() + jpeg_picture(); }

std::string png_with_exif() {
  std::string out = png_head();
  out += png_chunk("eXIf", exif_with_gps(ByteOrder::big_endian));
  out += png_chunk("tEXt", "Comment\0Taken by Zhang San at home"s);
  out += png_chunk("tIME", bytes({0x07, 0xE8, 5, 1, 8, 30, 0}));
  return out + png_pixels();
}

std::string plain_png() { return png_head() + png_pixels(); }

std::string webp_with_exif() {
  std::string vp8x = bytes({0x08 | 0x04, 0, 0, 0, 0, 0, 0, 0, 0, 0});  // EXIF|XMP, 1×1 canvas
  return riff_webp(webp_chunk("VP8X", vp8x) + webp_chunk("VP8L", vp8l_pixel()) +
                   webp_chunk("EXIF", exif_with_gps(ByteOrder::little_endian)) +
                   webp_chunk("XMP ", kXmpWithGps));
}

std::string plain_webp() { return riff_webp(webp_chunk("VP8L", vp8l_pixel())); }

bool has_gps_tag(std::string_view image) {
  return image.find("GPSLatitude") != image.npos || find_ifd0_value(image, kGpsInfoTag);
}

std::optional<int> exif_orientation(std::string_view image) {
  if (auto value = find_ifd0_value(image, kOrientationTag)) return static_cast<int>(*value);
  return std::nullopt;
}

std::string halves_jpeg(int width, int height) {
  std::vector<unsigned char> px(static_cast<std::size_t>(width) * height * 3);
  for (int y = 0; y < height; ++y)
    for (int x = 0; x < width; ++x) {
      unsigned char* p = &px[(static_cast<std::size_t>(y) * width + x) * 3];
      p[0] = x < width / 2 ? 220 : 20;
      p[1] = 20;
      p[2] = x < width / 2 ? 20 : 220;
    }
  tjhandle tj = tjInitCompress();
  unsigned char* buf = nullptr;
  unsigned long size = 0;
  std::string out;
  if (tjCompress2(tj, px.data(), width, 0, height, TJPF_RGB, &buf, &size, TJSAMP_420, 90, 0) == 0)
    out.assign(reinterpret_cast<char*>(buf), size);
  tjFree(buf);
  tjDestroy(tj);
  return out;
}

std::pair<int, int> jpeg_size(std::string_view jpeg) {
  tjhandle tj = tjInitDecompress();
  int w = 0, h = 0, sub = 0, cs = 0;
  if (tjDecompressHeader3(tj, reinterpret_cast<const unsigned char*>(jpeg.data()), jpeg.size(), &w, &h,
                          &sub, &cs) != 0)
    w = h = 0;
  tjDestroy(tj);
  return {w, h};
}

}  // namespace xh::test
