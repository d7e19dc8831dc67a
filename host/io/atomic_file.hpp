#pragma once
// Output files appear complete or not at all: each is written to a temporary file in the same folder and
// renamed into place. A set of outputs is renamed together at the end of a run, so an error or a signal
// midway leaves no partial set. Temporary files are registered for removal on SIGINT/SIGTERM/SIGHUP/SIGQUIT.
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace segmint::detail {

class atomic_file {
 public:
  /// Creates "<path>.segmint-tmp-<16 random hex digits>" exclusively, never through a link; throws
  /// input_error naming the file when it cannot, or when `path` is one of the input files.
  explicit atomic_file(std::string path);
  /// Appends to another atomic_file's temporary file (`temp_path()` of a finished one): for several
  /// processes writing one output in turn. Never renames or removes it; its owner does.
  struct append_tag {};
  atomic_file(append_tag, const std::string& temp_path);
  ~atomic_file();  // removes the temporary file unless committed
  atomic_file(const atomic_file&) = delete;
  atomic_file& operator=(const atomic_file&) = delete;

  void write(std::string_view bytes);
  atomic_file& operator<<(std::string_view bytes) {
    write(bytes);
    return *this;
  }
  /// Flushes, fsyncs and closes the temporary file (errors such as a full disk are thrown here or in write).
  void finish();
  /// finish() if needed, then renames the temporary file onto the final path.
  void commit();
  [[nodiscard]] const std::string& path() const { return path_; }
  [[nodiscard]] const std::string& temp_path() const { return temp_; }

 private:
  void flush();
  std::string path_;
  std::string temp_;
  std::string buffer_;
  int fd_ = -1;
  int slot_ = -1;
  bool committed_ = false;
  bool appending_ = false;
};

/// A set of output files committed together.
class output_set {
 public:
  /// Creates `dir` (and parents) if needed; throws input_error when it cannot.
  explicit output_set(std::string dir);
  atomic_file& open(const std::string& name);
  void commit_all();
  [[nodiscard]] const std::string& dir() const { return dir_; }

 private:
  std::string dir_;
  std::vector<std::unique_ptr<atomic_file>> files_;
};

/// Writes `content` to `path` atomically.
void write_file_atomically(const std::string& path, std::string_view content);

/// Installs SIGINT/SIGTERM/SIGHUP/SIGQUIT handlers that remove registered temporary files and exit with 128+signal,
/// and ignores SIGXFSZ so that a file-size limit surfaces as a write error instead of killing the process.
void install_output_signal_handlers();

}  // namespace segmint::detail
