#include "cli/report_commands.hpp"

#include <fstream>
#include <iostream>

#include "app/app.hpp"
#include "app/report_files.hpp"
#include "cli/cli_output.hpp"

namespace caredesk::cli {
namespace {

using app::Config;
using app::ConfigLoader;

core::Error Usage(std::string en, std::string ko) {
  return core::Error::Make(core::ErrorCode::kBadRequest, std::move(en), std::move(ko));
}

// "district", or comma-separated dong:NAME, counselor:LOGIN, category:CODE, channel:CODE.
core::Result<core::ReportScope> ParseScope(app::App& a, const std::string& text,
                                           std::string& counselor_name) {
  core::ReportScope s;
  if (text.empty() || text == "district") {
    return s;
  }
  std::size_t start = 0;
  while (start <= text.size()) {
    const auto comma = text.find(',', start);
    const std::string part =
        text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    start = comma == std::string::npos ? text.size() + 1 : comma + 1;
    const auto colon = part.find(':');
    if (colon == std::string::npos) {
      return Usage("--scope: expected district or key:value (dong:, counselor:, category:, "
                   "channel:), got '" + part + "'",
                   "--scope 형식이 잘못되었습니다: " + part);
    }
    const std::string key = part.substr(0, colon);
    const std::string value = part.substr(colon + 1);
    if (key == "dong") {
      auto dongs = a.storage().directory().ListDongs(a.district().id);
      if (!dongs.ok()) {
        return std::move(dongs).error();
      }
      for (const auto& d : *dongs) {
        if (d.name == value || d.name == value + "동") {
          s.dong_id = d.id;
        }
      }
      if (!s.dong_id) {
        return Usage("--scope: no dong named " + value, "그런 이름의 동이 없습니다: " + value);
      }
    } else if (key == "counselor") {
      auto user = a.storage().users().FindByLogin(a.district().id, value);
      if (!user.ok()) {
        return Usage("--scope: no user with login " + value, "그런 로그인의 직원이 없습니다: " + value);
      }
      s.counselor_id = user->id;
      counselor_name = user->display_name;
    } else if (key == "category") {
      s.category = value;
    } else if (key == "channel") {
      s.channel = core::Parse<core::Channel>(value);
      if (!s.channel) {
        return Usage("--scope: unknown channel " + value, "알 수 없는 접수 경로입니다: " + value);
      }
    } else {
      return Usage("--scope: unknown key " + key, "--scope에 모르는 항목이 있습니다: " + key);
    }
  }
  return s;
}

}  // namespace

struct ReportCommands::Impl {
  CLI::App* report = nullptr;
  CLI::App* run = nullptr;
  std::unique_ptr<ConfigLoader> config;
  std::string name;
  std::string from;
  std::string to;
  std::string scope;
  std::string format = "xlsx";
  std::string out;
  std::string as_login;
};

ReportCommands::ReportCommands(CLI::App& cli) : impl_(std::make_unique<Impl>()) {
  auto& i = *impl_;
  i.report = cli.add_subcommand("report", "Performance reports (실적 보고)");
  i.report->require_subcommand(1);
  i.run = i.report->add_subcommand(
      "run", "Run a report (a kind such as intake, or a saved definition's name) into a file");
  i.config = std::make_unique<ConfigLoader>(*i.run);
  i.run->add_option("name", i.name,
                    "summary, intake, resolution, open_age, follow_ups, welfare_checks, "
                    "referrals, escalations, outreach, or a saved definition's name")
      ->required();
  i.run->add_option("--from", i.from, "First day, YYYY-MM-DD")->required();
  i.run->add_option("--to", i.to, "Last day, YYYY-MM-DD (included)")->required();
  i.run->add_option("--scope", i.scope,
                    "district (default) or e.g. dong:서교동,category:welfare,channel:visit,"
                    "counselor:LOGIN");
  i.run->add_option("--format", i.format, "xlsx (default), csv or json")
      ->check(CLI::IsMember({"xlsx", "csv", "json"}));
  i.run->add_option("--output,-o", i.out, "The file to write")->required();
  i.run->add_option("--as", i.as_login,
                    "Run with this user's permissions (default: the whole district, as the "
                    "monthly job does)");
}

ReportCommands::~ReportCommands() = default;

bool ReportCommands::parsed() const { return impl_->report->parsed(); }

int ReportCommands::Run(const std::function<const char*(const char*)>& env) const {
  auto& i = *impl_;
  auto config = i.config->Load(env);
  if (!config.ok()) {
    PrintError(config.error());
    return kExitConfig;
  }
  app::ConfigureLogging(config->log);
  const auto from = core::ParseDate(i.from);
  const auto to = core::ParseDate(i.to);
  if (!from || !to) {
    PrintError(Usage("--from and --to must be dates (YYYY-MM-DD)",
                     "--from과 --to는 날짜(YYYY-MM-DD)여야 합니다"));
    return kExitConfig;
  }
  auto opened = app::App::Open(*config);
  if (!opened.ok()) {
    PrintError(opened.error());
    return kExitRuntime;
  }
  auto& a = **opened;
  std::string counselor_name;
  auto scope = ParseScope(a, i.scope, counselor_name);
  if (!scope.ok()) {
    PrintError(scope.error());
    return kExitConfig;
  }
  core::ReportParameters p;
  p.period = {*from, *to};
  p.scope = *scope;
  std::string title;
  if (const auto kind = core::Parse<core::ReportKind>(i.name)) {
    p.kind = *kind;
  } else {
    auto defs = a.storage().NewReportRepository(*a.crypto().sealer)->ListDefinitions(
        a.district().id);
    if (!defs.ok()) {
      PrintError(defs.error());
      return kExitRuntime;
    }
    const auto it = std::find_if(defs->begin(), defs->end(),
                                 [&](const core::ReportDefinition& d) { return d.name == i.name; });
    if (it == defs->end()) {
      PrintError(Usage("no report kind or saved definition named '" + i.name + "'",
                       "그런 이름의 보고서 종류나 저장된 정의가 없습니다: " + i.name));
      return kExitConfig;
    }
    p.kind = it->kind;
    // The definition's scope, narrowed further by --scope.
    const auto& d = it->scope;
    p.scope.dong_id = p.scope.dong_id ? p.scope.dong_id : d.dong_id;
    p.scope.counselor_id = p.scope.counselor_id ? p.scope.counselor_id : d.counselor_id;
    p.scope.category = p.scope.category ? p.scope.category : d.category;
    p.scope.channel = p.scope.channel ? p.scope.channel : d.channel;
  }
  core::Actor actor;
  actor.district_id = a.district().id;
  actor.role = core::Role::kAuditor;  // reads every dong's aggregates, nothing else
  actor.ip = "cli";
  if (!i.as_login.empty()) {
    auto user = a.storage().users().FindByLogin(a.district().id, i.as_login);
    if (!user.ok()) {
      PrintError(Usage("--as: no user with login " + i.as_login,
                       "--as: 그런 로그인의 직원이 없습니다: " + i.as_login));
      return kExitConfig;
    }
    actor = core::ActorOf(*user, "cli");
  }
  auto report = a.reports().Run(actor, p);
  if (!report.ok()) {
    PrintError(report.error());
    return kExitRuntime;
  }
  app::ReportHeading heading;
  heading.district_name = a.district().name;
  std::vector<core::Dong> dongs;
  if (auto list = a.storage().directory().ListDongs(a.district().id); list.ok()) {
    dongs = std::move(*list);
  }
  heading.scope_text = app::ScopeText(report->parameters.scope, dongs, counselor_name);
  std::string bytes;
  if (i.format == "csv") {
    bytes = app::ReportCsv(*report, heading);
  } else if (i.format == "json") {
    bytes = app::ReportJson(*report).dump(2) + "\n";
  } else {
    auto xlsx = app::ReportXlsx(*report, heading);
    if (!xlsx.ok()) {
      PrintError(xlsx.error());
      return kExitRuntime;
    }
    bytes = std::move(*xlsx);
  }
  std::ofstream file(i.out, std::ios::binary | std::ios::trunc);
  file.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  file.close();
  if (!file) {
    PrintError(core::Error::Make(core::ErrorCode::kInternal, "cannot write " + i.out,
                                 "파일을 쓸 수 없습니다: " + i.out));
    return kExitRuntime;
  }
  std::cout << "wrote " << i.out << ": " << core::LabelKo(p.kind) << ", "
            << core::FormatDate(p.period.from) << " ~ " << core::FormatDate(p.period.to) << ", "
            << heading.scope_text << ", " << report->tables.size() << " tables, "
            << report->suppressed_cells << " cells suppressed\n";
  return 0;
}

}  // namespace caredesk::cli
