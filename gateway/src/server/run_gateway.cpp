// `sluice gateway run`: the process around a gateway_server. Signals are handled on the main thread,
// which is not a shard: a SIGHUP reload compiles the new rules here, off the request path.
#include <boost/asio/signal_set.hpp>

#include <iostream>
#include <system_error>

#include "http/asio_types.h"
#include "sluice/gateway/server.h"

namespace sluice::gateway {

int run_gateway(server_settings settings) {
  std::unique_ptr<gateway_server> server;
  try {
    server = std::make_unique<gateway_server>(settings);
  } catch (const std::exception& e) {
    std::cerr << "sluice gateway: cannot start:\n" << e.what() << "\n";
    return 2;
  }
  // Block the signals in every thread the server starts, so that only the signal_set sees them.
  net::io_context signals_ctx;
  net::signal_set signals(signals_ctx, SIGHUP, SIGTERM, SIGINT);
  try {
    server->start();
  } catch (const std::system_error& e) {
    std::cerr << "sluice gateway: cannot listen on " << settings.host << ":" << settings.port << ": " << e.what()
              << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "sluice gateway: cannot start: " << e.what() << "\n";  // the admin API (governance.admin)
    return 2;
  }
  std::cerr << "sluice gateway listening on " << settings.host << ":" << server->port() << " with "
            << server->shard_count() << " shard(s)" << std::endl;
  if (server->admin_port() != 0) {
    std::cerr << "sluice gateway: admin API listening on port " << server->admin_port() << std::endl;
  } else if (!server->admin_status().empty()) {
    std::cerr << "sluice gateway: admin API not started: " << server->admin_status() << std::endl;
  }
  bool stopping = false;
  std::function<void(const error_code&, int)> on_signal = [&](const error_code& ec, int signo) {
    if (ec) {
      return;
    }
    if (signo == SIGHUP) {
      std::string error;
      if (server->reload(error)) {
        std::cerr << "sluice gateway: configuration reloaded (generation " << server->generation() << ")"
                  << std::endl;
        if (!server->reload_notice().empty()) {
          std::cerr << "sluice gateway: note: " << server->reload_notice() << std::endl;
        }
      } else {
        std::cerr << "sluice gateway: reload failed, keeping the running configuration:\n" << error << std::endl;
      }
      signals.async_wait(on_signal);
      return;
    }
    if (!stopping) {
      stopping = true;
      std::cerr << "sluice gateway: draining" << std::endl;
      server->shutdown();
    }
  };
  signals.async_wait(on_signal);
  while (!stopping) {
    signals_ctx.run_one();
  }
  server->wait();
  std::cerr << "sluice gateway: stopped" << std::endl;
  return 0;
}

}  // namespace sluice::gateway
