// `sluice keys create|list|show|rotate|revoke|update` and `sluice usage`: thin clients of the admin API.
#include <cmath>
#include <cstdio>
#include <memory>
#include <optional>

#include "admin_client.h"
#include "cli_registry.h"
#include "sluice/engine/json_escape.h"

namespace sluice::cli {
namespace {

// The members of a JSON object (without braces), for the bodies sent to the admin API.
class json_members {
 public:
  json_members& add(std::string_view name, std::string_view value) {
    key(name);
    engine::append_json_string(out_, value);
    return *this;
  }
  json_members& add(std::string_view name, std::uint64_t value) { return add_raw(name, std::to_string(value)); }
  json_members& add(std::string_view name, double value) {
    if (!std::isfinite(value)) {
      return add_raw(name, "null");  // JSON has no NaN or infinity
    }
    char buf[32];
    const int n = std::snprintf(buf, sizeof buf, "%.10g", value);
    return add_raw(name, std::string_view(buf, static_cast<std::size_t>(n)));
  }
  json_members& add(std::string_view name, bool value) { return add_raw(name, value ? "true" : "false"); }
  json_members& add_raw(std::string_view name, std::string_view json) {
    key(name);
    out_ += json;
    return *this;
  }
  [[nodiscard]] const std::string& str() const noexcept { return out_; }

 private:
  void key(std::string_view name) {
    if (!out_.empty()) {
      out_.push_back(',');
    }
    engine::append_json_string(out_, name);
    out_.push_back(':');
  }
  std::string out_;
};

// Options shared by create and update; only options the user gave end up in the JSON body.
struct key_settings {
  std::optional<std::string> name, description, team, project, environment, expires;
  std::vector<std::string> models, endpoints, ips;
  std::optional<std::uint32_t> rpm, tpm;
  std::optional<std::uint64_t> budget_tokens;
  std::optional<double> budget_usd;
  std::vector<double> alert_at;
  bool soft_budget = false;
  bool hard_budget = false;
  bool clear_expiry = false;

  void add_options(CLI::App& cmd, bool name_required) {
    auto* n = cmd.add_option("--name", name, "Key name (e.g. ranker-prod)");
    if (name_required) {
      n->required();
    }
    cmd.add_option("--description", description, "What the key is for");
    cmd.add_option("--team", team, "Team the usage is attributed to");
    cmd.add_option("--project", project, "Project the usage is attributed to");
    cmd.add_option("--env", environment, "Environment (prod, staging, dev, …)");
    cmd.add_option("--model", models, "Allowed model glob, repeatable (e.g. 'claude-haiku-*'); default any");
    cmd.add_option("--endpoint", endpoints, "Allowed endpoint glob, repeatable (e.g. /v1/messages); default any");
    cmd.add_option("--ip", ips, "Allowed client CIDR, repeatable (IPv4 or IPv6); default any");
    cmd.add_option("--rpm", rpm, "Requests per minute (0: no limit)");
    cmd.add_option("--tpm", tpm, "Tokens per minute, input + output (0: no limit)");
    cmd.add_option("--budget-tokens", budget_tokens, "Monthly token budget (0: none)");
    cmd.add_option("--budget-usd", budget_usd, "Monthly budget in USD (0: none)");
    cmd.add_flag("--soft-budget", soft_budget, "Budget only alerts, never refuses");
    cmd.add_flag("--hard-budget", hard_budget, "Budget refuses requests once reached (the default)");
    cmd.add_option("--alert-at", alert_at, "Budget alert thresholds as fractions, e.g. --alert-at 0.5 --alert-at 0.8")
        ->delimiter(',');
    cmd.add_option("--expires", expires, "Expiry: 2026-12-31 or 2026-12-31T18:00:00Z");
    cmd.add_flag("--no-expiry", clear_expiry, "Remove the expiry (update)");
  }

