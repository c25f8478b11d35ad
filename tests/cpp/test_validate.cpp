// ome::validate on the OME-NGFF specification's own test corpora (NGFF_SPEC_FIXTURES, see
// fixtures.hpp): every case of the 0.4 and 0.5 JSON-schema suites (tests/*_suite.json) and of the
// 0.6-dev conformance corpus (tests/attributes/** documents, tests/zarr/** metadata-only groups)
// is judged as the corpus says, but for the disagreements listed below with the spec text that
// decides each. Prints a table of cases and agreements per suite. Then the rules that need
// arrays, on hierarchies written here.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "fixtures.hpp"
#include "ngff/error.hpp"
#include "ngff/ome/validate.hpp"
#include "ngff/store/file_store.hpp"
#include "ngff/store/memory_store.hpp"
#include "ngff/zarr/array.hpp"
#include "ngff/zarr/array_spec.hpp"
#include "ngff/zarr/group.hpp"
#include "temp_dir.hpp"

using namespace ngff;
using namespace ngff::ome;
namespace fs = std::filesystem;

namespace {

// Cases the suites call valid that ngff rejects, each for a MUST of the spec text the schema
// cannot express.
const std::map<std::string, std::string> kDisagreements = {
    {"0.4/image_suite/valid/mismatch_axes_units.json",
     "3 axes but 2 scale values; 0.4 spec: the scale \"MUST\" have \"a length equal to the number "
     "of dimensions\" (the 0.5 suite fixed this case to 3 values)"},
    {"0.4/plate_suite/plate/non_alphanumeric_row",
     "well path names the column before the row; 0.4 spec: the path \"MUST consist of a name in "
     "the rows list, a file separator (/), and a name from the columns list, in that order\""},
    {"0.4/plate_suite/plate/minimal_acquisitions", "column before row, as non_alphanumeric_row"},
    {"0.4/plate_suite/plate/minimal_no_acquisitions", "column before row, as non_alphanumeric_row"},
    {"0.4/strict_plate_suite/plate/strict_acquisitions",
     "column before row, as non_alphanumeric_row"},
    {"0.4/strict_plate_suite/plate/strict_no_acquisitions",
     "column before row, as non_alphanumeric_row"},
    // The 0.6-dev corpus kept the 0.4 plates; the 0.6 text is the 0.4 one ("a name in the rows
    // array, a file separator (/), and a name from the columns array, in that order").
    {"attributes/spec/valid/plate/minimal_acquisitions.json", "column before row (0.6)"},
    {"attributes/spec/valid/plate/minimal_no_acquisitions.json", "column before row (0.6)"},
    {"attributes/spec/valid/plate/non_alphanumeric_row.json", "column before row (0.6)"},
    {"attributes/strict/valid/plate/strict_acquisitions.json", "column before row (0.6)"},
    {"attributes/strict/valid/plate/strict_no_acquisitions.json", "column before row (0.6)"},
    {"zarr/spec/valid/plate/minimal_acquisitions.ome.zarr", "column before row (0.6)"},
    {"zarr/spec/valid/plate/minimal_no_acquisitions.ome.zarr", "column before row (0.6)"},
    {"zarr/spec/valid/plate/non_alphanumeric_row.ome.zarr", "column before row (0.6)"},
    {"zarr/strict/valid/plate/strict_acquisitions.ome.zarr", "column before row (0.6)"},
    {"zarr/strict/valid/plate/strict_no_acquisitions.ome.zarr", "column before row (0.6)"},
    // Valid in the 0.6-dev corpus, against MUSTs of the 0.6 text.
    {"attributes/spec/valid/image/mismatch_axes_units.json",
     "3 axes but 2 scale values; a scale MUST have one value per dimension of its input system"},
    {"attributes/strict/valid/image/image_omero.json",
     "its multiscale-level transformation starts from a system 'intrinsic' that does not exist "
     "(the datasets' output system is 'physical'); 0.6: one side MUST be the intrinsic system"},
    {"attributes/strict/valid/image/multiscales_example.json",
     "dataset '1' has input path 's1'; 0.6: a dataset transformation's input MUST be its path "
     "(the zarr copy of this case is consistent and agrees)"},
    // The zarr copies of these images spell the dataset transformation's input and output as
    // strings ("input": "0", "output": "intrinsic"), RFC-5's draft form; the 0.6 text says "The
    // `input` and `output` fields are objects", as the schema does, and the attributes corpus
    // calls that very form invalid (spec/invalid/image/invalid_multiscale_transform_input_output).
    {"zarr/spec/valid/image/custom_type_axes.ome.zarr", "string input/output (0.6)"},
    {"zarr/spec/valid/image/invalid_axis_units.ome.zarr", "string input/output (0.6)"},
    {"zarr/spec/valid/image/mismatch_axes_units.ome.zarr", "string input/output (0.6)"},
    {"zarr/spec/valid/image/missing_name.ome.zarr", "string input/output (0.6)"},
    {"zarr/spec/valid/image/untyped_axes.ome.zarr", "string input/output (0.6)"},
    {"zarr/strict/valid/image/image.ome.zarr", "string input/output (0.6)"},
    {"zarr/strict/valid/image/image_metadata.ome.zarr", "string input/output (0.6)"},
    {"zarr/strict/valid/image/image_omero.ome.zarr", "string input/output (0.6)"},
    {"zarr/strict/valid/image/multiscales_example.ome.zarr", "string input/output (0.6)"},
    {"zarr/strict/valid/image/multiscales_transformations.ome.zarr", "string input/output (0.6)"},
};

std::string schema_dir() {
  return test::spec_fixtures().value_or(fs::path()).string();
}

Json read_json_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return Json::parse(ss.str());
}

