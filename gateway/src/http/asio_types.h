#pragma once
// Short names for the Asio and Beast types the server and the upstream client share.
#include <string_view>
#include <utility>  // Asio 1.74's awaitable.hpp uses std::exchange without including it

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include "base/thread_pool_allocator.h"

namespace sluice::gateway {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;
using error_code = boost::system::error_code;

template <class T = void>
using awaitable = net::awaitable<T>;

// Beast 1.74 speaks boost::string_view; the rest of Sluice speaks std::string_view.
[[nodiscard]] inline std::string_view sv(beast::string_view s) noexcept { return {s.data(), s.size()}; }

// The client's request and the upstream's answer as parsed per request: their header fields come from
// the shard thread's block pool, so a warm shard parses them without malloc (base/thread_pool_allocator.h).
using pooled_fields = http::basic_fields<thread_pool_allocator<char>>;
using client_request = http::request<http::string_body, pooled_fields>;
using client_request_parser = http::request_parser<http::string_body, thread_pool_allocator<char>>;
using upstream_answer_head = http::response_header<pooled_fields>;
using upstream_answer_parser = http::response_parser<http::buffer_body, thread_pool_allocator<char>>;

// Initial capacity of every connection's read buffer (client, upstream, simulator). Beast reads at most
// the free capacity, 512 bytes for an empty buffer, so without it a 4 KiB request took nine reads.
inline constexpr std::size_t read_buffer_bytes = 16 * 1024;  // per connection: kept modest for many idle clients

}  // namespace sluice::gateway
