// Boost.Asio and Boost.Beast, compiled once for the whole program (their separate
// compilation mode: every other file sees declarations only).
#include <boost/asio/impl/src.hpp>
#include <boost/asio/ssl/impl/src.hpp>
#include <boost/beast/src.hpp>
