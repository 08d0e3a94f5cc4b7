#pragma once
// The server role of one rdpdr session ([MS-RDPEFS] 3.3), I/O-free: rdpdr messages and
// host-port events go in, messages to send and port events come out through SessionHost.
// The daemon wires it to the channel and to ptys; tests and the fuzz target drive it alone.
//
// Handshake (RDPDR.md): on start the Server Announce; after the Client Name, the Server Core
// Capability Request (general v2 with user-logged-on, port set) then the Server Client ID
// Confirm; after the Client Capability Response, Server User Logged On. Devices announced
// after that are answered one by one (Device Announce Response): serial ports the host
// accepts get STATUS_SUCCESS, then CREATE, then SET_HANDFLOW (XonLimit/XoffLimit 128, the
// only values the FreeRDP client takes); everything else is refused with a status.
//
// Per open port at most one READ and one WRITE are in flight: the FreeRDP client runs each
// IRP on a thread of its own, so two of either kind could complete out of order. Control
// IRPs (settings, purge) are sent as they come; each CompletionId is unique among the
// requests in flight (IrpTable) and a completion is accepted once.

#include <chrono>
#include <comredir/redirector/codec/pdu.hpp>
#include <comredir/redirector/port/serial_settings.hpp>
#include <comredir/redirector/session/irp_table.hpp>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace comredir::redirector::session {

enum class LogLevel { error, warning, info, debug };

/// A device the client announced, as the host sees it.
struct AnnouncedDevice {
    std::uint32_t device_id = 0;
    std::uint32_t device_type = 0;
    std::string name;  ///< PreferredDosName, bytes as sent (validate before use)
};

/// The host's answer to an announced serial port.
struct PortAnswer {
    bool accept = false;
    std::uint32_t status = 0;  ///< NTSTATUS sent when refused (e.g. access denied)
};

/// Why a port left the session.
enum class PortEnd {
    removed,      ///< the client removed the device (Device List Remove)
    open_failed,  ///< CREATE or the first SET_HANDFLOW failed on the client
    io_failed,    ///< a READ or WRITE failed on the client
    host_closed,  ///< the host gave the port up (close_port)
    session_end,  ///< the session ended with the port open
};
std::string_view to_string(PortEnd e);

/// The session's way out. Calls happen inside the Session call that caused them.
class SessionHost {
  public:
    virtual ~SessionHost() = default;
    /// One whole rdpdr message for the channel.
    virtual void send(std::vector<std::uint8_t> message) = 0;
    virtual void log(LogLevel level, std::string_view message) = 0;
    /// The client's name (Client Name PDU), once, before any device is announced.
    virtual void client_named(std::string_view name) { (void)name; }
    /// A serial port the client announced: accept (the session opens it) or refuse.
    virtual PortAnswer port_announced(const AnnouncedDevice& device) = 0;
    /// Any other device (drive, printer, smart card...) is refused with this status.
    virtual void device_refused(const AnnouncedDevice& device, std::uint32_t status) {
        (void)device, (void)status;
    }
    /// The client opened an accepted port: the host makes it available (pty). False: the
    /// host cannot; the session closes the port on the client.
    virtual bool port_opened(std::uint32_t device_id) = 0;
    /// Bytes the client's device received (a READ completed).
    virtual void port_data(std::uint32_t device_id, std::span<const std::uint8_t> data) = 0;
    /// A WRITE completed: the session can take more bytes (tx_room).
    virtual void port_writable(std::uint32_t device_id) { (void)device_id; }
    /// The port is gone for the host (after port_opened, or an accepted port that never
    /// opened). Called once per accepted port.
    virtual void port_closed(std::uint32_t device_id, PortEnd why, std::string_view reason) = 0;
    /// Round trip of a completed CREATE, CLOSE or IOCTL (READs wait for data and WRITEs for
    /// the client's line speed: they say nothing about the network).
    virtual void round_trip(std::uint32_t device_id, std::chrono::microseconds rtt) {
        (void)device_id, (void)rtt;
    }
};

struct SessionConfig {
    std::uint32_t client_id = 1;
    std::uint32_t read_length = 16384;         ///< READ IRP Length
    std::size_t tx_capacity = 65536;           ///< bytes buffered for WRITEs per port
    std::size_t irp_capacity = 256;            ///< IRPs in flight in the whole session
    std::chrono::milliseconds irp_warn{5000};  ///< a non-READ IRP older than this is logged
    std::size_t max_ports = 32;                ///< serial ports open at once
    /// What the client's device is set to when it opens: the host port's initial settings
    /// (open_pty: 9600 8N1, no flow control).
    port::SerialSettings initial{.baud = 9600};
};

/// idle -> announced (Server Announce sent) -> replied (Client Announce Reply) ->
/// negotiating (Client Name; capabilities sent) -> ready (Client Capability Response; user
/// logged on sent) -> closed.
enum class Phase { idle, announced, replied, negotiating, ready, closed };
std::string_view to_string(Phase p);

