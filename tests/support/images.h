#pragma once
// Small photos built in memory for the photo tests: 1×1 grey pictures that are structurally valid
// JPEG, PNG and WebP files, with the metadata a phone writes (Exif with a GPS block, XMP, text) or
// without any. Everything is generated here; no third-party sample files.
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace xh::test {

enum class ByteOrder { big_endian, little_endian };  // of the Exif TIFF structure

// Where the samples say they were taken: 36°40'12"N 117°0'0"E.
//
// SOI, APP0 JFIF, APP1 Exif (IFD0: Orientation = 6 and a GPSInfo pointer to a GPS IFD with latitude
// and longitude), APP1 XMP with exif:GPSLatitude, COM naming the photographer, DQT, SOF0, DHT, SOS,
// one block of scan data, EOI.
std::string jpeg_with_gps(ByteOrder order = ByteOrder::big_endian);
// SOI, APP0 JFIF and the coding segments of the same picture; no metadata.
std::string plain_jpeg();

// Signature, IHDR, eXIf (the same Exif as the JPEG), tEXt "Comment", tIME, IDAT, IEND.
std::string png_with_exif();
// Signature, IHDR, IDAT, IEND.
std::string plain_png();

// RIFF/WEBP: VP8X with the EXIF and XMP flags, VP8L, EXIF (with GPS), XMP (with GPSLatitude).
std::string webp_with_exif();
// RIFF/WEBP with only a VP8L chunk.
std::string plain_webp();

// A real picture encoded by libjpeg-turbo (quality 90): its left half red, its right half blue.
std::string halves_jpeg(int width, int height);
// The width and height a JPEG declares, read by libjpeg-turbo; {0, 0} when it cannot.
std::pair<int, int> jpeg_size(std::string_view jpeg);

// True when `image` still says where it was taken: an Exif TIFF structure anywhere in it whose IFD0
// has a GPSInfo pointer (tag 0x8825, either byte order), or the text "GPSLatitude" (XMP).
bool has_gps_tag(std::string_view image);

// The Orientation tag (0x0112) of the first Exif TIFF structure in `image` that has one.
std::optional<int> exif_orientation(std::string_view image);

}  // namespace xh::test
