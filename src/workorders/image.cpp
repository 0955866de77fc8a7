#include "workorders/image.h"

#include <array>
#include <cstdint>
#include <optional>

#include "core/error.h"

namespace xh::workorders {
namespace {

using namespace std::string_view_literals;

[[noreturn]] void corrupt() { throw unprocessable("photo.corrupt"); }

// The largest picture accepted, whatever its file size: a small file can
// declare a picture that takes gigabytes to decode (in a staff member's
// browser, or later in a thumbnailer).
constexpr std::uint64_t kMaxSide = 12000, kMaxPixels = 50000000;

void check_size(std::uint64_t width, std::uint64_t height) {
  if (width == 0 || height == 0) corrupt();
  if (width > kMaxSide || height > kMaxSide || width * height > kMaxPixels)
    throw unprocessable("photo.too_many_pixels");
}

// Byte access; callers check bounds first.
std::uint8_t byte_at(std::string_view s, std::size_t at) {
  return static_cast<std::uint8_t>(s[at]);
}
std::uint16_t be16(std::string_view s, std::size_t at) {
  return static_cast<std::uint16_t>(byte_at(s, at) << 8 | byte_at(s, at + 1));
}
std::uint16_t le16(std::string_view s, std::size_t at) {
  return static_cast<std::uint16_t>(byte_at(s, at + 1) << 8 | byte_at(s, at));
}
std::uint32_t be32(std::string_view s, std::size_t at) {
  return std::uint32_t{be16(s, at)} << 16 | be16(s, at + 2);
}
std::uint32_t le32(std::string_view s, std::size_t at) {
  return std::uint32_t{le16(s, at + 2)} << 16 | le16(s, at);
}
void append_be16(std::string& out, std::uint16_t v) {
  out += static_cast<char>(v >> 8);
  out += static_cast<char>(v & 0xFF);
}
void append_be32(std::string& out, std::uint32_t v) {
  append_be16(out, static_cast<std::uint16_t>(v >> 16));
  append_be16(out, static_cast<std::uint16_t>(v & 0xFFFF));
}

// ---- JPEG: marker segments (FF xx, big-endian length including itself) up to the first SOS, then
// entropy-coded data in which FF is followed by 00 (stuffing), a restart marker or further segments
// (progressive scans), until EOI.

constexpr std::uint8_t kSos = 0xDA, kEoi = 0xD9, kApp0 = 0xE0, kApp1 = 0xE1, kCom = 0xFE;
constexpr std::uint16_t kOrientationTag = 0x0112, kShortType = 3;

bool is_standalone_marker(std::uint8_t m) { return m == 0x01 || (m >= 0xD0 && m <= 0xD7); }

// Markers of segments with a length: frame headers and tables (SOFn, DHT, DAC, DQT, DNL, DRI, DHP,
// EXP), application segments and comments. Others are reserved; decoders refuse them, and so do we
// rather than pass on segments we cannot judge.
bool is_segment_marker(std::uint8_t m) {
  return (m >= 0xC0 && m <= 0xCF) || (m >= 0xDA && m <= 0xEF) || m == kCom;
}

// The Orientation (1..8) of IFD0 of an Exif TIFF structure, if it has a valid one. Broken Exif is
// not an error: it is dropped anyway.
std::optional<std::uint16_t> exif_orientation(std::string_view tiff) {
  if (tiff.size() < 8) return std::nullopt;
  bool little;
  if (tiff.starts_with("II*\0"sv)) {
    little = true;
  } else if (tiff.starts_with("MM\0*"sv)) {
    little = false;
  } else {
    return std::nullopt;
  }
  auto u16 = [&](std::size_t at) { return little ? le16(tiff, at) : be16(tiff, at); };
  auto u32 = [&](std::size_t at) { return little ? le32(tiff, at) : be32(tiff, at); };
  std::size_t ifd = u32(4);
  if (ifd > tiff.size() - 2) return std::nullopt;
  for (std::size_t i = 0, count = u16(ifd); i < count; ++i) {
    std::size_t entry = ifd + 2 + 12 * i;
    if (entry + 12 > tiff.size()) break;
    if (u16(entry) == kOrientationTag && u16(entry + 2) == kShortType && u32(entry + 4) == 1) {
      std::uint16_t v = u16(entry + 8);
      if (v >= 1 && v <= 8) return v;
      break;
    }
  }
  return std::nullopt;
}

// An APP1 segment "Exif\0\0" + big-endian TIFF whose IFD0 holds only the Orientation.
std::string orientation_exif_segment(std::uint16_t orientation) {
  std::string tiff("MM\0*", 4);
  append_be32(tiff, 8);  // IFD0 right after the header
  append_be16(tiff, 1);  // one entry
  append_be16(tiff, kOrientationTag);
  append_be16(tiff, kShortType);
  append_be32(tiff, 1);  // count
  append_be16(tiff, orientation);
  append_be16(tiff, 0);  // value padding to 4 bytes
  append_be32(tiff, 0);  // no next IFD (so no thumbnail)
  std::string segment("\xFF\xE1", 2);
  append_be16(segment, static_cast<std::uint16_t>(2 + 6 + tiff.size()));
  segment.append("Exif\0\0"sv);
  return segment + tiff;
}

// Segments kept: everything that codes the picture, and of the application segments only those
// needed to show it right. Exif, XMP, IPTC, MPF (which points at extra images after EOI), maker
// notes and comments are dropped: any of them may say where, when or by whom it was taken.
bool jpeg_segment_kept(std::uint8_t marker, std::string_view payload) {
  if (marker == kCom) return false;
  if (marker < kApp0 || marker > 0xEF) return true;
  switch (marker) {
    case kApp0:
      return true;  // JFIF: pixel density
    case 0xE2:
      return payload.starts_with("ICC_PROFILE\0"sv);  // colour profile
    case 0xEE:
      return payload.starts_with("Adobe"sv);  // colour transform (CMYK/YCCK)
    default:
      return false;
  }
}

// The offset of the next marker at or after `pos` in entropy-coded data, or npos.
std::size_t next_marker(std::string_view s, std::size_t pos) {
  for (pos = s.find('\xFF', pos); pos != s.npos && pos + 1 < s.size();
       pos = s.find('\xFF', pos + 1)) {
    std::uint8_t next = byte_at(s, pos + 1);
    if (next != 0x00 && next != 0xFF && !(next >= 0xD0 && next <= 0xD7)) return pos;
  }
  return s.npos;
}

std::string clean_jpeg(std::string_view s, int* orientation_out) {
  std::string out(s.substr(0, 2));   // SOI
  std::size_t exif_at = out.size();  // a fresh Exif goes after SOI and the leading APP0s
  bool leading = true;
  bool in_scan = false;  // after the first SOS
  bool seen_frame = false;
  std::optional<std::uint16_t> orientation;
  std::size_t pos = 2;
  for (;;) {
    if (in_scan) {
      std::size_t at = next_marker(s, pos);
      if (at == s.npos) corrupt();  // no EOI
      out += s.substr(pos, at - pos);
      pos = at;
    }
    std::size_t start = pos;
    if (pos >= s.size() || byte_at(s, pos) != 0xFF) corrupt();
    while (pos < s.size() && byte_at(s, pos) == 0xFF) ++pos;  // fill bytes
    if (pos >= s.size()) corrupt();
    std::uint8_t marker = byte_at(s, pos++);
    if (marker == kEoi) {
      if (!in_scan) corrupt();  // no picture
      out += s.substr(start, pos - start);
      break;  // anything after EOI (trailers, appended images or videos) is dropped
    }
    if (is_standalone_marker(marker)) {
      out += s.substr(start, pos - start);
      leading = false;
      continue;
    }
    if (!is_segment_marker(marker)) corrupt();
    if (s.size() - pos < 2) corrupt();
    std::size_t length = be16(s, pos);
    if (length < 2 || length > s.size() - pos) corrupt();
    std::string_view payload = s.substr(pos + 2, length - 2);
    pos += length;
    // A frame header (SOF0…SOF15, but DHT, JPG and DAC share the range):
    // sample precision, a real size, one to four components.
    if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC) {
      if (payload.size() < 6 || seen_frame) corrupt();
      std::uint8_t precision = byte_at(payload, 0), components = byte_at(payload, 5);
      if ((precision != 8 && precision != 12 && precision != 16) || components < 1 || components > 4)
        corrupt();
      check_size(be16(payload, 3), be16(payload, 1));
      seen_frame = true;
    }
    if (marker == kSos && !seen_frame) corrupt();  // a scan of no frame
    if (marker == kApp1 && payload.starts_with("Exif\0\0"sv) && !orientation) {
      orientation = exif_orientation(payload.substr(6));
    }
    if (jpeg_segment_kept(marker, payload)) {
      out += s.substr(start, pos - start);
      if (leading && marker == kApp0) {
        exif_at = out.size();
      } else {
        leading = false;
      }
    }
    if (marker == kSos) in_scan = true;
  }
  if (orientation) {
    out.insert(exif_at, orientation_exif_segment(*orientation));
    *orientation_out = *orientation;
  }
  return out;
}

// ---- PNG: signature, then chunks of big-endian length, type, data and CRC-32 of type and data,
// from IHDR to IEND.

constexpr std::array<std::uint32_t, 256> kCrcTable = [] {
  std::array<std::uint32_t, 256> table{};
  for (std::uint32_t n = 0; n < 256; ++n) {
    std::uint32_t c = n;
    for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    table[n] = c;
  }
  return table;
}();

std::uint32_t crc32(std::string_view s) {
  std::uint32_t c = 0xFFFFFFFFu;
  for (char ch : s) c = kCrcTable[(c ^ static_cast<std::uint8_t>(ch)) & 0xFF] ^ (c >> 8);
  return c ^ 0xFFFFFFFFu;
}

// Ancillary chunks that change how the pixels are shown (colour, transparency, pixel size,
// animation). All others, notably eXIf, tEXt, zTXt, iTXt and tIME, are dropped.
constexpr std::string_view kPngKeptAncillary[] = {"tRNS", "cHRM", "gAMA", "iCCP", "sBIT", "sRGB",
                                                  "cICP", "mDCV", "cLLI", "bKGD", "hIST", "pHYs",
                                                  "sPLT", "acTL", "fcTL", "fdAT"};

bool png_chunk_kept(std::string_view type) {
  bool critical = (byte_at(type, 0) & 0x20) == 0;
  if (critical) return true;
  for (std::string_view kept : kPngKeptAncillary) {
    if (type == kept) return true;
  }
  return false;
}

bool is_chunk_type(std::string_view type) {
  for (char c : type) {
    if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))) return false;
  }
  return true;
}

