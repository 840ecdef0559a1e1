// The shared governance store on Redis, for several gateway replicas behind a load balancer.
//
// Blocking calls are deliberate: like the SQLite store, this one is called only from the admin thread
// (key changes, usage queries), the usage ledger's writer thread (batches) and start-up, never from the
// request path, so one synchronous hiredis connection behind a mutex is enough and costs requests
// nothing. Anything that must reach Redis per request (shared rate limits and budgets) needs the
// gateway's own Asio sockets instead: fleet_link.h, one connection per shard.
//
// Layout under the configured prefix P (several deployments share one Redis by using different ones):
//   P keys             set of key ids
//   P key:<id>         hash: one field per key_record member; secrets only as SHA-256 (as in SQLite)
//   P usage            sorted set of usage records scored by ts_ms (the whole fleet's usage)
//   P usage:key:<id>   the same records of one key, so a key's month is read without the rest
//   P state            hash of small named state (alert levels, anomaly baselines)
//   P key-changes      pub/sub channel: every save_key publishes the key's id in the same transaction,
//                      and each process's watcher thread reloads its key table when one arrives
//   P fleet:…, P budget:…, P settled:…   fleet-wide rate limits and budgets (redis_scripts.h)
// A usage member starts with its batch id (a per-process nonce and a sequence number) and its place in
// the batch, so two identical records (same ms, same tokens) from two replicas are two members, not
// one, and a batch written twice (a replay after a lost reply) is still counted once.
#include "governance/store/redis_store.h"
#include "governance/store/list_encoding.h"
#include "governance/store/redis_scripts.h"
#include "governance/store/redis_tls_tunnel.h"

#include <hiredis.h>
#include <poll.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <map>
#include <mutex>
#include <random>
#include <stdexcept>
#include <thread>
#include <tuple>

namespace sluice::gateway {

namespace {

struct reply_deleter {
  void operator()(redisReply* r) const noexcept { freeReplyObject(r); }
};
using reply_ptr = std::unique_ptr<redisReply, reply_deleter>;

struct context_deleter {
  void operator()(redisContext* c) const noexcept { redisFree(c); }
};
using context_ptr = std::unique_ptr<redisContext, context_deleter>;

// One hiredis connection and, for rediss://, the TLS tunnel under it. Members are destroyed in reverse
// order: the context closes its end of the tunnel first, then the tunnel stops its thread.
struct connection {
  std::unique_ptr<redis_tls_tunnel> tunnel;
  context_ptr context;