  std::string json() const {
    json_members f;
    auto text = [&](const char* field, const std::optional<std::string>& v) {
      if (v) {
        f.add(field, *v);
      }
    };
    auto list = [&](const char* field, const std::vector<std::string>& items) {
      if (!items.empty()) {
        std::string out = "[";
        for (std::size_t i = 0; i < items.size(); ++i) {
          if (i) {
            out += ',';
          }
          engine::append_json_string(out, items[i]);
        }
        f.add_raw(field, out + "]");
      }
    };
    text("name", name);
    text("description", description);
    text("team", team);
    text("project", project);
    text("environment", environment);
    list("allowed_models", models);
    list("allowed_endpoints", endpoints);
    list("ip_allowlist", ips);
    if (expires) {
      f.add("expires_at", *expires);
    } else if (clear_expiry) {
      f.add_raw("expires_at", "null");
    }
    json_members limits;
    if (rpm) {
      limits.add("requests_per_minute", static_cast<std::uint64_t>(*rpm));
    }
    if (tpm) {
      limits.add("tokens_per_minute", static_cast<std::uint64_t>(*tpm));
    }
    if (budget_tokens) {
      limits.add("monthly_token_budget", *budget_tokens);
    }
    if (budget_usd) {
      limits.add("monthly_usd_budget", *budget_usd);
    }
    if (soft_budget || hard_budget) {
      limits.add("hard_budget", !soft_budget);
    }
    if (!alert_at.empty()) {
      std::string out = "[";
      for (std::size_t i = 0; i < alert_at.size(); ++i) {
        out += (i ? "," : "") + std::to_string(alert_at[i]);
      }
      limits.add_raw("alert_thresholds", out + "]");
    }
    if (!limits.str().empty()) {
      f.add_raw("limits", "{" + limits.str() + "}");
    }
    return "{" + f.str() + "}";
  }
};

struct keys_state {
  admin_connection admin;
  key_settings settings;
  std::string id;
  std::optional<std::int64_t> grace_seconds;
  std::string group_by = "key";
  std::string from, to;
};

const register_command keys_registration([](CLI::App& app) {
  auto s = std::make_shared<keys_state>();
  CLI::App* keys = app.add_subcommand("keys", "Manage Sluice virtual keys through the admin API");
  keys->require_subcommand(1);

  CLI::App* create = keys->add_subcommand("create", "Create a key; prints it with its secret (shown only this once)");
  s->admin.add_options(*create);
  s->settings.add_options(*create, true);
  create->callback([s] { exit_code() = s->admin.call("POST", "/admin/keys", s->settings.json()); });

  CLI::App* list = keys->add_subcommand("list", "List keys (never secrets)");
  s->admin.add_options(*list);
  list->callback([s] { exit_code() = s->admin.call("GET", "/admin/keys", ""); });

  CLI::App* show = keys->add_subcommand("show", "Show one key and its budget use this month");
  s->admin.add_options(*show);
  show->add_option("id", s->id, "Key id (key_…)")->required();
  show->callback([s] { exit_code() = s->admin.call("GET", "/admin/keys/" + url_encode(s->id), ""); });

  CLI::App* update = keys->add_subcommand("update", "Change a key's settings or limits (only the options given)");
  s->admin.add_options(*update);
  update->add_option("id", s->id, "Key id (key_…)")->required();
  s->settings.add_options(*update, false);
  update->callback([s] { exit_code() = s->admin.call("PATCH", "/admin/keys/" + url_encode(s->id), s->settings.json()); });

  CLI::App* rotate = keys->add_subcommand("rotate", "Issue a new secret; the old one works until the grace period ends");
  s->admin.add_options(*rotate);
  rotate->add_option("id", s->id, "Key id (key_…)")->required();
  rotate->add_option("--grace", s->grace_seconds, "Grace period in seconds (default: the gateway's, 900)");
  rotate->callback([s] {
    const std::string body = s->grace_seconds ? "{\"grace_seconds\":" + std::to_string(*s->grace_seconds) + "}" : "";
    exit_code() = s->admin.call("POST", "/admin/keys/" + url_encode(s->id) + "/rotate", body);
  });

  CLI::App* revoke = keys->add_subcommand("revoke", "Revoke a key, effective immediately");
  s->admin.add_options(*revoke);
  revoke->add_option("id", s->id, "Key id (key_…)")->required();
  revoke->callback([s] { exit_code() = s->admin.call("POST", "/admin/keys/" + url_encode(s->id) + "/revoke", ""); });

  CLI::App* usage = app.add_subcommand("usage", "Usage grouped by key, team, project or model over a time range");
  s->admin.add_options(*usage);
  usage->add_option("--group-by", s->group_by, "key, team, project or model")
      ->check(CLI::IsMember({"key", "team", "project", "model"}))
      ->capture_default_str();
  usage->add_option("--from", s->from, "Start (2026-03-01, 2026-03-01T12:00:00Z); default: start of this month");
  usage->add_option("--to", s->to, "End, exclusive; default: now");
  usage->callback([s] {
    std::string path = "/admin/usage?group_by=" + url_encode(s->group_by);
    if (!s->from.empty()) {
      path += "&from=" + url_encode(s->from);
    }
    if (!s->to.empty()) {
      path += "&to=" + url_encode(s->to);
    }
    exit_code() = s->admin.call("GET", path, "");
  });
});

}  // namespace
}  // namespace sluice::cli