// IHDR: a real size, a bit depth the colour type allows, deflate, the one
// filter method, no or Adam7 interlacing.
void check_png_header(std::string_view ihdr) {
  check_size(be32(ihdr, 0), be32(ihdr, 4));
  std::uint8_t depth = byte_at(ihdr, 8), colour = byte_at(ihdr, 9);
  auto one_of = [&](std::initializer_list<int> allowed) {
    for (int d : allowed)
      if (d == depth) return true;
    return false;
  };
  bool ok = colour == 0   ? one_of({1, 2, 4, 8, 16})
            : colour == 3 ? one_of({1, 2, 4, 8})
            : colour == 2 || colour == 4 || colour == 6 ? one_of({8, 16})
                                                        : false;
  if (!ok || byte_at(ihdr, 10) != 0 || byte_at(ihdr, 11) != 0 || byte_at(ihdr, 12) > 1) corrupt();
}

std::string clean_png(std::string_view s, int*) {
  std::string out(s.substr(0, 8));
  bool seen_idat = false;
  for (std::size_t pos = 8;;) {
    if (s.size() - pos < 12) corrupt();
    std::size_t length = be32(s, pos);
    if (length > 0x7FFFFFFF || length > s.size() - pos - 12) corrupt();
    std::string_view type = s.substr(pos + 4, 4);
    if (!is_chunk_type(type)) corrupt();
    if (crc32(s.substr(pos + 4, 4 + length)) != be32(s, pos + 8 + length)) corrupt();
    bool first = pos == 8;
    if (first != (type == "IHDR") || (first && length != 13)) corrupt();
    if (first) check_png_header(s.substr(pos + 8, 13));
    // The image data is one zlib stream: its first bytes say deflate.
    if (type == "IDAT" && !seen_idat) {
      if (length < 2) corrupt();
      std::uint8_t cmf = byte_at(s, pos + 8), flg = byte_at(s, pos + 9);
      if ((cmf & 0x0F) != 8 || (cmf >> 4) > 7 || (cmf * 256 + flg) % 31 != 0 || (flg & 0x20)) corrupt();
    }
    seen_idat |= type == "IDAT";
    if (png_chunk_kept(type)) out += s.substr(pos, 12 + length);
    pos += 12 + length;
    if (type == "IEND") {
      if (!seen_idat) corrupt();
      return out;  // anything after IEND is dropped
    }
  }
}