  [[nodiscard]] redisContext* get() const noexcept { return context.get(); }
  redisContext* operator->() const noexcept { return context.get(); }
  explicit operator bool() const noexcept { return context != nullptr; }
  void reset() noexcept {
    context.reset();
    tunnel.reset();
  }
};

timeval to_timeval(std::int64_t ms) {
  return timeval{.tv_sec = static_cast<time_t>(ms / 1000), .tv_usec = static_cast<suseconds_t>((ms % 1000) * 1000)};
}

std::string where_of(const redis_target& t) {
  return (t.tls ? "rediss://" : "redis://") + t.host + ":" + std::to_string(t.port);
}

// rediss://: the tunnel's handshake is waited for here, so a certificate problem is reported as such
// rather than as a closed connection. Throws std::runtime_error (redis_tls_setting_error for a TLS
// setting that cannot be used).
connection open_connection(const redis_target& t, const timeval& tv) {
  connection conn;
  if (!t.tls) {
    conn.context.reset(redisConnectWithTimeout(t.host.c_str(), t.port, tv));
  } else {
    redis_tls_endpoint to;
    to.host = t.host;
    to.port = t.port;
    to.server_name = t.tls_options.server_name.empty() ? t.host : t.tls_options.server_name;
    to.verify = t.tls_options.verify;
    to.timeout_ms = t.timeout_ms;
    conn.tunnel = std::make_unique<redis_tls_tunnel>(make_redis_tls_context(t.tls_options), to);
    if (const std::string why = conn.tunnel->wait_established(); !why.empty()) {
      throw std::runtime_error(where_of(t) + ": " + why);
    }
    conn.context.reset(redisConnectFd(conn.tunnel->take_fd()));
  }
  if (!conn.context) {
    throw std::runtime_error(where_of(t) + ": out of memory");
  }
  if (conn.context->err) {
    throw std::runtime_error(where_of(t) + ": cannot connect: " + conn.context->errstr);
  }
  return conn;
}

reply_ptr run_argv(redisContext* c, const std::vector<std::string>& args) {
  std::vector<const char*> argv;
  std::vector<std::size_t> lens;
  argv.reserve(args.size());
  lens.reserve(args.size());
  for (const auto& a : args) {
    argv.push_back(a.data());
    lens.push_back(a.size());
  }
  return reply_ptr(static_cast<redisReply*>(
      redisCommandArgv(c, static_cast<int>(argv.size()), argv.data(), lens.data())));
}

std::string reply_text(const redisReply* r) { return r->str ? std::string(r->str, r->len) : std::string(); }

// Connects, authenticates and selects the database. Throws std::runtime_error; `auth_refused` is set
// when the server rejected the password (or wants one and none was given).
connection connect(const redis_target& t, bool& auth_refused) {
  auth_refused = false;
  const timeval tv = to_timeval(t.timeout_ms);
  connection c = open_connection(t, tv);
  redisSetTimeout(c.get(), tv);
  auto check = [&](reply_ptr r, const char* what) {
    if (!r) {
      throw std::runtime_error(where_of(t) + ": " + what + ": " + c->errstr);
    }
    if (r->type == REDIS_REPLY_ERROR) {
      const std::string msg = reply_text(r.get());
      if (msg.starts_with("WRONGPASS") || msg.starts_with("NOAUTH") || msg.find("invalid password") != std::string::npos ||
          msg.find("no password is set") != std::string::npos) {
        auth_refused = true;
      }
      throw std::runtime_error(where_of(t) + ": " + what + " refused: " + msg);
    }
  };
  if (!t.password.empty()) {
    check(run_argv(c.get(), {"AUTH", t.password}), "AUTH");
  }
  // SELECT also proves the connection is usable (NOAUTH when a password is required but not given).
  check(run_argv(c.get(), {"SELECT", std::to_string(t.db)}), "SELECT");
  return c;
}

std::int64_t to_int(const std::string& s) { return std::strtoll(s.c_str(), nullptr, 10); }

// Usage members: strings as "<length>:<bytes>", numbers as "<decimal>;". Any byte may appear in a
// string (verdicts, model names) without escaping.
void put_str(std::string& out, std::string_view s) {
  out += std::to_string(s.size());
  out.push_back(':');
  out.append(s);
}
void put_num(std::string& out, std::int64_t v) {
  out += std::to_string(v);
  out.push_back(';');
}

class member_reader {
 public:
  explicit member_reader(std::string_view text) : rest_(text) {}
  std::string str() {
    const auto colon = rest_.find(':');
    if (colon == std::string_view::npos) {
      throw std::runtime_error("governance store: malformed usage record in Redis");
    }
    std::size_t len = 0;
    std::from_chars(rest_.data(), rest_.data() + colon, len);
    if (colon + 1 + len > rest_.size()) {
      throw std::runtime_error("governance store: malformed usage record in Redis");
    }
    std::string out(rest_.substr(colon + 1, len));
    rest_.remove_prefix(colon + 1 + len);
    return out;
  }
  std::int64_t num() {
    const auto semi = rest_.find(';');
    if (semi == std::string_view::npos) {
      throw std::runtime_error("governance store: malformed usage record in Redis");
    }
    std::int64_t v = 0;
    std::from_chars(rest_.data(), rest_.data() + semi, v);
    rest_.remove_prefix(semi + 1);
    return v;
  }

