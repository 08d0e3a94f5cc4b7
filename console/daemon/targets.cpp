#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <termios.h>
#include <unistd.h>

#include <array>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <cerrno>
#include <cstring>
#include <deque>
#include <filesystem>

#include "qmp.hpp"
#include "target.hpp"

namespace comredir::console::daemon {

namespace asio = boost::asio;
using boost::system::error_code;

unsigned termios_speed(std::uint32_t baud) {
    static constexpr std::pair<std::uint32_t, speed_t> kSpeeds[] = {
        {50, B50},           {75, B75},           {110, B110},         {134, B134},
        {150, B150},         {200, B200},         {300, B300},         {600, B600},
        {1200, B1200},       {1800, B1800},       {2400, B2400},       {4800, B4800},
        {9600, B9600},       {19200, B19200},     {38400, B38400},     {57600, B57600},
        {115200, B115200},   {230400, B230400},   {460800, B460800},   {500000, B500000},
        {576000, B576000},   {921600, B921600},   {1000000, B1000000}, {1152000, B1152000},
        {1500000, B1500000}, {2000000, B2000000}, {2500000, B2500000}, {3000000, B3000000},
        {3500000, B3500000}, {4000000, B4000000}};
    for (const auto& [b, s] : kSpeeds) {
        if (b == baud) return s;
    }
    return 0;
}

namespace {

std::string errno_text(int e) {
    return std::strerror(e);
}

/// Reads and writes one stream on the loop. Handlers hold a shared_ptr, so a target closed
/// or destroyed with operations pending stays valid until they finish (cancelled).
template <class Stream>
struct Pipe : std::enable_shared_from_this<Pipe<Stream>> {
    explicit Pipe(asio::io_context& loop) : stream(loop) {}
    Stream stream;
    std::array<std::uint8_t, 4096> buffer{};
    std::deque<std::vector<std::uint8_t>> out;
    bool writing = false;
    bool open = false;
    Target::OnOutput on_output;
    Target::OnClosed on_closed;

    void start() {
        open = true;
        read();
    }
    void fail(const std::string& why) {
        if (!open) return;
        open = false;
        error_code ignored;
        stream.close(ignored);
        out.clear();
        if (on_closed) on_closed(why);
    }
    void read() {
        stream.async_read_some(
            asio::buffer(buffer), [self = this->shared_from_this()](error_code ec, std::size_t n) {
                if (!self->open) return;
                if (ec)
                    return self->fail(ec == asio::error::eof ? std::string("end of file")
                                                             : ec.message());
                self->on_output({self->buffer.data(), n});
                self->read();
            });
    }
    void write(std::vector<std::uint8_t> bytes) {
        if (!open || bytes.empty()) return;
        out.push_back(std::move(bytes));
        if (!writing) pump();
    }
    void pump() {
        writing = true;
        asio::async_write(stream, asio::buffer(out.front()),
                          [self = this->shared_from_this()](error_code ec, std::size_t) {
                              self->writing = false;
                              if (!self->open) return;
                              if (ec) return self->fail("write: " + ec.message());
                              self->out.pop_front();
                              if (!self->out.empty()) self->pump();
                          });
    }
    void close() {
        open = false;
        error_code ignored;
        stream.close(ignored);
        out.clear();
    }
};

/// Raw mode, and for a serial target its line: speed, parity, data and stop bits, flow.
bool set_line(int fd, const TargetConfig& c, std::string& error) {
    termios t{};
    if (tcgetattr(fd, &t) != 0) {
        error = "tcgetattr: " + errno_text(errno);
        return false;
    }
    cfmakeraw(&t);
    t.c_cc[VMIN] = 1;
    t.c_cc[VTIME] = 0;
    if (c.type == TargetType::serial) {
        const speed_t speed = termios_speed(c.line.baud);
        if (speed == 0) {
            error = "baud `" + std::to_string(c.line.baud) + "` has no termios speed";
            return false;
        }
        cfsetispeed(&t, speed);
        cfsetospeed(&t, speed);
        t.c_cflag |= CLOCAL | CREAD;
        t.c_cflag &= ~static_cast<tcflag_t>(CSIZE | PARENB | PARODD | CSTOPB | CRTSCTS);
        static constexpr tcflag_t kSize[] = {CS5, CS6, CS7, CS8};
        t.c_cflag |= kSize[c.line.data_bits - 5];
        if (c.line.parity != Parity::none) t.c_cflag |= PARENB;
        if (c.line.parity == Parity::odd) t.c_cflag |= PARODD;
        if (c.line.stop_bits == 2) t.c_cflag |= CSTOPB;
        if (c.line.flow == FlowControl::rtscts) t.c_cflag |= CRTSCTS;
        if (c.line.flow == FlowControl::xonxoff) t.c_iflag |= IXON | IXOFF;
    }
    if (tcsetattr(fd, TCSANOW, &t) != 0) {
        error = "tcsetattr: " + errno_text(errno);
        return false;
    }
    return true;
}

std::string line_text(const SerialLine& l) {
    const char parity = l.parity == Parity::none ? 'N' : l.parity == Parity::even ? 'E' : 'O';
    std::string s = std::to_string(l.baud) + " " + std::to_string(l.data_bits) + parity +
                    std::to_string(l.stop_bits);
    if (l.flow == FlowControl::rtscts) s += " rts/cts";
    if (l.flow == FlowControl::xonxoff) s += " xon/xoff";
    return s;
}

class TtyTarget final : public Target {
  public:
    TtyTarget(TargetConfig c, asio::io_context& loop) : c_(std::move(c)), loop_(loop) {}
    ~TtyTarget() override { close(); }

