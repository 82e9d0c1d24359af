// Dong boundaries for Open311 requests located by coordinates: a GeoJSON
// FeatureCollection of Polygon or MultiPolygon features whose properties name
// the dong ("name", "dong", or the official data's "adm_nm", e.g. "서울특별시
// 마포구 서교동", of which the last word counts).
#pragma once

#include <string>
#include <vector>

#include "core/open311.hpp"

namespace caredesk::app {

// An empty path: no boundaries (requests are located by the dong named in their address).
// kBadRequest naming the problem for a file that is not such GeoJSON.
core::Result<std::vector<core::DongBoundary>> LoadDongBoundaries(const std::string& path);
core::Result<std::vector<core::DongBoundary>> ParseDongBoundaries(const std::string& geojson);

}  // namespace caredesk::app
