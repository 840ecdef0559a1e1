// The embedded governance store: one SQLite file in WAL mode. One connection behind a mutex: callers
// are the usage writer and the admin API, never the request path.
#include <sqlite3.h>

#include <memory>
#include <mutex>
#include <stdexcept>

#include "base/file_lock.h"
#include "governance/store/key_store.h"
#include "governance/store/list_encoding.h"

namespace sluice::gateway {

namespace {

class statement {
 public:
  statement(sqlite3* db, const char* sql) : db_(db) {
    if (sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr) != SQLITE_OK) {
      throw std::runtime_error(std::string("governance store: ") + sqlite3_errmsg(db));
    }
  }
  ~statement() { sqlite3_finalize(stmt_); }
  statement(const statement&) = delete;
  statement& operator=(const statement&) = delete;

  statement& bind(int i, std::string_view text) {
    sqlite3_bind_text(stmt_, i, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
    return *this;
  }
  statement& bind(int i, std::int64_t v) {
    sqlite3_bind_int64(stmt_, i, v);
    return *this;
  }
  statement& bind(int i, double v) {
    sqlite3_bind_double(stmt_, i, v);
    return *this;
  }
  // True while there is a row; throws on error.
  bool step() {
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) {
      return true;
    }
    if (rc == SQLITE_DONE) {
      return false;
    }
    throw std::runtime_error(std::string("governance store: ") + sqlite3_errmsg(db_));
  }
  void reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
  std::string text(int col) const {
    const auto* p = sqlite3_column_text(stmt_, col);
    return p ? std::string(reinterpret_cast<const char*>(p), static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col)))
             : std::string();
  }
  std::int64_t integer(int col) const { return sqlite3_column_int64(stmt_, col); }
  double real(int col) const { return sqlite3_column_double(stmt_, col); }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

constexpr const char* schema = R"sql(
CREATE TABLE IF NOT EXISTS keys (
  id TEXT PRIMARY KEY, name TEXT, description TEXT, team TEXT, project TEXT, environment TEXT,
  allowed_models TEXT, allowed_endpoints TEXT, ip_allowlist TEXT,
  rpm INTEGER, tpm INTEGER, token_budget INTEGER, usd_budget REAL, hard_budget INTEGER,
  alert_thresholds TEXT, expires_at_ms INTEGER, created_at_ms INTEGER, rotated_at_ms INTEGER,
  revoked_at_ms INTEGER, secret_hint TEXT, secret_sha256 TEXT, previous_secret_sha256 TEXT,
  previous_valid_until_ms INTEGER);
CREATE TABLE IF NOT EXISTS usage (
  ts_ms INTEGER, key_id TEXT, team TEXT, project TEXT, model TEXT, input_tokens INTEGER,
  output_tokens INTEGER, cost_micro_usd INTEGER, http_status INTEGER, latency_us INTEGER,
  verdicts TEXT);
CREATE INDEX IF NOT EXISTS usage_ts ON usage(ts_ms);
CREATE INDEX IF NOT EXISTS usage_key_ts ON usage(key_id, ts_ms);
CREATE TABLE IF NOT EXISTS state (name TEXT PRIMARY KEY, value TEXT);
)sql";

class sqlite_store final : public governance_store {
 public:
  explicit sqlite_store(const std::string& path) {
    const std::string where = path.empty() ? ":memory:" : path;
    if (!path.empty()) {
      // One process per store: each keeps its own key table, so a second one would not see the
      // first one's key changes (and revocations) until it restarts.
      lock_ = std::make_unique<file_lock>(path + ".lock", "the governance store " + path);
    }
    if (sqlite3_open_v2(where.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                        nullptr) != SQLITE_OK) {
      const std::string why = db_ ? sqlite3_errmsg(db_) : "out of memory";
      sqlite3_close(db_);
      throw std::runtime_error("governance store " + where + ": " + why);
    }
    sqlite3_busy_timeout(db_, 5000);
    // WAL + synchronous=NORMAL: a committed batch survives a crash of the process (SIGKILL); only a
    // power loss can drop the last transactions.
    exec(path.empty() ? "PRAGMA journal_mode=MEMORY;" : "PRAGMA journal_mode=WAL;");
    exec("PRAGMA synchronous=NORMAL;");
    try {
      exec(schema);
    } catch (const std::exception& e) {
      sqlite3_close(db_);
      throw std::runtime_error("governance store " + where + ": " + e.what());
    }
  }
  ~sqlite_store() override { sqlite3_close(db_); }

