#pragma once
// Boost.Beast and Asio as the gateway's server and client use them: the headers (compiled
// once, in beast_src.cpp) and the names both files use.

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <nlohmann/json.hpp>

namespace comredir::console::daemon {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using json = nlohmann::json;
using boost::system::error_code;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;

}  // namespace comredir::console::daemon
