#include "store/open_zip.hpp"

#include "ngff/error.hpp"
#include "ngff/store/file_store.hpp"
#include "ngff/store/zip_store.hpp"
#include "store/key.hpp"

namespace ngff {
namespace {

bool ends_with_ignoring_case(std::string_view s, std::string_view suffix) {
  if (s.size() < suffix.size()) return false;
  s = s.substr(s.size() - suffix.size());
  for (size_t i = 0; i < s.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(s[i])) != suffix[i]) return false;
  return true;
}

}  // namespace

std::optional<StoreLocation> open_zip_store(std::string_view url, OpenMode mode) {
  constexpr std::string_view scheme = "zip://";
  bool explicit_zip = url.substr(0, scheme.size()) == scheme;
  if (explicit_zip) url.remove_prefix(scheme.size());
  while (url.size() > 1 && url.back() == '/') url.remove_suffix(1);
  // The zip is the first segment ending in .ozx or .zip; what follows is a node inside it.
  std::string_view inner;
  for (size_t end = 0; end <= url.size(); ++end) {
    if (end < url.size() && url[end] != '/') continue;
    std::string_view head = url.substr(0, end);
    if (ends_with_ignoring_case(head, ".ozx") || ends_with_ignoring_case(head, ".zip")) {
      inner = end < url.size() ? url.substr(end + 1) : std::string_view();
      url = head;
      explicit_zip = true;
      break;
    }
  }
  if (!explicit_zip) return std::nullopt;
  if (url.empty()) throw UsageError("zip:// needs the path or URL of a zip file");
  size_t slash = url.rfind('/');
  std::string parent_url =
      slash == std::string_view::npos ? "." : std::string(url.substr(0, slash));
  if (parent_url.empty() || parent_url.ends_with(":/") || parent_url.ends_with("://"))
    parent_url += "/";  // "/x.ozx", "file:///x.ozx"
  std::string name(slash == std::string_view::npos ? url : url.substr(slash + 1));
  std::string path = normalize_node_path(inner);
  auto parent = open_store(parent_url, mode);
  std::string key = join_key(parent.path, name);
  if (mode == OpenMode::read)
    return StoreLocation{std::make_shared<ZipStore>(parent.store, key), path};
  auto* files = dynamic_cast<FileStore*>(parent.store.get());
  if (!files)
    throw UsageError("cannot write the zip '" + std::string(url) +
                     "': zips are written to local files only");
  return StoreLocation{ZipStore::create(files->root() / key), path};
}

}  // namespace ngff
