#include "input_files.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <mutex>
#include <vector>

#include "segmint/error.hpp"

namespace segmint::detail {
namespace {

struct identity {
  dev_t device;
  ino_t inode;
  std::string path;
};

std::mutex inputs_mutex;
std::vector<identity> inputs;
int scope_depth = 0;

std::string kind_of(mode_t mode) {
  if (S_ISFIFO(mode)) return "a named pipe (FIFO)";
  if (S_ISDIR(mode)) return "a folder";
  if (S_ISSOCK(mode)) return "a socket";
  if (S_ISCHR(mode) || S_ISBLK(mode)) return "a device";
  return "not a regular file";
}

[[noreturn]] void refuse_kind(const std::string& path, mode_t mode) {
  const std::string what = kind_of(mode);
  if (S_ISFIFO(mode) || S_ISCHR(mode) || S_ISSOCK(mode))
    throw input_error(path + ": is " + what + ", not a regular file; segmint reads files it can map: save the data "
                      "to a file first (e.g. cat " + path + " > table.csv)");
  throw input_error(path + ": is " + what + ", not a regular file");
}

}  // namespace

int open_input_file(const std::string& path) {
  struct stat st {};
  // stat before open: opening a FIFO for reading blocks until a writer appears.
  if (::stat(path.c_str(), &st) != 0) throw input_error(path + ": cannot open: " + std::strerror(errno));
  if (!S_ISREG(st.st_mode)) refuse_kind(path, st.st_mode);
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);  // never blocks, even if swapped since
  if (fd < 0) throw input_error(path + ": cannot open: " + std::strerror(errno));
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    refuse_kind(path, st.st_mode);
  }
  std::lock_guard lock(inputs_mutex);
  bool known = false;
  for (const identity& i : inputs) known = known || (i.device == st.st_dev && i.inode == st.st_ino);
  if (!known) inputs.push_back({st.st_dev, st.st_ino, path});
  return fd;
}

void refuse_overwriting_input(const std::string& output_path) {
  struct stat st {};
  if (::stat(output_path.c_str(), &st) != 0) return;  // nothing there yet (or unreachable: the write will say)
  std::lock_guard lock(inputs_mutex);
  // An input deleted since (its inode number free for reuse) is no longer one: forget it.
  std::erase_if(inputs, [](const identity& i) {
    struct stat now {};
    return ::stat(i.path.c_str(), &now) != 0 || now.st_dev != i.device || now.st_ino != i.inode;
  });
  for (const identity& i : inputs)
    if (i.device == st.st_dev && i.inode == st.st_ino)
      throw input_error(output_path + ": this output would overwrite the input file " + i.path +
                        "; choose another output path");
}

void refuse_repeated_files(const std::vector<std::string>& paths) {
  std::vector<std::pair<dev_t, ino_t>> seen;
  for (size_t i = 0; i < paths.size(); ++i) {
    struct stat st {};
    if (::stat(paths[i].c_str(), &st) != 0) continue;  // the open will say what is wrong
    for (size_t j = 0; j < seen.size(); ++j)
      if (seen[j] == std::pair{st.st_dev, st.st_ino})
        throw input_error(paths[i] + ": is the same file as " + paths[j] + " (given twice); every row would count twice");
    seen.emplace_back(st.st_dev, st.st_ino);
  }
}

input_file_scope::input_file_scope() {
  std::lock_guard lock(inputs_mutex);
  if (scope_depth++ == 0) inputs.clear();
}

input_file_scope::~input_file_scope() {
  std::lock_guard lock(inputs_mutex);
  if (--scope_depth == 0) inputs.clear();
}

}  // namespace segmint::detail
