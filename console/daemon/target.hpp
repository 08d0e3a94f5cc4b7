#pragma once
// A console target as the gateway drives it: a byte stream both ways, and the commands the
// room may ask for (Break; NMI and reset for QEMU). Each runs on the gateway's event loop
// (Boost.Asio); blocking work (QMP) runs on the worker pool and completes on the loop.
//
// - `serial` and `redirected`: a tty (`/dev/ttyS0`, a USB adapter, a pty; a redirected
//   port is the pty comredir-redirector publishes at `<runDir>/<session>/<PORT>`), put in
//   raw mode; a serial target also gets its line settings (baud, parity, bits, flow
//   control) through termios.
// - `qemu`: the VM's serial chardev on a unix socket (`-chardev socket,server=on`), and
//   its QMP socket for `inject-nmi` and `system_reset`.

#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>
#include <comredir/console/room.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "config.hpp"

namespace comredir::console::daemon {

class Target {
  public:
    using OnOutput = std::function<void(std::span<const std::uint8_t>)>;
    using OnClosed = std::function<void(const std::string& reason)>;
    using OnDone = std::function<void(bool ok, const std::string& text)>;
    virtual ~Target() = default;

    /// Opens the device or socket and starts reading; false with `error` (one line).
    virtual bool open(OnOutput on_output, OnClosed on_closed, std::string& error) = 0;
    /// Queues bytes; they are written in order.
    virtual void write(std::vector<std::uint8_t> bytes) = 0;
    virtual void command(CommandKind kind, std::uint32_t ms, OnDone done) = 0;
    virtual void close() = 0;
    virtual bool is_open() const = 0;
    /// `/dev/ttyS0 at 115200 8N1` — for logs and the target list.
    virtual std::string describe() const = 0;
};

std::unique_ptr<Target> make_target(const TargetConfig& config, boost::asio::io_context& loop,
                                    boost::asio::thread_pool& workers);

/// The termios speed constant of `baud`, or 0 when Linux has none for it.
unsigned termios_speed(std::uint32_t baud);

}  // namespace comredir::console::daemon