std::string first_problems(const ValidationReport& r) {
  std::string out;
  for (size_t i = 0; i < r.problems.size() && i < 6; ++i)
    out += "\n  " + to_string(r.problems[i].severity) + " " + r.problems[i].rule + " " +
           r.problems[i].json_path + ": " + r.problems[i].message;
  return out;
}

struct Tally {
  int cases = 0, agree = 0, listed = 0, schema_agree = 0;
};

void print_table(const std::map<std::string, Tally>& table, const char* title) {
  std::printf("%s\n%-40s %6s %6s %6s %8s\n", title, "suite", "cases", "agree", "listed", "schema");
  for (const auto& [name, t] : table)
    std::printf("%-40s %6d %6d %6d %8d\n", name.c_str(), t.cases, t.agree, t.listed,
                t.schema_agree);
}

// Whether the schema half alone (rules "schema:...") accepts.
bool schema_accepts(const ValidationReport& r, bool strict) {
  for (const Problem& p : r.problems)
    if (p.rule.rfind("schema:", 0) == 0 || p.rule == "0.6/io-string-form" ||
        (strict && p.rule.rfind("schema-strict:", 0) == 0))
      return false;
  return true;
}

// Tallies one suite case: agreement with the suite's verdict, or a listed disagreement; any other
// disagreement fails the test. The schema half alone is tallied (and printed when it differs).
void judge(const ValidationReport& r, bool strict, bool expected, const std::string& id, Tally& t) {
  ++t.cases;
  t.schema_agree += schema_accepts(r, strict) == expected;
  if (schema_accepts(r, strict) != expected)
    std::printf("  schema half alone disagrees: %s\n", id.c_str());
  if (r.valid(strict) == expected) {
    ++t.agree;
    EXPECT_FALSE(kDisagreements.contains(id)) << "agrees now: remove it from kDisagreements";
  } else if (kDisagreements.contains(id)) {
    ++t.listed;
  } else {
    ADD_FAILURE() << "expected " << (expected ? "valid" : "invalid") << first_problems(r);
  }
}

