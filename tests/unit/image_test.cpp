// Photo checks and metadata stripping (workorders/image.h) on images built in memory.
#include "workorders/image.h"

#include <gtest/gtest.h>

#include <zlib.h>

#include <random>
#include <string>
#include <vector>

#include "core/error.h"
#include "support/images.h"

using namespace xh;
using namespace std::string_literals;
using workorders::clean_photo;
using workorders::ImageType;

namespace {

constexpr std::size_t kMax = 1 << 20;

std::string cleaned(const std::string& image) { return clean_photo(image, kMax).bytes; }

// "status code" of the xh::Error thrown, or "" when none is.
std::string error_of(std::string_view image, std::size_t max_bytes = kMax) {
  try {
    clean_photo(image, max_bytes);
  } catch (const Error& e) {
    return std::to_string(e.status()) + " " + e.code();
  }
  return "";
}

std::uint32_t le32_at(const std::string& s, std::size_t at) {
  std::uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = v << 8 | static_cast<std::uint8_t>(s[at + i]);
  return v;
}

}  // namespace

TEST(Photo, JpegLosesLocationAndCommentButKeepsOrientation) {
  for (auto order : {test::ByteOrder::big_endian, test::ByteOrder::little_endian}) {
    std::string original = test::jpeg_with_gps(order);
    ASSERT_TRUE(test::has_gps_tag(original));
    ASSERT_EQ(test::exif_orientation(original), 6);

    auto photo = clean_photo(original, kMax);
    EXPECT_EQ(photo.type, ImageType::jpeg);
    EXPECT_EQ(photo.mime, "image/jpeg");
    EXPECT_EQ(photo.extension, "jpg");
    EXPECT_FALSE(test::has_gps_tag(photo.bytes));
    EXPECT_EQ(photo.bytes.find("Zhang San"), std::string::npos);
    EXPECT_EQ(photo.bytes.find("http://ns.adobe.com/xap"), std::string::npos);
    EXPECT_EQ(test::exif_orientation(photo.bytes), 6);

    // A fresh minimal Exif right after SOI and APP0; the rest is the picture.
    std::string plain = test::plain_jpeg();
    std::size_t head = 2 + 18;  // SOI, APP0 JFIF
    ASSERT_GT(photo.bytes.size(), head + 10);
    EXPECT_EQ(photo.bytes.substr(0, head), plain.substr(0, head));
    EXPECT_EQ(photo.bytes.substr(head, 10), "\xFF\xE1\x00\x22"s + "Exif\0\0"s);
    EXPECT_EQ(photo.bytes.substr(head + 36), plain.substr(head));
  }
}

TEST(Photo, JpegScanDataIsCopiedAndLaterSegmentsChecked) {
  // Stuffed FF 00 and a restart marker inside the scan, then a comment and a second scan as in
  // progressive JPEGs: the data is copied, the comment dropped.
  std::string plain = test::plain_jpeg();
  std::string first_scan = plain.substr(0, plain.size() - 3) + "\x12\xFF\x00\x34\xFF\xD0\x56"s;
  std::string second_scan = "\xFF\xDA\x00\x08\x01\x01\x00\x00\x3F\x00\x3F\xFF\xD9"s;
  std::string comment = "\xFF\xFE\x00\x0Bhome addr"s;
  EXPECT_EQ(cleaned(first_scan + comment + second_scan), first_scan + second_scan);
}

TEST(Photo, PngLosesExifTextAndTime) {
  std::string original = test::png_with_exif();
  ASSERT_TRUE(test::has_gps_tag(original));

  auto photo = clean_photo(original, kMax);
  EXPECT_EQ(photo.type, ImageType::png);
  EXPECT_EQ(photo.mime, "image/png");
  EXPECT_EQ(photo.extension, "png");
  EXPECT_FALSE(test::has_gps_tag(photo.bytes));
  EXPECT_EQ(photo.bytes, test::plain_png());
}

TEST(Photo, WebpLosesExifAndXmpAndItsFlags) {
  std::string original = test::webp_with_exif();
  ASSERT_TRUE(test::has_gps_tag(original));

  auto photo = clean_photo(original, kMax);
  EXPECT_EQ(photo.type, ImageType::webp);
  EXPECT_EQ(photo.mime, "image/webp");
  EXPECT_EQ(photo.extension, "webp");
  EXPECT_FALSE(test::has_gps_tag(photo.bytes));
  EXPECT_EQ(photo.bytes.find("EXIF"), std::string::npos);
  EXPECT_EQ(photo.bytes.find("XMP "), std::string::npos);
  EXPECT_EQ(le32_at(photo.bytes, 4), photo.bytes.size() - 8);
  ASSERT_EQ(photo.bytes.substr(12, 4), "VP8X");
  EXPECT_EQ(photo.bytes[20], '\0');  // flags
  // Without VP8X it is the plain picture.
  std::string plain = test::plain_webp();
  EXPECT_EQ(photo.bytes.substr(12 + 18), plain.substr(12));
}

