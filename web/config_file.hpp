#pragma once
// Layers configuration sources over AppConfig's defaults: a JSON file, then the environment.
// Command-line flags are applied last by main.

#include <functional>
#include <string>

#include "core/config.hpp"
#include "core/error.hpp"

namespace xiehui::web {

/// Reads a JSON object of AppConfig keys (db, listen, ui_dir, log_level, db_pool_size,
/// io_threads, max_connections, header_limit_bytes, body_limit_bytes, upload_limit_bytes,
/// read_timeout_seconds, shutdown_grace_seconds). Unknown keys and wrong types are errors.
Status apply_config_file(AppConfig& config, const std::string& path);

/// Applies XIEHUI_DB and XIEHUI_LISTEN; `getenv` is injectable for tests.
Status apply_environment(AppConfig& config, const std::function<const char*(const char*)>& getenv);

}  // namespace xiehui::web
