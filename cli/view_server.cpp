#include "view_server.hpp"

#include <httplib.h>

#include <cmath>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>

#include "ngff/error.hpp"
#include "ngff/image/render.hpp"
#include "ngff/ome/hierarchy.hpp"
#include "ngff/store/file_store.hpp"
#include "ngff/store/open_store.hpp"
#include "ngff/zarr/region_spelling.hpp"
#include "viewer_assets.hpp"

namespace ngff::cli {
namespace {

constexpr uint32_t kTile = 256;

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  if (s.empty()) return out;
  size_t start = 0;
  for (size_t i = 0; i <= s.size(); ++i)
    if (i == s.size() || s[i] == sep) {
      out.push_back(s.substr(start, i - start));
      start = i + 1;
    }
  return out;
}

// A store key the /data route may serve: relative, no "." or ".." or empty segments.
bool safe_key(const std::string& key) {
  if (key.empty() || key.front() == '/' || key.find('\\') != std::string::npos) return false;
  for (const std::string& segment : split(key, '/'))
    if (segment.empty() || segment == "." || segment == "..") return false;
  return true;
}

// Whether the file of `key` (a safe_key) really lies below `root` (canonical) once every link
// on its way is resolved. A path that cannot be resolved (a link cycle, no permission) is not.
bool really_inside(const std::filesystem::path& root, const std::string& key) {
  std::error_code ec;
  const std::filesystem::path real = std::filesystem::weakly_canonical(root / key, ec);
  if (ec) return false;
  const std::filesystem::path rel = real.lexically_relative(root);
  return !rel.empty() && *rel.begin() != "..";
}

// The physical size and origin along an axis of level 0, and its unit.
Json axis_json(const image::MultiscaleImage& img, const std::string& name) {
  const auto& level = img.level(0);
  for (size_t i = 0; i < img.axes().size(); ++i)
    if (img.axes()[i].name == name)
      return {{"scale", level.scale()[i]},
              {"origin", level.translation()[i]},
              {"unit", img.axes()[i].unit.value_or("")},
              {"size", level.shape()[i]}};
  return nullptr;
}

}  // namespace

struct ViewServer::State {
  std::string url;
  StoreLocation location;
  ome::Node node;
  // The dataset's folder with every link resolved, for a local dataset: /data serves no file
  // whose real path lies outside it (a link may lead anywhere its author chose).
  std::optional<std::filesystem::path> real_root;
  Json plate = nullptr;             // {"rows", "columns", "fields": [{"path", "row", "column"}]}
  std::vector<std::string> images;  // the `image` values allowed: "" or the plate's fields
  std::mutex mutex;                 // guards `opened`
  std::map<std::string, std::shared_ptr<const image::MultiscaleImage>> opened;
  std::map<std::string, Json> infos;
  httplib::Server server;

  std::shared_ptr<const image::MultiscaleImage> image(const std::string& path) {
    if (std::find(images.begin(), images.end(), path) == images.end())
      throw KeyNotFound("no image '" + path + "' in " + url);
    std::lock_guard lock(mutex);
    auto& slot = opened[path];
    if (!slot) {
      const std::string full = path.empty() ? url : url + "/" + path;
      slot = std::make_shared<const image::MultiscaleImage>(image::open_render_image(full));
    }
    return slot;
  }

  // The page's starting point: sizes, channels with windows resolved once (tiles must share
  // them), labels, physical axes.
  Json info(const std::string& path) {
    {
      std::lock_guard lock(mutex);
      if (auto it = infos.find(path); it != infos.end()) return it->second;
    }
    auto img = image(path);
    const image::PlaneShape plane = image::plane_shape(*img);
    image::RenderOptions o;
    o.width = o.height = 512;
    for (size_t c = 0; c < plane.channels; ++c) o.channels.push_back(c);
    image::RenderInfo drawn;
    image::render(*img, o, &drawn);
    const auto& omero = img->attributes().omero;
    Json channels = Json::array();
    for (const auto& s : drawn.styles) {
      const ome::Channel* meta =
          omero && s.index < omero->channels.size() ? &omero->channels[s.index] : nullptr;
      channels.push_back(
          {{"index", s.index},
           {"label", meta && meta->label ? *meta->label : "channel " + std::to_string(s.index)},
           {"color", image::rgb_hex(s.color)},
           {"start", *s.start},
           {"end", *s.end},
           {"inverted", s.inverted},
           {"active", meta ? meta->active.value_or(true) : true}});
    }
    Json j = {{"name", img->name()},
              {"url", img->group().url()},
              {"image", path},
              {"width", plane.width},
              {"height", plane.height},
              {"tile_size", kTile},
              {"levels", img->num_levels()},
              {"x", axis_json(*img, "x")},
              {"y", axis_json(*img, "y")},
              {"z", axis_json(*img, "z")},
              {"t", axis_json(*img, "t")},
              {"channels", channels},
              {"labels", img->label_names()},
              {"plate", plate}};
    std::lock_guard lock(mutex);
    infos[path] = j;
    return j;
  }

