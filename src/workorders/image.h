#pragma once
// Residents' report photos (随手拍): recognises a JPEG, PNG or WebP image by its content and
// returns a copy without the metadata that can tell where, when or by whom it was taken (Exif
// with its GPS block, XMP, IPTC, comments, text chunks, trailers after the image).
//
// Pure functions: no I/O and no shared state, so safe to call from any thread. Here only the
// container structure is walked and checked; pixels.h decodes the pictures themselves.
#include <cstddef>
#include <string>
#include <string_view>

namespace xh::workorders {

enum class ImageType { jpeg, png, webp };

// A photo that passed `clean_photo`.
struct CleanImage {
  ImageType type;
  std::string mime;       // "image/jpeg", "image/png", "image/webp"
  std::string extension;  // "jpg", "png", "webp"
  std::string bytes;      // the image with location and other metadata removed
  int orientation = 1;    // Exif orientation (1–8) of a JPEG: how to turn it upright
};

// Checks `bytes` by content (never by file name or declared type) and returns a copy with the
// revealing metadata removed:
//  - JPEG: every APPn segment except JFIF (APP0), ICC profiles (APP2) and Adobe (APP14), every
//    comment, and anything after the end-of-image marker. When the original Exif had an
//    Orientation tag, a fresh Exif segment holding only that tag is written after SOI/APP0, so
//    phones' portrait photos still show upright.
//  - PNG: every ancillary chunk other than those that affect how pixels are shown (eXIf, tEXt,
//    zTXt, iTXt, tIME and unknown private chunks go), and anything after IEND.
//  - WebP: EXIF, XMP and unknown chunks, and anything after the RIFF chunk; the EXIF and XMP
//    flags of VP8X are cleared and the RIFF size rewritten.
// An image that carries none of these comes back byte-identical.
//
// Throws xh::Error:
//   413 "photo.too_large" when bytes.size() > max_bytes;
//   422 "photo.bad_type"  when the content is not a JPEG, PNG or WebP;
//   422 "photo.corrupt"   when it starts like one but its structure is broken: truncated or
//                         out-of-bounds segments and chunks, bad PNG CRCs, no end marker, a
//                         width or height of 0, an impossible bit depth or sample precision,
//                         PNG image data that is not a zlib stream, a WebP with no picture;
//   422 "photo.too_many_pixels" when the declared picture is over 12,000 pixels a side or
//                         50 megapixels (headers are read, pixels are not decoded).
CleanImage clean_photo(std::string_view bytes, std::size_t max_bytes);

}  // namespace xh::workorders
