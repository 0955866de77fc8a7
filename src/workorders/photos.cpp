#include "workorders/photos.h"

#include <fcntl.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/crypto.h"
#include "core/error.h"
#include "workorders/image.h"
#include "workorders/internal.h"

namespace xh::workorders {

using storage::Tx;
namespace fs = std::filesystem;

namespace {

std::string file_of(const Services& s, const std::string& id) {
  return s.photo_dir + "/" + id.substr(0, 2) + "/" + id;
}

bool valid_id(const std::string& id) {
  if (id.size() != 64) return false;
  for (char c : id)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

// Writes `bytes` to `path` durably: a temporary file, fsync, rename, fsync of
// the directory.
void write_durably(const std::string& path, std::string_view bytes) {
  fs::create_directories(fs::path(path).parent_path());
  std::string tmp = path + ".tmp" + random_token(4);
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (fd < 0) throw std::runtime_error("cannot write " + tmp);
  std::size_t off = 0;
  while (off < bytes.size()) {
    auto n = ::write(fd, bytes.data() + off, bytes.size() - off);
    if (n <= 0) {
      ::close(fd);
      throw std::runtime_error("cannot write " + tmp);
    }
    off += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) throw std::runtime_error("cannot sync " + tmp);
  fs::rename(tmp, path);
  int dir = ::open(fs::path(path).parent_path().c_str(), O_RDONLY | O_DIRECTORY);
  if (dir >= 0) {
    ::fsync(dir);
    ::close(dir);
  }
}

}  // namespace

StoredPhoto store_photo(Services& s, const api::Principal& p, const api::Actor& actor,
                        std::string_view bytes) {
  api::require(p, "workorder.file");
  CleanImage img = clean_photo(bytes, kMaxPhotoBytes);
  std::string id = sha256_hex(img.bytes);
  std::string path = file_of(s, id);
  if (!fs::exists(path)) write_durably(path, img.bytes);
  s.db.write([&](Tx& tx) {
    auto n = tx.exec(
        "INSERT INTO photos (id, mime, size, uploaded_by, created_at) VALUES ($1, $2, $3, $4, $5) "
        "ON CONFLICT DO NOTHING",
        id, img.mime, static_cast<std::int64_t>(img.bytes.size()), p.user_id, now_ms());
    n += tx.exec("INSERT INTO photo_uploads (photo_id, user_id, created_at) VALUES ($1, $2, $3) "
                 "ON CONFLICT DO NOTHING",
                 id, p.user_id, now_ms());
    if (n > 0) audit::append(tx, actor, {"photo.upload", "photo", id, std::nullopt, std::nullopt});
  });
  return {id, img.mime, static_cast<std::int64_t>(img.bytes.size())};
}

PhotoFile read_photo(Services& s, const api::Principal& p, const std::string& id) {
  if (!valid_id(id)) throw not_found("photo.not_found");
  auto mime = s.db.read([&](Tx& tx) {
    auto r = tx.query_one("SELECT mime FROM photos WHERE id = $1", id);
    if (!r) throw not_found("photo.not_found");
    if (tx.query_one("SELECT 1 FROM photo_uploads WHERE photo_id = $1 AND user_id = $2", id,
                     p.user_id))
      return r->str(0);
    for (const auto& o : tx.query("SELECT order_id FROM wo_photos WHERE photo_id = $1", id))
      if (detail::can_read(tx, p, detail::load_order(tx, o.i64(0)))) return r->str(0);
    throw forbidden("auth.scope_denied", "workorder.read");
  });
  std::ifstream in(file_of(s, id), std::ios::binary);
  if (!in) throw not_found("photo.not_found");
  std::ostringstream buf;
  buf << in.rdbuf();
  return {mime, buf.str()};
}

}  // namespace xh::workorders
