// PostgreSQL adapter of the SQL port (libpqxx).
#pragma once

#include <memory>
#include <string>

#include "storage/sql/connection.hpp"

namespace caredesk::storage::postgres {

// Opens a connection to `url` (a libpq connection URI or key=value string).
// Throws sql::DbError(kUnavailable) when the server cannot be reached.
std::unique_ptr<sql::Connection> OpenPgConnection(const std::string& url);

}  // namespace caredesk::storage::postgres
