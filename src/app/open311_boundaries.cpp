#include "app/open311_boundaries.hpp"

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace caredesk::app {
namespace {

using nlohmann::json;

core::Error Bad(const std::string& what) {
  return core::Error::Make(core::ErrorCode::kBadRequest, "Dong boundaries: " + what,
                           "동 경계 파일: " + what);
}

// [[lon, lat], ...] -> points (GeoJSON order is longitude first).
bool ReadRing(const json& ring, std::vector<core::GeoPoint>& out) {
  if (!ring.is_array() || ring.size() < 4) {
    return false;
  }
  for (const auto& p : ring) {
    if (!p.is_array() || p.size() < 2 || !p[0].is_number() || !p[1].is_number()) {
      return false;
    }
    out.push_back({p[1].get<double>(), p[0].get<double>()});
  }
  return true;
}

std::string DongName(const json& properties) {
  for (const char* key : {"name", "dong", "adm_nm"}) {
    if (properties.contains(key) && properties[key].is_string()) {
      std::string v = properties[key].get<std::string>();
      const auto space = v.rfind(' ');
      return space == std::string::npos ? v : v.substr(space + 1);
    }
  }
  return {};
}

}  // namespace

core::Result<std::vector<core::DongBoundary>> ParseDongBoundaries(const std::string& geojson) {
  const json doc = json::parse(geojson, nullptr, false);
  if (!doc.is_object() || doc.value("type", "") != "FeatureCollection" ||
      !doc.contains("features") || !doc["features"].is_array()) {
    return Bad("not a GeoJSON FeatureCollection");
  }
  std::vector<core::DongBoundary> out;
  for (const auto& f : doc["features"]) {
    if (!f.is_object() || !f.contains("geometry") || !f["geometry"].is_object()) {
      return Bad("a feature without a geometry");
    }
    core::DongBoundary b;
    b.dong_name = f.contains("properties") && f["properties"].is_object()
                      ? DongName(f["properties"])
                      : std::string();
    if (b.dong_name.empty()) {
      return Bad("a feature without a name, dong or adm_nm property");
    }
    const auto& g = f["geometry"];
    const std::string type = g.value("type", "");
    const auto& coords = g.contains("coordinates") ? g["coordinates"] : json();
    std::vector<json> polygons;
    if (type == "Polygon" && coords.is_array()) {
      polygons.push_back(coords);
    } else if (type == "MultiPolygon" && coords.is_array()) {
      polygons.assign(coords.begin(), coords.end());
    } else {
      return Bad(b.dong_name + ": only Polygon and MultiPolygon geometries");
    }
    for (const auto& polygon : polygons) {
      // The outer ring only: a dong has no holes that matter here.
      if (!polygon.is_array() || polygon.empty()) {
        return Bad(b.dong_name + ": an empty polygon");
      }
      std::vector<core::GeoPoint> ring;
      if (!ReadRing(polygon[0], ring)) {
        return Bad(b.dong_name + ": a ring needs at least 4 [longitude, latitude] positions");
      }
      b.rings.push_back(std::move(ring));
    }
    out.push_back(std::move(b));
  }
  return out;
}

core::Result<std::vector<core::DongBoundary>> LoadDongBoundaries(const std::string& path) {
  if (path.empty()) {
    return std::vector<core::DongBoundary>{};
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return core::Error::Make(core::ErrorCode::kBadRequest,
                             "Cannot read the dong boundaries file " + path + ".",
                             "동 경계 파일을 읽을 수 없습니다: " + path);
  }
  std::ostringstream text;
  text << in.rdbuf();
  return ParseDongBoundaries(text.str());
}

}  // namespace caredesk::app
