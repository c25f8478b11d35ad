// convert_ome: a plate, well or bioformats2raw root converted with every image below it. The
// source is walked first (ome_children says which nodes the OME metadata names, as for `ngff
// copy` over HTTP), so that a missing well or series fails before anything is written; then the
// groups are created, the images converted, and the group metadata written last.
#include <algorithm>
#include <optional>
#include <set>

#include "image/convert_internal.hpp"
#include "ngff/error.hpp"
#include "ngff/image/convert_image.hpp"
#include "ngff/ome/layout.hpp"
#include "ngff/zarr/group.hpp"
#include "ngff/zarr/node.hpp"
#include "ome/hierarchy_keys.hpp"
#include "store/key.hpp"
#include "store/rollback.hpp"

namespace ngff::image {

bool is_ome_node(const Json& group_attributes) {
  if (is_ome_image(group_attributes)) return true;
  Json ome = ome::ome_metadata_of(group_attributes);
  return ome.contains("plate") || ome.contains("well") || ome.contains("bioformats2raw.layout");
}

namespace {

using Role = ome::OmeChild::Role;

// The OME group's copy of the bioformats2raw source's OME-XML (not a Zarr document).
constexpr std::string_view kMetadataXml = "METADATA.ome.xml";

// The OME-NGFF layout of a group: 0.4 for Zarr v2 (0.1-0.3 share it and are written as 0.4);
// in Zarr v3 what its metadata says (0.5 or 0.6), 0.5 for a group without OME keys.
ome::Version version_of(const zarr::Group& group) {
  if (group.zarr_format() == 2) return ome::Version::v0_4;
  return ome::detect_version(group.attributes(), group.url()).value_or(ome::Version::v0_5);
}

std::string_view kind_of(const Json& attributes) {
  if (is_ome_image(attributes)) return "image";
  Json ome = ome::ome_metadata_of(attributes);
  if (ome.contains("plate")) return "plate";
  if (ome.contains("well")) return "well";
  return "bioformats2raw";
}

// What the conversion writes, in order (parents before children), paths relative to the root.
struct Plan {
  struct GroupNode {
    std::string rel;
    Json attributes;
    ome::Version version;  // of the source group's layout
  };
  struct ImageNode {
    MultiscaleImage image;
    std::string rel;
  };
  std::vector<GroupNode> groups;
  std::vector<ImageNode> images;
  std::vector<std::string> files;  // copied byte for byte
  uint64_t bytes = 0;
};

class Planner {
 public:
  Planner(StorePtr src, std::string root) : src_(std::move(src)), root_(std::move(root)) {}

  Plan run() {
    visit(root_, std::nullopt, "", "");
    return std::move(plan_);
  }

 private:
  std::string relative(const std::string& path) const {
    if (root_.empty()) return path;
    if (path == root_) return "";
    if (path.rfind(root_ + "/", 0) != 0)
      throw ValidationError(src_->key_url(path) + " is outside the converted node " +
                            src_->key_url(root_));
    return path.substr(root_.size() + 1);
  }

  // The node at `path`, named by `referrer` ("<url>: attributes.plate.wells[0].path") as `name`
  // in the `role` it has there; no role for the root.
  void visit(const std::string& path, std::optional<Role> role, const std::string& referrer,
             const std::string& name) {
    std::string rel = relative(path);
    if (!seen_.insert(rel).second) return;
    auto info = zarr::probe_node(*src_, path);
    if (!info || info->type != zarr::NodeType::group) {
      if (!role) throw KeyNotFound("no Zarr group at " + src_->key_url(path));
      throw KeyNotFound(referrer + ": '" + name + "' names no Zarr group (nothing at " +
                        src_->key_url(path) + ")");
    }
    zarr::Group group = zarr::Group::open(src_, path);
    const Json& attributes = group.attributes();
    if (is_ome_image(attributes)) {
      MultiscaleImage img = MultiscaleImage::open(src_, path);
      plan_.bytes += detail::image_bytes(img);  // opens (and so checks) every label image
      plan_.images.push_back({std::move(img), rel});
      return;
    }
    Json ome = ome::ome_metadata_of(attributes);
    auto refuse = [&](const std::string& what) {
      throw ValidationError(referrer + ": '" + name + "' is not " + what + " (" + group.url() +
                            " has no such metadata)");
    };
    if (role == Role::well && !ome.contains("well")) refuse("an OME-Zarr well");
    if (role == Role::field || role == Role::series) refuse("an OME-Zarr image");
    if (!role && !is_ome_node(attributes))
      throw UsageError(group.url() +
                       " is not an OME-Zarr image, plate, well or bioformats2raw root");
    plan_.groups.push_back({rel, attributes, version_of(group)});
    if (role == Role::ome_group) {
      std::string xml = join_key(path, kMetadataXml);
      if (src_->exists(xml)) plan_.files.push_back(relative(xml));
    }
    std::string where = group.url() + ": attributes" + (attributes.contains("ome") ? ".ome" : "");
    for (const ome::OmeChild& child : ome::ome_children(*src_, path, ome))
      visit_child(path, child, where + "." + child.json_path);
  }

