#pragma once
// Read-only memory map of a whole file (RAII). Empty files map to an empty span.
#include <string>
#include <string_view>

namespace segmint::detail {

class mapped_file {
 public:
  /// Maps `path`; throws input_error naming the file when it cannot be opened. `populate` maps every page
  /// up front (one serial pass in the kernel); without it pages fault in as the (parallel) parse reads them.
  explicit mapped_file(const std::string& path, bool populate = true);
  ~mapped_file();
  mapped_file(const mapped_file&) = delete;
  mapped_file& operator=(const mapped_file&) = delete;

  [[nodiscard]] std::string_view bytes() const { return {data_, size_}; }

 private:
  const char* data_ = nullptr;
  size_t size_ = 0;
};

}  // namespace segmint::detail
