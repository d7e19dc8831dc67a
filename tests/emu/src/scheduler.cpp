// Kernel launches: every block of the grid in the configured order (forward, reverse or seeded random),
// every thread of a block as a fiber that runs until it reaches a barrier, a warp collective or its end.
// Barriers and collectives are checked: all threads must wait at the same __syncthreads; the lanes of a
// collective must all be alive, in the mask, and call the same collective; anything else aborts with the
// kernel, block, threads and source lines of every party.
#include <algorithm>
#include <atomic>
#include <cstring>
#include <map>
#include <random>

#include "block.hpp"
#include "fiber.hpp"

namespace segmint_emu {


namespace {

thread_local block_run* tls_block = nullptr;
thread_local int tls_thread = -1;
std::atomic<uint64_t> launch_counter{0};

std::string site_text(const site& s) {
  return where_text(s) + " (" + s.function_name() + ")";
}

/// "0-31, 64" for a sorted list of thread numbers.
std::string ranges(const std::vector<int>& v) {
  std::string out;
  for (size_t i = 0; i < v.size();) {
    size_t j = i;
    while (j + 1 < v.size() && v[j + 1] == v[j] + 1) ++j;
    if (!out.empty()) out += ", ";
    out += std::to_string(v[i]);
    if (j > i) out += "-" + std::to_string(v[j]);
    i = j + 1;
  }
  return out;
}

const char* collective_name(collective c) {
  switch (c) {
    case collective::ballot: return "__ballot_sync";
    case collective::any: return "__any_sync";
    case collective::all: return "__all_sync";
    case collective::shfl: return "__shfl_sync";
    case collective::shfl_up: return "__shfl_up_sync";
    case collective::shfl_down: return "__shfl_down_sync";
    case collective::shfl_xor: return "__shfl_xor_sync";
    case collective::syncwarp: return "__syncwarp";
  }
  return "a collective";
}

std::string mask_text(unsigned m) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%08x", m);
  return buf;
}

std::vector<int> visit_order(int n, uint64_t salt) {
  std::vector<int> v(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) v[static_cast<size_t>(i)] = i;
  if (config().run_order == order::reverse) std::reverse(v.begin(), v.end());
  if (config().run_order == order::random) {
    std::mt19937_64 gen(config().seed * 0x9E3779B97F4A7C15ull + salt);
    std::shuffle(v.begin(), v.end(), gen);
  }
  return v;
}

gpu_thread& me() {
  if (tls_block == nullptr || tls_thread < 0) fail("a device function was called outside a kernel");
  return tls_block->threads[static_cast<size_t>(tls_thread)];
}

/// Groups of waiting threads by what and where they wait, for the diagnostics.
std::string parties(const block_run& b) {
  std::map<std::string, std::vector<int>> groups;
  for (const gpu_thread& t : b.threads) {
    std::string what;
    switch (t.state) {
      case thread_state::barrier: what = "wait at __syncthreads, " + site_text(t.where); break;
      case thread_state::collective:
        what = "wait in " + std::string(collective_name(t.kind)) + "(mask " + mask_text(t.mask) + "), " + site_text(t.where);
        break;
      case thread_state::exited: what = "have exited"; break;
      case thread_state::ready: what = "are ready"; break;
    }
    groups[what].push_back(t.linear);
  }
  std::string out;
  for (const auto& [what, ids] : groups) out += "\n  threads " + ranges(ids) + " " + what;
  return out;
}

/// Called when no thread can run: releases a barrier that every thread reached at the same place, or aborts.
void resolve(block_run& b) {
  const gpu_thread* first = nullptr;
  bool all_barrier = true;
  bool same = true;
  for (const gpu_thread& t : b.threads) {
    if (t.state == thread_state::exited) continue;
    if (t.state != thread_state::barrier) all_barrier = false;
    else if (first == nullptr) first = &t;
    else if (!same_site(first->where, t.where)) same = false;
  }
  if (!all_barrier) fail(b.where() + ": deadlock: no thread can continue" + parties(b));
  if (b.exited > 0) fail(b.where() + ": a __syncthreads that some threads never reach (they have exited)" + parties(b));
  if (!same) fail(b.where() + ": threads wait at different __syncthreads" + parties(b));
  ++b.barrier_generation;
  for (gpu_thread& t : b.threads) t.state = thread_state::ready;
}

/// A lane of the warp finished: no lane may still wait for it in a collective.
void check_exit(block_run& b, const gpu_thread& gone) {
  const int warp = gone.linear / 32;
  const int lane = gone.linear % 32;
  for (const gpu_thread& t : b.threads) {
    if (t.linear / 32 == warp && t.state == thread_state::collective && ((t.mask >> lane) & 1u) != 0)
      fail(b.where() + ": lane " + std::to_string(lane) + " (" + b.thread_name(gone.linear) + ") exited while lane " +
           std::to_string(t.linear % 32) + " waits for it in " + collective_name(t.kind) + "(mask " + mask_text(t.mask) +
           ") at " + site_text(t.where));
  }
}

char grid_done;  // ThreadSanitizer: every thread releases here as it ends; the host acquires after the grid

void thread_main(void* arg) {
  auto* b = static_cast<block_run*>(arg);
  (*b->body)();
  me().state = thread_state::exited;
  tsan_release(&grid_done);
}

void run_block(block_run& b, uint64_t salt, std::vector<shared_region>& deferred) {
  const int n = static_cast<int>(b.threads.size());
  b.shared.push_back({{}, allocate_shared(b.dynamic_bytes), b.dynamic_bytes, true});
  fiber_pool& pool = fiber_pool::here();
  for (int i = 0; i < n; ++i) pool.start(static_cast<size_t>(i), &thread_main, &b);
  tls_block = &b;
  for (uint64_t pass = 0;; ++pass) {
    bool ran = false;
    for (int i : visit_order(n, salt * 1315423911u + pass)) {
      gpu_thread& t = b.threads[static_cast<size_t>(i)];
      if (t.state != thread_state::ready) continue;
      tls_thread = i;
      pool.resume(static_cast<size_t>(i));
      tls_thread = -1;
      if (t.state == thread_state::exited) {
        ++b.exited;
        check_exit(b, t);
      }
      ran = true;
    }
    if (ran) continue;
    if (b.exited == n) break;
    resolve(b);
  }
  tls_block = nullptr;
#if SEGMINT_EMU_TSAN
  // Freed after the grid, once the host has acquired every thread's end: freeing it now would race with
  // the threads' accesses in ThreadSanitizer's eyes (the scheduler does not synchronise with them per block).
  deferred.insert(deferred.end(), b.shared.begin(), b.shared.end());
  b.shared.clear();
#else
  (void)deferred;
  for (const shared_region& r : b.shared) release_shared(b, r);
#endif
}

void run_grid(const kernel_site& k, const launch_config& cfg, const std::function<void()>& body) {
  const uint64_t launch = launch_counter.fetch_add(1);
  const uint64_t blocks = uint64_t{cfg.grid.x} * cfg.grid.y * cfg.grid.z;
  const int nthreads = static_cast<int>(cfg.block.x * cfg.block.y * cfg.block.z);
  std::vector<int> block_order;
  if (blocks > static_cast<uint64_t>(INT32_MAX)) fail("grids above 2^31 blocks are not emulated");
  block_order = visit_order(static_cast<int>(blocks), launch);
  std::vector<shared_region> deferred;
  block_run last;
  for (int lb : block_order) {
    block_run b;
    b.kernel = &k;
    b.body = &body;
    b.grid = cfg.grid;
    b.dim = cfg.block;
    const auto ub = static_cast<unsigned>(lb);
    b.index = {ub % cfg.grid.x, (ub / cfg.grid.x) % cfg.grid.y, ub / (cfg.grid.x * cfg.grid.y)};
    b.threads.resize(static_cast<size_t>(nthreads));
    for (int i = 0; i < nthreads; ++i) {
      gpu_thread& t = b.threads[static_cast<size_t>(i)];
      const auto ui = static_cast<unsigned>(i);
      t.linear = i;
      t.idx = {ui % cfg.block.x, (ui / cfg.block.x) % cfg.block.y, ui / (cfg.block.x * cfg.block.y)};
    }
    b.warp_generation.assign(static_cast<size_t>((nthreads + 31) / 32), 0);
    b.warp_sync.assign(2 * b.warp_generation.size(), 0);
    b.dynamic_bytes = cfg.shared;
    run_block(b, launch * 0x100000001b3ull + static_cast<uint64_t>(lb), deferred);
    last.kernel = b.kernel;
    last.index = b.index;
  }
  tsan_acquire(&grid_done);
  for (const shared_region& r : deferred) release_shared(last, r);
}

cudaError_t validate(const kernel_site& k, const launch_config& c) {
  const uint64_t threads = uint64_t{c.block.x} * c.block.y * c.block.z;
  if (c.grid.x == 0 || c.grid.y == 0 || c.grid.z == 0 || threads == 0 || threads > 1024 || c.block.z > 64 ||
      c.grid.y > 65535 || c.grid.z > 65535 || c.grid.x > 2147483647u)
    return cudaErrorInvalidConfiguration;
  if (c.shared > static_cast<size_t>(max_dynamic_shared(k.entry))) return cudaErrorInvalidValue;
  if (!valid_stream(c.stream)) return cudaErrorInvalidResourceHandle;
  return cudaSuccess;
}

}  // namespace