 private:
  std::string_view rest_;
};

// The fields usage queries need from a member (the nonce and the rest are skipped).
struct usage_fields {
  std::string key_id, team, project, model;
  std::int64_t input_tokens = 0, output_tokens = 0, cost_micro_usd = 0;
};

usage_fields read_member(std::string_view member) {
  const auto bar = member.find('|');
  member_reader r(member.substr(bar == std::string_view::npos ? 0 : bar + 1));
  usage_fields f;
  (void)r.num();  // ts_ms (the score)
  f.key_id = r.str();
  f.team = r.str();
  f.project = r.str();
  f.model = r.str();
  f.input_tokens = r.num();
  f.output_tokens = r.num();
  f.cost_micro_usd = r.num();
  return f;
}

// One thread per watching process, on a connection of its own (a subscribed connection can do nothing
// else). It reloads after every (re)subscription, since messages sent while it was not subscribed are
// lost, and every resync_ms as the safety net; reconnects with backoff (100 ms doubling to 5 s).
class redis_key_watch final : public key_change_watch {
 public:
  redis_key_watch(redis_target target, std::string channel, std::function<void()> on_change)
      : target_(std::move(target)), channel_(std::move(channel)), on_change_(std::move(on_change)) {
    thread_ = std::thread([this] { run(); });
  }
  ~redis_key_watch() override {
    {
      std::lock_guard lock(mutex_);
      stop_ = true;
    }
    wake_.notify_all();
    thread_.join();
  }
  redis_key_watch(const redis_key_watch&) = delete;
  redis_key_watch& operator=(const redis_key_watch&) = delete;

 private:
  using clock = std::chrono::steady_clock;

  bool stopping() {
    std::lock_guard lock(mutex_);
    return stop_;
  }

  void pause(std::int64_t ms) {
    std::unique_lock lock(mutex_);
    wake_.wait_for(lock, std::chrono::milliseconds(ms), [this] { return stop_; });
  }

  void notify() noexcept {
    try {
      on_change_();
    } catch (...) {
      // The store is unreachable or a record is malformed: keep the current table; the next message or
      // resync tries again.
    }
  }

  void run() {
    std::int64_t backoff_ms = 100;
    while (!stopping()) {
      connection c;
      try {
        bool auth_refused = false;
        c = connect(target_, auth_refused);
        const reply_ptr r = run_argv(c.get(), {"SUBSCRIBE", channel_});
        if (!r || r->type == REDIS_REPLY_ERROR) {
          throw std::runtime_error("SUBSCRIBE failed");
        }
      } catch (const std::exception&) {
        pause(backoff_ms);
        backoff_ms = std::min<std::int64_t>(backoff_ms * 2, 5000);
        continue;
      }
      backoff_ms = 100;
      notify();
      listen(c.get());
    }
  }

  // Returns when the connection fails or the watch stops. Polls in 100 ms steps to notice the stop.
  void listen(redisContext* c) {
    auto next_resync = clock::now() + std::chrono::milliseconds(target_.resync_ms);
    while (!stopping()) {
      pollfd p{.fd = c->fd, .events = POLLIN, .revents = 0};
      const int n = ::poll(&p, 1, 100);
      if (n < 0 && errno != EINTR) {
        return;
      }
      bool changed = false;
      if (n > 0) {
        if (redisBufferRead(c) != REDIS_OK) {
          return;
        }
        // Every message read now is answered by one reload: a burst of changes costs one.
        for (;;) {
          void* raw = nullptr;
          if (redisGetReplyFromReader(c, &raw) != REDIS_OK) {
            return;
          }
          if (raw == nullptr) {
            break;
          }
          freeReplyObject(raw);
          changed = true;
        }
      }
      if (clock::now() >= next_resync) {
        changed = true;
        next_resync = clock::now() + std::chrono::milliseconds(target_.resync_ms);
      }
      if (changed) {
        notify();
      }
    }
  }

  const redis_target target_;
  const std::string channel_;
  const std::function<void()> on_change_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stop_ = false;
  std::thread thread_;  // last: started once everything it reads exists
};

class redis_store final : public governance_store {
 public:
  explicit redis_store(redis_target target) : target_(std::move(target)) {
    bool auth_refused = false;
    context_ = connect(target_, auth_refused);
    std::random_device rd;
    nonce_ = (static_cast<std::uint64_t>(rd()) << 32) ^ rd();
  }

