#include "json_schema.hpp"

#include <algorithm>
#include <array>
#include <cmath>

#include "json_path.hpp"
#include "ngff/error.hpp"

namespace ngff::ome::detail {
namespace {

constexpr std::array<std::string_view, 5> kAnnotations = {"$schema", "$comment", "title",
                                                          "description", "default"};
constexpr std::array<std::string_view, 25> kKeywords = {"type",
                                                        "properties",
                                                        "required",
                                                        "items",
                                                        "minItems",
                                                        "maxItems",
                                                        "uniqueItems",
                                                        "enum",
                                                        "const",
                                                        "pattern",
                                                        "minLength",
                                                        "minimum",
                                                        "maximum",
                                                        "exclusiveMinimum",
                                                        "allOf",
                                                        "anyOf",
                                                        "oneOf",
                                                        "not",
                                                        "additionalProperties",
                                                        "contains",
                                                        "minContains",
                                                        "maxContains",
                                                        "$ref",
                                                        "$defs",
                                                        "$id"};

template <size_t N>
bool listed(const std::array<std::string_view, N>& list, std::string_view key) {
  return std::find(list.begin(), list.end(), key) != list.end();
}

// One JSON-pointer token ("a/b" -> "a~1b").
std::string pointer_token(std::string_view name) {
  std::string out;
  for (char c : name) {
    if (c == '~')
      out += "~0";
    else if (c == '/')
      out += "~1";
    else
      out += c;
  }
  return out;
}

std::string child_pointer(std::string_view pointer, std::string_view token) {
  return std::string(pointer) + "/" + pointer_token(token);
}

std::string last_segment(std::string_view uri) {
  auto slash = uri.rfind('/');
  return std::string(slash == std::string_view::npos ? uri : uri.substr(slash + 1));
}

// `ref` as (document URI, fragment) against the document `base`.
std::pair<std::string, std::string> split_ref(std::string_view base, std::string_view ref) {
  auto hash = ref.find('#');
  std::string target(ref.substr(0, hash));
  std::string fragment(hash == std::string_view::npos ? "" : ref.substr(hash + 1));
  if (target.empty())
    target = base;
  else if (target.find("://") == std::string::npos) {
    auto slash = base.rfind('/');
    target = std::string(base.substr(0, slash == std::string_view::npos ? 0 : slash + 1)) + target;
  }
  return {target, fragment};
}

bool is_integer(const Json& v) {
  if (v.is_number_integer()) return true;
  if (!v.is_number_float()) return false;
  double d = v.get<double>();
  return std::isfinite(d) && d == std::trunc(d);
}

bool has_type(const Json& v, std::string_view type) {
  if (type == "object") return v.is_object();
  if (type == "array") return v.is_array();
  if (type == "string") return v.is_string();
  if (type == "number") return v.is_number();
  if (type == "integer") return is_integer(v);
  if (type == "boolean") return v.is_boolean();
  if (type == "null") return v.is_null();
  return false;
}

// Unicode code points of a UTF-8 string (what minLength counts).
size_t code_points(const std::string& s) {
  return static_cast<size_t>(std::count_if(
      s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

std::string number_text(double d) {
  if (d == std::trunc(d) && std::fabs(d) < 1e15) return std::to_string(static_cast<int64_t>(d));
  return describe(Json(d));
}

[[noreturn]] void refuse(const std::string& where, const std::string& what) {
  throw UsageError("JSON schema " + where + ": " + what);
}

// Checks the keywords of one (sub)schema and of every schema below it; compiles the patterns.
void check_schema(const Json& s, const std::string& where, bool root,
                  std::map<std::string, std::regex, std::less<>>& patterns) {
  if (s.is_boolean()) return;
  if (!s.is_object()) refuse(where, "a schema must be an object or a boolean");
  for (const auto& [key, value] : s.items()) {
    std::string at = where + "/" + pointer_token(key);
    if (listed(kAnnotations, key)) continue;
    if (!listed(kKeywords, key))
      refuse(at, "keyword '" + key + "' is not supported by ngff's schema evaluator");
    if (key == "$id" && !root) refuse(at, "'$id' is supported at a document's root only");
    if (key == "properties" || key == "$defs") {
      if (!value.is_object()) refuse(at, "expected an object");
      for (const auto& [name, sub] : value.items())
        check_schema(sub, at + "/" + pointer_token(name), false, patterns);
    } else if (key == "items" || key == "contains" || key == "not" ||
               key == "additionalProperties") {
      check_schema(value, at, false, patterns);
    } else if (key == "allOf" || key == "anyOf" || key == "oneOf") {
      if (!value.is_array() || value.empty()) refuse(at, "expected a non-empty array");
      for (size_t i = 0; i < value.size(); ++i)
        check_schema(value[i], at + "/" + std::to_string(i), false, patterns);
    } else if (key == "pattern") {
      if (!value.is_string()) refuse(at, "expected a string");
      try {
        patterns.emplace(value.get<std::string>(),
                         std::regex(value.get<std::string>(), std::regex::ECMAScript));
      } catch (const std::regex_error& e) {
        refuse(at, std::string("invalid pattern: ") + e.what());
      }
    } else if (key == "$ref") {
      if (!value.is_string()) refuse(at, "expected a string");
      auto hash = value.get<std::string>().find('#');
      if (hash != std::string::npos && hash + 1 < value.get<std::string>().size() &&
          value.get<std::string>()[hash + 1] != '/')
        refuse(at, "only JSON-pointer fragments are supported (no anchors)");
    } else if (key == "required" || key == "enum") {
      if (!value.is_array()) refuse(at, "expected an array");
    } else if (key == "type") {
      if (!value.is_string() && !value.is_array()) refuse(at, "expected a string or an array");
    } else if (key != "const" && key != "$id" && key != "uniqueItems" && !value.is_number()) {
      refuse(at, "expected a number");
    }
  }
}

}  // namespace

// Walks a schema over an instance, collecting failures. Stateless apart from the registry.
class SchemaEvaluator {
 public:
  explicit SchemaEvaluator(const SchemaRegistry& registry) : registry_(registry) {}

  struct Location {
    const SchemaRegistry::Document* doc;
    std::string pointer;  // of the schema within doc ("" = the root)
  };

  void eval(const Json& schema, const Location& at, const Json& inst, const std::string& path,
            size_t depth, std::vector<SchemaFailure>& out) const;

  // The document and JSON pointer `ref` points at from `from`. Throws UsageError.
  std::pair<const Json*, Location> resolve(const Location& from, const std::string& ref) const {
    auto [uri, fragment] = split_ref(from.doc->uri, ref);
    auto it = registry_.documents_.find(uri);
    if (it == registry_.documents_.end())
      throw UsageError("JSON schema " + from.doc->name + "#" + from.pointer + ": $ref '" + ref +
                       "' names no loaded schema");
    const Json* target = &it->second.schema;
    if (!fragment.empty()) {
      Json::json_pointer pointer(fragment);
      if (!target->contains(pointer))
        throw UsageError("JSON schema " + from.doc->name + "#" + from.pointer + ": $ref '" + ref +
                         "' points nowhere");
      target = &target->at(pointer);
    }
    return {target, Location{&it->second, fragment}};
  }

 private:
  static void fail(const Location& at, std::string_view keyword, const std::string& path,
                   size_t depth, std::string message, std::vector<SchemaFailure>& out) {
    out.push_back(
        {path, at.doc->name + "#" + child_pointer(at.pointer, keyword), std::move(message), depth});
  }

  bool valid(const Json& schema, const Location& at, const Json& inst) const {
    std::vector<SchemaFailure> failures;
    eval(schema, at, inst, "", 0, failures);
    return failures.empty();
  }

  void eval_object(const Json& s, const Location& at, const Json& inst, const std::string& path,
                   size_t depth, std::vector<SchemaFailure>& out) const;
  void eval_array(const Json& s, const Location& at, const Json& inst, const std::string& path,
                  size_t depth, std::vector<SchemaFailure>& out) const;
  void eval_scalar(const Json& s, const Location& at, const Json& inst, const std::string& path,
                   size_t depth, std::vector<SchemaFailure>& out) const;
  void eval_combinators(const Json& s, const Location& at, const Json& inst,
                        const std::string& path, size_t depth,
                        std::vector<SchemaFailure>& out) const;

  const SchemaRegistry& registry_;
};

namespace {

SchemaEvaluator::Location sub(const SchemaEvaluator::Location& at, std::string_view key) {
  return {at.doc, child_pointer(at.pointer, key)};
}

SchemaEvaluator::Location sub(const SchemaEvaluator::Location& at, std::string_view key,
                              std::string_view token) {
  return {at.doc, child_pointer(child_pointer(at.pointer, key), token)};
}

// The branch whose failures reach deepest into the instance (it matched the most before
// failing), then the one with the fewest failures: the branch the author most likely meant.
size_t best_branch(const std::vector<std::vector<SchemaFailure>>& branches) {
  size_t best = 0;
  auto score = [](const std::vector<SchemaFailure>& f) {
    size_t deepest = 0;
    for (const auto& x : f) deepest = std::max(deepest, x.depth);
    return std::make_pair(deepest, -static_cast<std::ptrdiff_t>(f.size()));
  };
  for (size_t i = 1; i < branches.size(); ++i)
    if (score(branches[i]) > score(branches[best])) best = i;
  return best;
}

}  // namespace

void SchemaEvaluator::eval(const Json& s, const Location& at, const Json& inst,
                           const std::string& path, size_t depth,
                           std::vector<SchemaFailure>& out) const {
  if (s.is_boolean()) {
    if (!s.get<bool>())
      out.push_back({path, at.doc->name + "#" + at.pointer, "no value is allowed here", depth});
    return;
  }
  if (const Json* ref = find(s, "$ref")) {
    auto [target, location] = resolve(at, ref->get<std::string>());
    eval(*target, location, inst, path, depth, out);
  }
  if (const Json* type = find(s, "type")) {
    bool ok = false;
    if (type->is_string())
      ok = has_type(inst, type->get<std::string>());
    else
      for (const Json& t : *type)
        ok = ok || (t.is_string() && has_type(inst, t.get<std::string>()));
    if (!ok) {
      std::string expected = type->is_string() ? type->get<std::string>() : type->dump();
      fail(at, "type", path, depth, "expected type " + expected + ", got " + describe(inst), out);
      return;  // the other keywords would only repeat it
    }
  }
  if (const Json* e = find(s, "enum")) {
    if (std::find(e->begin(), e->end(), inst) == e->end())
      fail(at, "enum", path, depth, "expected one of " + describe(*e) + ", got " + describe(inst),
           out);
  }
  if (const Json* c = s.contains("const") ? &s["const"] : nullptr) {
    if (*c != inst)
      fail(at, "const", path, depth, "expected " + describe(*c) + ", got " + describe(inst), out);
  }
  if (inst.is_object()) eval_object(s, at, inst, path, depth, out);
  if (inst.is_array()) eval_array(s, at, inst, path, depth, out);
  eval_scalar(s, at, inst, path, depth, out);
  eval_combinators(s, at, inst, path, depth, out);
}

void SchemaEvaluator::eval_object(const Json& s, const Location& at, const Json& inst,
                                  const std::string& path, size_t depth,
                                  std::vector<SchemaFailure>& out) const {
  if (const Json* required = find(s, "required"))
    for (const Json& name : *required)
      if (name.is_string() && !inst.contains(name.get<std::string>()))
        fail(at, "required", path, depth,
             "missing required field '" + name.get<std::string>() + "'", out);
  const Json* properties = find(s, "properties");
  if (properties)
    for (const auto& [name, schema] : properties->items())
      if (inst.contains(name))
        eval(schema, sub(at, "properties", name), inst[name], key_path(path, name), depth + 1, out);
  if (const Json* additional = find(s, "additionalProperties"))
    for (const auto& [name, value] : inst.items()) {
      if (properties && properties->contains(name)) continue;
      if (additional->is_boolean() && !additional->get<bool>())
        fail(at, "additionalProperties", path, depth, "field '" + name + "' is not allowed", out);
      else
        eval(*additional, sub(at, "additionalProperties"), value, key_path(path, name), depth + 1,
             out);
    }
}

void SchemaEvaluator::eval_array(const Json& s, const Location& at, const Json& inst,
                                 const std::string& path, size_t depth,
                                 std::vector<SchemaFailure>& out) const {
  const size_t n = inst.size();
  if (const Json* items = find(s, "items"))
    for (size_t i = 0; i < n; ++i)
      eval(*items, sub(at, "items"), inst[i], index_path(path, i), depth + 1, out);
  if (const Json* min = find(s, "minItems"); min && static_cast<double>(n) < min->get<double>())
    fail(at, "minItems", path, depth,
         "expected at least " + describe(*min) + " items, got " + std::to_string(n), out);
  if (const Json* max = find(s, "maxItems"); max && static_cast<double>(n) > max->get<double>())
    fail(at, "maxItems", path, depth,
         "expected at most " + describe(*max) + " items, got " + std::to_string(n), out);
  if (const Json* unique = find(s, "uniqueItems"); unique && unique->is_boolean() && *unique) {
    bool reported = false;
    for (size_t i = 0; i < n && !reported; ++i)
      for (size_t j = i + 1; j < n && !reported; ++j)
        if (inst[i] == inst[j]) {
          fail(at, "uniqueItems", path, depth,
               "items [" + std::to_string(i) + "] and [" + std::to_string(j) + "] are equal", out);
          reported = true;
        }
  }
  if (const Json* contains = find(s, "contains")) {
    size_t matches = 0;
    for (size_t i = 0; i < n; ++i)
      if (valid(*contains, sub(at, "contains"), inst[i])) ++matches;
    const Json* min_json = find(s, "minContains");
    const Json* max_json = find(s, "maxContains");
    double min = min_json ? min_json->get<double>() : 1.0;
    std::string what = "item(s) match " + describe(*contains);
    if (static_cast<double>(matches) < min)
      fail(at, min_json ? "minContains" : "contains", path, depth,
           std::to_string(matches) + " " + what + ", at least " + number_text(min) + " required",
           out);
    if (max_json && static_cast<double>(matches) > max_json->get<double>())
      fail(at, "maxContains", path, depth,
           std::to_string(matches) + " " + what + ", at most " + describe(*max_json) + " allowed",
           out);
  }
}

void SchemaEvaluator::eval_scalar(const Json& s, const Location& at, const Json& inst,
                                  const std::string& path, size_t depth,
                                  std::vector<SchemaFailure>& out) const {
  if (inst.is_string()) {
    const auto& text = inst.get_ref<const std::string&>();
    if (const Json* pattern = find(s, "pattern")) {
      auto it = registry_.patterns_.find(pattern->get<std::string>());
      if (it != registry_.patterns_.end() && !std::regex_search(text, it->second))
        fail(at, "pattern", path, depth,
             describe(inst) + " does not match the pattern " + describe(*pattern), out);
    }
    if (const Json* min = find(s, "minLength");
        min && static_cast<double>(code_points(text)) < min->get<double>())
      fail(at, "minLength", path, depth,
           "expected at least " + describe(*min) + " characters, got " + describe(inst), out);
  }
  if (inst.is_number()) {
    double v = inst.get<double>();
    if (const Json* min = find(s, "minimum"); min && v < min->get<double>())
      fail(at, "minimum", path, depth, describe(inst) + " is less than " + describe(*min), out);
    if (const Json* max = find(s, "maximum"); max && v > max->get<double>())
      fail(at, "maximum", path, depth, describe(inst) + " is greater than " + describe(*max), out);
    if (const Json* min = find(s, "exclusiveMinimum"); min && v <= min->get<double>())
      fail(at, "exclusiveMinimum", path, depth,
           describe(inst) + " is not greater than " + describe(*min), out);
  }
}

void SchemaEvaluator::eval_combinators(const Json& s, const Location& at, const Json& inst,
                                       const std::string& path, size_t depth,
                                       std::vector<SchemaFailure>& out) const {
  if (const Json* all = find(s, "allOf"))
    for (size_t i = 0; i < all->size(); ++i)
      eval((*all)[i], sub(at, "allOf", std::to_string(i)), inst, path, depth, out);
  for (std::string_view keyword : {"anyOf", "oneOf"}) {
    const Json* branches = find(s, keyword);
    if (!branches) continue;
    std::vector<std::vector<SchemaFailure>> failures(branches->size());
    std::vector<size_t> matching;
    for (size_t i = 0; i < branches->size(); ++i) {
      eval((*branches)[i], sub(at, keyword, std::to_string(i)), inst, path, depth, failures[i]);
      if (failures[i].empty()) matching.push_back(i);
    }
    if (matching.empty()) {
      // The failures of the branch that came closest say more than "no branch matches".
      auto& best = failures[best_branch(failures)];
      out.insert(out.end(), best.begin(), best.end());
    } else if (keyword == "oneOf" && matching.size() > 1) {
      fail(at, keyword, path, depth,
           "matches branches " + std::to_string(matching[0]) + " and " +
               std::to_string(matching[1]) + " of 'oneOf'; exactly one must match",
           out);
    }
  }
  if (const Json* negated = find(s, "not"); negated && valid(*negated, sub(at, "not"), inst))
    fail(at, "not", path, depth, describe(inst) + " must not match " + describe(*negated), out);
}

void SchemaRegistry::add(Json schema, const std::string& fallback_uri) {
  std::string uri = fallback_uri;
  if (schema.is_object() && schema.contains("$id") && schema["$id"].is_string())
    uri = schema["$id"].get<std::string>();
  auto hash = uri.find('#');
  if (hash != std::string::npos) uri.resize(hash);
  check_schema(schema, last_segment(uri) + "#", true, patterns_);
  documents_[uri] = Document{std::move(schema), uri, last_segment(uri)};
}

Json& SchemaRegistry::document(const std::string& uri) {
  auto it = documents_.find(uri);
  if (it == documents_.end()) throw UsageError("no JSON schema '" + uri + "' is loaded");
  return it->second.schema;
}

namespace {

void check_refs_in(const SchemaEvaluator& evaluator, const Json& s,
                   const SchemaEvaluator::Location& at) {
  if (!s.is_object()) return;
  for (const auto& [key, value] : s.items()) {
    if (key == "$ref") evaluator.resolve(at, value.get<std::string>());
    if (key == "properties" || key == "$defs")
      for (const auto& [name, child] : value.items())
        check_refs_in(evaluator, child, sub(at, key, name));
    else if (key == "items" || key == "contains" || key == "not" || key == "additionalProperties")
      check_refs_in(evaluator, value, sub(at, key));
    else if (key == "allOf" || key == "anyOf" || key == "oneOf")
      for (size_t i = 0; i < value.size(); ++i)
        check_refs_in(evaluator, value[i], sub(at, key, std::to_string(i)));
  }
}

}  // namespace

void SchemaRegistry::check_refs() const {
  SchemaEvaluator evaluator(*this);
  for (const auto& [uri, doc] : documents_) check_refs_in(evaluator, doc.schema, {&doc, ""});
}

std::vector<SchemaFailure> SchemaRegistry::validate(const Json& instance, const std::string& uri,
                                                    std::string_view where) const {
  auto it = documents_.find(uri);
  if (it == documents_.end()) throw UsageError("no JSON schema '" + uri + "' is loaded");
  std::vector<SchemaFailure> out;
  SchemaEvaluator(*this).eval(it->second.schema, {&it->second, ""}, instance, std::string(where), 0,
                              out);
  return out;
}

}  // namespace ngff::ome::detail
