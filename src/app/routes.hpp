// Thin HTTP handlers: decode, call the port or core, encode.
#pragma once

#include "core/directory.hpp"
#include "core/ports/directory_repository.hpp"
#include "http/metrics.hpp"
#include "http/router.hpp"
#include "storage/storage.hpp"

namespace caredesk::app {

// GET /healthz, /readyz, /metrics.
void RegisterHealthRoutes(http::Router& router, storage::Storage& storage, http::Metrics& metrics);

// The district's organisation: dongs, desks, categories, agencies.
void RegisterDirectoryRoutes(http::Router& router, core::DirectoryRepository& directory,
                             const core::District& district);

}  // namespace caredesk::app