TEST(Validate, SpecSuites04And05) {
  NGFF_SKIP_WITHOUT_SPEC_FIXTURES();
  std::map<std::string, Tally> table;
  for (const char* v : {"0.4", "0.5"}) {
    for (const auto& entry : fs::directory_iterator(fs::path(schema_dir()) / v / "tests")) {
      std::string file = entry.path().filename().string();
      if (!file.ends_with("_suite.json")) continue;
      std::string suite = file.substr(0, file.size() - 5);
      bool strict = suite.starts_with("strict_");
      Tally& t = table[std::string(v) + "/" + suite];
      const Json doc = read_json_file(entry.path());
      for (const Json& c : doc["tests"]) {
        std::string id =
            std::string(v) + "/" + suite + "/" + c.value("formerly", c.value("description", "?"));
        SCOPED_TRACE(id);
        ValidateOptions o;
        o.strict = strict;
        o.schema_dir = schema_dir();
        ValidationReport r = validate_attributes(c["data"], o, id);
        bool expected = c["valid"].get<bool>();
        judge(r, strict, expected, id, t);
      }
    }
  }
  print_table(table,
              "0.4 / 0.5 suites (agree = ngff's verdict as the suite; listed = "
              "kDisagreements; schema = schema half alone as the suite)");
}

// The 0.6-dev corpus: the verdict is the folder (spec|strict / valid|invalid / kind / name).
void run_06_corpus(const std::string& mode) {
  fs::path root = fs::path(schema_dir()) / "0.6-dev" / "tests" / mode;
  ASSERT_TRUE(fs::is_directory(root));
  std::map<std::string, Tally> table;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    const fs::path& p = entry.path();
    bool is_case = mode == "attributes" ? p.extension() == ".json"
                                        : p.extension() == ".zarr" && fs::is_directory(p);
    if (!is_case) continue;
    fs::path rel = fs::relative(p, root);
    auto it = rel.begin();
    std::string strictness = (it++)->string(), validity = (it++)->string();
    std::string kind = (it++)->string();
    bool strict = strictness == "strict", expected = validity == "valid";
    std::string id = mode + "/" + rel.string();
    SCOPED_TRACE(id);
    ValidateOptions o;
    o.strict = strict;
    o.schema_dir = schema_dir();
    ValidationReport r;
    if (mode == "attributes") {
      Json doc = read_json_file(p);
      doc.erase("_conformance");
      r = validate_attributes(doc, o, id);
    } else {
      o.metadata_only = true;  // the corpus holds each group's zarr.json only
      r = validate(std::make_shared<FileStore>(p.string()), "", o);
    }
    Tally& t = table[mode + "/" + strictness + "/" + validity + "/" + kind];
    judge(r, strict, expected, id, t);
  }
  print_table(table, ("0.6-dev " + mode).c_str());
}

TEST(Validate, SpecCorpus06Attributes) {
  NGFF_SKIP_WITHOUT_SPEC_FIXTURES();
  run_06_corpus("attributes");
}

TEST(Validate, SpecCorpus06Zarr) {
  NGFF_SKIP_WITHOUT_SPEC_FIXTURES();
  run_06_corpus("zarr");
}

// The rules that need the store, on small hierarchies written here.

size_t rule_count(const ValidationReport& r, const std::string& rule) {
  return static_cast<size_t>(std::count_if(r.problems.begin(), r.problems.end(),
                                           [&](const Problem& p) { return p.rule == rule; }));
}

Json axes_yx() {
  return Json::parse(R"([{"name": "y", "type": "space"}, {"name": "x", "type": "space"}])");
}

Json dataset(const std::string& path, double scale) {
  return {{"path", path},
          {"coordinateTransformations", {{{"type", "scale"}, {"scale", {scale, scale}}}}}};
}

// A 0.5 image group at `path` with `levels` datasets "0", "1", ... and their arrays (8x8 halved
// per level, uint8, 4x4 chunks, filled with `value`).
// Replaces a group's attributes, keeping what it holds.
void set_attrs(const StorePtr& store, const std::string& path, const Json& attrs) {
  zarr::Group::open(store, path).set_attributes(attrs);
}