// ---- WebP: "RIFF", little-endian size, "WEBP", then chunks of FourCC, little-endian size and data
// padded to an even length.

constexpr std::string_view kWebpKept[] = {"VP8 ", "VP8L", "VP8X", "ALPH", "ANIM", "ANMF", "ICCP"};
constexpr std::uint8_t kVp8xExifFlag = 0x08, kVp8xXmpFlag = 0x04;

bool webp_chunk_kept(std::string_view fourcc) {
  for (std::string_view kept : kWebpKept) {
    if (fourcc == kept) return true;
  }
  return false;  // EXIF, XMP and anything unknown
}

std::string clean_webp(std::string_view s, int*) {
  std::size_t riff_size = le32(s, 4);
  if (riff_size < 4 || riff_size > s.size() - 8) corrupt();
  std::string_view chunks = s.substr(12, riff_size - 4);
  std::string out(s.substr(0, 12));
  bool has_image = false;
  for (std::size_t pos = 0; pos < chunks.size();) {
    if (chunks.size() - pos < 8) corrupt();
    std::string_view fourcc = chunks.substr(pos, 4);
    std::size_t size = le32(chunks, pos + 4);
    std::size_t padded = size + (size & 1);
    if (padded > chunks.size() - pos - 8) corrupt();
    if (pos == 0 && fourcc != "VP8 " && fourcc != "VP8L" && fourcc != "VP8X") corrupt();
    std::string_view data = chunks.substr(pos + 8, size);
    if (fourcc == "VP8X") {
      if (size != 10) corrupt();
      auto le24 = [&](std::size_t at) {
        return static_cast<std::uint64_t>(byte_at(data, at)) | byte_at(data, at + 1) << 8 |
               byte_at(data, at + 2) << 16;
      };
      check_size(le24(4) + 1, le24(7) + 1);
    } else if (fourcc == "VP8 ") {
      // A key frame: its tag, the start code 9d 01 2a, then 14-bit width and height.
      if (size < 10 || byte_at(data, 3) != 0x9D || byte_at(data, 4) != 0x01 || byte_at(data, 5) != 0x2A)
        corrupt();
      check_size(le16(data, 6) & 0x3FFF, le16(data, 8) & 0x3FFF);
      has_image = true;
    } else if (fourcc == "VP8L") {
      if (size < 5 || byte_at(data, 0) != 0x2F) corrupt();
      std::uint32_t bits = le32(data, 1);
      check_size((bits & 0x3FFF) + 1, (bits >> 14 & 0x3FFF) + 1);
      has_image = true;
    } else if (fourcc == "ANMF") {
      has_image = true;  // an animation's frames carry their own image data
    }
    if (webp_chunk_kept(fourcc)) {
      std::size_t at = out.size();
      out += chunks.substr(pos, 8 + padded);
      if (fourcc == "VP8X") {
        if (size != 10) corrupt();
        out[at + 8] = static_cast<char>(byte_at(out, at + 8) & ~(kVp8xExifFlag | kVp8xXmpFlag));
      }
    }
    pos += 8 + padded;
  }
  if (chunks.empty() || !has_image) corrupt();  // a WebP with no picture in it
  std::uint32_t new_size = static_cast<std::uint32_t>(out.size() - 8);
  for (int i = 0; i < 4; ++i) out[4 + i] = static_cast<char>(new_size >> (8 * i) & 0xFF);
  return out;  // anything after the RIFF chunk is dropped
}

