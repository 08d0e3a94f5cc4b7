// Port I/O of a session: CREATE and the first settings, one READ and one WRITE in flight per
// port, the program's settings and flushes as [MS-RDPESP] IOCTLs, CLOSE and teardown.
#include <algorithm>
#include <comredir/redirector/codec/ntstatus.hpp>
#include <comredir/redirector/session/session.hpp>
#include <string>

namespace comredir::redirector::session {

namespace ntstatus = codec::ntstatus;
namespace serial = codec::serial;

namespace {

constexpr std::chrono::milliseconds kEmptyReadRetry{20};
constexpr std::uint32_t kReadWaitMs = 5000;  // a READ with no data ends after this

// [MS-RDPESP] 2.2.2 SERIAL_HANDFLOW for a program's flow control. XonLimit/XoffLimit stay
// 128: the FreeRDP client refuses anything else (RDPDR.md).
codec::SerialHandflow handflow_for(const port::SerialSettings& s) {
    codec::SerialHandflow h;
    if (s.rts_cts) {
        h.control_handshake |= serial::cts_handshake;
        h.flow_replace |= serial::rts_handshake;
    }
    if (s.xon_out) h.flow_replace |= serial::auto_transmit;
    if (s.xoff_in) h.flow_replace |= serial::auto_receive;
    return h;
}

codec::SerialLineControl line_control_for(const port::SerialSettings& s) {
    codec::SerialLineControl l;
    l.stop_bits = static_cast<std::uint8_t>(s.stop_bits);
    l.parity =
        !s.parity ? serial::no_parity : (s.odd_parity ? serial::odd_parity : serial::even_parity);
    l.word_length = s.word_length;
    return l;
}

// The FreeRDP client refuses EofChar, ErrorChar, BreakChar and EventChar other than 0; only
// XON/XOFF are carried.
codec::SerialChars chars_for(const port::SerialSettings& s) {
    codec::SerialChars c;
    c.xon_char = s.xon_char;
    c.xoff_char = s.xoff_char;
    return c;
}

std::string status_text(std::uint32_t status) {
    return "status `" + codec::hex(status) + "`";
}

}  // namespace

bool Session::send_irp(Port& p, codec::RequestBody body, Clock::time_point now,
                       std::uint32_t io_control_code, std::uint32_t requested) {
    IrpEntry e;
    e.device_id = p.device_id;
    e.major_function = codec::major_function(body);
    e.io_control_code = io_control_code;
    e.requested = requested;
    e.sent = now;
    auto id = irps_.add(e);
    if (!id) {
        host_.log(LogLevel::warning, "port `" + p.name + "`: `" + std::to_string(irps_.size()) +
                                         "` requests in flight: waiting for completions");
        return false;
    }
    codec::IoRequest r{.device_id = p.device_id,
                       .file_id = p.file_id,
                       .completion_id = *id,
                       .minor_function = 0,
                       .body = std::move(body)};
    send(codec::encode(codec::ServerPdu{std::move(r)}));
    return true;
}

void Session::send_ioctl(Port& p, std::uint32_t code, const codec::SerialValue& value,
                         std::uint32_t output_length, Clock::time_point now) {
    host_.log(LogLevel::debug, "port `" + p.name + "`: " + std::string(codec::ioctl_name(code)));
    send_irp(p,
             codec::ControlRequest{.output_buffer_length = output_length,
                                   .io_control_code = code,
                                   .input = codec::encode(value)},
             now, code);
}

void Session::pump(Port& p, Clock::time_point now) {
    if (p.state != PortState::open || phase_ == Phase::closed) return;
    if (!p.write_pending && !p.tx.empty()) {
        p.in_flight = std::move(p.tx);
        p.tx.clear();
        const auto n = static_cast<std::uint32_t>(p.in_flight.size());
        if (send_irp(p, codec::WriteRequest{.offset = 0, .data = p.in_flight}, now, 0, n)) {
            p.write_pending = true;
            stats_.bytes_to_client += n;
        } else {
            p.tx = std::move(p.in_flight);
            p.in_flight.clear();
        }
    }
    if (!p.read_pending && !p.reads_paused && !p.read_retry) {
        if (send_irp(p, codec::ReadRequest{.length = config_.read_length, .offset = 0}, now, 0,
                     config_.read_length))
            p.read_pending = true;
    }
}

void Session::on_port_completion(Port& p, const IrpEntry& e, const codec::IoCompletion& c,
                                 Clock::time_point now) {
    auto body = codec::decode_completion_body(c, e.major_function, e.io_control_code);
    const bool ok = body.ok() && !ntstatus::is_error(c.io_status);
    if (!body.ok()) drop(body.message);
    if (p.state == PortState::closing) {
        // The host gave the port up while the client was opening it: close the handle the
        // client just made (a failed CREATE left none).
        if (e.major_function == codec::irp_mj::create && ok) {
            p.file_id = std::get<codec::CreateCompletion>(body.body).file_id;
            send_close(p, now);
            return;
        }
        if (e.major_function == codec::irp_mj::close)
            host_.log(LogLevel::debug, "port `" + p.name + "`: the client closed its device (" +
                                           status_text(c.io_status) + ")");
        if (e.major_function == codec::irp_mj::close || e.major_function == codec::irp_mj::create)
            ports_.erase(p.device_id);
        return;
    }
    switch (e.major_function) {
        case codec::irp_mj::create: {
            if (!ok) {
                return finish(p.device_id, PortEnd::open_failed,
                              "the client could not open its device: " + status_text(c.io_status));
            }
            p.file_id = std::get<codec::CreateCompletion>(body.body).file_id;
            p.state = PortState::open;
            // Bring the client's device to the host port's settings; SET_HANDFLOW first, since
            // the client leaves IXON as it found it (RDPDR.md).
            send_ioctl(p, codec::ioctl::set_handflow, handflow_for(config_.initial), 0, now);
            send_ioctl(p, codec::ioctl::set_baud_rate, codec::SerialBaudRate{config_.initial.baud},
                       0, now);
            send_ioctl(p, codec::ioctl::set_line_control, line_control_for(config_.initial), 0,
                       now);
            // [MS-RDPESP] / SERIAL_TIMEOUTS: a READ returns at once with the bytes there are,
            // or waits up to read_wait for the first one. Left at zero, a Windows client's
            // READ would wait for its whole Length.
            send_ioctl(p, codec::ioctl::set_timeouts,
                       codec::SerialTimeouts{.read_interval = 0xFFFFFFFF,
                                             .read_total_multiplier = 0xFFFFFFFF,
                                             .read_total_constant = kReadWaitMs},
                       0, now);
            if (!host_.port_opened(p.device_id)) {
                close_port(p.device_id, "the host could not make the port available", now);
                return;
            }
            return pump(p, now);
        }
        case codec::irp_mj::read: {
            p.read_pending = false;
            if (!body.ok()) {
                return finish(p.device_id, PortEnd::io_failed,
                              "the client's read completion is malformed: " + body.message);
            }
            if (ok) {
                const auto& data = std::get<codec::ReadCompletion>(body.body).data;
                if (data.empty() && c.io_status != ntstatus::timeout) {
                    // Nothing and no timeout: ask again, but not in a loop.
                    p.read_retry = now + kEmptyReadRetry;
                } else if (!data.empty()) {
                    stats_.bytes_from_client += data.size();
                    host_.port_data(p.device_id, data);
                }
            } else if (c.io_status != ntstatus::cancelled && c.io_status != ntstatus::timeout) {
                return finish(p.device_id, PortEnd::io_failed,
                              "reading the client's device failed: " + status_text(c.io_status));
            }
            if (Port* still = find(e.device_id)) pump(*still, now);
            return;
        }
        case codec::irp_mj::write: {
            p.write_pending = false;
            std::size_t done = p.in_flight.size();
            if (ok) {
                done =
                    std::min<std::size_t>(std::get<codec::WriteCompletion>(body.body).length, done);
            } else if (c.io_status != ntstatus::cancelled) {
                host_.log(LogLevel::warning,
                          "port `" + p.name + "`: writing `" + std::to_string(p.in_flight.size()) +
                              "` bytes failed on the client: " + status_text(c.io_status));
            }
            if (ok && done < p.in_flight.size()) {  // short write: the rest goes first next time
                p.tx.insert(p.tx.begin(), p.in_flight.begin() + static_cast<std::ptrdiff_t>(done),
                            p.in_flight.end());
            }
            p.in_flight.clear();
            pump(p, now);
            host_.port_writable(p.device_id);
            return;
        }
        case codec::irp_mj::device_control:
            if (!ok)
                host_.log(LogLevel::warning,
                          "port `" + p.name +
                              "`: " + std::string(codec::ioctl_name(e.io_control_code)) +
                              " failed on the client: " + status_text(c.io_status));
            return;
        default:
            return;
    }
}

std::size_t Session::write(std::uint32_t device_id, std::span<const std::uint8_t> data,
                           Clock::time_point now) {
    Port* p = find(device_id);
    if (p == nullptr || p->state != PortState::open) return 0;
    const std::size_t n = std::min(data.size(), tx_room(device_id));
    p->tx.insert(p->tx.end(), data.begin(), data.begin() + static_cast<std::ptrdiff_t>(n));
    pump(*p, now);
    return n;
}

std::size_t Session::tx_room(std::uint32_t device_id) const {
    const Port* p = find(device_id);
    if (p == nullptr || p->state != PortState::open || phase_ == Phase::closed) return 0;
    return config_.tx_capacity > p->tx.size() ? config_.tx_capacity - p->tx.size() : 0;
}

void Session::pause_reads(std::uint32_t device_id, bool paused, Clock::time_point now) {
    Port* p = find(device_id);
    if (p == nullptr) return;
    p->reads_paused = paused;
    if (!paused) pump(*p, now);
}

void Session::apply_settings(std::uint32_t device_id, const port::SerialSettings& before,
                             const port::SerialSettings& after, Clock::time_point now) {
    Port* p = find(device_id);
    if (p == nullptr || p->state != PortState::open) return;
    const auto change = port::compare(before, after);
    // B0 means "hang up" on a tty; it is not a rate the client can set.
    if (change.baud && after.baud != 0)
        send_ioctl(*p, codec::ioctl::set_baud_rate, codec::SerialBaudRate{after.baud}, 0, now);
    if (change.line_control)
        send_ioctl(*p, codec::ioctl::set_line_control, line_control_for(after), 0, now);
    if (change.handflow) send_ioctl(*p, codec::ioctl::set_handflow, handflow_for(after), 0, now);
    if (change.chars) send_ioctl(*p, codec::ioctl::set_chars, chars_for(after), 0, now);
}

void Session::purge(std::uint32_t device_id, std::uint32_t mask, Clock::time_point now) {
    Port* p = find(device_id);
    if (p == nullptr || p->state != PortState::open || mask == 0) return;
    if ((mask & (serial::purge_txclear | serial::purge_txabort)) != 0) p->tx.clear();
    send_ioctl(*p, codec::ioctl::purge, codec::SerialPurgeMask{mask}, 0, now);
}

// An open port gets its CLOSE now; one whose CREATE is still in flight gets it when the
// CREATE completes. Either way the port stays (closing) until the client answers, so nothing
// more is sent for it but that CLOSE.
void Session::close_port(std::uint32_t device_id, std::string_view reason, Clock::time_point now) {
    Port* p = find(device_id);
    if (p == nullptr || p->state == PortState::closing) return;
    const bool opened = p->state == PortState::open;
    p->state = PortState::closing;
    p->tx.clear();
    p->read_retry.reset();
    p->told_closed = true;
    host_.port_closed(device_id, PortEnd::host_closed, reason);
    if (opened) send_close(*p, now);
}

void Session::send_close(Port& p, Clock::time_point now) {
    host_.log(LogLevel::debug, "port `" + p.name + "`: CLOSE");
    if (!send_irp(p, codec::CloseRequest{}, now)) ports_.erase(p.device_id);
}

void Session::finish(std::uint32_t device_id, PortEnd why, std::string_view reason) {
    auto it = ports_.find(device_id);
    if (it == ports_.end()) return;
    const bool tell = !it->second.told_closed;
    irps_.take_device(device_id);
    ports_.erase(it);
    if (tell) host_.port_closed(device_id, why, reason);
}

void Session::tick(Clock::time_point now) {
    std::vector<std::uint32_t> due;
    for (auto& [id, p] : ports_) {
        if (p.read_retry && *p.read_retry <= now) {
            p.read_retry.reset();
            due.push_back(id);
        }
    }
    for (std::uint32_t id : due) {
        if (Port* p = find(id)) pump(*p, now);
    }
    for (const auto& e : irps_.older_than(now - config_.irp_warn)) {
        if (e.major_function == codec::irp_mj::read || e.sent == Clock::time_point{}) continue;
        if (!warned_.insert(e.completion_id).second) continue;
        host_.log(LogLevel::warning,
                  "request `" + std::to_string(e.completion_id) + "` (" +
                      (e.major_function == codec::irp_mj::device_control
                           ? std::string(codec::ioctl_name(e.io_control_code))
                           : "major function " + std::to_string(e.major_function)) +
                      ") has waited more than `" + std::to_string(config_.irp_warn.count()) +
                      "` ms for the client");
    }
}

std::optional<Clock::time_point> Session::next_deadline() const {
    std::optional<Clock::time_point> next;
    auto consider = [&](Clock::time_point t) {
        if (!next || t < *next) next = t;
    };
    for (const auto& [id, p] : ports_) {
        if (p.read_retry) consider(*p.read_retry);
    }
    for (const auto& e : irps_.older_than(Clock::time_point::max())) {
        if (e.major_function == codec::irp_mj::read || warned_.count(e.completion_id) != 0)
            continue;
        consider(e.sent + config_.irp_warn);
        break;  // oldest first
    }
    return next;
}

}  // namespace comredir::redirector::session
