#pragma once
// The pixels of a report photo: decoded in full with the format's own library
// (libjpeg-turbo, libpng, libwebp), so a picture whose header is sane but whose
// data is not is refused at upload rather than by a staff member's browser,
// and shrunk to the thumbnail that lists and phones show instead of the
// original (up to 8 MB).
//
// Pure functions: no I/O and no shared state, so safe to call from any
// thread. Memory stays bounded whatever the picture declares: JPEG is decoded
// at a reduced scale, PNG row by row, WebP scaled while it is decoded.
#include <string>

#include "workorders/image.h"

namespace xh::workorders {

// The longest side of a thumbnail, in pixels (lists show photos at about 80
// CSS pixels, phones at three device pixels each).
inline constexpr int kThumbnailSide = 480;

struct Thumbnail {
  std::string jpeg;  // baseline JPEG, quality 80, 4:2:0, no metadata
  int width = 0, height = 0;
};

// Decodes every pixel of `img` (a photo that passed clean_photo) and returns
// it as a JPEG at most `max_side` pixels a side, turned upright by the
// photo's orientation, transparency laid on white.
// Throws xh::Error:
//   422 "photo.corrupt"  when the pixel data cannot be decoded;
//   422 "photo.bad_type" for an animated WebP (a report photo is a picture);
//   422 "photo.too_many_pixels" for an interlaced PNG over 16 megapixels
//                        (interlacing needs the whole picture in memory).
Thumbnail make_thumbnail(const CleanImage& img, int max_side = kThumbnailSide);

}  // namespace xh::workorders