  std::vector<key_record> load_keys() override {
    std::lock_guard lock(mutex_);
    const reply_ptr ids = command({"SMEMBERS", k("keys")});
    std::vector<std::string> id_list;
    for (std::size_t i = 0; i < ids->elements; ++i) {
      id_list.push_back(reply_text(ids->element[i]));
    }
    std::vector<std::vector<std::string>> batch;
    for (const auto& id : id_list) {
      batch.push_back({"HGETALL", k("key:" + id)});
    }
    const std::vector<reply_ptr> replies = pipeline(batch);
    std::vector<key_record> out;
    for (std::size_t i = 0; i < replies.size(); ++i) {
      const redisReply* r = replies[i].get();
      if (r->type != REDIS_REPLY_ARRAY || r->elements == 0) {
        continue;  // listed but gone: skip rather than invent an empty key
      }
      std::map<std::string, std::string, std::less<>> f;
      for (std::size_t j = 0; j + 1 < r->elements; j += 2) {
        f[reply_text(r->element[j])] = reply_text(r->element[j + 1]);
      }
      out.push_back(decode_key(id_list[i], f));
    }
    // The SQLite store's order, so the key table is built the same way from either store.
    std::sort(out.begin(), out.end(), [](const key_record& a, const key_record& b) {
      return std::tie(a.created_at_ms, a.id) < std::tie(b.created_at_ms, b.id);
    });
    return out;
  }

  void save_key(const key_record& key) override {
    std::vector<std::string> hset{"HSET", k("key:" + key.id)};
    for (auto& [name, value] : encode_key(key)) {
      hset.push_back(std::move(name));
      hset.push_back(std::move(value));
    }
    std::lock_guard lock(mutex_);
    transaction({std::move(hset), {"SADD", k("keys"), key.id}, {"PUBLISH", k("key-changes"), key.id}});
  }

  void append_usage(std::span<const usage_record> records) override {
    if (records.empty()) {
      return;
    }
    usage_batch batch;
    {
      std::lock_guard lock(mutex_);
      batch.id = std::to_string(nonce_) + "." + std::to_string(seq_++);
    }
    batch.usage.assign(records.begin(), records.end());
    append_batch(batch);
  }