TEST(Photo, ImagesWithoutMetadataPassThroughUnchanged) {
  for (const std::string& image : {test::plain_jpeg(), test::plain_png(), test::plain_webp()}) {
    EXPECT_EQ(cleaned(image), image);
  }
}

TEST(Photo, CleaningTwiceChangesNothing) {
  for (const std::string& image :
       {test::jpeg_with_gps(), test::jpeg_with_gps(test::ByteOrder::little_endian),
        test::png_with_exif(), test::webp_with_exif()}) {
    std::string once = cleaned(image);
    EXPECT_EQ(cleaned(once), once);
  }
}

TEST(Photo, DropsWhatFollowsTheImage) {
  // Phones append videos or extra images after the end; they carry their own metadata.
  std::string tail = "\xFF\xD8\xFF\xE1 trailing Exif GPSLatitude";
  EXPECT_EQ(cleaned(test::plain_jpeg() + tail), test::plain_jpeg());
  EXPECT_EQ(cleaned(test::plain_png() + tail), test::plain_png());
  EXPECT_EQ(cleaned(test::plain_webp() + tail), test::plain_webp());
}

TEST(Photo, RefusesWhatIsNotAPhoto) {
  for (std::string bytes : {""s, "hello"s, "GIF89a\x01\x00\x01\x00\x80\x00\x00"s,
                            "%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj\n"s, "\xFF\xD8"s, "\x89PNG\r\n"s,
                            "RIFF\x04\x00\x00\x00WAVEfmt "s, "RIFF\x04\x00\x00"s}) {
    EXPECT_EQ(error_of(bytes), "422 photo.bad_type") << bytes;
  }
}

TEST(Photo, RefusesTruncatedPhotos) {
  struct Sample {
    std::string image;
    std::size_t signature;  // shorter prefixes are not recognised at all
  };
  for (const Sample& s : {Sample{test::jpeg_with_gps(), 3}, Sample{test::png_with_exif(), 8},
                          Sample{test::webp_with_exif(), 12}}) {
    for (std::size_t n = s.signature; n < s.image.size(); ++n) {
      EXPECT_EQ(error_of(s.image.substr(0, n)), "422 photo.corrupt") << n;
    }
  }
}

TEST(Photo, RefusesBrokenStructure) {
  std::string jpeg = test::plain_jpeg();
  std::string bad_length = jpeg;
  bad_length[4] = '\x7F';  // APP0 length past the end
  EXPECT_EQ(error_of(bad_length), "422 photo.corrupt");
  EXPECT_EQ(error_of(jpeg.substr(0, 20) + "\xFF\xD9"),
            "422 photo.corrupt");  // no SOS

  std::string png = test::plain_png();
  std::string bad_crc = png;
  bad_crc[8 + 8 + 13] ^= 1;  // IHDR's CRC
  EXPECT_EQ(error_of(bad_crc), "422 photo.corrupt");
  std::string no_ihdr = png.substr(0, 8) + png.substr(8 + 25);
  EXPECT_EQ(error_of(no_ihdr), "422 photo.corrupt");

  std::string webp = test::plain_webp();
  std::string bad_chunk = webp;
  bad_chunk[16] = '\x7F';  // VP8L size past the RIFF end
  EXPECT_EQ(error_of(bad_chunk), "422 photo.corrupt");
  EXPECT_EQ(error_of(webp.substr(0, 12) + "\0\0\0\0"s), "422 photo.corrupt");
}

TEST(Photo, RefusesTooLargeBeforeLookingAtIt) {
  std::string jpeg = test::jpeg_with_gps();
  EXPECT_EQ(error_of(jpeg, jpeg.size() - 1), "413 photo.too_large");
  EXPECT_EQ(error_of(jpeg, jpeg.size()), "");
  EXPECT_EQ(error_of("hello", 3), "413 photo.too_large");
}

