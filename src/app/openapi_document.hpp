// The OpenAPI 3.1 document of the whole API (docs/openapi.json, embedded at build time).
#pragma once

#include <string_view>

namespace caredesk::app {

std::string_view OpenApiDocument();

}  // namespace caredesk::app