  // MULTI, the usage records (ZADD), the settlement script (EVAL), EXEC: one round trip, all or
  // nothing. Members are named by the batch id and their place in it, and the script skips a batch it
  // has applied before, so writing the same batch twice counts it once.
  std::vector<fleet_budget_use> append_batch(const usage_batch& batch) override {
    if (batch.usage.empty() && batch.settlements.empty()) {
      return {};
    }
    std::vector<std::vector<std::string>> commands;
    if (!batch.usage.empty()) {
      std::vector<std::string> all{"ZADD", k("usage")};
      std::map<std::string, std::vector<std::string>> per_key;
      std::size_t index = 0;
      for (const auto& u : batch.usage) {
        std::string member = batch.id + "." + std::to_string(index++) + "|";
        put_num(member, u.ts_ms);
        put_str(member, u.key_id);
        put_str(member, u.team);
        put_str(member, u.project);
        put_str(member, u.model);
        put_num(member, u.input_tokens);
        put_num(member, u.output_tokens);
        put_num(member, u.cost_micro_usd);
        put_num(member, u.http_status);
        put_num(member, u.latency_us);
        put_str(member, u.verdicts);
        const std::string score = std::to_string(u.ts_ms);
        all.push_back(score);
        all.push_back(member);
        if (!u.key_id.empty()) {
          auto& z = per_key[u.key_id];
          z.push_back(score);
          z.push_back(std::move(member));
        }
      }
      commands.push_back(std::move(all));
      for (auto& [id, pairs] : per_key) {
        std::vector<std::string> zadd{"ZADD", k("usage:key:" + id)};
        zadd.insert(zadd.end(), std::make_move_iterator(pairs.begin()), std::make_move_iterator(pairs.end()));
        commands.push_back(std::move(zadd));
      }
    }
    // The settlements in chunks of 2,000 (24,000 arguments), each with a marker of its own: a busy
    // interval stays far below Redis's limit on one command's arguments.
    constexpr std::size_t chunk = 2000;
    const std::size_t first_eval = commands.size();  // its place in EXEC's reply
    std::size_t evals = 0;
    for (std::size_t from = 0; from < batch.settlements.size(); from += chunk, ++evals) {
      // EVAL rather than EVALSHA: once per interval, and a script cache emptied by a Redis restart
      // cannot fail the batch.
      std::vector<std::string> eval{"EVAL", std::string(fleet_settle_script()), "1",
                                    k("settled:" + batch.id + (from == 0 ? "" : "." + std::to_string(from / chunk))),
                                    target_.key_prefix};
      const std::size_t to = std::min(batch.settlements.size(), from + chunk);
      for (std::size_t i = from; i < to; ++i) {
        const fleet_settlement& f = batch.settlements[i];
        eval.emplace_back(f.key_id.view());
        for (const std::uint64_t v : {std::uint64_t{f.budget_month}, std::uint64_t{f.now_month},
                                      std::uint64_t{f.tokens_per_minute}, f.tpm_reserved, f.budget_reserved_tokens,
                                      f.budget_reserved_micro_usd, f.used_tokens, f.used_micro_usd,
                                      std::uint64_t{f.budgeted ? 1u : 0u}, f.known_tokens, f.known_micro_usd}) {
          eval.push_back(std::to_string(v));
        }
      }
      commands.push_back(std::move(eval));
    }
    std::lock_guard lock(mutex_);
    const reply_ptr exec = transaction(std::move(commands));  // the batch lands whole or not at all
    // Each script's answer: {1, id, month, tokens, micro_usd, …}, or {0} for a chunk applied before.
    // EXEC's reply has one element per command between MULTI and EXEC.
    std::vector<fleet_budget_use> uses;
    for (std::size_t e = first_eval; e < first_eval + evals && e < exec->elements; ++e) {
      const redisReply* r = exec->element[e];
      if (r->type != REDIS_REPLY_ARRAY) {
        continue;
      }
      const auto text_at = [&](std::size_t i) {
        return r->element[i]->type == REDIS_REPLY_STRING ? reply_text(r->element[i]) : std::string();
      };
      for (std::size_t i = 1; i + 3 < r->elements; i += 4) {
        fleet_budget_use u;
        u.key_id = text_at(i);
        u.month = static_cast<std::uint32_t>(to_int(text_at(i + 1)));
        u.tokens = static_cast<std::uint64_t>(std::max<std::int64_t>(0, to_int(text_at(i + 2))));
        u.micro_usd = static_cast<std::uint64_t>(std::max<std::int64_t>(0, to_int(text_at(i + 3))));
        uses.push_back(std::move(u));
      }
    }
    return uses;
  }

  std::uint32_t claim_alert_level(std::string_view key_id, std::uint32_t month, std::uint32_t level) override {
    std::lock_guard lock(mutex_);
    const reply_ptr r = command({"EVAL", std::string(fleet_alert_script()), "1", k("state"),
                                 "budget_alert/" + std::string(key_id), std::to_string(month), std::to_string(level)});
    return r->type == REDIS_REPLY_INTEGER ? static_cast<std::uint32_t>(r->integer) : 0;
  }

  [[nodiscard]] bool keeps_failed_batches() const noexcept override { return true; }
  [[nodiscard]] const redis_target* redis() const noexcept override { return &target_; }

  usage_total usage_of_key(std::string_view key_id, std::int64_t from_ms, std::int64_t to_ms) override {
    usage_total t;
    t.group = std::string(key_id);
    std::lock_guard lock(mutex_);
    scan_range(k("usage:key:" + std::string(key_id)), from_ms, to_ms, [&](const usage_fields& f) {
      ++t.requests;
      t.input_tokens += static_cast<std::uint64_t>(f.input_tokens);
      t.output_tokens += static_cast<std::uint64_t>(f.output_tokens);
      t.cost_micro_usd += f.cost_micro_usd;
    });
    return t;
  }