  // Deep-zoom tile (level, col, row) of the image, drawn as the query says.
  Bytes tile(const httplib::Request& req, uint32_t level, uint32_t col, uint32_t row) {
    auto img = image(req.get_param_value("image"));
    const image::PlaneShape plane = image::plane_shape(*img);
    const uint64_t longest = std::max(plane.width, plane.height);
    const auto top = static_cast<uint32_t>(std::ceil(std::log2(static_cast<double>(longest))));
    if (level > top) throw KeyNotFound("no tile level " + std::to_string(level));
    const double scale = std::ldexp(1.0, static_cast<int>(level) - static_cast<int>(top));
    const auto level_w = static_cast<uint64_t>(std::ceil(static_cast<double>(plane.width) * scale));
    const auto level_h =
        static_cast<uint64_t>(std::ceil(static_cast<double>(plane.height) * scale));
    const uint64_t x0 = uint64_t{col} * kTile, y0 = uint64_t{row} * kTile;
    if (x0 >= level_w || y0 >= level_h) throw KeyNotFound("no such tile");
    const uint64_t x1 = std::min(level_w, x0 + kTile), y1 = std::min(level_h, y0 + kTile);
    // The tile's box in level-0 voxels (at least one voxel).
    auto full = [&](uint64_t v, uint64_t extent) {
      return std::min(extent, static_cast<uint64_t>(std::llround(static_cast<double>(v) / scale)));
    };
    const uint64_t fx0 = full(x0, plane.width), fy0 = full(y0, plane.height);
    const uint64_t fx1 = std::max(fx0 + 1, full(x1, plane.width));
    const uint64_t fy1 = std::max(fy0 + 1, full(y1, plane.height));

    image::RenderOptions o;
    o.region = zarr::Region{{fy0, fx0}, {fy1 - fy0, fx1 - fx0}};
    o.width = static_cast<uint32_t>(x1 - x0);
    o.height = static_cast<uint32_t>(y1 - y0);
    o.exact_size = true;
    if (req.has_param("z") && !req.get_param_value("z").empty())
      o.z = std::stoull(req.get_param_value("z"));
    if (req.has_param("t") && !req.get_param_value("t").empty())
      o.t = std::stoull(req.get_param_value("t"));
    o.mip = req.get_param_value("mip") == "1";
    const std::string ch = req.get_param_value("ch");
    for (const std::string& c : split(ch, ',')) o.channels.push_back(std::stoul(c));
    // "c:start:end" and "c:RRGGBB" per channel, ";"-separated.
    std::map<size_t, image::ChannelStyle> chosen;
    for (size_t c : o.channels) chosen[c] = image::channel_style(*img, c);
    for (const std::string& w : split(req.get_param_value("win"), ';')) {
      auto parts = split(w, ':');
      if (parts.size() != 3) throw UsageError("win: expected c:start:end");
      auto& s = chosen.at(std::stoul(parts[0]));
      s.start = std::stod(parts[1]);
      s.end = std::stod(parts[2]);
    }
    for (const std::string& w : split(req.get_param_value("col"), ';')) {
      auto parts = split(w, ':');
      if (parts.size() != 2) throw UsageError("col: expected c:RRGGBB");
      chosen.at(std::stoul(parts[0])).color = image::parse_rgb(parts[1]);
    }
    for (const auto& [c, s] : chosen) o.styles.push_back(s);
    if (req.has_param("ch") && o.channels.empty()) {
      // Every channel off: a black tile of the right size.
      image::ChannelStyle black = image::channel_style(*img, 0);
      black.color = {0, 0, 0};
      o.channels = {0};
      o.styles = {black};
    }
    o.labels = req.get_param_value("labels");
    if (req.has_param("opacity")) o.label_opacity = std::stod(req.get_param_value("opacity"));
    return image::encode_png(image::render(*img, o));
  }
};

