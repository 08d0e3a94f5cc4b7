// The .rdp editor's small helpers: documented property types, `name:t:value` arguments,
// the enum names.
#include <algorithm>
#include <array>
#include <comredir/policy/rdp/rdp_edit.hpp>
#include <vector>

#include "io/text.hpp"
#include "rdp/rdp_grammar.hpp"

namespace comredir::policy {

namespace {

struct Known {
    std::string_view name;  // lowercase
    char type;
};

// Types from Microsoft's "Supported RDP properties" (learn.microsoft.com, azure/virtual-desktop/
// rdp-properties) and the Windows Server RDP settings list (ff393699) for the older names
// mstsc still saves. Sorted by name (a test checks it).
constexpr std::array<Known, 91> kKnown{{
    {"administrative session", 'i'},
    {"allow desktop composition", 'i'},
    {"allow font smoothing", 'i'},
    {"alternate full address", 's'},
    {"alternate shell", 's'},
    {"audiocapturemode", 'i'},
    {"audiomode", 'i'},
    {"audioqualitymode", 'i'},
    {"authentication level", 'i'},
    {"autoreconnect max retries", 'i'},
    {"autoreconnection enabled", 'i'},
    {"bandwidthautodetect", 'i'},
    {"bitmapcachepersistenable", 'i'},
    {"bitmapcachesize", 'i'},
    {"camerastoredirect", 's'},
    {"compression", 'i'},
    {"connect to console", 'i'},
    {"connection type", 'i'},
    {"desktop size id", 'i'},
    {"desktopheight", 'i'},
    {"desktopscalefactor", 'i'},
    {"desktopwidth", 'i'},
    {"devicestoredirect", 's'},
    {"disable ctrl+alt+del", 'i'},
    {"disable cursor setting", 'i'},
    {"disable full window drag", 'i'},
    {"disable menu anims", 'i'},
    {"disable themes", 'i'},
    {"disable wallpaper", 'i'},
    {"disableconnectionsharing", 'i'},
    {"disableremoteappcapscheck", 'i'},
    {"displayconnectionbar", 'i'},
    {"domain", 's'},
    {"drivestoredirect", 's'},
    {"dynamic resolution", 'i'},
    {"enablecredsspsupport", 'i'},
    {"enablerdsaadauth", 'i'},
    {"enableworkspacereconnect", 'i'},
    {"encode redirected video capture", 'i'},
    {"full address", 's'},
    {"gatewaybrokeringtype", 'i'},
    {"gatewaycredentialssource", 'i'},
    {"gatewayhostname", 's'},
    {"gatewayprofileusagemethod", 'i'},
    {"gatewayusagemethod", 'i'},
    {"kdcproxyname", 's'},
    {"keyboardhook", 'i'},
    {"loadbalanceinfo", 's'},
    {"maximizetocurrentdisplays", 'i'},
    {"negotiate security layer", 'i'},
    {"networkautodetect", 'i'},
    {"pinconnectionbar", 'i'},
    {"prompt for credentials", 'i'},
    {"prompt for credentials on client", 'i'},
    {"promptcredentialonce", 'i'},
    {"public mode", 'i'},
    {"rdgiskdcproxy", 'i'},
    {"redirectclipboard", 'i'},
    {"redirectcomports", 'i'},
    {"redirectdirectx", 'i'},
    {"redirectdrives", 'i'},
    {"redirected video capture encoding quality", 'i'},
    {"redirectlocation", 'i'},
    {"redirectposdevices", 'i'},
    {"redirectprinters", 'i'},
    {"redirectsmartcards", 'i'},
    {"redirectwebauthn", 'i'},
    {"remoteapplicationcmdline", 's'},
    {"remoteapplicationexpandcmdline", 'i'},
    {"remoteapplicationexpandworkingdir", 'i'},
    {"remoteapplicationfile", 's'},
    {"remoteapplicationicon", 's'},
    {"remoteapplicationmode", 'i'},
    {"remoteapplicationname", 's'},
    {"remoteapplicationprogram", 's'},
    {"screen mode id", 'i'},
    {"selectedmonitors", 's'},
    {"server port", 'i'},
    {"session bpp", 'i'},
    {"shell working directory", 's'},
    {"signature", 's'},
    {"signscope", 's'},
    {"singlemoninwindowedmode", 'i'},
    {"smart sizing", 'i'},
    {"span monitors", 'i'},
    {"targetisaadjoined", 'i'},
    {"usbdevicestoredirect", 's'},
    {"use multimon", 'i'},
    {"use redirection server name", 'i'},
    {"username", 's'},
    {"winposstr", 's'},
}};

}  // namespace

std::optional<char> rdp_known_type(std::string_view name) {
    const std::string lower = detail::ascii_lower(name);
    const auto* it =
        std::lower_bound(kKnown.begin(), kKnown.end(), std::string_view(lower),
                         [](const Known& k, std::string_view n) { return k.name < n; });
    if (it == kKnown.end() || it->name != lower) return std::nullopt;
    return it->type;
}

namespace {

/// Optimal string alignment distance (Damerau-Levenshtein without repeated edits of a
/// substring) between two lowercase strings, or `limit + 1` once it must exceed `limit`.
std::size_t edit_distance(std::string_view a, std::string_view b, std::size_t limit) {
    const std::size_t n = a.size();
    const std::size_t m = b.size();
    if ((n > m ? n - m : m - n) > limit) return limit + 1;
    std::vector<std::size_t> two(m + 1), one(m + 1), cur(m + 1);
    for (std::size_t j = 0; j <= m; ++j) one[j] = j;
    for (std::size_t i = 1; i <= n; ++i) {
        cur[0] = i;
        std::size_t best = cur[0];
        for (std::size_t j = 1; j <= m; ++j) {
            const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            cur[j] = std::min({one[j] + 1, cur[j - 1] + 1, one[j - 1] + cost});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
                cur[j] = std::min(cur[j], two[j - 2] + 1);
            }
            best = std::min(best, cur[j]);
        }
        if (best > limit) return limit + 1;
        two.swap(one);
        one.swap(cur);
    }
    return std::min(one[m], limit + 1);
}

}  // namespace

