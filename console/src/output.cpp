#include <algorithm>
#include <comredir/console/output.hpp>

namespace comredir::console {

void ReplayBuffer::append(std::span<const std::uint8_t> bytes) {
    if (bytes.size() >= capacity_) {
        bytes_.assign(bytes.end() - static_cast<std::ptrdiff_t>(capacity_), bytes.end());
        return;
    }
    bytes_.insert(bytes_.end(), bytes.begin(), bytes.end());
    if (bytes_.size() > capacity_) {
        bytes_.erase(bytes_.begin(),
                     bytes_.begin() + static_cast<std::ptrdiff_t>(bytes_.size() - capacity_));
    }
}

std::vector<std::uint8_t> ReplayBuffer::snapshot() const {
    auto start = bytes_.begin();
    while (start != bytes_.end() && (*start & 0xC0) == 0x80) ++start;  // mid-character
    return {start, bytes_.end()};
}

void Fanout::add(ClientId client, std::span<const std::uint8_t> first) {
    auto& q = queues_[client];
    q.assign(first.begin(), first.end());
}

void Fanout::remove(ClientId client) {
    queues_.erase(client);
}

std::vector<ClientId> Fanout::push(std::span<const std::uint8_t> bytes) {
    std::vector<ClientId> dropped;
    for (auto it = queues_.begin(); it != queues_.end();) {
        if (it->second.size() + bytes.size() > max_) {
            dropped.push_back(it->first);
            it = queues_.erase(it);
            continue;
        }
        it->second.insert(it->second.end(), bytes.begin(), bytes.end());
        ++it;
    }
    return dropped;
}

std::vector<std::uint8_t> Fanout::take(ClientId client, std::size_t max) {
    auto it = queues_.find(client);
    if (it == queues_.end()) return {};
    auto& q = it->second;
    const auto n = static_cast<std::ptrdiff_t>(std::min(max, q.size()));
    std::vector<std::uint8_t> out(q.begin(), q.begin() + n);
    q.erase(q.begin(), q.begin() + n);
    return out;
}

std::size_t Fanout::queued(ClientId client) const {
    auto it = queues_.find(client);
    return it == queues_.end() ? 0 : it->second.size();
}

}  // namespace comredir::console