block_run* running_block() { return tls_block; }

std::string block_run::where() const {
  return "kernel `" + std::string(kernel->name) + "` (launched at " + kernel->file + ":" + std::to_string(kernel->line) +
         "), block (" + std::to_string(index.x) + "," + std::to_string(index.y) + "," + std::to_string(index.z) + ")";
}

std::string block_run::thread_name(int linear) const {
  const gpu_thread& t = threads[static_cast<size_t>(linear)];
  return "thread (" + std::to_string(t.idx.x) + "," + std::to_string(t.idx.y) + "," + std::to_string(t.idx.z) + ")";
}

uint3 thread_index() { return me().idx; }
uint3 block_index() { return me(), tls_block->index; }
dim3 block_dim() { return me(), tls_block->dim; }
dim3 grid_dim() { return me(), tls_block->grid; }

void syncthreads(site where) {
  gpu_thread& t = me();
  block_run& b = *tls_block;
  const uint64_t gen = b.barrier_generation;
  tsan_release(&b.barrier_sync[gen % 2]);
  t.state = thread_state::barrier;
  t.where = where;
  t.generation = gen;
  fiber_pool::here().suspend(false);
  tsan_acquire(&b.barrier_sync[gen % 2]);
}

uint64_t warp_collective(collective kind, unsigned mask, uint64_t value, int arg, int width, site where) {
  gpu_thread& t = me();
  block_run& b = *tls_block;
  const int warp = t.linear / 32;
  const int lane = t.linear % 32;
  const int lanes = std::min(32, static_cast<int>(b.threads.size()) - warp * 32);
  const std::string call = std::string(collective_name(kind)) + "(mask " + mask_text(mask) + ") at " + site_text(where);
  if (((mask >> lane) & 1u) == 0)
    fail(b.where() + ": lane " + std::to_string(lane) + " (" + b.thread_name(t.linear) + ") calls " + call +
         " with a mask that does not name it");
  if (lanes < 32 && (mask >> lanes) != 0)
    fail(b.where() + ": " + call + " names lanes beyond the " + std::to_string(lanes) + " threads of warp " + std::to_string(warp));
  if (width <= 0 || width > 32 || (width & (width - 1)) != 0) fail(b.where() + ": " + call + ": width must be a power of two ≤ 32");
  auto lane_thread = [&](int l) -> gpu_thread& { return b.threads[static_cast<size_t>(warp * 32 + l)]; };
  for (int l = 0; l < 32; ++l)
    if (((mask >> l) & 1u) != 0 && lane_thread(l).state == thread_state::exited)
      fail(b.where() + ": lane " + std::to_string(lane) + " calls " + call + " but lane " + std::to_string(l) +
           " named in the mask has exited");
  const uint64_t gen = b.warp_generation[static_cast<size_t>(warp)];
  void* sync = &b.warp_sync[2 * static_cast<size_t>(warp) + gen % 2];
  tsan_release(sync);
  t.state = thread_state::collective;
  t.kind = kind;
  t.mask = mask;
  t.value = value;
  t.arg = arg;
  t.width = width;
  t.where = where;
  bool complete = true;
  for (int l = 0; l < 32 && complete; ++l)
    if (((mask >> l) & 1u) != 0 && lane_thread(l).state != thread_state::collective) complete = false;
  if (!complete) {
    fiber_pool::here().suspend(false);
    tsan_acquire(sync);
    return t.result;
  }
  uint64_t ballot = 0;
  for (int l = 0; l < 32; ++l) {
    if (((mask >> l) & 1u) == 0) continue;
    const gpu_thread& o = lane_thread(l);
    if (o.kind != kind || o.mask != mask)
      fail(b.where() + ": mismatched warp collectives: lane " + std::to_string(lane) + " calls " + call + ", lane " +
           std::to_string(l) + " calls " + collective_name(o.kind) + "(mask " + mask_text(o.mask) + ") at " + site_text(o.where));
    if (o.value != 0) ballot |= uint64_t{1} << l;
  }
  for (int l = 0; l < 32; ++l) {
    if (((mask >> l) & 1u) == 0) continue;
    gpu_thread& o = lane_thread(l);
    const int base = l & ~(o.width - 1);
    int src = l;
    switch (kind) {
      case collective::ballot: o.result = ballot; break;
      case collective::any: o.result = ballot != 0; break;
      case collective::all: o.result = ballot == mask; break;
      case collective::syncwarp: o.result = 0; break;
      case collective::shfl: src = base + (o.arg & (o.width - 1)); break;
      case collective::shfl_up: src = (l - base) >= o.arg ? l - o.arg : l; break;
      case collective::shfl_down: src = (l - base) + o.arg < o.width ? l + o.arg : l; break;
      case collective::shfl_xor: src = ((l ^ o.arg) & ~(o.width - 1)) == base ? (l ^ o.arg) : l; break;
    }
    if (kind == collective::shfl || kind == collective::shfl_up || kind == collective::shfl_down ||
        kind == collective::shfl_xor) {
      if (src < 0 || src >= 32 || ((mask >> src) & 1u) == 0)
        fail(b.where() + ": lane " + std::to_string(l) + " reads lane " + std::to_string(src) + " outside the mask in " + call);
      o.result = lane_thread(src).value;
    }
    o.state = thread_state::ready;
  }
  ++b.warp_generation[static_cast<size_t>(warp)];
  tsan_acquire(sync);
  return t.result;
}

void launch_kernel(const kernel_site& k, const launch_config& cfg, std::function<void()> body) {
  if (const cudaError_t e = validate(k, cfg); e != cudaSuccess) {
    set_error(e);
    return;
  }
  const std::string what = "kernel `" + std::string(k.name) + "` launched at " + k.file + ":" + std::to_string(k.line);
  enqueue(cfg.stream, what, [k, cfg, body = std::move(body)] { run_grid(k, cfg, body); });
}

}  // namespace segmint_emu