  std::vector<usage_total> usage_by(usage_grouping grouping, std::int64_t from_ms, std::int64_t to_ms) override {
    std::map<std::string, usage_total, std::less<>> groups;
    {
      std::lock_guard lock(mutex_);
      scan_range(k("usage"), from_ms, to_ms, [&](const usage_fields& f) {
        const std::string& g = grouping == usage_grouping::key    ? f.key_id
                               : grouping == usage_grouping::team ? f.team
                               : grouping == usage_grouping::project ? f.project
                                                                      : f.model;
        usage_total& t = groups[g];
        ++t.requests;
        t.input_tokens += static_cast<std::uint64_t>(f.input_tokens);
        t.output_tokens += static_cast<std::uint64_t>(f.output_tokens);
        t.cost_micro_usd += f.cost_micro_usd;
      });
    }
    std::vector<usage_total> out;
    out.reserve(groups.size());
    for (auto& [name, t] : groups) {
      t.group = name;
      out.push_back(std::move(t));
    }
    // As the SQLite store orders them: largest cost first, then by group.
    std::stable_sort(out.begin(), out.end(),
                     [](const usage_total& a, const usage_total& b) { return a.cost_micro_usd > b.cost_micro_usd; });
    return out;
  }

  std::unique_ptr<key_change_watch> watch_key_changes(std::function<void()> on_change) override {
    return std::make_unique<redis_key_watch>(target_, k("key-changes"), std::move(on_change));
  }

  std::string get_state(std::string_view name) override {
    std::lock_guard lock(mutex_);
    const reply_ptr r = command({"HGET", k("state"), std::string(name)});
    return r->type == REDIS_REPLY_STRING ? reply_text(r.get()) : std::string();
  }

  void set_state(std::string_view name, std::string_view value) override {
    std::lock_guard lock(mutex_);
    (void)command({"HSET", k("state"), std::string(name), std::string(value)});
  }

 private:
  std::string k(std::string_view suffix) const { return target_.key_prefix + std::string(suffix); }

  redisContext* context() {
    if (!context_) {
      bool auth_refused = false;
      context_ = connect(target_, auth_refused);
    }
    return context_.get();
  }

  // An I/O error leaves the context unusable: drop it so the next call reconnects.
  [[noreturn]] void io_failure(const char* what) {
    const std::string why = context_ ? context_->errstr : "no connection";
    context_.reset();
    throw std::runtime_error("governance store " + where_of(target_) + ": " + what + ": " + why);
  }

  reply_ptr command(const std::vector<std::string>& args) {
    reply_ptr r = run_argv(context(), args);
    if (!r) {
      io_failure(args.front().c_str());
    }
    if (r->type == REDIS_REPLY_ERROR) {
      throw std::runtime_error("governance store " + where_of(target_) + ": " + args.front() + ": " +
                               reply_text(r.get()));
    }
    return r;
  }

  // Sends every command, then reads every reply: one round trip for the lot.
  std::vector<reply_ptr> pipeline(const std::vector<std::vector<std::string>>& commands) {
    redisContext* c = context();
    for (const auto& args : commands) {
      std::vector<const char*> argv;
      std::vector<std::size_t> lens;
      for (const auto& a : args) {
        argv.push_back(a.data());
        lens.push_back(a.size());
      }
      if (redisAppendCommandArgv(c, static_cast<int>(argv.size()), argv.data(), lens.data()) != REDIS_OK) {
        io_failure("pipeline");
      }
    }
    std::vector<reply_ptr> replies;
    replies.reserve(commands.size());
    for (std::size_t i = 0; i < commands.size(); ++i) {
      void* raw = nullptr;
      if (redisGetReply(c, &raw) != REDIS_OK) {
        io_failure("pipeline");
      }
      replies.emplace_back(static_cast<redisReply*>(raw));
    }
    return replies;
  }

