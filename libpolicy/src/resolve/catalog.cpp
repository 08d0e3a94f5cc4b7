// The feature table. Sources (abbreviated in the `source` fields):
//   ADMX  = TerminalServer.admx / en-US/TerminalServer.adml, Windows Server 2025
//           PolicyDefinitions (../shared/data/admx); "not configured" behaviour is
//           taken from each policy's explain text (string id given).
//   PROPS = Microsoft Learn, "Supported RDP properties"
//           (learn.microsoft.com/azure/virtual-desktop/rdp-properties, 2024-08).
//   HOWTO = Microsoft Learn, "Configure ... redirection" how-tos for Azure Virtual
//           Desktop, Windows 365 and Microsoft Dev Box
//           (learn.microsoft.com/azure/virtual-desktop/redirection-configure-*).
//   CLIENTS = Microsoft Learn, "Compare Remote Desktop app features across platforms"
//           (learn.microsoft.com/azure/virtual-desktop/compare-remote-desktop-clients, 2024-07).
//   INTUNE = settings-catalog ids: `..._ts_client_com` and five siblings are seen in a
//           real export (../shared/data/intune); the others follow the same
//           `device_vendor_msft_policy_config_admx_terminalserver_<policy>` pattern
//           (unverified for those policies).
#include <algorithm>
#include <array>
#include <comredir/policy/resolve/catalog.hpp>
#include <stdexcept>

#include "io/text.hpp"