  void visit_child(const std::string& path, const ome::OmeChild& child,
                   const std::string& named_at) {
    if (child.role != Role::well && child.role != Role::field && child.role != Role::series &&
        child.role != Role::ome_group)
      return;
    if (child.path.empty())
      throw ValidationError(named_at + ": expected a relative path to a Zarr group, got " +
                            child.name.dump());
    if (child.role == Role::ome_group && !zarr::node_exists(*src_, child.path)) return;
    // Wells are "row/column": the row group comes first.
    std::string parent = parent_key(child.path);
    std::vector<std::string> between;
    for (; parent.size() > path.size(); parent = parent_key(parent)) between.push_back(parent);
    std::reverse(between.begin(), between.end());
    for (const auto& group : between) add_intermediate(group);
    visit(child.path, child.role, named_at, child.name.get<std::string>());
  }

  // A group between a plate and its wells (the row): kept with its attributes when it exists.
  void add_intermediate(const std::string& path) {
    std::string rel = relative(path);
    if (!seen_.insert(rel).second) return;
    auto info = zarr::probe_node(*src_, path);
    if (info && info->type == zarr::NodeType::group && !info->implicit) {
      zarr::Group g = zarr::Group::open(src_, path);
      plan_.groups.push_back({rel, g.attributes(), version_of(g)});
    } else {
      plan_.groups.push_back({rel, Json::object(), ome::Version::v0_5});
    }
  }

  StorePtr src_;
  std::string root_;
  Plan plan_;
  std::set<std::string> seen_;
};

}  // namespace

ConvertSummary convert_ome(const StorePtr& src, const std::string& src_path, const StorePtr& dst,
                           const std::string& dst_path, const ConvertImageOptions& o) {
  std::string root = normalize_node_path(src_path);
  std::string out = normalize_node_path(dst_path);
  if (src->url() == dst->url() && root == out)
    throw UsageError("source and destination are the same node: " + src->key_url(root));
  zarr::Group source_root = zarr::Group::open(src, root);
  Plan plan = Planner(src, root).run();
  ConvertSummary summary;
  summary.kind = kind_of(source_root.attributes());
  ConvertImageOptions image_options = o;
  image_options.version = o.version.value_or(version_of(source_root));
  const ome::Version version = *image_options.version;
  const int zarr_format = ome::zarr_format(version);

  if (!o.overwrite && zarr::node_exists(*dst, out))
    throw StoreError("a Zarr node already exists at " + dst->key_url(out) +
                     " (use overwrite to replace it)");
  RollbackGuard rollback(*dst, out, zarr::node_exists(*dst, out));
  detail::ConvertProgress progress{o};
  progress.total = plan.bytes;
  // Groups first, without metadata: a killed conversion leaves no group that looks complete.
  std::vector<zarr::Group> groups;
  for (const auto& g : plan.groups)
    groups.push_back(
        zarr::Group::create(dst, join_key(out, g.rel), zarr_format, Json::object(), o.overwrite));
  for (const auto& node : plan.images) {
    summary.labels += detail::convert_image_tree(node.image, dst, join_key(out, node.rel),
                                                 image_options, progress);
    ++summary.images;
  }
  for (const auto& rel : plan.files) {
    std::string key = join_key(root, rel);
    auto bytes = src->get(key);
    if (!bytes) throw KeyNotFound("vanished during the conversion: " + src->key_url(key));
    dst->set(join_key(out, rel), *bytes);
  }
  for (size_t i = plan.groups.size(); i-- > 0;)
    groups[i].set_attributes(
        ome::map_layout(plan.groups[i].attributes, plan.groups[i].version, version));
  summary.groups = plan.groups.size();
  rollback.commit();
  return summary;
}

}  // namespace ngff::image