  // MULTI … EXEC in one round trip; throws when any command or the transaction failed. Returns EXEC's
  // reply (one element per command).
  reply_ptr transaction(std::vector<std::vector<std::string>> commands) {
    commands.insert(commands.begin(), {"MULTI"});
    commands.push_back({"EXEC"});
    std::vector<reply_ptr> replies = pipeline(commands);
    for (std::size_t i = 0; i < replies.size(); ++i) {
      if (replies[i]->type == REDIS_REPLY_ERROR) {
        throw std::runtime_error("governance store " + where_of(target_) + ": " + commands[i].front() + ": " +
                                 reply_text(replies[i].get()));
      }
    }
    const redisReply* exec = replies.back().get();
    if (exec->type != REDIS_REPLY_ARRAY) {
      throw std::runtime_error("governance store " + where_of(target_) + ": transaction aborted");
    }
    for (std::size_t i = 0; i < exec->elements; ++i) {
      if (exec->element[i]->type == REDIS_REPLY_ERROR) {
        throw std::runtime_error("governance store " + where_of(target_) + ": " + reply_text(exec->element[i]));
      }
    }
    return std::move(replies.back());
  }

  // Calls `each` for every record of sorted set `key` with ts in [from_ms, to_ms), a page at a time.
  template <typename F>
  void scan_range(const std::string& key, std::int64_t from_ms, std::int64_t to_ms, F&& each) {
    constexpr std::size_t page = 5000;
    for (std::size_t offset = 0;; offset += page) {
      const reply_ptr r = command({"ZRANGEBYSCORE", key, std::to_string(from_ms), "(" + std::to_string(to_ms),
                                   "LIMIT", std::to_string(offset), std::to_string(page)});
      for (std::size_t i = 0; i < r->elements; ++i) {
        each(read_member(std::string_view(r->element[i]->str, r->element[i]->len)));
      }
      if (r->elements < page) {
        return;
      }
    }
  }

  static std::vector<std::pair<std::string, std::string>> encode_key(const key_record& k) {
    const auto num = [](auto v) { return std::to_string(v); };
    return {{"name", k.name},
            {"description", k.description},
            {"team", k.team},
            {"project", k.project},
            {"environment", k.environment},
            {"allowed_models", join_lines(k.allowed_models)},
            {"allowed_endpoints", join_lines(k.allowed_endpoints)},
            {"ip_allowlist", join_lines(k.ip_allowlist)},
            {"rpm", num(k.limits.requests_per_minute)},
            {"tpm", num(k.limits.tokens_per_minute)},
            {"token_budget", num(k.limits.monthly_token_budget)},
            {"usd_budget", double_text(k.limits.monthly_usd_budget)},
            {"hard_budget", k.limits.hard_budget ? "1" : "0"},
            {"alert_thresholds", join_numbers(k.limits.alert_thresholds)},
            {"expires_at_ms", num(k.expires_at_ms)},
            {"created_at_ms", num(k.created_at_ms)},
            {"rotated_at_ms", num(k.rotated_at_ms)},
            {"revoked_at_ms", num(k.revoked_at_ms)},
            {"secret_hint", k.secret_hint},
            {"secret_sha256", k.secret_sha256},
            {"previous_secret_sha256", k.previous_secret_sha256},
            {"previous_valid_until_ms", num(k.previous_valid_until_ms)}};
  }

