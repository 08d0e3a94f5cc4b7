// Whole-file reads (file_read.hpp, shared by every reader): regular files only; a fifo, a
// device, a socket or a folder is refused before it is opened, so nothing waits for a writer.
#include <doctest/doctest.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <comredir/policy/admx/admx.hpp>
#include <comredir/policy/gp/pol.hpp>
#include <comredir/policy/gp/regfile.hpp>
#include <comredir/policy/hostpool/hostpool_store.hpp>
#include <comredir/policy/intune/intune.hpp>
#include <comredir/policy/io/file_read.hpp>
#include <comredir/policy/rdp/rdp.hpp>
#include <comredir/policy/resolve/config.hpp>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

using namespace comredir::policy;
namespace fs = std::filesystem;

namespace {

/// A fresh folder under the temp dir holding one file of each kind, removed at scope exit.
struct Kinds {
    fs::path dir = fs::temp_directory_path() / ("comredir_file_read_" + std::to_string(::getpid()));
    fs::path regular = dir / "regular.txt";
    fs::path fifo = dir / "fifo";
    fs::path folder = dir / "folder";
    fs::path socket = dir / "socket";
    int sock = -1;
    Kinds() {
        fs::remove_all(dir);
        fs::create_directories(folder);
        std::ofstream(regular, std::ios::binary) << "abc";
        REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
        sock = ::socket(AF_UNIX, SOCK_STREAM, 0);
        sockaddr_un addr{};
        addr.sun_family = AF_UNIX;
        std::strncpy(addr.sun_path, socket.c_str(), sizeof addr.sun_path - 1);
        REQUIRE(::bind(sock, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) == 0);
    }
    ~Kinds() {
        ::close(sock);
        std::error_code ec;
        fs::remove_all(dir, ec);
    }
};

}  // namespace

TEST_CASE("read_regular_file: regular files only, each refusal named") {
    Kinds k;
    struct Case {
        std::string path;
        bool ok;
        std::string message;
    };
    const std::vector<Case> cases = {
        {k.regular.string(), true, ""},
        {k.fifo.string(), false, k.fifo.string() + ": not a regular file (a fifo)"},
        {k.folder.string(), false, k.folder.string() + ": not a regular file (a folder)"},
        {k.socket.string(), false, k.socket.string() + ": not a regular file (a socket)"},
        {"/dev/null", false, "/dev/null: not a regular file (a character device)"},
        {(k.dir / "none").string(), false,
         (k.dir / "none").string() + ": cannot open: No such file or directory"},
    };
    for (const auto& c : cases) {
        CAPTURE(c.path);
        auto r = read_regular_file(c.path);
        CHECK(r.ok == c.ok);
        CHECK(r.message == c.message);
        if (c.ok) CHECK(r.bytes == std::vector<std::uint8_t>{'a', 'b', 'c'});
    }
    auto big = read_regular_file(k.regular.string(), 2);
    CHECK_FALSE(big.ok);
    CHECK(big.message == k.regular.string() + ": file size `3` exceeds limit `2`");
}

TEST_CASE("every reader refuses a fifo at once (no reader waits for a writer)") {
    Kinds k;
    const std::string f = k.fifo.string();
    const std::string want = f + ": not a regular file (a fifo)";
    const std::vector<std::pair<const char*, std::function<std::string()>>> readers = {
        {"pol", [&] { return read_pol(f).message; }},
        {"rdp", [&] { return read_rdp(f).message; }},
        {"regfile", [&] { return read_regfile(f).message; }},
        {"intune", [&] { return read_intune(f).message; }},
        {"hostpool store", [&] { return read_hostpool_store(f).message; }},
        {"config", [&] { return read_config(f).message; }},
        {"admx",
         [&] {
             auto r = load_admx_files(f, "");
             return r.errors.empty() ? std::string() : r.errors[0].message;
         }},
    };
    for (const auto& reader : readers) {  // (no structured binding: CAPTURE captures it)
        CAPTURE(reader.first);
        CHECK(reader.second().find(want) != std::string::npos);
    }
}
