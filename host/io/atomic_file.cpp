#include "atomic_file.hpp"

#include <fcntl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <filesystem>

#include "input_files.hpp"
#include "segmint/error.hpp"

namespace segmint::detail {
namespace {

// Temporary paths live in fixed buffers so the signal handler can unlink them without allocating.
constexpr int max_temp_files = 64;
constexpr size_t max_path = 4096;
char g_temp_paths[max_temp_files][max_path];
std::atomic<bool> g_temp_used[max_temp_files];
std::atomic<unsigned> g_counter{0};

int register_temp(const std::string& path) {
  if (path.size() >= max_path) return -1;
  for (int i = 0; i < max_temp_files; ++i) {
    bool expected = false;
    if (g_temp_used[i].compare_exchange_strong(expected, true)) {
      std::memcpy(g_temp_paths[i], path.c_str(), path.size() + 1);
      return i;
    }
  }
  return -1;
}

void unregister_temp(int slot) {
  if (slot >= 0) g_temp_used[slot].store(false);
}

extern "C" void remove_temps_and_exit(int sig) {
  for (int i = 0; i < max_temp_files; ++i)
    if (g_temp_used[i].load()) ::unlink(g_temp_paths[i]);
  static const char msg[] = "segmint: interrupted; no output files were written\n";
  [[maybe_unused]] auto n = ::write(2, msg, sizeof msg - 1);
  ::_exit(128 + sig);
}

[[noreturn]] void throw_io(const std::string& what, const std::string& path, int err) {
  throw input_error(path + ": " + what + ": " + std::strerror(err));
}

}  // namespace

/// 16 hex digits from the kernel's random source: a temporary name nobody can predict and plant a link at.
std::string unpredictable_suffix() {
  uint64_t r = 0;
  if (::getrandom(&r, sizeof r, 0) != static_cast<ssize_t>(sizeof r))
    r = (static_cast<uint64_t>(::getpid()) << 32) ^ static_cast<uint64_t>(g_counter++) ^
        static_cast<uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count());
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(r));
  return buf;
}

atomic_file::atomic_file(std::string path) : path_(std::move(path)) {
  refuse_overwriting_input(path_);
  // Created exclusively (O_EXCL) and never through a link (O_NOFOLLOW): a file or link planted at the
  // temporary name makes the open fail and another name is drawn, so the write never lands elsewhere.
  for (int attempt = 0; attempt < 16 && fd_ < 0; ++attempt) {
    temp_ = path_ + ".segmint-tmp-" + unpredictable_suffix();
    slot_ = register_temp(temp_);  // before the file exists: a signal right after the open still removes it
    fd_ = ::open(temp_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd_ >= 0) break;
    const int err = errno;
    unregister_temp(slot_);
    slot_ = -1;
    if (err != EEXIST && err != ELOOP) throw_io("cannot create output file", path_, err);
  }
  if (fd_ < 0) throw_io("cannot create output file", path_, EEXIST);
  buffer_.reserve(1 << 20);
}

atomic_file::atomic_file(append_tag, const std::string& temp_path) : path_(temp_path), temp_(temp_path), appending_(true) {
  fd_ = ::open(temp_.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
  if (fd_ < 0) throw_io("cannot append to output file", temp_, errno);
  buffer_.reserve(1 << 20);
}

atomic_file::~atomic_file() {
  if (fd_ >= 0) ::close(fd_);
  if (appending_) return;
  if (!committed_) ::unlink(temp_.c_str());
  unregister_temp(slot_);
}

void atomic_file::flush() {
  size_t done = 0;
  while (done < buffer_.size()) {
    const ssize_t n = ::write(fd_, buffer_.data() + done, buffer_.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw_io("cannot write output file", path_, errno);
    }
    done += static_cast<size_t>(n);
  }
  buffer_.clear();
}

void atomic_file::write(std::string_view bytes) {
  buffer_.append(bytes);
  if (buffer_.size() >= (1 << 20)) flush();
}

void atomic_file::finish() {
  if (fd_ < 0) return;
  flush();
  if (::fsync(fd_) != 0 && errno != EINVAL) throw_io("cannot sync output file", path_, errno);
  const int rc = ::close(fd_);
  fd_ = -1;
  if (rc != 0) throw_io("cannot close output file", path_, errno);
}

void atomic_file::commit() {
  finish();
  if (appending_) return;
  if (committed_) return;
  if (::rename(temp_.c_str(), path_.c_str()) != 0) throw_io("cannot rename output file into place", path_, errno);
  committed_ = true;
}

output_set::output_set(std::string dir) : dir_(std::move(dir)) {
  std::error_code ec;
  if (std::filesystem::exists(dir_, ec) && !std::filesystem::is_directory(dir_, ec))
    throw input_error(dir_ + ": output path exists and is not a folder");
  std::filesystem::create_directories(dir_, ec);
  if (ec) throw input_error(dir_ + ": cannot create output folder: " + ec.message());
  if (!std::filesystem::is_directory(dir_)) throw input_error(dir_ + ": output path exists and is not a folder");
  if (::access(dir_.c_str(), W_OK) != 0) throw_io("output folder is not writable", dir_, errno);
}

atomic_file& output_set::open(const std::string& name) {
  files_.push_back(std::make_unique<atomic_file>((std::filesystem::path(dir_) / name).string()));
  return *files_.back();
}

void output_set::commit_all() {
  // Anything that would stop a rename midway (a folder named like an output) is found before the first one.
  for (auto& f : files_) {
    std::error_code ec;
    if (std::filesystem::is_directory(f->path(), ec))
      throw input_error(f->path() + ": a folder is in the way of this output; rename or remove it");
  }
  for (auto& f : files_) f->finish();  // every byte on disk before any file is renamed
  for (auto& f : files_) f->commit();
}

void write_file_atomically(const std::string& path, std::string_view content) {
  atomic_file f(path);
  f.write(content);
  f.commit();
}

void install_output_signal_handlers() {
  struct sigaction sa {};
  sa.sa_handler = remove_temps_and_exit;
  sigemptyset(&sa.sa_mask);
  for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGQUIT}) ::sigaction(sig, &sa, nullptr);
  std::signal(SIGXFSZ, SIG_IGN);
}

}  // namespace segmint::detail