  std::vector<key_record> load_keys() override {
    std::lock_guard lock(mutex_);
    statement st(db_,
                 "SELECT id,name,description,team,project,environment,allowed_models,allowed_endpoints,"
                 "ip_allowlist,rpm,tpm,token_budget,usd_budget,hard_budget,alert_thresholds,expires_at_ms,"
                 "created_at_ms,rotated_at_ms,revoked_at_ms,secret_hint,secret_sha256,"
                 "previous_secret_sha256,previous_valid_until_ms FROM keys ORDER BY created_at_ms,id");
    std::vector<key_record> out;
    while (st.step()) {
      key_record k;
      k.id = st.text(0);
      k.name = st.text(1);
      k.description = st.text(2);
      k.team = st.text(3);
      k.project = st.text(4);
      k.environment = st.text(5);
      k.allowed_models = split_lines(st.text(6));
      k.allowed_endpoints = split_lines(st.text(7));
      k.ip_allowlist = split_lines(st.text(8));
      k.limits.requests_per_minute = static_cast<std::uint32_t>(st.integer(9));
      k.limits.tokens_per_minute = static_cast<std::uint32_t>(st.integer(10));
      k.limits.monthly_token_budget = static_cast<std::uint64_t>(st.integer(11));
      k.limits.monthly_usd_budget = st.real(12);
      k.limits.hard_budget = st.integer(13) != 0;
      k.limits.alert_thresholds = split_numbers(st.text(14));
      k.expires_at_ms = st.integer(15);
      k.created_at_ms = st.integer(16);
      k.rotated_at_ms = st.integer(17);
      k.revoked_at_ms = st.integer(18);
      k.secret_hint = st.text(19);
      k.secret_sha256 = st.text(20);
      k.previous_secret_sha256 = st.text(21);
      k.previous_valid_until_ms = st.integer(22);
      out.push_back(std::move(k));
    }
    return out;
  }