std::optional<std::string> rdp_suggest_name(std::string_view name) {
    if (rdp_known_type(name)) return std::nullopt;
    const std::string lower = detail::ascii_lower(name);
    const std::size_t limit = lower.size() <= 5 ? 1 : 2;
    std::optional<std::string> best;
    std::size_t best_distance = limit + 1;
    for (const Known& k : kKnown) {
        const std::size_t d = edit_distance(lower, k.name, limit);
        if (d < best_distance) {
            best_distance = d;
            best = std::string(k.name);
        }
    }
    return best;
}

std::optional<RdpAssignment> parse_rdp_assignment(std::string_view text) {
    const auto colon = text.find(':');
    if (colon == std::string_view::npos || colon == 0 || text.size() < colon + 3 ||
        text[colon + 2] != ':') {
        return std::nullopt;
    }
    const char t = text[colon + 1];
    if (t != 'i' && t != 's' && t != 'b') return std::nullopt;
    RdpAssignment a;
    a.name = std::string(text.substr(0, colon));
    a.type = t;
    a.value = std::string(text.substr(colon + 3));
    return a;
}

std::string_view to_string(RdpFileEditStatus s) {
    switch (s) {
        case RdpFileEditStatus::ok:
            return "ok";
        case RdpFileEditStatus::bad_file:
            return "bad_file";
        case RdpFileEditStatus::bad_name:
            return "bad_name";
        case RdpFileEditStatus::bad_type:
            return "bad_type";
        case RdpFileEditStatus::bad_value:
            return "bad_value";
        case RdpFileEditStatus::not_encodable:
            return "not_encodable";
        case RdpFileEditStatus::signed_file:
            return "signed_file";
        case RdpFileEditStatus::reread_failed:
            return "reread_failed";
    }
    return "unknown";
}

std::string_view to_string(RdpTypeSource s) {
    switch (s) {
        case RdpTypeSource::given:
            return "given";
        case RdpTypeSource::existing:
            return "existing";
        case RdpTypeSource::known:
            return "known";
        case RdpTypeSource::inferred:
            return "inferred";
    }
    return "unknown";
}

bool rdp_is_signed(const RdpFile& file) {
    return file.find_first("signscope") != nullptr || file.find_first("signature") != nullptr;
}

}  // namespace comredir::policy
