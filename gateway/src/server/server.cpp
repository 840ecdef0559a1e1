// The shard set: binding, threads, reload (build off the request path, post to every shard) and drain.
#include "sluice/gateway/server.h"

#include <atomic>
#include <future>
#include <mutex>
#include <thread>

#include "pipeline/config_generation.h"
#include "server/shard.h"
#include "sluice/gateway/admin_server.h"
#include "sluice/gateway/governance_stack.h"
#include "governance/governance_service.h"
#include "sluice/engine/rule_catalog.h"

namespace sluice::gateway {

struct gateway_server::impl {
  server_settings settings;
  std::shared_ptr<net::ssl::context> tls = make_client_tls_context();
  std::vector<std::unique_ptr<shard>> shards;
  std::vector<std::thread> threads;
  std::shared_ptr<const config_generation> runtime;
  // The admin API, over the governance service of the first runtime (kept across reloads, see
  // build_generation). Declared after `runtime` so it is destroyed before the controller it serves.
  std::shared_ptr<governance_service> admin_access;
  std::unique_ptr<admin_server> admin;
  std::string admin_status;
  std::shared_ptr<const gateway_config> started_with;  // its governance section is the one in effect
  std::string reload_notice;
  std::mutex reload_mutex;  // reloads and shutdown, never the request path
  std::atomic<std::uint64_t> generation{0};
  std::uint16_t port = 0;
  bool started = false;
  bool stopped = false;

