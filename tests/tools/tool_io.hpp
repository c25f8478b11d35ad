// Whole-file reads and writes for the test tools (raw voxel files exchanged with Python).
#pragma once

#include <fstream>
#include <sstream>
#include <string>

#include "ngff/error.hpp"
#include "ngff/store/bytes.hpp"

namespace ngff::test {

inline std::string read_file(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) throw StoreError("cannot read '" + path + "'");
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

inline void write_file(const std::string& path, ByteView data) {
  std::ofstream f(path, std::ios::binary);
  f.write(reinterpret_cast<const char*>(data.data()), static_cast<std::streamsize>(data.size()));
  if (!f) throw StoreError("cannot write '" + path + "'");
}

}  // namespace ngff::test