// Random buffers, and samples with random truncations and byte changes: only xh::Error with one of
// the photo codes may come out, and whatever is accepted is accepted again unchanged.
TEST(Photo, SurvivesGarbage) {
  std::mt19937 rng(20240611);
  auto below = [&](std::size_t n) {
    return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng);
  };
  std::vector<std::string> samples = {
      test::jpeg_with_gps(), test::jpeg_with_gps(test::ByteOrder::little_endian),
      test::png_with_exif(), test::webp_with_exif(),
      test::plain_jpeg(),    test::plain_png(),
      test::plain_webp()};
  std::vector<std::string> signatures = {"", "\xFF\xD8\xFF", "\x89PNG\r\n\x1A\n",
                                         "RIFF\x10\x00\x00\x00WEBP"s};
  int accepted = 0;
  for (int round = 0; round < 6000; ++round) {
    std::string input;
    if (round % 2 == 0) {
      input = signatures[below(signatures.size())];
      for (std::size_t n = below(300); n > 0; --n) input += static_cast<char>(below(256));
    } else {
      input = samples[below(samples.size())];
      for (std::size_t n = below(4) + 1; n > 0; --n) {
        input[below(input.size())] = static_cast<char>(below(256));
      }
      if (below(3) == 0) input.resize(below(input.size() + 1));
    }
    try {
      std::string once = cleaned(input);
      ++accepted;
      EXPECT_EQ(cleaned(once), once) << round;
    } catch (const Error& e) {
      EXPECT_TRUE(e.code() == "photo.corrupt" || e.code() == "photo.bad_type" ||
                  e.code() == "photo.too_many_pixels")
          << e.code();
    } catch (const std::exception& e) {
      ADD_FAILURE() << "round " << round << ": " << e.what();
    }
  }
  EXPECT_GT(accepted, 100);  // the mutations do not all break the structure
}

namespace {

void put_be32(std::string& s, std::size_t at, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) s[at + i] = static_cast<char>(v >> (24 - 8 * i) & 0xFF);
}

// The plain PNG with its IHDR fields set (width, height, bit depth) and the CRC made right again.
std::string png_declaring(std::uint32_t width, std::uint32_t height, std::uint8_t depth = 8) {
  std::string png = xh::test::plain_png();
  put_be32(png, 16, width);
  put_be32(png, 20, height);
  png[24] = static_cast<char>(depth);
  put_be32(png, 29, static_cast<std::uint32_t>(
                        ::crc32(0, reinterpret_cast<const Bytef*>(png.data() + 12), 17)));
  return png;
}

// The plain JPEG with its frame header's height and width set.
std::string jpeg_declaring(std::uint16_t width, std::uint16_t height) {
  std::string jpeg = xh::test::plain_jpeg();
  auto sof = jpeg.find("\xFF\xC0"s);
  jpeg[sof + 5] = static_cast<char>(height >> 8);
  jpeg[sof + 6] = static_cast<char>(height & 0xFF);
  jpeg[sof + 7] = static_cast<char>(width >> 8);
  jpeg[sof + 8] = static_cast<char>(width & 0xFF);
  return jpeg;
}

}  // namespace

// What a picture declares is checked before anything would decode it: no
// side over 12,000 pixels or picture over 50 megapixels, no empty picture,
// no impossible depth or precision, image data that is what it says, and a
// WebP that holds a picture.
TEST(Photo, RefusesPicturesThatDeclareWhatNoPhotoIs) {
  EXPECT_EQ(error_of(png_declaring(50000, 50000)), "422 photo.too_many_pixels");
  EXPECT_EQ(error_of(png_declaring(12000, 5000)), "422 photo.too_many_pixels");  // 60 megapixels
  EXPECT_EQ(error_of(png_declaring(0, 1)), "422 photo.corrupt");
  EXPECT_EQ(error_of(png_declaring(1, 1, 3)), "422 photo.corrupt");  // no 3-bit grey
  EXPECT_EQ(error_of(png_declaring(4000, 3000)), "");               // a phone's 12 megapixels
  EXPECT_EQ(error_of(jpeg_declaring(65500, 65500)), "422 photo.too_many_pixels");
  EXPECT_EQ(error_of(jpeg_declaring(0, 1)), "422 photo.corrupt");
  EXPECT_EQ(error_of(jpeg_declaring(4032, 3024)), "");

  // Image data that is not a zlib stream.
  std::string png = xh::test::plain_png();
  auto idat = png.find("IDAT");
  png[idat + 4] = 0x00;
  png[idat + 5] = 0x00;
  auto length = static_cast<std::uint32_t>(static_cast<std::uint8_t>(png[idat - 1]));
  put_be32(png, idat + 4 + length,
           static_cast<std::uint32_t>(::crc32(0, reinterpret_cast<const Bytef*>(png.data() + idat), 4 + length)));
  EXPECT_EQ(error_of(png), "422 photo.corrupt");

  // A WebP whose VP8L declares 16384 × 16384, and one with no picture at all.
  std::string webp = xh::test::plain_webp();
  auto vp8l = webp.find("VP8L");
  for (int i = 0; i < 4; ++i) webp[vp8l + 9 + i] = static_cast<char>(0xFF);  // 14 + 14 bits of ones
  EXPECT_EQ(error_of(webp), "422 photo.too_many_pixels");
  std::string empty = "RIFF"s + std::string("\x16\0\0\0", 4) + "WEBP" + "VP8X" +
                      std::string("\x0A\0\0\0", 4) + std::string(10, '\0');
  EXPECT_EQ(error_of(empty), "422 photo.corrupt");
}
