// The host-side port on a real pseudo-terminal: what a program does to it arrives on the
// master, one program at a time, and a hang-up reaches the program. Programs run as
// forked children; as root they drop to `nobody`, since TIOCEXCL does not bind root.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <comredir/redirector/port/open_watch.hpp>
#include <comredir/redirector/port/pty.hpp>
#include <comredir/redirector/port/pty_packet.hpp>
#include <string>
#include <vector>

using namespace comredir::redirector::port;

namespace {

constexpr uid_t nobody = 65534;

std::vector<std::uint8_t> read_master(const Pty& p, int timeout_ms = 2000) {
    pollfd pfd{p.master(), POLLIN, 0};
    if (::poll(&pfd, 1, timeout_ms) != 1) return {};
    std::vector<std::uint8_t> buf(4096);
    const ssize_t n = ::read(p.master(), buf.data(), buf.size());
    buf.resize(n > 0 ? static_cast<std::size_t>(n) : 0);
    return buf;
}

int open_port(const Pty& p) {
    return ::open(p.slave_path().c_str(), O_RDWR | O_NOCTTY | O_CLOEXEC);  // NOLINT
}

/// Runs `body` in a child as `nobody` (when root) and returns its exit status.
template <class F>
int as_program(F body) {
    const pid_t pid = ::fork();
    if (pid == 0) {
        if (::geteuid() == 0 && (::setgid(nobody) != 0 || ::setuid(nobody) != 0)) ::_exit(90);
        ::_exit(body());
    }
    int status = 0;
    ::waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 99;
}

PtyOptions owned_by_program() {
    PtyOptions o;
    o.owner = ::geteuid() == 0 ? nobody : ::geteuid();
    return o;
}

}  // namespace

TEST_CASE("a new pty is raw 9600 8N1, owned as asked, mode 0600") {
    auto r = open_pty(owned_by_program());
    REQUIRE_MESSAGE(r.pty.valid(), r.error);
    struct stat st {};
    REQUIRE(::stat(r.pty.slave_path().c_str(), &st) == 0);
    CHECK((st.st_mode & 07777) == 0600);
    CHECK(st.st_uid == *owned_by_program().owner);
    std::string error;
    const auto s = r.pty.settings(error);
    REQUIRE_MESSAGE(s, error);
    CHECK(describe(*s) == "9600 8N1");
    termios t{};
    REQUIRE(::tcgetattr(r.pty.slave(), &t) == 0);
    CHECK((t.c_lflag & (ECHO | ICANON)) == 0);
    CHECK((t.c_lflag & EXTPROC) != 0);
}

TEST_CASE("a program's writes, termios changes and flushes arrive on the master") {
    auto r = open_pty(owned_by_program());
    REQUIRE(r.pty.valid());
    const Pty& p = r.pty;
    const int fd = open_port(p);
    REQUIRE(fd >= 0);

    REQUIRE(::write(fd, "abc", 3) == 3);
    const auto data = read_master(p);
    CHECK(data == std::vector<std::uint8_t>{TIOCPKT_DATA, 'a', 'b', 'c'});

    termios t{};
    REQUIRE(::tcgetattr(fd, &t) == 0);
    ::cfsetospeed(&t, B115200);
    ::cfsetispeed(&t, B115200);
    t.c_cflag |= CSTOPB | CRTSCTS | PARENB;  // PARENB: a pty cannot carry it
    t.c_cflag = (t.c_cflag & ~static_cast<tcflag_t>(CSIZE)) | CS7;
    REQUIRE(::tcsetattr(fd, TCSANOW, &t) == 0);
    const auto change = decode_packet(read_master(p));
    CHECK(change.settings);
    std::string error;
    const auto s = p.settings(error);
    REQUIRE_MESSAGE(s, error);
    CHECK(describe(*s) == "115200 8N2 rtscts");  // CS7/PARENB forced back by the kernel

    REQUIRE(::tcflush(fd, TCIOFLUSH) == 0);
    const auto flush = decode_packet(read_master(p));
    CHECK(purge_mask(flush) == 0xC);

    const std::uint8_t in[] = {TIOCPKT_DATA, 'x'};  // master -> program (no header on writes)
    REQUIRE(::write(p.master(), in + 1, 1) == 1);
    char got = 0;
    pollfd pfd{fd, POLLIN, 0};
    REQUIRE(::poll(&pfd, 1, 2000) == 1);
    REQUIRE(::read(fd, &got, 1) == 1);
    CHECK(got == 'x');
    ::close(fd);
}

TEST_CASE("one program at a time: the second open fails with EBUSY until the first closes") {
    auto r = open_pty(owned_by_program());
    REQUIRE(r.pty.valid());
    const Pty& p = r.pty;
    OpenWatch watch;
    std::string error;
    REQUIRE_MESSAGE(watch.start(p, error), error);

    int to_child[2];
    int from_child[2];
    REQUIRE(::pipe(to_child) == 0);
    REQUIRE(::pipe(from_child) == 0);
    const pid_t first = ::fork();
    if (first == 0) {  // holds the port open until told to close it
        if (::geteuid() == 0 && (::setgid(nobody) != 0 || ::setuid(nobody) != 0)) ::_exit(90);
        const int fd = open_port(p);
        const char ok = fd >= 0 ? 'o' : 'e';
        if (::write(from_child[1], &ok, 1) != 1) ::_exit(91);
        char c = 0;
        if (::read(to_child[0], &c, 1) != 1) ::_exit(92);
        ::close(fd);
        if (::write(from_child[1], &ok, 1) != 1) ::_exit(93);
        ::_exit(0);
    }
    char c = 0;
    REQUIRE(::read(from_child[0], &c, 1) == 1);
    CHECK(c == 'o');
    pollfd pfd{watch.fd(), POLLIN, 0};
    REQUIRE(::poll(&pfd, 1, 2000) == 1);
    CHECK(watch.update(p) == 1);

    CHECK(as_program([&] { return open_port(p) < 0 && errno == EBUSY ? 0 : 1; }) == 0);

    REQUIRE(::write(to_child[1], "x", 1) == 1);
    REQUIRE(::read(from_child[0], &c, 1) == 1);
    int status = 0;
    ::waitpid(first, &status, 0);
    CHECK(WEXITSTATUS(status) == 0);
    // The refused open above produced no IN_OPEN; the close brings the count back to 0.
    REQUIRE(::poll(&pfd, 1, 2000) == 1);
    CHECK(watch.update(p) == 0);
    CHECK(as_program([&] {
              const int fd = open_port(p);
              return fd >= 0 ? 0 : 1;
          }) == 0);
    for (int fd : {to_child[0], to_child[1], from_child[0], from_child[1]}) ::close(fd);
}

TEST_CASE("hangup: a program reading the port gets end of file") {
    auto r = open_pty(owned_by_program());
    REQUIRE(r.pty.valid());
    const int fd = open_port(r.pty);
    REQUIRE(fd >= 0);
    r.pty.hangup();
    CHECK_FALSE(r.pty.valid());
    char c = 0;
    pollfd pfd{fd, POLLIN, 0};
    REQUIRE(::poll(&pfd, 1, 2000) == 1);
    CHECK((pfd.revents & POLLHUP) != 0);
    CHECK(::read(fd, &c, 1) == 0);
    ::close(fd);
}
