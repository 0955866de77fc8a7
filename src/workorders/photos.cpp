#include "workorders/photos.h"

#include <boost/json.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/crypto.h"
#include "core/error.h"
#include "api/scope.h"
#include "audit/audit.h"
#include "workorders/access.h"
#include "workorders/image.h"
#include "workorders/pixels.h"
#include "workorders/store.h"
#include "workorders/subject_photos.h"
#include "api/module.h"

namespace xh::workorders {

using storage::Tx;
namespace fs = std::filesystem;

namespace {

std::string file_of(const std::string& dir, const std::string& id) {
  return dir + "/" + id.substr(0, 2) + "/" + id;
}
// A photo's thumbnail lives beside it.
constexpr const char* kThumbnail = ".thumb.jpg";

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return {};
  std::ostringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

bool valid_id(const std::string& id) {
  if (id.size() != 64) return false;
  for (char c : id)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

// What a photo being written is called until it is complete: `<id>.tmp<random>`.
constexpr const char* kUnfinished = ".tmp";

// Writes `bytes` to `path` durably: a temporary file, fsync, rename, fsync of
// the directory.
// A failed write leaves no temporary file behind.
void write_durably(const std::string& path, std::string_view bytes) {
  fs::create_directories(fs::path(path).parent_path());
  std::string tmp = path + kUnfinished + random_token(4);
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (fd < 0) throw std::runtime_error("cannot write " + tmp);
  auto fail = [&](const std::string& what, bool open) {
    if (open) ::close(fd);
    std::error_code ignored;
    fs::remove(tmp, ignored);
    throw std::runtime_error(what + tmp);
  };
  std::size_t off = 0;
  while (off < bytes.size()) {
    auto n = ::write(fd, bytes.data() + off, bytes.size() - off);
    if (n <= 0) fail("cannot write ", true);
    off += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0) fail("cannot sync ", true);
  if (::close(fd) != 0) fail("cannot sync ", false);
  std::error_code renamed;
  fs::rename(tmp, path, renamed);
  if (renamed) fail("cannot rename ", false);
  int dir = ::open(fs::path(path).parent_path().c_str(), O_RDONLY | O_DIRECTORY);
  if (dir >= 0) {
    ::fsync(dir);
    ::close(dir);
  }
}

// True when `p` may read the subject (its module's live topic says so).
bool may_read_subject(Tx& tx, const api::Principal& p, const std::string& type, std::int64_t id) {
  for (const auto* m : api::installed_modules())
    for (const auto& t : m->live)
      if (t.kind == type) {
        try {
          t.authorize(tx, p, id);
          return true;
        } catch (const Error&) {
          return false;
        }
      }
  return false;
}

}  // namespace

void attach_to_subject(Tx& tx, const std::vector<std::string>& ids, std::int64_t uploader,
                       std::string_view subject_type, std::int64_t subject_id, std::string_view field) {
  if (ids.size() > kMaxPhotosPerReport) throw unprocessable("photo.too_many", std::string(field));
  for (const auto& id : ids) {
    if (!valid_id(id) || !store::photo_uploaded_by(tx, id, uploader))
      throw unprocessable("photo.not_yours", std::string(field));
    tx.exec("INSERT INTO photo_subjects (photo_id, subject_type, subject_id) VALUES ($1, $2, $3) "
            "ON CONFLICT DO NOTHING",
            id, std::string(subject_type), subject_id);
  }
}

std::string photo_ids_json(const std::vector<std::string>& ids) {
  boost::json::array a;
  for (const auto& id : ids) a.push_back(boost::json::string(id));
  return boost::json::serialize(a);
}

boost::json::array photos_json(const std::string& ids_json) {
  boost::json::array out;
  auto v = boost::json::parse(ids_json);
  for (const auto& id : v.as_array()) {
    std::string s(id.as_string());
    out.push_back({{"id", s}, {"url", "/api/photos/" + s}, {"thumb_url", "/api/photos/" + s + "?size=thumb"}});
  }
  return out;
}

int remove_unfinished_photos(const std::string& photo_dir) {
  int removed = 0;
  std::error_code ec;
  if (!fs::is_directory(photo_dir, ec)) return 0;
  for (auto it = fs::recursive_directory_iterator(photo_dir, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (!it->is_regular_file(ec)) continue;
    std::string name = it->path().filename().string();
    // <64 hex digits>[.thumb.jpg].tmp<random>: a write a crash or a failure cut short.
    if (name.size() > 64 && valid_id(name.substr(0, 64)) && name.find(kUnfinished, 64) != name.npos) {
      std::error_code gone;
      if (fs::remove(it->path(), gone)) ++removed;
    }
  }
  return removed;
}

StoredPhoto WorkOrders::store_photo(const api::Principal& p, const api::Actor& actor,
                                    std::string_view bytes) const {
  api::require(p, "photo.upload");
  CleanImage img = clean_photo(bytes, kMaxPhotoBytes);
  // Every pixel decoded before anything is kept: a picture a library cannot
  // read is refused here, not left to a staff member's browser.
  Thumbnail thumb = make_thumbnail(img);
  std::string id = sha256_hex(img.bytes);
  std::string path = file_of(photo_dir_, id);
  if (!fs::exists(path + kThumbnail)) write_durably(path + kThumbnail, thumb.jpeg);
  if (!fs::exists(path)) write_durably(path, img.bytes);
  auto size = static_cast<std::int64_t>(img.bytes.size());
  db_.write([&](Tx& tx) {
    if (store::record_upload(tx, id, img.mime, size, p.user_id, now_ms()) > 0)
      audit::append(tx, actor, {"photo.upload", "photo", id, std::nullopt, std::nullopt});
  });
  return {id, img.mime, size};
}

PhotoFile WorkOrders::read_photo(const api::Principal& p, const std::string& id, bool thumbnail) const {
  if (!valid_id(id)) throw not_found("photo.not_found");
  auto mime = db_.read([&](Tx& tx) {
    auto mime = store::photo_mime(tx, id);
    if (!mime) throw not_found("photo.not_found");
    if (store::photo_uploaded_by(tx, id, p.user_id)) return *mime;
    for (auto order_id : store::orders_showing(tx, id))
      if (auto o = store::find_order(tx, order_id); o && access::can_read(tx, p, *o)) return *mime;
    for (const auto& s : tx.query("SELECT subject_type, subject_id FROM photo_subjects WHERE photo_id = $1", id))
      if (may_read_subject(tx, p, s.str("subject_type"), s.i64("subject_id"))) return *mime;
    throw forbidden("auth.scope_denied", "workorder.read");
  });
  std::string path = file_of(photo_dir_, id);
  if (thumbnail) {
    std::string jpeg = read_file(path + kThumbnail);
    if (jpeg.empty()) {  // a photo stored before thumbnails were made
      std::string original = read_file(path);
      if (original.empty()) throw not_found("photo.not_found");
      jpeg = make_thumbnail(clean_photo(original, kMaxPhotoBytes)).jpeg;
      write_durably(path + kThumbnail, jpeg);
    }
    return {"image/jpeg", std::move(jpeg)};
  }
  std::string bytes = read_file(path);
  if (bytes.empty()) throw not_found("photo.not_found");
  return {mime, std::move(bytes)};
}

}  // namespace xh::workorders
