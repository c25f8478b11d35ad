// The ValidationError message parsing image attributes gives (the tests of each OME version
// compare it); a test failure when they are accepted.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "ngff/error.hpp"
#include "ngff/ome/image_attributes.hpp"

inline std::string image_attributes_error(const ngff::Json& attrs) {
  try {
    ngff::ome::ImageAttributes::from_json(attrs, "attributes");
  } catch (const ngff::ValidationError& e) {
    return e.what();
  }
  ADD_FAILURE() << "accepted: " << attrs.dump();
  return "";
}
