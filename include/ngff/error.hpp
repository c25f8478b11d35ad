// The error hierarchy of ngff: every library failure is an exception derived from ngff::Error that
// names what (URL, key or JSON path) was involved and what was expected, so that the CLI can print
// one useful line and Python can map it to a typed exception.
#pragma once

#include <stdexcept>
#include <string>

namespace ngff {

class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Invalid arguments from the caller (bad region, bad codec spelling, ...).
class UsageError : public Error {
 public:
  using Error::Error;
};

// The store could not read or write bytes (I/O, permissions, network).
class StoreError : public Error {
 public:
  using Error::Error;
};

// A key or node that was required is absent.
class KeyNotFound : public StoreError {
 public:
  using StoreError::StoreError;
};

// A key that is not allowed (`..`, absolute, empty segments).
class InvalidKey : public Error {
 public:
  using Error::Error;
};

// Metadata (zarr.json, .zarray, ...) that is malformed or not understood.
class MetadataError : public Error {
 public:
  using Error::Error;
};

// A codec that is unknown, misconfigured, or that fails on the bytes it is given.
class CodecError : public Error {
 public:
  using Error::Error;
};

// Data that does not validate against a specification (OME-NGFF, ...).
class ValidationError : public Error {
 public:
  using Error::Error;
};

}  // namespace ngff
