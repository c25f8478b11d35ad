// Where the tests find data that is not part of the repository:
//   NGFF_SPEC_FIXTURES   the OME-NGFF specification's schemas, examples and test suites, as in the
//                        ome/ngff-spec repository: a folder holding 0.4/, 0.5/ and 0.6-dev/
//   NGFF_CODEC_FIXTURES  numcodecs' byte-exact codec fixtures: numcodecs' fixture/ folder
// Unset, the defaults the build configured apply (tests/CMakeLists.txt). Tests that need the data
// skip, saying why in one line, when the folder is absent; every other test runs without it.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <optional>

namespace ngff::test {

inline std::optional<std::filesystem::path> fixtures_dir(const char* variable,
                                                         const char* build_default) {
  const char* set = std::getenv(variable);
  std::filesystem::path dir = set != nullptr && *set != '\0' ? set : build_default;
  std::error_code ec;
  if (dir.empty() || !std::filesystem::is_directory(dir, ec)) return std::nullopt;
  return dir;
}

inline const std::optional<std::filesystem::path>& spec_fixtures() {
  static const auto dir = fixtures_dir("NGFF_SPEC_FIXTURES", NGFF_SPEC_FIXTURES_DEFAULT);
  return dir;
}

inline const std::optional<std::filesystem::path>& codec_fixtures() {
  static const auto dir = fixtures_dir("NGFF_CODEC_FIXTURES", NGFF_CODEC_FIXTURES_DEFAULT);
  return dir;
}

}  // namespace ngff::test

#define NGFF_SKIP_WITHOUT_SPEC_FIXTURES()                                                      \
  if (!ngff::test::spec_fixtures())                                                            \
  GTEST_SKIP() << "OME-NGFF spec fixtures not found: set NGFF_SPEC_FIXTURES to a folder with " \
                  "ngff-spec's 0.4/, 0.5/ and 0.6-dev/"

#define NGFF_SKIP_WITHOUT_CODEC_FIXTURES()                                                     \
  if (!ngff::test::codec_fixtures())                                                           \
  GTEST_SKIP() << "numcodecs codec fixtures not found: set NGFF_CODEC_FIXTURES to numcodecs' " \
                  "fixture/ folder"
