#pragma once
// Entry point of the optional CUDA library (segmint_cuda). Programs linked with it call register_backend()
// once at start-up; the core library then offers the CUDA backend to contexts (--backend auto|cuda).

namespace segmint::cuda {

/// Registers the CUDA backend provider (device detection; the backend itself when available).
void register_backend();

}  // namespace segmint::cuda