  void save_key(const key_record& k) override {
    std::lock_guard lock(mutex_);
    statement st(db_,
                 "INSERT OR REPLACE INTO keys VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    st.bind(1, k.id).bind(2, k.name).bind(3, k.description).bind(4, k.team).bind(5, k.project);
    st.bind(6, k.environment).bind(7, join_lines(k.allowed_models)).bind(8, join_lines(k.allowed_endpoints));
    st.bind(9, join_lines(k.ip_allowlist));
    st.bind(10, static_cast<std::int64_t>(k.limits.requests_per_minute));
    st.bind(11, static_cast<std::int64_t>(k.limits.tokens_per_minute));
    st.bind(12, static_cast<std::int64_t>(k.limits.monthly_token_budget));
    st.bind(13, k.limits.monthly_usd_budget).bind(14, static_cast<std::int64_t>(k.limits.hard_budget ? 1 : 0));
    st.bind(15, join_numbers(k.limits.alert_thresholds)).bind(16, k.expires_at_ms).bind(17, k.created_at_ms);
    st.bind(18, k.rotated_at_ms).bind(19, k.revoked_at_ms).bind(20, k.secret_hint).bind(21, k.secret_sha256);
    st.bind(22, k.previous_secret_sha256).bind(23, k.previous_valid_until_ms);
    st.step();
  }

  void append_usage(std::span<const usage_record> batch) override {
    if (batch.empty()) {
      return;
    }
    std::lock_guard lock(mutex_);
    exec("BEGIN");
    try {
      statement st(db_, "INSERT INTO usage VALUES (?,?,?,?,?,?,?,?,?,?,?)");
      for (const auto& u : batch) {
        st.bind(1, u.ts_ms).bind(2, u.key_id).bind(3, u.team).bind(4, u.project).bind(5, u.model);
        st.bind(6, static_cast<std::int64_t>(u.input_tokens)).bind(7, static_cast<std::int64_t>(u.output_tokens));
        st.bind(8, u.cost_micro_usd).bind(9, static_cast<std::int64_t>(u.http_status));
        st.bind(10, static_cast<std::int64_t>(u.latency_us)).bind(11, u.verdicts);
        st.step();
        st.reset();
      }
      exec("COMMIT");
    } catch (...) {
      exec_noexcept("ROLLBACK");
      throw;
    }
  }

  usage_total usage_of_key(std::string_view key_id, std::int64_t from_ms, std::int64_t to_ms) override {
    std::lock_guard lock(mutex_);
    statement st(db_,
                 "SELECT COUNT(*),COALESCE(SUM(input_tokens),0),COALESCE(SUM(output_tokens),0),"
                 "COALESCE(SUM(cost_micro_usd),0) FROM usage WHERE key_id=? AND ts_ms>=? AND ts_ms<?");
    st.bind(1, key_id).bind(2, from_ms).bind(3, to_ms);
    usage_total t;
    t.group = std::string(key_id);
    if (st.step()) {
      t.requests = static_cast<std::uint64_t>(st.integer(0));
      t.input_tokens = static_cast<std::uint64_t>(st.integer(1));
      t.output_tokens = static_cast<std::uint64_t>(st.integer(2));
      t.cost_micro_usd = st.integer(3);
    }
    return t;
  }

  std::vector<usage_total> usage_by(usage_grouping grouping, std::int64_t from_ms, std::int64_t to_ms) override {
    const char* column = grouping == usage_grouping::key    ? "key_id"
                         : grouping == usage_grouping::team ? "team"
                         : grouping == usage_grouping::project ? "project"
                                                                : "model";
    const std::string sql = std::string("SELECT ") + column +
                            ",COUNT(*),SUM(input_tokens),SUM(output_tokens),SUM(cost_micro_usd) FROM usage "
                            "WHERE ts_ms>=? AND ts_ms<? GROUP BY 1 ORDER BY 5 DESC, 1";
    std::lock_guard lock(mutex_);
    statement st(db_, sql.c_str());
    st.bind(1, from_ms).bind(2, to_ms);
    std::vector<usage_total> out;
    while (st.step()) {
      usage_total t;
      t.group = st.text(0);
      t.requests = static_cast<std::uint64_t>(st.integer(1));
      t.input_tokens = static_cast<std::uint64_t>(st.integer(2));
      t.output_tokens = static_cast<std::uint64_t>(st.integer(3));
      t.cost_micro_usd = st.integer(4);
      out.push_back(std::move(t));
    }
    return out;
  }

  std::string get_state(std::string_view name) override {
    std::lock_guard lock(mutex_);
    statement st(db_, "SELECT value FROM state WHERE name=?");
    st.bind(1, name);
    return st.step() ? st.text(0) : std::string();
  }

  void set_state(std::string_view name, std::string_view value) override {
    std::lock_guard lock(mutex_);
    statement st(db_, "INSERT OR REPLACE INTO state VALUES (?,?)");
    st.bind(1, name).bind(2, value);
    st.step();
  }

 private:
  void exec(const char* sql) {
    char* err = nullptr;
    if (sqlite3_exec(db_, sql, nullptr, nullptr, &err) != SQLITE_OK) {
      const std::string why = err ? err : "unknown error";
      sqlite3_free(err);
      throw std::runtime_error(why);
    }
  }
  void exec_noexcept(const char* sql) noexcept { sqlite3_exec(db_, sql, nullptr, nullptr, nullptr); }

  std::unique_ptr<file_lock> lock_;  // released after db_ is closed (declared first)
  std::mutex mutex_;
  sqlite3* db_ = nullptr;
};

}  // namespace

std::unique_ptr<governance_store> open_sqlite_store(const std::string& path) {
  return std::make_unique<sqlite_store>(path);
}

}  // namespace sluice::gateway
