// `sluice audit verify FILE…|DIR…`: checks audit chains and names the first tampered record. Files (and
// a single directory of day files) are one chain; several directories, or a directory of replicas'
// directories (a shared store writes <audit dir>/<replica id>/), are one chain each, each reported on
// its own line, and the command fails if any is broken.
#include <algorithm>
#include <filesystem>
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

// True when `dir` holds audit day files itself.
bool holds_day_files(const std::filesystem::path& dir) {
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(dir, ec)) {
    const std::string name = e.path().filename().string();
    if (e.is_regular_file() && name.starts_with("audit-") && name.ends_with(".jsonl")) {
      return true;
    }
  }
  return false;
}

// The chains the arguments name: every directory is one chain, or one per replica directory inside it;
// the files given directly are one more chain. Fewer than two: the arguments as they are (one chain).
std::vector<std::vector<std::string>> chains_of(const std::vector<std::string>& args) {
  std::vector<std::vector<std::string>> chains;
  std::vector<std::string> files;
  for (const auto& a : args) {
    std::error_code ec;
    if (!std::filesystem::is_directory(a, ec)) {
      files.push_back(a);
      continue;
    }
    if (holds_day_files(a)) {
      chains.push_back({a});
      continue;
    }
    std::vector<std::string> replicas;
    for (const auto& e : std::filesystem::directory_iterator(a, ec)) {
      if (e.is_directory() && holds_day_files(e.path())) {
        replicas.push_back(e.path().string());
      }
    }
    std::sort(replicas.begin(), replicas.end());
    if (replicas.empty()) {
      chains.push_back({a});  // verify reports it (no audit files)
    }
    for (auto& r : replicas) {
      chains.push_back({std::move(r)});
    }
  }
  if (!files.empty()) {
    chains.push_back(std::move(files));
  }
  return chains;
}

void print_result(const gateway::audit_verify_result& result, bool keyed) {
  if (result.ok()) {
    std::cout << "ok: " << result.records << " records verified from seq " << result.first_seq
              << (result.first_seq > 1 ? " (checkpoint: earlier files pruned)" : "") << "; head " << result.head;
    if (keyed) {
      std::cout << "; " << result.signed_checkpoints << " checkpoint signature(s) valid";
    } else if (result.signed_checkpoints > 0) {
      std::cout << "; " << result.signed_checkpoints << " signed checkpoint(s) not checked (no --key-file)";
    }
    std::cout << '\n';
    return;
  }
  std::cout << "FAILED: " << gateway::to_string(result.problem);
  if (!result.file.empty()) {
    std::cout << " at " << result.file << ':' << result.line;
  }
  std::cout << ": " << result.message << '\n';
}

const register_command audit_registration([](CLI::App& app) {
  auto s = std::make_shared<audit_state>();
  CLI::App* audit = app.add_subcommand("audit", "Audit log tools");
  audit->require_subcommand(1);
  CLI::App* verify = audit->add_subcommand(
      "verify", "Verify the hash chain of audit files, or of several replicas' directories (one chain each); exit 1 if any chain is broken");
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
    const auto chains = chains_of(s->files);
    if (chains.size() <= 1) {
      const auto result = gateway::verify_audit_files(s->files, s->head, key);
      print_result(result, !key.empty());
      exit_code() = result.ok() ? 0 : 1;
      return;
    }
    if (!s->head.empty()) {
      std::cerr << "sluice audit verify: --head names the head of one chain; give one replica's directory with it\n";
      exit_code() = 2;
      return;
    }
    // One line per chain, named by its directory (the replica id), then a summary.
    std::size_t broken = 0;
    for (const auto& chain : chains) {
      const auto result = gateway::verify_audit_files(chain, {}, key);
      std::cout << (chain.size() == 1 ? chain.front() : std::string("(files)")) << ": ";
      print_result(result, !key.empty());
      broken += result.ok() ? 0 : 1;
    }
    if (broken == 0) {
      std::cout << "ok: all " << chains.size() << " chains verified\n";
    } else {
      std::cout << "FAILED: " << broken << " of " << chains.size() << " chains broken\n";
    }
    exit_code() = broken == 0 ? 0 : 1;
  });
});

}  // namespace
}  // namespace sluice::cli