Json write_image_05(const StorePtr& store, const std::string& path, int levels,
                    zarr::DataType dtype = zarr::DataType::uint8, uint8_t value = 1) {
  zarr::Group::create(store, path, 3, Json::object(), true);
  Json datasets = Json::array();
  for (int i = 0; i < levels; ++i) {
    datasets.push_back(dataset(std::to_string(i), static_cast<double>(1 << i)));
    zarr::ArraySpec spec;
    uint64_t n = 8u >> i;
    spec.shape = {n, n};
    spec.chunks = {4, 4};
    spec.dtype = dtype;
    auto a =
        zarr::Array::create(store, path + "/" + std::to_string(i), zarr::make_array_metadata(spec));
    std::vector<std::byte> data(n * n * zarr::dtype_size(dtype), std::byte{value});
    a.write({{0, 0}, {n, n}}, data.data());
  }
  Json attrs = {
      {"ome",
       {{"version", "0.5"},
        {"multiscales", {{{"name", "img"}, {"axes", axes_yx()}, {"datasets", datasets}}}}}}};
  set_attrs(store, path, attrs);
  return attrs;
}

ValidateOptions options() {
  ValidateOptions o;
  o.schema_dir = schema_dir();
  return o;
}

TEST(Validate, CleanImage) {
  auto store = std::make_shared<MemoryStore>();
  write_image_05(store, "img", 2);
  auto r = validate(store, "img", options());
  EXPECT_EQ(r.count(Severity::error), 0u) << first_problems(r);
  EXPECT_EQ(r.kind, "image");
  EXPECT_EQ(r.version_text, "0.5");
  EXPECT_TRUE(r.valid(false));
}

TEST(Validate, MultiscalesRules) {
  auto store = std::make_shared<MemoryStore>();
  Json attrs = write_image_05(store, "img", 2);
  Json& ms = attrs["ome"]["multiscales"][0];
  // A dataset with no array, a level larger than the one before with a smaller scale.
  ms["datasets"].push_back(dataset("9", 4));
  ms["datasets"][1]["coordinateTransformations"][0]["scale"] = {0.5, 0.5};
  set_attrs(store, "img", attrs);
  zarr::ArraySpec big;
  big.shape = {16, 16};
  big.chunks = {4, 4};
  big.dtype = zarr::DataType::uint16;  // and another dtype
  big.dimension_names = {"a", "b"};
  zarr::Array::create(store, "img/1", zarr::make_array_metadata(big), true);
  auto r = validate(store, "img", options());
  EXPECT_EQ(rule_count(r, "multiscales/dataset-array"), 1u) << first_problems(r);
  EXPECT_EQ(rule_count(r, "multiscales/shape-order"), 2u);
  EXPECT_EQ(rule_count(r, "multiscales/scale-order"), 2u);
  EXPECT_EQ(rule_count(r, "multiscales/dtype-equal"), 1u);
  EXPECT_EQ(rule_count(r, "zarr/dimension-names"), 1u);
  EXPECT_FALSE(r.valid(false));
  // A level of another dimensionality.
  zarr::ArraySpec three;
  three.shape = {2, 4, 4};
  three.chunks = {1, 4, 4};
  zarr::Array::create(store, "img/1", zarr::make_array_metadata(three), true);
  EXPECT_EQ(rule_count(validate(store, "img", options()), "multiscales/ndim"), 1u);
}

TEST(Validate, LayoutAndWindow) {
  auto store = std::make_shared<MemoryStore>();
  Json attrs = write_image_05(store, "img", 1);
  // 0.4's layout in a Zarr v3 group.
  Json v04 = attrs["ome"];
  v04.erase("version");
  v04["multiscales"][0]["version"] = "0.4";
  set_attrs(store, "img", v04);
  EXPECT_EQ(rule_count(validate(store, "img", options()), "version/layout"), 1u);
  // An omero window beyond uint8.
  attrs["ome"]["omero"] = Json::parse(
      R"({"channels": [{"color": "FF0000", "window": {"start": 0, "end": 300, "min": 0,
          "max": 255}}]})");
  set_attrs(store, "img", attrs);
  auto r = validate(store, "img", options());
  EXPECT_EQ(rule_count(r, "omero/window-range"), 1u) << first_problems(r);
  EXPECT_TRUE(r.valid(false));
  EXPECT_FALSE(r.valid(true));
}

