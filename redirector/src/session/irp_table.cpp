#include <algorithm>
#include <comredir/redirector/session/irp_table.hpp>

namespace comredir::redirector::session {

std::optional<std::uint32_t> IrpTable::add(IrpEntry entry) {
    if (in_flight_.size() >= capacity_) return std::nullopt;
    // Skip ids still in flight after the counter wrapped: ids stay unique.
    while (next_ == 0 || in_flight_.contains(next_)) ++next_;
    entry.completion_id = next_++;
    in_flight_.emplace(entry.completion_id, entry);
    return entry.completion_id;
}

std::optional<IrpEntry> IrpTable::complete(std::uint32_t completion_id) {
    const auto it = in_flight_.find(completion_id);
    if (it == in_flight_.end()) return std::nullopt;
    IrpEntry e = it->second;
    in_flight_.erase(it);
    return e;
}

std::vector<IrpEntry> IrpTable::older_than(Clock::time_point deadline) const {
    std::vector<IrpEntry> out;
    for (const auto& [id, e] : in_flight_)
        if (e.sent < deadline) out.push_back(e);
    std::sort(out.begin(), out.end(),
              [](const IrpEntry& a, const IrpEntry& b) { return a.sent < b.sent; });
    return out;
}

std::vector<IrpEntry> IrpTable::take_device(std::uint32_t device_id) {
    std::vector<IrpEntry> out;
    for (auto it = in_flight_.begin(); it != in_flight_.end();) {
        if (it->second.device_id == device_id) {
            out.push_back(it->second);
            it = in_flight_.erase(it);
        } else {
            ++it;
        }
    }
    return out;
}

std::size_t IrpTable::count(std::uint32_t device_id, std::uint32_t major_function) const {
    return static_cast<std::size_t>(
        std::count_if(in_flight_.begin(), in_flight_.end(), [&](const auto& kv) {
            return kv.second.device_id == device_id && kv.second.major_function == major_function;
        }));
}

}  // namespace comredir::redirector::session
