#pragma once
// Every file segmint reads is opened here: its kind is checked before it is opened (a named pipe with no
// writer would block forever; a folder, device or socket is refused with what it is), and it is remembered
// by (device, inode) so that no output is ever written over an input, whatever path names it (a link,
// "../", another spelling, a hard link).
#include <string>
#include <vector>

namespace segmint::detail {

/// Opens `path` read-only (O_CLOEXEC) after checking that it is a regular file; remembers it as an input.
/// Throws input_error naming the file and what it is otherwise.
int open_input_file(const std::string& path);

/// Throws input_error when `output_path` currently names one of the input files read so far.
void refuse_overwriting_input(const std::string& output_path);

/// Throws input_error when two of `paths` name the same file (by device and inode): read twice, every row
/// would count twice.
void refuse_repeated_files(const std::vector<std::string>& paths);

/// One command's inputs: the remembered files are forgotten when the outermost scope begins and ends, so a
/// program that runs several commands (the tests, a library user) never compares against an earlier
/// command's files (whose inode numbers the filesystem may since have reused).
class input_file_scope {
 public:
  input_file_scope();
  ~input_file_scope();
  input_file_scope(const input_file_scope&) = delete;
  input_file_scope& operator=(const input_file_scope&) = delete;
};

}  // namespace segmint::detail