TEST(Validate, LabelRules) {
  auto store = std::make_shared<MemoryStore>();
  write_image_05(store, "img", 1);
  zarr::Group::create(store, "img/labels", 3,
                      {{"ome", {{"version", "0.5"}, {"labels", {"cells", "gone"}}}}});
  Json label = write_image_05(store, "img/labels/cells", 1, zarr::DataType::float32);
  label["ome"]["image-label"] = Json::parse(
      R"({"colors": [{"label-value": 1, "rgba": [1, 2, 3, 255]}], "source": {"image": "../../x"}})");
  set_attrs(store, "img/labels/cells", label);
  auto r = validate(store, "img", options());
  EXPECT_EQ(rule_count(r, "labels/listed"), 1u) << first_problems(r);
  EXPECT_EQ(rule_count(r, "labels/integer-dtype"), 1u);
  EXPECT_EQ(rule_count(r, "labels/source-image"), 1u);
  // A label image that names its image, integer-typed, with a colour absent from its data
  // (checked with deep only).
  write_image_05(store, "img/labels/cells", 1, zarr::DataType::uint8, 1);
  label["ome"]["image-label"]["source"]["image"] = "../../";
  label["ome"]["image-label"]["colors"].push_back({{"label-value", 9}});
  set_attrs(store, "img/labels/cells", label);
  set_attrs(store, "img/labels", {{"ome", {{"version", "0.5"}, {"labels", {"cells"}}}}});
  r = validate(store, "img", options());
  EXPECT_EQ(r.count(Severity::error), 0u) << first_problems(r);
  EXPECT_EQ(rule_count(r, "labels/colour-values"), 0u);
  ValidateOptions deep = options();
  deep.deep = true;
  r = validate(store, "img", deep);
  ASSERT_EQ(rule_count(r, "labels/colour-values"), 1u) << first_problems(r);
  auto it = std::find_if(r.problems.begin(), r.problems.end(),
                         [](const Problem& p) { return p.rule == "labels/colour-values"; });
  EXPECT_NE(it->message.find("label-value(s) 9 "), std::string::npos) << it->message;
  EXPECT_EQ(it->json_path, "attributes.ome.image-label.colors");
}

TEST(Validate, PlateRules) {
  auto store = std::make_shared<MemoryStore>();
  zarr::Group::create(store, "p", 3, Json::parse(R"({"ome": {"version": "0.5", "plate": {
      "name": "p", "field_count": 1, "rows": [{"name": "A"}], "columns": [{"name": "1"},
      {"name": "2"}], "wells": [{"path": "A/1", "rowIndex": 0, "columnIndex": 0},
      {"path": "A/2", "rowIndex": 0, "columnIndex": 1}]}}})"));
  zarr::Group::create(store, "p/A/1", 3, Json::parse(R"({"ome": {"version": "0.5", "well": {
      "images": [{"path": "0"}, {"path": "1"}, {"path": "2"}]}}})"));
  write_image_05(store, "p/A/1/0", 1);
  write_image_05(store, "p/A/1/1", 1);
  auto r = validate(store, "p", options());
  EXPECT_EQ(rule_count(r, "plate/well-exists"), 1u) << first_problems(r);
  EXPECT_EQ(rule_count(r, "plate/field-count"), 1u);
  EXPECT_EQ(rule_count(r, "well/field-exists"), 1u);
  EXPECT_EQ(r.kind, "plate");
  // metadata_only: the plate's own document only.
  ValidateOptions o = options();
  o.metadata_only = true;
  EXPECT_EQ(validate(store, "p", o).count(Severity::error), 0u);
}

