// ngff info URL [--json]: what a Zarr node holds — arrays with shape, dtype, chunks, codecs,
// bytes stored and compression ratio; groups as a tree; OME images with axes and levels; plates
// as a grid of wells; bioformats2raw roots as their list of series.
#include <fmt/core.h>

#include <iostream>
#include <map>

#include "commands.hpp"
#include "error_exit.hpp"
#include "format.hpp"
#include "ngff/image/convert_image.hpp"
#include "ngff/image/hierarchy_summary.hpp"
#include "ngff/image/image_summary.hpp"
#include "ngff/ome/hierarchy.hpp"
#include "ngff/ome/named_children.hpp"
#include "ngff/store/open_store.hpp"
#include "ngff/zarr/node_summary.hpp"

namespace ngff::cli {
namespace {

struct InfoOptions {
  std::string url;
  bool json = false;
  bool tree = false;
  int depth = 64;
};

std::string join_dims(const Json& values, const char* sep = " x ") {
  std::string s;
  for (size_t i = 0; i < values.size(); ++i) {
    if (i) s += sep;
    s += values[i].is_string() ? values[i].get<std::string>() : values[i].dump();
  }
  return values.empty() ? "() (0-d)" : s;
}

// "zstd(level=3, checksum=false)"
std::string codec_chain_text(const Json& codecs);

// "zstd(checksum=false, level=3)"; a sharding codec shows its inner and index chains as chains.
std::string codec_text(const Json& c) {
  std::string s = c.value("name", "?");
  if (c.contains("configuration") && c["configuration"].is_object() &&
      !c["configuration"].empty()) {
    std::string args;
    for (const auto& [k, v] : c["configuration"].items()) {
      std::string value = v.is_string() ? v.get<std::string>() : v.dump();
      if ((k == "codecs" || k == "index_codecs") && v.is_array())
        value = "[" + codec_chain_text(v) + "]";
      args += (args.empty() ? "" : ", ") + k + "=" + value;
    }
    s += "(" + args + ")";
  }
  return s;
}

// "bytes(endian=little) > zstd(level=3)"
std::string codec_chain_text(const Json& codecs) {
  std::string s;
  for (const auto& c : codecs) s += (s.empty() ? "" : " > ") + codec_text(c);
  return s;
}

void print_array(const Json& a, const std::string& indent) {
  auto line = [&](const char* label, const std::string& value) {
    fmt::print("{}  {:<12} {}\n", indent, label, value);
  };
  line("shape", join_dims(a["shape"]));
  std::string endian =
      a["endian"].is_null() ? "" : " (" + a["endian"].get<std::string>() + " endian)";
  line("data type", a["data_type"].get<std::string>() + endian);
  line("chunks", fmt::format("{}  ({} chunks in the grid)", join_dims(a["chunks"]),
                             a["chunks_total"].get<uint64_t>()));
  if (a.contains("shards"))
    line("shards",
         fmt::format("{}  ({} shards of {} chunks, index at the {})", join_dims(a["shards"]),
                     a["shards_total"].get<uint64_t>(), a["chunks_per_shard"].get<uint64_t>(),
                     a["shard_index_location"].get<std::string>()));
  if (a.contains("dimension_names")) line("dimensions", join_dims(a["dimension_names"], ", "));
  line("fill value", a["fill_value"].dump());
  line("codecs", codec_chain_text(a["codecs"]));
  if (a.contains("order")) line("order", a["order"].get<std::string>());
  line("chunk keys", "separator '" + a["chunk_key_separator"].get<std::string>() + "'");
  if (a.contains("bytes_stored")) {
    std::string ratio = a["compression_ratio"].is_null()
                            ? "no chunks stored"
                            : fmt::format("ratio {:.2f}x", a["compression_ratio"].get<double>());
    const bool sharded = a.contains("shards_stored");
    line("stored", fmt::format("{} in {} {}, {} ({} uncompressed in all)",
                               human_bytes(a["bytes_stored"].get<double>()),
                               a[sharded ? "shards_stored" : "chunks_stored"].get<uint64_t>(),
                               sharded ? "shards" : "chunks", ratio,
                               human_bytes(a["bytes_logical"].get<double>())));
    for (const auto& w : a["warnings"]) line("WARNING", w.get<std::string>());
  }
}

void print_node(const Json& node, const std::string& indent, const std::string& name) {
  std::string kind = node["node_type"] == "array" ? "array" : "group";
  if (node.value("implicit", false)) kind = "implicit group";
  fmt::print("{}{}  (Zarr v{} {})\n", indent, name, node["zarr_format"].get<int>(), kind);
  if (node["node_type"] == "array") {
    print_array(node, indent);
    if (!node["attributes"].empty())
      fmt::print("{}  {:<12} {}\n", indent, "attributes",
                 fmt::format("{} keys: {}", node["attributes"].size(), [&] {
                   std::string k;
                   for (const auto& [key, v] : node["attributes"].items())
                     k += (k.empty() ? "" : ", ") + key;
                   return k;
                 }()));
    return;
  }
  if (!node["attributes"].empty()) {
    std::string keys;
    for (const auto& [key, v] : node["attributes"].items())
      keys += (keys.empty() ? "" : ", ") + key;
    fmt::print("{}  {:<12} {}\n", indent, "attributes", keys);
  }
  if (node.contains("children_listed") && !node["children_listed"].get<bool>())
    fmt::print("{}  {:<12} {}\n", indent, "children",
               "only those its metadata names (the store cannot list)");
  for (const auto& child : node["children"])
    print_node(child, indent + "  ", child["name"].get<std::string>() + "/");
}

std::string number(double v) {
  return fmt::format("{:g}", v);
}

// The OME view of an image: axes with units, levels with physical voxel sizes, channels, labels.
void print_image(const Json& img, const std::string& indent) {
  auto line = [&](const char* label, const std::string& value) {
    fmt::print("{}  {:<12} {}\n", indent, label, value);
  };
  std::string axes;
  std::vector<size_t> space;
  for (size_t i = 0; i < img["axes"].size(); ++i) {
    const Json& a = img["axes"][i];
    std::string t = a["type"].is_null() ? "" : a["type"].get<std::string>();
    std::string u = a["unit"].is_null() ? "" : a["unit"].get<std::string>();
    if (t == "space") space.push_back(i);
    axes += (axes.empty() ? "" : ", ") + a["name"].get<std::string>() +
            (t.empty() && u.empty() ? "" : " (" + t + (u.empty() ? "" : ", " + u) + ")");
  }
  line("OME-NGFF", img["ome_version"].get<std::string>() +
                       (img["is_label"].get<bool>() ? " label image" : " image") + " '" +
                       img["name"].get<std::string>() + "'");
  line("axes", axes);
  for (size_t i = 0; i < img["levels"].size(); ++i) {
    const Json& l = img["levels"][i];
    std::string size;
    for (size_t k : space) {
      size += (size.empty() ? "" : " x ") + number(l["scale"][k].get<double>());
    }
    std::string unit = space.empty() || img["axes"][space[0]]["unit"].is_null()
                           ? ""
                           : " " + img["axes"][space[0]]["unit"].get<std::string>();
    line(i == 0 ? "levels" : "",
         fmt::format("{:<4} {:<22} voxel {}{}  chunks {}{}", l["path"].get<std::string>(),
                     join_dims(l["shape"]), size, unit, join_dims(l["chunks"]),
                     l["shards"].is_null() ? "" : "  shards " + join_dims(l["shards"])));
  }
  for (size_t i = 0; i < img["channels"].size(); ++i) {
    const Json& c = img["channels"][i];
    std::string text =
        c["label"].is_null() ? "channel " + std::to_string(i) : c["label"].get<std::string>();
    if (!c["color"].is_null()) text += " #" + c["color"].get<std::string>();
    if (c.contains("window"))
      text += " window " + number(c["window"]["start"].get<double>()) + ".." +
              number(c["window"]["end"].get<double>());
    line(i == 0 ? "channels" : "", text);
  }
  if (!img["labels"].empty()) line("labels", join_dims(img["labels"], ", "));
  if (img.contains("coordinate_systems")) {
    std::string systems;
    for (const Json& s : img["coordinate_systems"])
      systems += (systems.empty() ? "" : ", ") + s["name"].get<std::string>() + " [" +
                 join_dims(s["axes"], " ") + "]" +
                 (s["intrinsic"].get<bool>() ? " (intrinsic)" : "");
    line("systems", systems);
    for (size_t i = 0; i < img["transformations"].size(); ++i)
      line(i == 0 ? "transforms" : "", img["transformations"][i].get<std::string>());
  }
}

// The plate as a grid: one cell per well, holding its number of fields ("." when empty).
void print_plate(const Json& p) {
  auto line = [&](const char* label, const std::string& value) {
    fmt::print("  {:<12} {}\n", label, value);
  };
  size_t fields = 0;
  std::map<std::pair<int64_t, int64_t>, size_t> counts;
  for (const auto& w : p["wells"]) {
    counts[{w["rowIndex"].get<int64_t>(), w["columnIndex"].get<int64_t>()}] = w["fields"].size();
    fields += w["fields"].size();
  }
  line("OME-NGFF", p["ome_version"].get<std::string>() + " plate" +
                       (p["name"].is_null() ? "" : " '" + p["name"].get<std::string>() + "'"));
  line("grid", fmt::format("{} rows x {} columns, {} wells filled, {} fields", p["rows"].size(),
                           p["columns"].size(), p["wells"].size(), fields));
  size_t width = 1, label = 1;
  for (const auto& c : p["columns"]) width = std::max(width, c.get<std::string>().size());
  for (const auto& r : p["rows"]) label = std::max(label, r.get<std::string>().size());
  for (const auto& [at, n] : counts) width = std::max(width, std::to_string(n).size());
  std::string header(4 + label, ' ');
  for (const auto& c : p["columns"]) header += fmt::format(" {:>{}}", c.get<std::string>(), width);
  fmt::print("{}\n", header);
  for (size_t r = 0; r < p["rows"].size(); ++r) {
    std::string row = fmt::format("    {:<{}}", p["rows"][r].get<std::string>(), label);
    for (size_t c = 0; c < p["columns"].size(); ++c) {
      auto it = counts.find({static_cast<int64_t>(r), static_cast<int64_t>(c)});
      row += fmt::format(" {:>{}}", it == counts.end() ? "." : std::to_string(it->second), width);
    }
    fmt::print("{}\n", row);
  }
  for (size_t i = 0; i < p["acquisitions"].size(); ++i) {
    const Json& a = p["acquisitions"][i];
    line(i == 0 ? "acquisitions" : "",
         fmt::format("{}{}", a["id"].get<int64_t>(),
                     a["name"].is_null() ? "" : " '" + a["name"].get<std::string>() + "'"));
  }
  if (!p["first_field"].is_null()) {
    fmt::print("  first field {}:\n", p["first_field"]["path"].get<std::string>());
    print_image(p["first_field"], "  ");
  }
}

// The series of a bioformats2raw root: path, name, shape and type.
void print_series(const Json& b) {
  fmt::print("  {:<12} {}\n", "layout",
             fmt::format("bioformats2raw {}, {} series{}", b["layout"].dump(), b["series"].size(),
                         b["ome_xml"].get<bool>() ? ", OME/METADATA.ome.xml" : ""));
  for (size_t i = 0; i < b["series"].size(); ++i) {
    const Json& s = b["series"][i];
    fmt::print("  {:<12} {:<4} {:<24} {} {}  ({}, {} levels)\n", i == 0 ? "series" : "",
               s["path"].get<std::string>(),
               s["name"].is_null() ? "-" : "'" + s["name"].get<std::string>() + "'",
               join_dims(s["shape"]), s["data_type"].get<std::string>(), join_dims(s["axes"], ""),
               s["levels"].get<size_t>());
  }
}

// The OME view of a collection (plate, well, bioformats2raw root) at the node, or null.
Json summarize_collection(const StorePtr& store, const std::string& path, const Json& attributes) {
  if (ome::has_multiscales(attributes) || !attributes.is_object()) return Json();
  const Json& holder =
      attributes.contains("ome") && attributes["ome"].is_object() ? attributes["ome"] : attributes;
  if (!holder.contains("plate") && !holder.contains("well") && !holder.contains("scene") &&
      !ome::is_bioformats2raw(attributes))
    return Json();
  ome::Node node = ome::open_node(store, path);
  if (node.kind == ome::NodeKind::plate) return image::summarize_plate(node);
  if (node.kind == ome::NodeKind::bioformats2raw) return image::summarize_bioformats2raw(node);
  if (node.kind == ome::NodeKind::well || node.kind == ome::NodeKind::scene)
    return ome::describe(node);
  return Json();
}

// A well: its fields and their acquisitions.
void print_well(const Json& w) {
  std::string fields;
  for (const auto& f : w["fields"])
    fields += (fields.empty() ? "" : ", ") + f["path"].get<std::string>() +
              (f["acquisition"].is_null() ? "" : " (acquisition " + f["acquisition"].dump() + ")");
  fmt::print("  {:<12} {}\n", "OME-NGFF", w["ome_version"].get<std::string>() + " well");
  fmt::print("  {:<12} {}\n", "fields", fields);
}

// A 0.6 scene: its coordinate systems and transformations.
void print_scene(const Json& s) {
  fmt::print("  {:<12} {}\n", "OME-NGFF", s["ome_version"].get<std::string>() + " scene");
  fmt::print("  {:<12} {}\n", "systems", join_dims(s["coordinate_systems"], ", "));
  for (size_t i = 0; i < s["transformations"].size(); ++i)
    fmt::print("  {:<12} {}\n", i == 0 ? "transforms" : "",
               s["transformations"][i].get<std::string>());
}

int run_info(const InfoOptions& o) {
  auto loc = open_store(o.url);
  zarr::SummaryOptions so;
  so.max_depth = o.depth;
  // Over HTTP (no listing) a group's children are those its metadata names.
  so.child_names = [](const Json& attributes) { return ome::named_children(attributes); };
  Json summary = zarr::summarize_node(loc.store, loc.path, so);
  Json ome;
  if (summary["node_type"] == "group" && image::is_ome_image(summary["attributes"]))
    ome = image::summarize_image(image::MultiscaleImage::open(loc.store, loc.path));
  else if (summary["node_type"] == "group")
    ome = summarize_collection(loc.store, loc.path, summary["attributes"]);
  if (o.json) {
    if (!ome.is_null()) summary["ome"] = ome;
    std::cout << summary.dump(2) << "\n";
  } else if (!ome.is_null() && !o.tree) {
    fmt::print("{}  (Zarr v{} group)\n", o.url, summary["zarr_format"].get<int>());
    if (ome.value("kind", "") == "plate")
      print_plate(ome);
    else if (ome.value("kind", "") == "bioformats2raw")
      print_series(ome);
    else if (ome.value("kind", "") == "well")
      print_well(ome);
    else if (ome.value("kind", "") == "scene")
      print_scene(ome);
    else
      print_image(ome, "");
  } else {
    print_node(summary, "", o.url);
  }
  return kOk;
}

}  // namespace

void setup_info(CLI::App& app) {
  auto opts = std::make_shared<InfoOptions>();
  auto* sub = app.add_subcommand("info", "Describe a Zarr array or group tree");
  sub->add_option("url", opts->url, "Path or URL of the node (file, http(s)://, s3://)")
      ->required();
  sub->add_flag("--json", opts->json, "Print one JSON object instead of text");
  sub->add_flag("--tree", opts->tree, "Show the Zarr tree of an OME image instead of its OME view");
  sub->add_option("--depth", opts->depth, "How deep to list group children")->capture_default_str();
  sub->callback([opts] { run_verb([&] { return run_info(*opts); }); });
}

}  // namespace ngff::cli
