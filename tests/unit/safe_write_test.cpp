#include <doctest/doctest.h>
#include <sys/stat.h>

#include <comredir/policy/io/safe_write.hpp>
#include <filesystem>
#include <string>

#include "test_util.hpp"

using namespace comredir::policy;
namespace fs = std::filesystem;

namespace {

fs::path fresh_dir(const char* name) {
    auto d = fs::temp_directory_path() / name;
    fs::remove_all(d);
    fs::create_directories(d);
    return d;
}

std::span<const std::uint8_t> bytes(const std::string& s) {
    return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

}  // namespace

TEST_CASE("atomic write creates, replaces, keeps the mode and leaves no temporary file") {
    auto d = fresh_dir("comredir-safe-write");
    std::string p = (d / "a.txt").string();
    auto r = write_file_atomic(p, bytes("one"), 0600);
    REQUIRE(r.ok);
    CHECK(comredir::test::slurp(p) == std::vector<std::uint8_t>{'o', 'n', 'e'});
    struct stat st {};
    REQUIRE(::stat(p.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);

    ::chmod(p.c_str(), 0640);
    REQUIRE(write_file_atomic(p, bytes("two!"), 0600).ok);
    CHECK(comredir::test::slurp(p) == std::vector<std::uint8_t>{'t', 'w', 'o', '!'});
    REQUIRE(::stat(p.c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0640);  // an existing file keeps its mode

    int files = 0;
    for (const auto& e : fs::directory_iterator(d)) files += e.is_regular_file() ? 1 : 0;
    CHECK(files == 1);
}

TEST_CASE("atomic write into a missing folder fails with a clear message and writes nothing") {
    auto r = write_file_atomic("/nonexistent-comredir/x/y.txt", bytes("z"));
    CHECK_FALSE(r.ok);
    CHECK(r.message.rfind("/nonexistent-comredir/x/y.txt: cannot create a temporary file in "
                          "`/nonexistent-comredir/x`: No such file or directory",
                          0) == 0);
}