TEST(Validate, Bioformats2raw) {
  auto store = std::make_shared<MemoryStore>();
  zarr::Group::create(store, "", 3, {{"ome", {{"version", "0.5"}, {"bioformats2raw.layout", 3}}}});
  write_image_05(store, "0", 1);
  zarr::Group::create(store, "OME", 3, {{"ome", {{"version", "0.5"}, {"series", {"0", "1"}}}}});
  auto r = validate(store, "", options());
  EXPECT_EQ(r.kind, "bioformats2raw");
  EXPECT_EQ(rule_count(r, "bf2raw/series"), 1u) << first_problems(r);  // "1" has no group
  set_attrs(store, "OME", {{"ome", {{"version", "0.5"}, {"series", {"0"}}}}});
  r = validate(store, "", options());
  EXPECT_EQ(r.count(Severity::error), 0u) << first_problems(r);
  // A series that is not an image.
  zarr::Group::create(store, "0", 3, Json::object(), true);
  EXPECT_EQ(rule_count(validate(store, "", options()), "bf2raw/series"), 1u);
}

TEST(Validate, DeepChunks) {
  test::TempDir dir;
  auto store = std::make_shared<FileStore>(dir.path().string());
  write_image_05(store, "img", 1, zarr::DataType::uint8, 7);
  ValidateOptions o = options();
  o.deep = true;
  uint64_t last_done = 0, last_total = 0;
  o.progress = [&](uint64_t done, uint64_t total) {
    last_done = done;
    last_total = total;
  };
  auto r = validate(store, "img", o);
  EXPECT_EQ(r.count(Severity::error), 0u) << first_problems(r);
  EXPECT_EQ(last_total, 64u);
  EXPECT_EQ(last_done, 64u);
  fs::remove(dir.path() / "img/0/c/0/0");
  {
    std::ofstream corrupt(dir.path() / "img/0/c/1/1", std::ios::binary | std::ios::trunc);
    corrupt << "not zstd";
  }
  r = validate(store, "img", o);
  EXPECT_EQ(rule_count(r, "deep/chunk-missing"), 1u) << first_problems(r);
  EXPECT_EQ(r.count(Severity::info), 1u);  // legal Zarr: breaks nothing, not even --strict
  EXPECT_EQ(rule_count(r, "deep/chunk-decode") + rule_count(r, "deep/chunk-size"), 1u);
  // Without deep neither is seen.
  o.deep = false;
  EXPECT_EQ(validate(store, "img", o).count(Severity::error), 0u);
}

TEST(Validate, UnreadableAndMissing) {
  auto store = std::make_shared<MemoryStore>();
  EXPECT_THROW(validate(store, "nothing", options()), KeyNotFound);
  store->set("bad/zarr.json", to_bytes(R"({"zarr_format": 3, "node_type": "group", "attr)"));
  auto r = validate(store, "bad", options());
  EXPECT_EQ(rule_count(r, "zarr/metadata"), 1u) << first_problems(r);
  EXPECT_FALSE(r.valid(false));
  // A plain group is not OME-Zarr.
  zarr::Group::create(store, "plain", 3);
  EXPECT_EQ(rule_count(validate(store, "plain", options()), "ome/missing"), 1u);
}

TEST(Validate, WithoutSchemas) {
  ValidateOptions o;
  o.schema_dir = "/nonexistent";
  auto r = validate_attributes(Json::parse(R"({"ome": {"version": "0.5", "multiscales": [
      {"axes": [{"name": "x", "type": "space"}], "datasets": [{"path": "0",
      "coordinateTransformations": [{"type": "scale", "scale": [1]}]}]}]}})"),
                               o);
  EXPECT_EQ(rule_count(r, "schema/unavailable"), 1u);
  EXPECT_EQ(rule_count(r, "model"), 1u) << first_problems(r);  // one space axis
  EXPECT_FALSE(r.schema_dir);
}

TEST(Validate, ReportJson) {
  ValidationReport r;
  r.url = "file:///x";
  r.kind = "image";
  r.version_text = "0.5";
  r.problems = {{Severity::warning, "file:///x", "attributes.ome", "should/image", "w"}};
  Json j = r.to_json(false);
  EXPECT_EQ(j["valid"], true);
  EXPECT_FALSE(j.contains("message"));
  EXPECT_EQ(j["counts"]["warning"], 1);
  j = r.to_json(true);
  EXPECT_EQ(j["valid"], false);
  EXPECT_EQ(j["message"], "warning should/image at attributes.ome: w");
  EXPECT_EQ(j["problems"][0]["rule"], "should/image");
}

}  // namespace
