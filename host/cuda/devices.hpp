#pragma once
#include <string>
#include <vector>

#include "segmint/context.hpp"

namespace segmint::cuda::detail {

/// Visible devices (compute capability ≥ 7.0). No device, no driver or a too-old driver are normal
/// situations: the list is then empty and `status` says why.
std::vector<device_info> list_devices(std::string& status);

}  // namespace segmint::cuda::detail