class Session {
  public:
    Session(SessionConfig config, SessionHost& host);
    Session(const Session&) = delete;
    Session& operator=(const Session&) = delete;

    /// The channel is open: sends the Server Announce.
    void start(Clock::time_point now);
    /// One rdpdr message from the client. False when the session must end (the reason was
    /// logged); nothing more is sent then.
    bool receive(std::span<const std::uint8_t> message, Clock::time_point now);

    /// Bytes a host program wrote, for the client's device; at most tx_room() are taken.
    std::size_t write(std::uint32_t device_id, std::span<const std::uint8_t> data,
                      Clock::time_point now);
    std::size_t tx_room(std::uint32_t device_id) const;
    /// Pause (the host's output to the program is backed up) or resume READs.
    void pause_reads(std::uint32_t device_id, bool paused, Clock::time_point now);
    /// The program changed its settings: the IOCTLs that carry the difference.
    void apply_settings(std::uint32_t device_id, const port::SerialSettings& before,
                        const port::SerialSettings& after, Clock::time_point now);
    /// The program flushed its queues: IOCTL_SERIAL_PURGE with `mask`.
    void purge(std::uint32_t device_id, std::uint32_t mask, Clock::time_point now);
    /// The host gives a port up: CLOSE on the client, port_closed.
    void close_port(std::uint32_t device_id, std::string_view reason, Clock::time_point now);
    /// Timers: retried READs, IRPs waiting too long. Call by next_deadline().
    void tick(Clock::time_point now);
    std::optional<Clock::time_point> next_deadline() const;
    /// The client left or the daemon stops: every open port gets port_closed(session_end).
    void end(std::string_view reason);

    Phase phase() const { return phase_; }
    const std::string& client_name() const { return client_name_; }
    std::uint32_t client_version_minor() const { return version_minor_; }
    /// Open ports (CREATE completed), by device id.
    std::vector<std::uint32_t> open_ports() const;
    std::size_t irps_in_flight() const { return irps_.size(); }
    /// Counters for logs and tests.
    struct Stats {
        std::uint64_t dropped_pdus = 0;  ///< malformed or unexpected messages ignored
        std::uint64_t unknown_completions = 0;
        std::uint64_t bytes_to_client = 0;
        std::uint64_t bytes_from_client = 0;
    };
    const Stats& stats() const { return stats_; }

  private:
    enum class PortState { opening, open, closing };
    struct Port {
        std::uint32_t device_id = 0;
        std::string name;
        PortState state = PortState::opening;
        std::uint32_t file_id = 0;
        bool read_pending = false;
        bool write_pending = false;
        bool reads_paused = false;
        std::optional<Clock::time_point> read_retry;  ///< after an empty READ
        std::vector<std::uint8_t> tx;                 ///< waiting for the next WRITE
        std::vector<std::uint8_t> in_flight;          ///< the WRITE on its way
        bool told_closed = false;                     ///< host.port_closed was called
    };

    void on_pdu(const codec::ClientPdu& pdu, Clock::time_point now);
    void on_announce_reply(const codec::ClientAnnounceReply& r);
    void on_name(const codec::ClientName& n);
    void on_capabilities(const codec::ClientCapabilityResponse& c);
    void on_devices(const codec::DeviceListAnnounce& list, Clock::time_point now);
    void on_remove(const codec::DeviceListRemove& list);
    void on_completion(const codec::IoCompletion& c, Clock::time_point now);
    void on_port_completion(Port& p, const IrpEntry& e, const codec::IoCompletion& c,
                            Clock::time_point now);

    bool send_irp(Port& p, codec::RequestBody body, Clock::time_point now,
                  std::uint32_t io_control_code = 0, std::uint32_t requested = 0);
    void send_ioctl(Port& p, std::uint32_t code, const codec::SerialValue& value,
                    std::uint32_t output_length, Clock::time_point now);
    void pump(Port& p, Clock::time_point now);
    /// CLOSE for a closing port's handle; the port is forgotten if it cannot be sent.
    void send_close(Port& p, Clock::time_point now);
    void finish(std::uint32_t device_id, PortEnd why, std::string_view reason);
    void fail(std::string_view reason);
    void drop(std::string_view what);
    void send(std::vector<std::uint8_t> bytes);
    Port* find(std::uint32_t device_id);
    const Port* find(std::uint32_t device_id) const;

    SessionConfig config_;
    SessionHost& host_;
    Phase phase_ = Phase::idle;
    std::uint16_t version_minor_ = 0;
    std::string client_name_;
    IrpTable irps_;
    std::map<std::uint32_t, Port> ports_;
    std::vector<std::uint32_t> refused_;  ///< device ids answered with an error
    std::set<std::uint32_t> warned_;      ///< in-flight ids already reported as slow
    Stats stats_;
};

}  // namespace comredir::redirector::session
