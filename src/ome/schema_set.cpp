#include "schema_set.hpp"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>

#include "ngff/error.hpp"

// The build's default schema folder (CMake NGFF_SPEC_FIXTURES_DEFAULT, where the tests find the
// specification's files too).
#ifndef NGFF_SCHEMAS_DEFAULT
#define NGFF_SCHEMAS_DEFAULT ""
#endif

namespace ngff::ome::detail {
namespace fs = std::filesystem;
namespace {

Json read_schema_file(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  try {
    return Json::parse(text.str());
  } catch (const Json::exception& e) {
    throw UsageError("JSON schema " + file.string() + " is not JSON: " + e.what());
  }
}

// The 0.6 draft names its version "0.6rc0"; ngff reads "0.6" too and writes it.
void widen_version_enum(SchemaSet& set, const std::string& folder) {
  if (folder.rfind("0.6", 0) != 0) return;
  auto uri = set.uri(folder, "_version.schema");
  if (!uri) return;
  Json& schema = set.registry.document(*uri);
  if (schema.contains("enum") && schema["enum"] == Json{"0.6rc0"})
    schema["enum"] = Json{"0.6", "0.6rc0"};
}

}  // namespace

std::optional<std::string> SchemaSet::uri(std::string_view version, std::string_view file) const {
  if (version.size() < 3) return std::nullopt;
  // An exact folder first ("0.5"), then one the version begins ("0.6" in "0.6-dev"), then one
  // beginning with the version's major.minor ("0.6rc0" -> "0.6-dev").
  std::string_view minor = version.substr(0, std::min<size_t>(version.size(), 3));
  const std::map<std::string, std::string, std::less<>>* files = nullptr;
  for (int pass = 0; pass < 2 && !files; ++pass)
    for (const auto& [folder, f] : uris)
      if (pass == 0 ? folder == version : folder.rfind(minor, 0) == 0) {
        files = &f;
        break;
      }
  if (!files) return std::nullopt;
  auto it = files->find(file);
  if (it == files->end()) return std::nullopt;
  return it->second;
}

std::shared_ptr<const SchemaSet> load_schema_set(const std::string& root) {
  std::error_code ec;
  if (root.empty() || !fs::is_directory(root, ec)) return nullptr;
  auto set = std::make_shared<SchemaSet>();
  set->root = fs::weakly_canonical(root, ec).string();
  if (ec) set->root = root;
  std::vector<fs::path> folders;
  for (const auto& entry : fs::directory_iterator(root, ec))
    if (fs::is_directory(entry.path() / "schemas", ec)) folders.push_back(entry.path());
  std::sort(folders.begin(), folders.end());
  for (const fs::path& folder : folders) {
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(folder / "schemas", ec))
      if (entry.path().extension() == ".schema") files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    auto& names = set->uris[folder.filename().string()];
    for (const fs::path& file : files) {
      Json schema = read_schema_file(file);
      std::string uri = schema.is_object() && schema.contains("$id") && schema["$id"].is_string()
                            ? schema["$id"].get<std::string>()
                            : file.string();
      set->registry.add(std::move(schema), uri);
      names[file.filename().string()] = uri;
    }
    widen_version_enum(*set, folder.filename().string());
  }
  if (set->uris.empty()) return nullptr;
  set->registry.check_refs();
  return set;
}

std::shared_ptr<const SchemaSet> find_schema_set(const std::string& dir) {
  std::string root = dir;
  if (root.empty()) {
    const char* env = std::getenv("NGFF_SCHEMAS");
    root = env && *env ? env : NGFF_SCHEMAS_DEFAULT;
  }
  static std::mutex mutex;
  static std::map<std::string, std::shared_ptr<const SchemaSet>> loaded;
  std::lock_guard lock(mutex);
  auto it = loaded.find(root);
  if (it == loaded.end()) it = loaded.emplace(root, load_schema_set(root)).first;
  return it->second;
}

}  // namespace ngff::ome::detail
