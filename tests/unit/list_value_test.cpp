#include <doctest/doctest.h>

#include <comredir/policy/resolve/list_value.hpp>

using namespace comredir::policy;

TEST_CASE("list values parse and render canonically") {
    struct Case {
        const char* in;
        const char* out;
        bool empty;
    };
    const Case cases[] = {
        {"*", "*", false},
        {"", "", true},
        {";", "", true},
        {"C:\\;E:\\;", "C:\\;E:\\", false},
        {" DynamicDrives ", "DynamicDrives", false},
        {"*;-{36fc9e60-c465-11cf-8056-444553540000}", "*;-{36fc9e60-c465-11cf-8056-444553540000}",
         false},
        {"-cam1", "*;-cam1", false},
        {"c:\\;C:\\", "c:\\", false},
        {"*;C:\\", "*", false},
    };
    for (const auto& c : cases) {
        INFO(c.in);
        ListValue v = ListValue::parse(c.in);
        CHECK(v.to_string() == c.out);
        CHECK(v.empty() == c.empty);
    }
}

TEST_CASE("intersection is the most restrictive combination") {
    auto I = [](const char* a, const char* b) {
        return intersect(ListValue::parse(a), ListValue::parse(b)).to_string();
    };
    CHECK(I("*", "*") == "*");
    CHECK(I("*", "") == "");
    CHECK(I("*", "C:\\;D:\\") == "C:\\;D:\\");
    CHECK(I("C:\\;D:\\", "d:\\;E:\\") == "D:\\");
    CHECK(I("*;-cam1", "*;-cam2") == "*;-cam1;-cam2");
    CHECK(I("*;-cam1", "cam1;cam3") == "cam3");
    CHECK(I("cam1", "cam2") == "");
}
