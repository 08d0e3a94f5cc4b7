#pragma once
// The session's IRPs in flight, keyed by CompletionId ([MS-RDPEFS] 2.2.1.4: chosen by the
// server, unique among outstanding requests; the client drops a duplicate silently and it
// never completes, RDPDR.md). Ids are allocated here and nowhere else, the table is bounded,
// and a completion is accepted once: an unknown or repeated CompletionId from the peer is
// reported, never trusted (the use-after-free class of CVE-2026-22856).

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <vector>

namespace comredir::redirector::session {

using Clock = std::chrono::steady_clock;

struct IrpEntry {
    std::uint32_t completion_id = 0;
    std::uint32_t device_id = 0;
    std::uint32_t major_function = 0;   ///< IRP_MJ_*: decides how the completion body is read
    std::uint32_t io_control_code = 0;  ///< DEVICE_CONTROL only
    std::uint32_t requested = 0;        ///< READ: Length asked; WRITE: bytes sent
    Clock::time_point sent{};
};

class IrpTable {
  public:
    explicit IrpTable(std::size_t capacity = 256) : capacity_(capacity) {}

    /// A fresh CompletionId for `entry` (its completion_id is set); nullopt when the table
    /// is full (the caller waits for completions before sending more).
    std::optional<std::uint32_t> add(IrpEntry entry);
    /// Removes and returns the entry of a completion; nullopt for an id not in flight.
    std::optional<IrpEntry> complete(std::uint32_t completion_id);
    /// Entries sent before `deadline`, oldest first (they stay in the table).
    std::vector<IrpEntry> older_than(Clock::time_point deadline) const;
    /// Removes and returns every entry of a device (device removed / session end).
    std::vector<IrpEntry> take_device(std::uint32_t device_id);
    std::size_t size() const { return in_flight_.size(); }
    std::size_t capacity() const { return capacity_; }
    /// How many of the device's entries have this major function (e.g. reads pending).
    std::size_t count(std::uint32_t device_id, std::uint32_t major_function) const;

  private:
    std::size_t capacity_;
    std::uint32_t next_ = 1;
    std::map<std::uint32_t, IrpEntry> in_flight_;
};

}  // namespace comredir::redirector::session