  void accept_loop_start(shard& sh);
  void start_admin();
};

void gateway_server::impl::start_admin() {
  const governance_config& g = runtime->config->governance;
  if (!runtime->access) {
    return;  // no governance section: nothing to administer, nothing to report
  }
  admin = start_admin_listener(g.admin, settings.admin_listen.empty() ? g.admin.listen : settings.admin_listen,
                               *runtime->access, runtime->audit, admin_status);
  if (admin) {
    admin_access = runtime->access;  // the controller the listener serves outlives reloads
  }
}

namespace {

awaitable<void> accept_loop(shard& sh) {
  for (;;) {
    error_code ec;
    tcp::socket socket = co_await sh.acceptor_->async_accept(net::redirect_error(net::use_awaitable, ec));
    if (ec) {
      if (ec == net::error::operation_aborted || !sh.acceptor_->is_open()) {
        co_return;
      }
      continue;  // EMFILE and friends: keep serving the connections we have
    }
    socket.set_option(tcp::no_delay(true), ec);
    net::co_spawn(sh.ioc_, run_session(sh, std::move(socket)), net::detached);
  }
}

std::shared_ptr<const engine::ruleset> load_rules(const gateway_config& cfg) {
  const std::filesystem::path dir =
      cfg.server.rules_dir.empty() ? engine::ruleset::default_rules_dir() : std::filesystem::path(cfg.server.rules_dir);
  engine::compile_options options;
  options.cache_dir = engine::ruleset::default_cache_dir();
  return engine::ruleset::load(dir, options);
}

// Reads the configuration and the rules it names, checking entity and category names against them.
std::pair<std::shared_ptr<const gateway_config>, std::shared_ptr<const engine::ruleset>> load_all(
    const server_settings& settings) {
  auto cfg = load_config(settings.config_path);  // first pass: syntax, secrets, rules_dir
  auto rules = load_rules(*cfg);
  // Second pass: names checked against the catalog actually loaded.
  std::vector<engine::rule> catalog(rules->rules().begin(), rules->rules().end());
  cfg = load_config(settings.config_path, vocabulary_of(catalog));
  return {with_upstream(cfg, settings.upstream_override), rules};
}

}  // namespace

gateway_server::gateway_server(server_settings settings) : impl_(std::make_unique<impl>()) {
  impl_->settings = std::move(settings);
  auto [cfg, rules] = load_all(impl_->settings);
  impl_->runtime = build_generation(cfg, rules, nullptr, ++impl_->generation);
  impl_->started_with = impl_->runtime->config;
}

gateway_server::gateway_server(server_settings settings, std::shared_ptr<const gateway_config> config,
                               std::shared_ptr<const engine::ruleset> rules)
    : impl_(std::make_unique<impl>()) {
  impl_->settings = std::move(settings);
  impl_->runtime =
      build_generation(with_upstream(std::move(config), impl_->settings.upstream_override), std::move(rules), nullptr,
                    ++impl_->generation);
  impl_->started_with = impl_->runtime->config;
}

gateway_server::~gateway_server() {
  shutdown();
  wait();
}

std::uint16_t gateway_server::start() {
  auto& s = *impl_;
  unsigned n = s.settings.threads != 0 ? s.settings.threads : std::max(1u, std::thread::hardware_concurrency());
  const auto address = net::ip::make_address(s.settings.host);
  std::uint16_t port = s.settings.port;
  for (unsigned i = 0; i < n; ++i) {
    s.shards.push_back(std::make_unique<shard>(i, s.tls, s.shards));
  }
  for (auto& sh : s.shards) {
    sh->install(s.runtime);
    sh->acceptor_.emplace(sh->ioc_);
    const tcp::endpoint ep(address, port);
    sh->acceptor_->open(ep.protocol());
    sh->acceptor_->set_option(net::socket_base::reuse_address(true));
    int one = 1;
    ::setsockopt(sh->acceptor_->native_handle(), SOL_SOCKET, SO_REUSEPORT, &one, sizeof one);
    sh->acceptor_->bind(ep);
    sh->acceptor_->listen(net::socket_base::max_listen_connections);
    port = sh->acceptor_->local_endpoint().port();  // the first shard's choice binds the rest
  }
  s.port = port;
  s.start_admin();  // before the shard threads: a failure leaves nothing running
  for (auto& sh : s.shards) {
    shard* raw = sh.get();
    net::co_spawn(raw->ioc_, accept_loop(*raw), net::detached);
    raw->start_audit_timer();
    s.threads.emplace_back([raw] {
      auto guard = net::make_work_guard(raw->ioc_);
      raw->ioc_.run();
    });
  }
  s.started = true;
  return port;
}

std::uint16_t gateway_server::port() const noexcept { return impl_->port; }

unsigned gateway_server::shard_count() const noexcept { return static_cast<unsigned>(impl_->shards.size()); }

std::uint16_t gateway_server::admin_port() const noexcept { return impl_->admin ? impl_->admin->port() : 0; }

const std::string& gateway_server::admin_status() const noexcept { return impl_->admin_status; }

std::uint64_t gateway_server::generation() const noexcept { return impl_->generation.load(); }

const std::string& gateway_server::reload_notice() const noexcept { return impl_->reload_notice; }

void gateway_server::install(std::shared_ptr<const gateway_config> config, std::shared_ptr<const engine::ruleset> rules) {
  auto& s = *impl_;
  std::lock_guard lock(s.reload_mutex);
  auto rt = build_generation(with_upstream(std::move(config), s.settings.upstream_override), std::move(rules),
                          s.runtime.get(), s.generation + 1);
  // The governance service, its store and the admin listener are those of the start (build_generation keeps
  // them), so a changed governance section waits for a restart: say so rather than let it look applied.
  s.reload_notice = rt->config->governance == s.started_with->governance
                        ? std::string()
                        : "the governance section differs from the one this gateway started with; keys, limits, "
                          "budgets, the audit log's options and the admin API run as started until a restart";
  s.runtime = rt;
  // Post to every shard and wait until each has switched, so that when this returns new requests see it.
  std::vector<std::promise<void>> done(s.shards.size());
  for (std::size_t i = 0; i < s.shards.size(); ++i) {
    shard* sh = s.shards[i].get();
    net::post(sh->ioc_, [sh, rt, &p = done[i]] {
      sh->install(rt);
      p.set_value();
    });
  }
  for (auto& p : done) {
    p.get_future().wait();
  }
  ++s.generation;
}

bool gateway_server::reload(std::string& error) {
  try {
    if (impl_->settings.config_path.empty()) {
      error = "no configuration file to reload";
      return false;
    }
    auto [cfg, rules] = load_all(impl_->settings);
    // load_all already applied the override; install() applies it again, harmlessly.
    install(cfg, rules);
    return true;
  } catch (const std::exception& e) {
    error = e.what();
    return false;
  }
}

void gateway_server::shutdown() {
  auto& s = *impl_;
  std::lock_guard lock(s.reload_mutex);
  if (!s.started || s.stopped) {
    return;
  }
  s.stopped = true;
  // 1. Stop accepting and mark every shard draining (idle keep-alive connections close after their
  //    current request).
  for (auto& sh : s.shards) {
    shard* raw = sh.get();
    net::post(raw->ioc_, [raw] {
      raw->draining_ = true;
      error_code ec;
      raw->acceptor_->close(ec);
    });
  }
  if (s.admin) {
    s.admin->stop_accepting();
  }
  // 2. Wait for requests in flight, up to the drain timeout, admin calls included.
  const auto deadline = std::chrono::steady_clock::now() + s.runtime->config->server.drain_timeout;
  for (;;) {
    std::uint64_t active = 0;
    for (auto& sh : s.shards) {
      active += sh->metrics_.in_flight();
    }
    if (active == 0 || std::chrono::steady_clock::now() >= deadline) {
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  if (s.admin) {
    s.admin->drain(deadline);
    s.admin.reset();  // joins the admin thread; no key changes after this point
  }
  // 3. Flush the audit buffers on their own threads, then stop.
  for (auto& sh : s.shards) {
    shard* raw = sh.get();
    std::promise<void> flushed;
    net::post(raw->ioc_, [raw, &flushed] {
      raw->flush_audit();
      raw->audit_timer_->cancel();
      flushed.set_value();
    });
    flushed.get_future().wait_for(std::chrono::seconds(2));
  }
  if (s.runtime->audit) {
    s.runtime->audit->flush();
  }
  for (auto& sh : s.shards) {
    sh->ioc_.stop();
  }
}

void gateway_server::wait() {
  for (auto& t : impl_->threads) {
    if (t.joinable()) {
      t.join();
    }
  }
}

}  // namespace sluice::gateway