// ---- The formats, recognised by their first bytes.

struct Format {
  ImageType type;
  std::string_view mime;
  std::string_view extension;
  bool (*matches)(std::string_view);
  std::string (*clean)(std::string_view, int* orientation);
};

constexpr Format kFormats[] = {
    {ImageType::jpeg, "image/jpeg", "jpg",
     [](std::string_view s) { return s.starts_with("\xFF\xD8\xFF"sv); }, clean_jpeg},
    {ImageType::png, "image/png", "png",
     [](std::string_view s) { return s.starts_with("\x89PNG\r\n\x1A\n"sv); }, clean_png},
    {ImageType::webp, "image/webp", "webp",
     [](std::string_view s) {
       return s.size() >= 12 && s.starts_with("RIFF"sv) && s.substr(8, 4) == "WEBP";
     },
     clean_webp},
};

}  // namespace

CleanImage clean_photo(std::string_view bytes, std::size_t max_bytes) {
  if (bytes.size() > max_bytes) throw Error(413, "photo.too_large");
  for (const Format& f : kFormats) {
    if (f.matches(bytes)) {
      CleanImage img{f.type, std::string(f.mime), std::string(f.extension), {}};
      img.bytes = f.clean(bytes, &img.orientation);
      return img;
    }
  }
  throw unprocessable("photo.bad_type");
}

}  // namespace xh::workorders