    /// A serial target's device, or the redirector's link for a redirected port.
    std::string path() const {
        if (c_.type == TargetType::serial) return c_.device;
        return (std::filesystem::path(c_.run_dir) / c_.session / c_.port).string();
    }

    bool open(OnOutput on_output, OnClosed on_closed, std::string& error) override {
        close();
        const std::string p = path();
        const int fd = ::open(p.c_str(), O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
        if (fd < 0) {
            error = p + ": cannot open: " + errno_text(errno);
            return false;
        }
        if (isatty(fd) == 0) {
            error = p + ": not a terminal device";
            ::close(fd);
            return false;
        }
        std::string why;
        if (!set_line(fd, c_, why)) {
            error = p + ": " + why;
            ::close(fd);
            return false;
        }
        pipe_ = std::make_shared<Pipe<asio::posix::stream_descriptor>>(loop_);
        pipe_->stream.assign(fd);
        pipe_->on_output = std::move(on_output);
        pipe_->on_closed = std::move(on_closed);
        pipe_->start();
        return true;
    }
    void write(std::vector<std::uint8_t> bytes) override {
        if (pipe_) pipe_->write(std::move(bytes));
    }
    void command(CommandKind kind, std::uint32_t ms, OnDone done) override {
        if (kind != CommandKind::send_break || !pipe_ || !pipe_->open) {
            done(false, std::string(to_string(kind)) + " is not available on `" + c_.name + "`");
            return;
        }
        const int fd = pipe_->stream.native_handle();
        if (ioctl(fd, TIOCSBRK) != 0) {
            done(false, "break on `" + c_.name + "`: " + errno_text(errno));
            return;
        }
        auto timer = std::make_shared<asio::steady_timer>(loop_, std::chrono::milliseconds(ms));
        timer->async_wait(
            [timer, pipe = pipe_, done = std::move(done), ms, name = c_.name](error_code) {
                if (pipe->open) ioctl(pipe->stream.native_handle(), TIOCCBRK);
                done(true, "break of " + std::to_string(ms) + " ms sent on `" + name + "`");
            });
    }
    void close() override {
        if (pipe_) pipe_->close();
        pipe_.reset();
    }
    bool is_open() const override { return pipe_ && pipe_->open; }
    std::string describe() const override {
        if (c_.type == TargetType::serial) return c_.device + " at " + line_text(c_.line);
        return "client port `" + c_.port + "` of redirector session `" + c_.session + "` (" +
               path() + ")";
    }

  private:
    TargetConfig c_;
    asio::io_context& loop_;
    std::shared_ptr<Pipe<asio::posix::stream_descriptor>> pipe_;
};

class QemuTarget final : public Target {
  public:
    QemuTarget(TargetConfig c, asio::io_context& loop, asio::thread_pool& workers)
        : c_(std::move(c)), loop_(loop), workers_(workers) {}
    ~QemuTarget() override { close(); }

    bool open(OnOutput on_output, OnClosed on_closed, std::string& error) override {
        close();
        auto pipe = std::make_shared<Pipe<asio::local::stream_protocol::socket>>(loop_);
        error_code ec;
        pipe->stream.connect(asio::local::stream_protocol::endpoint(c_.socket), ec);
        if (ec) {
            error = c_.socket + ": cannot connect: " + ec.message();
            return false;
        }
        pipe->on_output = std::move(on_output);
        pipe->on_closed = std::move(on_closed);
        pipe->start();
        pipe_ = std::move(pipe);
        return true;
    }
    void write(std::vector<std::uint8_t> bytes) override {
        if (pipe_) pipe_->write(std::move(bytes));
    }
    void command(CommandKind kind, std::uint32_t /*ms*/, OnDone done) override {
        if (kind == CommandKind::send_break || c_.qmp.empty()) {
            done(false, std::string(to_string(kind)) + " is not available on `" + c_.name + "`" +
                            (c_.qmp.empty() ? " (no `qmp` socket configured)" : ""));
            return;
        }
        const std::string command = kind == CommandKind::nmi ? "inject-nmi" : "system_reset";
        asio::post(workers_, [this_loop = &loop_, qmp = c_.qmp, command, name = c_.name,
                              done = std::move(done)]() mutable {
            const QmpResult r = qmp_execute(qmp, command, std::chrono::seconds(5));
            asio::post(*this_loop, [r, command, name, done = std::move(done)] {
                done(r.ok, r.ok ? "`" + command + "` sent to `" + name + "`"
                                : "`" + command + "` on `" + name + "` failed: " + r.error);
            });
        });
    }
    void close() override {
        if (pipe_) pipe_->close();
        pipe_.reset();
    }
    bool is_open() const override { return pipe_ && pipe_->open; }
    std::string describe() const override {
        return "qemu serial " + c_.socket + (c_.qmp.empty() ? "" : ", qmp " + c_.qmp);
    }

  private:
    TargetConfig c_;
    asio::io_context& loop_;
    asio::thread_pool& workers_;
    std::shared_ptr<Pipe<asio::local::stream_protocol::socket>> pipe_;
};

}  // namespace

std::unique_ptr<Target> make_target(const TargetConfig& config, asio::io_context& loop,
                                    asio::thread_pool& workers) {
    if (config.type == TargetType::qemu) return std::make_unique<QemuTarget>(config, loop, workers);
    return std::make_unique<TtyTarget>(config, loop);
}

}  // namespace comredir::console::daemon
