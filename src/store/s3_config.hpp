// Where S3Options::from_env finds credentials: the environment, else a profile of the AWS
// shared-credentials file (as the AWS CLI reads them). Internal to the store layer.
#pragma once

#include <optional>
#include <string_view>

#include "ngff/store/s3_store.hpp"

namespace ngff::s3 {

// The credentials of `profile` in an AWS shared-credentials (INI) file, or nullopt.
std::optional<S3Credentials> parse_credentials_file(std::string_view text,
                                                    std::string_view profile);

// The credentials from the environment or the profile file, or nullopt (anonymous).
std::optional<S3Credentials> find_credentials();

}  // namespace ngff::s3
