#pragma once
// An exclusive advisory lock (flock) on a file, held for the object's lifetime. It keeps a second
// writer off state that must have one: the audit chain (two writers would fork it) and the governance
// store (two processes would each keep their own key table). The kernel drops the lock when the
// process dies, SIGKILL included, so a crash never leaves it stale.
#include <string>

namespace sluice::gateway {

class file_lock {
 public:
  // Creates `path` if needed and locks it, writing this process id into it. Throws std::runtime_error
  // saying that `what` is in use (and by which process id, when the holder wrote one) when another
  // open file description holds the lock — another process, or another writer in this one.
  file_lock(const std::string& path, const std::string& what);
  ~file_lock();
  file_lock(const file_lock&) = delete;
  file_lock& operator=(const file_lock&) = delete;

 private:
  int fd_ = -1;
};

}  // namespace sluice::gateway