ViewServer::ViewServer(const std::string& url) : state_(std::make_unique<State>()) {
  State& s = *state_;
  s.url = url;
  while (!s.url.empty() && s.url.back() == '/') s.url.pop_back();
  s.location = open_store(s.url);
  if (const auto* files = dynamic_cast<const FileStore*>(s.location.store.get()))
    s.real_root = std::filesystem::canonical(files->root() / s.location.path);
  s.node = ome::open_node(s.location.store, s.location.path);
  if (s.node.kind == ome::NodeKind::plate) {
    Json fields = Json::array();
    for (const auto& w : s.node.wells)
      for (const std::string& f : s.node.field_paths(w.position.path)) {
        s.images.push_back(f);
        fields.push_back(
            {{"path", f}, {"row", w.position.row_index}, {"column", w.position.column_index}});
      }
    Json rows = Json::array(), columns = Json::array();
    for (const auto& r : s.node.plate->plate.rows) rows.push_back(r.name);
    for (const auto& c : s.node.plate->plate.columns) columns.push_back(c.name);
    s.plate = {{"rows", rows}, {"columns", columns}, {"fields", fields}};
  } else {
    s.images.emplace_back();
  }
  s.info(s.images.at(0));  // fails here, not in the browser, when the data cannot be drawn

  for (const ViewerAsset& a : viewer_assets()) {
    const std::string mime = std::string(a.mime) + "; charset=utf-8";
    s.server.Get(a.url, [a, mime](const httplib::Request&, httplib::Response& res) {
      res.set_content(reinterpret_cast<const char*>(a.data), a.size, mime);
      res.set_header("Cache-Control", "no-cache");
    });
  }
  auto guarded = [](httplib::Response& res, const std::function<void()>& body) {
    try {
      body();
    } catch (const KeyNotFound& e) {
      res.status = 404;
      res.set_content(e.what(), "text/plain");
    } catch (const UsageError& e) {
      res.status = 400;
      res.set_content(e.what(), "text/plain");
    } catch (const std::logic_error& e) {  // stoul, map::at: a malformed query
      res.status = 400;
      res.set_content(e.what(), "text/plain");
    } catch (const std::exception& e) {
      res.status = 500;
      res.set_content(e.what(), "text/plain");
    }
  };
  s.server.Get("/info.json", [this, guarded](const httplib::Request& req, httplib::Response& res) {
    guarded(res, [&] {
      const std::string path =
          req.has_param("image") ? req.get_param_value("image") : state_->images.at(0);
      res.set_content(state_->info(path).dump(), "application/json");
    });
  });
  s.server.Get(R"(/tile/(\d+)/(\d+)_(\d+)\.png)", [this, guarded](const httplib::Request& req,
                                                                  httplib::Response& res) {
    guarded(res, [&] {
      if (!req.has_param("image")) throw KeyNotFound("tiles need ?image=");
      const Bytes png = state_->tile(req, static_cast<uint32_t>(std::stoul(req.matches[1].str())),
                                     static_cast<uint32_t>(std::stoul(req.matches[2].str())),
                                     static_cast<uint32_t>(std::stoul(req.matches[3].str())));
      res.set_content(reinterpret_cast<const char*>(png.data()), png.size(), "image/png");
    });
  });
  s.server.Get(R"(/data/(.*))",
               [this, guarded](const httplib::Request& req, httplib::Response& res) {
                 res.set_header("Access-Control-Allow-Origin", "*");
                 const std::string key = req.matches[1].str();
                 if (!safe_key(key)) {
                   res.status = 403;
                   res.set_content("forbidden", "text/plain");
                   return;
                 }
                 guarded(res, [&] {
                   const std::string full =
                       state_->location.path.empty() ? key : state_->location.path + "/" + key;
                   if (state_->real_root && !really_inside(*state_->real_root, key)) {
                     res.status = 403;
                     res.set_content("forbidden: links outside the dataset", "text/plain");
                     return;
                   }
                   auto bytes = state_->location.store->get(full);
                   if (!bytes) throw KeyNotFound("no key " + key);
                   res.set_content(reinterpret_cast<const char*>(bytes->data()), bytes->size(),
                                   "application/octet-stream");
                 });
               });
  // Anything else, ".." paths included, is not found (never a file of the disk).
  s.server.set_error_handler([](const httplib::Request&, httplib::Response& res) {
    if (res.body.empty()) res.set_content(std::to_string(res.status), "text/plain");
  });
}

ViewServer::~ViewServer() = default;

int ViewServer::bind(const std::string& host, int port) {
  bool ok = false;
  if (port == 0) {
    port = state_->server.bind_to_any_port(host);
    ok = port > 0;
  } else {
    ok = state_->server.bind_to_port(host, port);
  }
  if (!ok) throw StoreError("cannot listen on " + host + ":" + std::to_string(port));
  return port;
}

void ViewServer::run() {
  state_->server.listen_after_bind();
}

void ViewServer::stop() {
  state_->server.stop();
}

}  // namespace ngff::cli
