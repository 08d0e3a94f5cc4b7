#pragma once
// Serialising writers: an exclusive advisory lock (flock) on the folder that holds the
// file being replaced. The folder, not the file: a writer replaces the file by rename, so
// a lock on the file's old inode would not stop the next writer from reading stale
// content; and no lock file is left behind (SYSVOL replicates every file it finds).

#include <chrono>
#include <string>

namespace comredir::policy {

struct FolderLockResult;
FolderLockResult lock_folder_of(const std::string& file_path, std::chrono::milliseconds timeout);

class FolderLock {
  public:
    FolderLock() = default;
    FolderLock(const FolderLock&) = delete;
    FolderLock& operator=(const FolderLock&) = delete;
    FolderLock(FolderLock&& other) noexcept;
    FolderLock& operator=(FolderLock&& other) noexcept;
    ~FolderLock();

    bool locked() const { return fd_ >= 0; }

  private:
    friend FolderLockResult lock_folder_of(const std::string&, std::chrono::milliseconds);
    int fd_ = -1;
};

struct FolderLockResult {
    FolderLock lock;
    std::string message;  ///< one line when the lock was not taken
    bool ok() const { return lock.locked(); }
};

/// Locks the folder of `file_path`, waiting up to `timeout` (e.g. 30 s) for another writer.
FolderLockResult lock_folder_of(const std::string& file_path, std::chrono::milliseconds timeout);

}  // namespace comredir::policy
