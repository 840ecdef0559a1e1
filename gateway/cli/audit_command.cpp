// `sluice audit verify FILE…`: checks the audit chain and names the first tampered record.
#include <iostream>
#include <memory>

#include "cli_registry.h"
#include "sluice/gateway/audit_verify.h"
#include "sluice/gateway/config.h"

namespace sluice::cli {
namespace {

struct audit_state {
  std::vector<std::string> files;
  std::string head;
  std::string key_file;
  std::string key_env;
};

const register_command audit_registration([](CLI::App& app) {
  auto s = std::make_shared<audit_state>();
  CLI::App* audit = app.add_subcommand("audit", "Audit log tools");
  audit->require_subcommand(1);
  CLI::App* verify = audit->add_subcommand(
      "verify", "Verify the hash chain of audit files (or directories of them); exit 1 on the first tampered record");
  verify->add_option("files", s->files, "Audit day files or directories")->required();
  verify->add_option("--head", s->head,
                     "Expected hash of the last record (from GET /admin/audit/head): detects a truncated tail");
  verify->add_option("--key-file", s->key_file,
                     "File holding the checkpoint signing key (governance.audit.signing_key_file): checks signatures");
  verify->add_option("--key-env", s->key_env, "Environment variable holding the checkpoint signing key")
      ->excludes("--key-file");
  verify->callback([s] {
    std::string key;
    if (!s->key_file.empty() || !s->key_env.empty()) {
      gateway::secret_ref ref;
      ref.env = s->key_env;
      ref.file = s->key_file;
      try {
        key = gateway::read_secret(ref);  // trimmed the way the gateway reads it
      } catch (const std::exception& e) {
        std::cerr << "sluice audit verify: " << e.what() << '\n';
        exit_code() = 2;
        return;
      }
    }
    const auto result = gateway::verify_audit_files(s->files, s->head, key);
    if (result.ok()) {
      std::cout << "ok: " << result.records << " records verified from seq " << result.first_seq
                << (result.first_seq > 1 ? " (checkpoint: earlier files pruned)" : "") << "; head " << result.head;
      if (!key.empty()) {
        std::cout << "; " << result.signed_checkpoints << " checkpoint signature(s) valid";
      } else if (result.signed_checkpoints > 0) {
        std::cout << "; " << result.signed_checkpoints << " signed checkpoint(s) not checked (no --key-file)";
      }
      std::cout << '\n';
      exit_code() = 0;
      return;
    }
    std::cout << "FAILED: " << gateway::to_string(result.problem);
    if (!result.file.empty()) {
      std::cout << " at " << result.file << ':' << result.line;
    }
    std::cout << ": " << result.message << '\n';
    exit_code() = 1;
  });
});

}  // namespace
}  // namespace sluice::cli
