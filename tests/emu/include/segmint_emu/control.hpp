#pragma once
// For the emulator's own self-tests: change the run order and the stream mode inside a test (the
// environment sets them for whole runs).
namespace segmint_emu {
enum class order;
/// 0 forward, 1 reverse, 2 random.
void set_run_order(int order_code);
void set_lazy_streams(bool lazy);
/// Whether this build runs under ThreadSanitizer / AddressSanitizer (the self-tests expect their reports).
bool built_with_tsan();
bool built_with_asan();
}  // namespace segmint_emu