namespace comredir::policy {

namespace {

using sv = std::string_view;
constexpr Default A = Default::allow;
constexpr Default D = Default::deny;

// ---- Intune ids ------------------------------------------------------------
constexpr std::array<sv, 1> kIntuneCom{
    "device_vendor_msft_policy_config_admx_terminalserver_ts_client_com"};
constexpr std::array<sv, 1> kIntuneClip{
    "device_vendor_msft_policy_config_admx_terminalserver_ts_client_clipboard"};
constexpr std::array<sv, 2> kIntuneDrive{
    "device_vendor_msft_policy_config_remotedesktopservices_donotallowdriveredirection",  // seen
    "device_vendor_msft_policy_config_admx_terminalserver_ts_client_drive_m"};
constexpr std::array<sv, 1> kIntunePrinter{
    "device_vendor_msft_policy_config_admx_terminalserver_ts_client_printer"};
constexpr std::array<sv, 1> kIntuneLpt{
    "device_vendor_msft_policy_config_admx_terminalserver_ts_client_lpt"};
constexpr std::array<sv, 1> kIntunePnp{
    "device_vendor_msft_policy_config_admx_terminalserver_ts_client_pnp"};
constexpr std::array<sv, 1> kIntuneSmart{
    "device_vendor_msft_policy_config_admx_terminalserver_ts_smart_card"};
constexpr std::array<sv, 1> kIntuneAudio{
    "device_vendor_msft_policy_config_admx_terminalserver_ts_client_audio"};
constexpr std::array<sv, 1> kIntuneCapture{
    "device_vendor_msft_policy_config_admx_terminalserver_ts_client_audio_capture"};
constexpr std::array<sv, 1> kIntuneCamera{
    "device_vendor_msft_policy_config_admx_terminalserver_ts_camera_redirection"};
constexpr std::array<sv, 1> kIntuneLocation{
    "device_vendor_msft_policy_config_admx_terminalserver_ts_location_redirection"};
constexpr std::array<sv, 1> kIntuneWebauthn{
    "device_vendor_msft_policy_config_admx_terminalserver_ts_webauthn"};
constexpr std::array<sv, 1> kIntuneTimeZone{
    "device_vendor_msft_policy_config_admx_terminalserver_ts_time_zone"};
constexpr std::array<sv, 1> kIntuneUia{
    "device_vendor_msft_policy_config_admx_terminalserver_ts_uia"};
constexpr std::array<sv, 1> kIntuneClipSc{
    "device_vendor_msft_policy_config_remotedesktopservices_"
    "limitservertoclientclipboardredirection"};  // seen
constexpr std::array<sv, 1> kIntuneClipCs{
    "device_vendor_msft_policy_config_remotedesktopservices_"
    "limitclienttoserverclipboardredirection"};

// ---- Per-product defaults ----------------------------------------------------
// Columns: product, host-pool default, client default, list default, source.
// AVD's client column is always `allow`: the feed's .rdp is generated from the host
// pool's customRdpProperty, so a client file that says nothing adds no restriction of
// its own; the host-pool column carries the property defaults.
constexpr sv kSrcDefaults =
    "PROPS default values; HOWTO: AVD host pools, Windows 365 and Dev Box redirect by default";
constexpr sv kSrcLinux =
    "comredir's Linux host: the client announces what it redirects; no policy means allowed";

constexpr std::array<ProductDefaults, 5> kAllowAll{{
    {Product::avd, A, A, "*", kSrcDefaults},
    {Product::w365, A, A, "*", kSrcDefaults},
    {Product::devbox, A, A, "*", kSrcDefaults},
    {Product::rds, A, A, "*", "PROPS default values (RDS clients use the same property defaults)"},
    {Product::linux_host, A, A, "*", kSrcLinux},
}};
constexpr std::array<ProductDefaults, 5> kComDefaults{{
    {Product::avd, A, A, "",
     "PROPS: redirectcomports default 1; HOWTO serial/COM: AVD host pools redirect COM ports by "
     "default"},
    {Product::w365, A, A, "", "HOWTO serial/COM: Windows 365 redirects COM ports by default"},
    {Product::devbox, A, A, "", "HOWTO serial/COM: Dev Box redirects COM ports by default"},
    {Product::rds, A, D, "",
     "Windows Server RDP settings (learn.microsoft.com ff393694): redirectcomports default 0 for "
     "mstsc"},
    {Product::linux_host, A, A, "", kSrcLinux},
}};
constexpr std::array<ProductDefaults, 5> kCaptureDefaults{{
    {Product::avd, D, A, "",
     "PROPS: audiocapturemode default 0; HOWTO audio: AVD host pool not configured"},
    {Product::w365, A, A, "", "HOWTO audio: Windows 365 enables audio recording redirection"},
    {Product::devbox, A, A, "", "HOWTO audio: Dev Box enables audio recording redirection"},
    {Product::rds, D, D, "", "PROPS: audiocapturemode default 0"},
    {Product::linux_host, D, D, "", kSrcLinux},
}};
constexpr std::array<ProductDefaults, 5> kLocationDefaults{{
    {Product::avd, D, A, "", "PROPS: redirectlocation default 0"},
    {Product::w365, A, A, "", "HOWTO location: Windows 365 allows location redirection"},
    {Product::devbox, A, A, "", "HOWTO location: Dev Box allows location redirection"},
    {Product::rds, D, D, "", "PROPS: redirectlocation default 0"},
    {Product::linux_host, D, D, "", kSrcLinux},
}};
constexpr std::array<ProductDefaults, 5> kCameraDefaults{{
    {Product::avd, A, A, "*",
     "HOWTO camera: host pool not configured still redirects (PROPS lists camerastoredirect "
     "default as none)"},
    {Product::w365, A, A, "*", "HOWTO camera: Windows 365 enables camera redirection"},
    {Product::devbox, A, A, "*", "HOWTO camera: Dev Box enables camera redirection"},
    {Product::rds, D, D, "", "PROPS: camerastoredirect has no default (no camera redirected)"},
    {Product::linux_host, D, D, "", kSrcLinux},
}};

// ---- Client platforms of Microsoft's clients (CLIENTS) -------------------------
//                                    win    mac    ios    andr   web    linux
constexpr PlatformSupport kWindowsOnly{
    true, false, false, false, false, false, "CLIENTS: Windows clients only"};
constexpr PlatformSupport kEverywhere{
    true, true, true, true, true, true, "CLIENTS: all platforms (not restricted here)"};
constexpr PlatformSupport kSmartCards{
    true, true, false, false, false, false, "CLIENTS: smart cards on Windows and macOS"};
constexpr PlatformSupport kLocation{
    true, false, true, false, true, false, "CLIENTS: location on Windows 11, iOS/iPadOS and web"};

constexpr sv K = kTsPolicyKey;
constexpr std::array<Product, 1> kLinuxOnly{Product::linux_host};
constexpr std::array<sv, 0> kNoIntune{};

// clang-format off
constexpr std::array<Feature, 18> kFeatures{{
    {"com_ports", "COM (serial) ports", ValueKind::boolean,
     {"TS_CLIENT_COM", "Do not allow COM port redirection", K, "fDisableCcm", 1, 0, true, false, kIntuneCom, "", A,
      "ADMX TS_CLIENT_COM; TS_COMPORTMAP_EXPLAIN: not configured = allowed"},
     {"redirectcomports", RdpSemantics::one_allows, "PROPS redirectcomports:i: 0 not available, 1 available"},
     kComDefaults, {true, false, false, false, false, false, "CLIENTS and HOWTO serial/COM: only from a local Windows device"},
     true},
    {"clipboard", "Clipboard", ValueKind::boolean,
     {"TS_CLIENT_CLIPBOARD", "Do not allow Clipboard redirection", K, "fDisableClip", 1, 0, true, false, kIntuneClip, "", A,
      "ADMX TS_CLIENT_CLIPBOARD; TS_CLIPBOARDMAP_EXPLAIN: not configured = allowed"},
     {"redirectclipboard", RdpSemantics::one_allows, "PROPS redirectclipboard:i:"},
     kAllowAll, kEverywhere, false},
    {"drives", "Drives", ValueKind::list,
     {"TS_CLIENT_DRIVE_M", "Do not allow drive redirection", K, "fDisableCdm", 1, 0, true, false, kIntuneDrive, "", A,
      "ADMX TS_CLIENT_DRIVE_M; TS_CLIENT_DRIVE_EXPLAIN_M: not configured = drives mapped"},
     {"drivestoredirect", RdpSemantics::list, "PROPS drivestoredirect:s: empty = none, `*`, DynamicDrives, `C:\\;E:\\;`"},
     kAllowAll, kEverywhere, false},
    {"printers", "Printers", ValueKind::boolean,
     {"TS_CLIENT_PRINTER", "Do not allow client printer redirection", K, "fDisableCpm", 1, 0, true, false, kIntunePrinter, "", A,
      "ADMX TS_CLIENT_PRINTER (category TS_PRINT_REDIRECTION); TS_PRINTERMAP_EXPLAIN: not configured = allowed"},
     {"redirectprinters", RdpSemantics::one_allows, "PROPS redirectprinters:i:"},
     kAllowAll, kEverywhere, false},
    {"lpt_ports", "LPT (parallel) ports", ValueKind::boolean,
     {"TS_CLIENT_LPT", "Do not allow LPT port redirection", K, "fDisableLPT", 1, 0, true, false, kIntuneLpt, "", A,
      "ADMX TS_CLIENT_LPT; TS_LPTPORTMAP_EXPLAIN: not configured = allowed"},
     {"", RdpSemantics::none, "PROPS lists no separate property for LPT ports"},
     kAllowAll, {true, false, false, false, false, false, "CLIENTS: port redirection on Windows only (unverified for LPT)"}, false},
    {"pnp_devices", "Plug and Play devices (MTP/PTP)", ValueKind::list,
     {"TS_CLIENT_PNP", "Do not allow supported Plug and Play device redirection", K, "fDisablePNPRedir", 1, 0, true, false, kIntunePnp, "", D,
      "ADMX TS_CLIENT_PNP; TS_DEVMAP_EXPLAIN: not configured = not allowed (allowed only on Windows Server 2012 R2 and earlier)"},
     {"devicestoredirect", RdpSemantics::list, "PROPS devicestoredirect:s: `*`, instance paths, DynamicDevices"},
     kAllowAll, {true, false, false, false, false, false, "CLIENTS: Windows only (unverified for MTP/PTP)"}, false},
    {"smart_cards", "Smart cards", ValueKind::boolean,
     {"TS_SMART_CARD", "Do not allow smart card device redirection", K, "fEnableSmartCard", 0, 1, true, false, kIntuneSmart, "", A,
      "ADMX TS_SMART_CARD: inverted, Enabled writes fEnableSmartCard=0; TS_SMART_CARD_EXPLAIN: not configured = allowed"},
     {"redirectsmartcards", RdpSemantics::one_allows, "PROPS redirectsmartcards:i:"},
     kAllowAll, kSmartCards, false},
    {"audio_playback", "Audio and video playback", ValueKind::boolean,
     {"TS_CLIENT_AUDIO", "Allow audio and video playback redirection", K, "fDisableCam", 1, 0, false, false, kIntuneAudio, "", A,
      "ADMX TS_CLIENT_AUDIO: inverted, Enabled writes fDisableCam=0; TS_AUDIOMAP_EXPLAIN: default depends on the host OS (current hosts allow)"},
     {"audiomode", RdpSemantics::zero_allows, "PROPS audiomode:i: 0 play on this device, 1 on the remote computer, 2 none"},
     kAllowAll, kEverywhere, false},
    {"audio_capture", "Audio recording", ValueKind::boolean,
     {"TS_CLIENT_AUDIO_CAPTURE", "Allow audio recording redirection", K, "fDisableAudioCapture", 1, 0, false, false, kIntuneCapture, "", A,
      "ADMX TS_CLIENT_AUDIO_CAPTURE: inverted, Enabled writes fDisableAudioCapture=0; TS_AUDIOCAPTUREMAP_EXPLAIN: default depends on the host OS"},
     {"audiocapturemode", RdpSemantics::one_allows, "PROPS audiocapturemode:i: 0 off, 1 on"},
     kCaptureDefaults, kEverywhere, false},
    {"camera", "Cameras (video capture)", ValueKind::list,
     {"TS_CAMERA_REDIRECTION", "Do not allow video capture redirection", K, "fDisableCameraRedir", 1, 0, true, false, kIntuneCamera, "", A,
      "ADMX TS_CAMERA_REDIRECTION; TS_CAMERA_REDIRECTION_EXPLAIN: not configured = allowed"},
     {"camerastoredirect", RdpSemantics::list, "PROPS camerastoredirect:s: `*`, list, `-` excludes"},
     kCameraDefaults, kEverywhere, false},
    {"location", "Location", ValueKind::boolean,
     {"TS_LOCATION_REDIRECTION", "Do not allow location redirection", K, "fDisableLocationRedir", 1, 0, true, false, kIntuneLocation, "", A,
      "ADMX TS_LOCATION_REDIRECTION; explain: not configured = allowed"},
     {"redirectlocation", RdpSemantics::one_allows, "PROPS redirectlocation:i: 0 remote location, 1 local device's location"},
     kLocationDefaults, kLocation, false},
    {"webauthn", "WebAuthn", ValueKind::boolean,
     {"TS_WEBAUTHN", "Do not allow WebAuthn redirection", K, "fDisableWebAuthn", 1, 0, true, false, kIntuneWebauthn, "", A,
      "ADMX TS_WEBAUTHN; explain: not configured = allowed"},
     {"redirectwebauthn", RdpSemantics::one_allows, "PROPS redirectwebauthn:i:"},
     kAllowAll, kWindowsOnly, false},
    {"usb_devices", "USB devices (opaque)", ValueKind::list,
     {"TS_CLIENT_PNP", "Do not allow supported Plug and Play device redirection", K, "fDisablePNPRedir", 1, 0, true, false, kIntunePnp, "", D,
      "HOWTO USB: the host must set TS_CLIENT_PNP to Disabled; TS_DEVMAP_EXPLAIN: not configured = not allowed"},
     {"usbdevicestoredirect", RdpSemantics::list, "PROPS usbdevicestoredirect:s: `*`, {class GUID}, instance id"},
     kAllowAll, {true, false, false, false, false, false, "CLIENTS: USB redirection on Windows only"}, false},
    {"time_zone", "Time zone", ValueKind::boolean,
     {"TS_TIME_ZONE", "Allow time zone redirection", K, "fEnableTimeZoneRedirection", 0, 1, false, false, kIntuneTimeZone, "", D,
      "ADMX TS_TIME_ZONE; TS_TIME_ZONE_EXPLAIN: not configured = the session uses the server's time zone"},
     {"", RdpSemantics::none, "PROPS lists no time zone property"},
     kAllowAll, kEverywhere, false},
    {"ui_automation", "UI Automation", ValueKind::boolean,
     {"TS_UIA", "Allow UI Automation redirection", K, "EnableUiaRedirection", 0, 1, false, false, kIntuneUia, "", A,
      "ADMX TS_UIA; TS_UIA_EXPLAIN: enabled or not configured = allowed"},
     {"", RdpSemantics::none, "PROPS lists no UI Automation property"},
     kAllowAll, kEverywhere, false},
    {"clipboard_server_to_client", "Clipboard formats, server to client", ValueKind::level,
     {"TS_CLIENT_CLIPBOARDRESTRICTION_SC", "Restrict clipboard transfer from server to client", K, "SCClipLevel", 0, 0, true, true, kIntuneClipSc,
      "device_vendor_msft_policy_config_remotedesktopservices_limitservertoclientclipboardredirection_ts_sc_clipboard_restriction_text", A,
      "ADMX TS_CLIENT_CLIPBOARDRESTRICTION_SC (class Both, stricter of Computer and User wins); not configured = unrestricted"},
     {"", RdpSemantics::none, "level policies have no RDP property (redirectclipboard is the clipboard feature)"},
     kAllowAll, kEverywhere, false},
    {"clipboard_client_to_server", "Clipboard formats, client to server", ValueKind::level,
     {"TS_CLIENT_CLIPBOARDRESTRICTION_CS", "Restrict clipboard transfer from client to server", K, "CSClipLevel", 0, 0, true, true, kIntuneClipCs,
      "device_vendor_msft_policy_config_remotedesktopservices_limitclienttoserverclipboardredirection_ts_cs_clipboard_restriction_text", A,
      "ADMX TS_CLIENT_CLIPBOARDRESTRICTION_CS (class Both); not configured = unrestricted; Intune id by analogy with _SC (unverified)"},
     {"", RdpSemantics::none, "level policies have no RDP property"},
     kAllowAll, kEverywhere, false},
    {"serial_console", "Serial console (comredir-console)", ValueKind::boolean,
     {"SerialConsoleEnabled", "Allow the serial console", "SOFTWARE\\Policies\\comredir\\SerialConsole", "Enabled", 0, 1, false, false, kNoIntune, "", A,
      "comredir.admx SerialConsoleEnabled; its explain text: enabled or not configured = on"},
     {"", RdpSemantics::none, "the serial console is reached over HTTPS and WebSocket, not RDP: no property"},
     kAllowAll, kEverywhere, true, kLinuxOnly},
}};
// clang-format on

}  // namespace

std::span<const Feature> features() {
    return kFeatures;
}

const Feature* find_feature(std::string_view id) {
    for (const auto& f : kFeatures) {
        if (f.id == id) return &f;
    }
    return nullptr;
}

std::string intune_setting_for(std::string_view setting) {
    for (const Feature& f : kFeatures) {
        if (detail::iequals(f.id, setting) && !f.os.intune_ids.empty())
            return std::string(f.os.intune_ids.front());
    }
    return std::string(setting);
}

bool applies_to(const Feature& f, Product p) {
    return f.only_on.empty() || std::find(f.only_on.begin(), f.only_on.end(), p) != f.only_on.end();
}

const ProductDefaults& defaults_for(const Feature& f, Product p) {
    for (const auto& d : f.defaults) {
        if (d.product == p) return d;
    }
    throw std::logic_error("catalog: feature without defaults for a product");  // table bug
}

bool platform_supported(const Feature& f, Product p, ClientOs os) {
    if (p == Product::linux_host) return true;  // FreeRDP clients on any OS talk to our host
    const auto& s = f.microsoft_clients;
    switch (os) {
        case ClientOs::windows:
            return s.windows;
        case ClientOs::macos:
            return s.macos;
        case ClientOs::ios:
            return s.ios;
        case ClientOs::android:
            return s.android;
        case ClientOs::web:
            return s.web;
        case ClientOs::linux_client:
            return s.linux_client;
    }
    return false;
}

}  // namespace comredir::policy
