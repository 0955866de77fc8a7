#include "workorders/photos.h"

#include <fcntl.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/crypto.h"
#include "core/error.h"
#include "workorders/image.h"
#include "audit/audit.h"
#include "api/scope.h"
#include "workorders/access.h"
#include "workorders/store.h"

namespace xh::workorders {

using storage::Tx;
namespace fs = std::filesystem;

namespace {

std::string file_of(const std::string& dir, const std::string& id) {
  return dir + "/" + id.substr(0, 2) + "/" + id;
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

StoredPhoto WorkOrders::store_photo(const api::Principal& p, const api::Actor& actor,
                                    std::string_view bytes) const {
  api::require(p, "workorder.file");
  CleanImage img = clean_photo(bytes, kMaxPhotoBytes);
  std::string id = sha256_hex(img.bytes);
  std::string path = file_of(photo_dir_, id);
  if (!fs::exists(path)) write_durably(path, img.bytes);
  auto size = static_cast<std::int64_t>(img.bytes.size());
  db_.write([&](Tx& tx) {
    if (store::record_upload(tx, id, img.mime, size, p.user_id, now_ms()) > 0)
      audit::append(tx, actor, {"photo.upload", "photo", id, std::nullopt, std::nullopt});
  });
  return {id, img.mime, size};
}

PhotoFile WorkOrders::read_photo(const api::Principal& p, const std::string& id) const {
  if (!valid_id(id)) throw not_found("photo.not_found");
  auto mime = db_.read([&](Tx& tx) {
    auto mime = store::photo_mime(tx, id);
    if (!mime) throw not_found("photo.not_found");
    if (store::photo_uploaded_by(tx, id, p.user_id)) return *mime;
    for (auto order_id : store::orders_showing(tx, id))
      if (auto o = store::find_order(tx, order_id); o && access::can_read(tx, p, *o)) return *mime;
    throw forbidden("auth.scope_denied", "workorder.read");
  });
  std::ifstream in(file_of(photo_dir_, id), std::ios::binary);
  if (!in) throw not_found("photo.not_found");
  std::ostringstream buf;
  buf << in.rdbuf();
  return {mime, buf.str()};
}

}  // namespace xh::workorders