  static key_record decode_key(const std::string& id, const std::map<std::string, std::string, std::less<>>& f) {
    const auto get = [&](std::string_view name) -> std::string {
      const auto it = f.find(name);
      return it == f.end() ? std::string() : it->second;
    };
    key_record k;
    k.id = id;
    k.name = get("name");
    k.description = get("description");
    k.team = get("team");
    k.project = get("project");
    k.environment = get("environment");
    k.allowed_models = split_lines(get("allowed_models"));
    k.allowed_endpoints = split_lines(get("allowed_endpoints"));
    k.ip_allowlist = split_lines(get("ip_allowlist"));
    k.limits.requests_per_minute = static_cast<std::uint32_t>(to_int(get("rpm")));
    k.limits.tokens_per_minute = static_cast<std::uint32_t>(to_int(get("tpm")));
    k.limits.monthly_token_budget = static_cast<std::uint64_t>(to_int(get("token_budget")));
    k.limits.monthly_usd_budget = std::strtod(get("usd_budget").c_str(), nullptr);
    k.limits.hard_budget = get("hard_budget") != "0";
    k.limits.alert_thresholds = split_numbers(get("alert_thresholds"));
    k.expires_at_ms = to_int(get("expires_at_ms"));
    k.created_at_ms = to_int(get("created_at_ms"));
    k.rotated_at_ms = to_int(get("rotated_at_ms"));
    k.revoked_at_ms = to_int(get("revoked_at_ms"));
    k.secret_hint = get("secret_hint");
    k.secret_sha256 = get("secret_sha256");
    k.previous_secret_sha256 = get("previous_secret_sha256");
    k.previous_valid_until_ms = to_int(get("previous_valid_until_ms"));
    return k;
  }

  const redis_target target_;
  std::mutex mutex_;  // one connection, one caller at a time
  connection context_;
  std::uint64_t nonce_ = 0;
  std::uint64_t seq_ = 0;
};

bool parse_number(std::string_view digits, std::uint64_t max, std::uint64_t& out) {
  auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), out);
  return !digits.empty() && ec == std::errc() && ptr == digits.data() + digits.size() && out <= max;
}

}  // namespace

bool is_redis_url(std::string_view text) noexcept {
  return text.starts_with("redis://") || text.starts_with("rediss://");
}

bool parse_redis_url(std::string_view url, redis_target& out, std::string& why) {
  const bool tls = url.starts_with("rediss://");
  if (!tls && !url.starts_with("redis://")) {
    why = "expected redis://host:port/db (or rediss:// for TLS)";
    return false;
  }
  std::string_view rest = url.substr(tls ? 9 : 8);
  const auto slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  const std::string_view path = slash == std::string_view::npos ? std::string_view() : rest.substr(slash + 1);
  if (authority.find('@') != std::string_view::npos) {
    why = "the URL carries credentials; give the password with password_env or password_file instead";
    return false;
  }
  std::string_view host = authority;
  std::string_view port_text;
  if (authority.starts_with('[')) {  // [v6]:port
    const auto close = authority.find(']');
    if (close == std::string_view::npos) {
      why = "unclosed '[' in the host";
      return false;
    }
    host = authority.substr(1, close - 1);
    const std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (!after.starts_with(':')) {
        why = "expected :port after the IPv6 address";
        return false;
      }
      port_text = after.substr(1);
    }
  } else if (const auto colon = authority.rfind(':'); colon != std::string_view::npos) {
    host = authority.substr(0, colon);
    port_text = authority.substr(colon + 1);
  }
  if (host.empty()) {
    why = "missing host, e.g. redis://127.0.0.1:6379/0";
    return false;
  }
  std::uint64_t port = 6379;
  if (!port_text.empty() && (!parse_number(port_text, 65535, port) || port == 0)) {
    why = "invalid port '" + std::string(port_text) + "'";
    return false;
  }
  std::uint64_t db = 0;
  if (!path.empty() && !parse_number(path, 1u << 20, db)) {
    why = "invalid database number '" + std::string(path) + "' (expected /0, /1, …)";
    return false;
  }
  out.host = std::string(host);
  out.port = static_cast<std::uint16_t>(port);
  out.db = static_cast<std::uint32_t>(db);
  out.tls = tls;
  return true;
}

std::string check_redis(const redis_target& target, bool& auth_refused) {
  try {
    (void)connect(target, auth_refused);
    return {};
  } catch (const redis_tls_setting_error&) {
    throw;  // the caller names the setting
  } catch (const std::exception& e) {
    return e.what();
  }
}

std::unique_ptr<governance_store> open_redis_store(const redis_target& target) {
  try {
    return std::make_unique<redis_store>(target);
  } catch (const std::exception& e) {
    throw std::runtime_error(std::string("governance store ") + e.what());
  }
}

}  // namespace sluice::gateway
