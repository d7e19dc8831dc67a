// Streams as queues. Lazy by default: enqueued work runs only when the program forces it (a stream or event
// synchronisation, a copy into pageable memory, a free), so a missing event dependency or a pinned buffer
// reused before its copy ran gives wrong results instead of passing by luck. An event wait is an entry in
// the waiting stream's queue that, when reached, first runs the other stream up to the recorded point.
// SEGMINT_EMU_STREAMS=eager runs each entry at once. The legacy default stream synchronises with blocking
// streams, as CUDA's does.
#include <algorithm>
#include <chrono>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <vector>

#include "internal.hpp"

namespace segmint_emu {

struct stream_state {
  struct entry {
    std::string what;
    std::function<void()> op;
  };
  std::deque<entry> queue;
  uint64_t enqueued = 0;
  uint64_t executed = 0;
  bool blocking = true;  ///< synchronises with the legacy stream
  bool running = false;
  uint64_t serial = 0;  ///< creation order: streams are visited in it, never in address order (which varies)
};

struct event_state {
  struct mark {
    std::chrono::steady_clock::time_point when{};
    bool reached = false;
  };
  std::shared_ptr<stream_state> stream;
  uint64_t position = 0;
  std::shared_ptr<mark> last;
  bool timing = true;
};

namespace {

std::recursive_mutex queue_mutex;
std::map<stream_state*, std::shared_ptr<stream_state>> streams;
std::map<event_state*, std::unique_ptr<event_state>> events;
std::shared_ptr<stream_state> legacy = std::make_shared<stream_state>();
uint64_t streams_created = 0;

/// The live streams in creation order, so that the emulator runs the same work in the same order every run.
std::vector<std::shared_ptr<stream_state>> in_creation_order() {
  std::vector<std::shared_ptr<stream_state>> out;
  out.reserve(streams.size());
  for (const auto& [raw, st] : streams) out.push_back(st);
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a->serial < b->serial; });
  return out;
}

std::shared_ptr<stream_state> resolve(cudaStream_t s) {
  if (s == nullptr) return legacy;
  const auto it = streams.find(s);
  return it == streams.end() ? nullptr : it->second;
}

void run_until(const std::shared_ptr<stream_state>& s, uint64_t position) {
  if (s->executed >= position) return;
  if (s->running) fail("a stream waits for work queued after the wait on the same stream (an event cycle)");
  s->running = true;
  while (s->executed < position) {
    stream_state::entry e = std::move(s->queue.front());
    s->queue.pop_front();
    ++s->executed;
    e.op();
  }
  s->running = false;
}

/// Entry that makes `s` wait for what `other` has queued so far.
void add_wait(stream_state& s, const std::shared_ptr<stream_state>& other) {
  if (other->executed >= other->enqueued) return;
  const uint64_t pos = other->enqueued;
  s.queue.push_back({"implicit legacy-stream synchronisation", [other, pos] { run_until(other, pos); }});
  ++s.enqueued;
}

void push(const std::shared_ptr<stream_state>& s, std::string what, std::function<void()> op) {
  if (s == legacy) {
    for (const auto& other : in_creation_order())
      if (other->blocking) add_wait(*s, other);
  } else if (s->blocking) {
    add_wait(*s, legacy);
  }
  s->queue.push_back({std::move(what), std::move(op)});
  ++s->enqueued;
  if (!config().lazy_streams) run_until(s, s->enqueued);
}

}  // namespace

bool valid_stream(cudaStream_t s) {
  std::lock_guard lock(queue_mutex);
  return resolve(s) != nullptr;
}

void enqueue(cudaStream_t s, std::string what, std::function<void()> op) {
  std::lock_guard lock(queue_mutex);
  const auto st = resolve(s);
  if (st == nullptr) fail(what + ": invalid stream");
  push(st, std::move(what), std::move(op));
}

void drain(cudaStream_t s) {
  std::lock_guard lock(queue_mutex);
  if (const auto st = resolve(s)) run_until(st, st->enqueued);
}

void drain_all() {
  std::lock_guard lock(queue_mutex);
  run_until(legacy, legacy->enqueued);
  for (bool again = true; again;) {  // a stream's work may enqueue nothing, but waits may span streams
    again = false;
    for (const auto& st : in_creation_order()) {
      if (st->executed < st->enqueued) {
        run_until(st, st->enqueued);
        again = true;
      }
    }
  }
}

}  // namespace segmint_emu

using namespace segmint_emu;

cudaError_t cudaStreamCreateWithFlags(cudaStream_t* s, unsigned flags) {
  if (s == nullptr) return set_error(cudaErrorInvalidValue);
  if (config().no_device) return set_error(cudaErrorNoDevice);
  std::lock_guard lock(queue_mutex);
  auto st = std::make_shared<stream_state>();
  st->blocking = (flags & cudaStreamNonBlocking) == 0;
  st->serial = ++streams_created;
  *s = st.get();
  streams[st.get()] = std::move(st);
  return cudaSuccess;
}

cudaError_t cudaStreamCreate(cudaStream_t* s) { return cudaStreamCreateWithFlags(s, cudaStreamDefault); }

cudaError_t cudaStreamDestroy(cudaStream_t s) {
  std::lock_guard lock(queue_mutex);
  const auto it = streams.find(s);
  if (s == nullptr || it == streams.end()) return set_error(cudaErrorInvalidResourceHandle);
  run_until(it->second, it->second->enqueued);  // queued work still completes, as on a device
  streams.erase(it);
  return cudaSuccess;
}

cudaError_t cudaStreamSynchronize(cudaStream_t s) {
  std::lock_guard lock(queue_mutex);
  const auto st = resolve(s);
  if (st == nullptr) return set_error(cudaErrorInvalidResourceHandle);
  run_until(st, st->enqueued);
  return cudaSuccess;
}

cudaError_t cudaEventCreateWithFlags(cudaEvent_t* e, unsigned flags) {
  if (e == nullptr) return set_error(cudaErrorInvalidValue);
  std::lock_guard lock(queue_mutex);
  auto ev = std::make_unique<event_state>();
  ev->timing = (flags & cudaEventDisableTiming) == 0;
  *e = ev.get();
  events[ev.get()] = std::move(ev);
  return cudaSuccess;
}

cudaError_t cudaEventCreate(cudaEvent_t* e) { return cudaEventCreateWithFlags(e, cudaEventDefault); }

cudaError_t cudaEventDestroy(cudaEvent_t e) {
  std::lock_guard lock(queue_mutex);
  if (events.erase(e) == 0) return set_error(cudaErrorInvalidResourceHandle);
  return cudaSuccess;
}

cudaError_t cudaEventRecord(cudaEvent_t e, cudaStream_t s) {
  std::lock_guard lock(queue_mutex);
  const auto st = resolve(s);
  if (st == nullptr || events.count(e) == 0) return set_error(cudaErrorInvalidResourceHandle);
  auto m = std::make_shared<event_state::mark>();
  push(st, "cudaEventRecord", [m] {
    m->when = std::chrono::steady_clock::now();
    m->reached = true;
  });
  e->stream = st;
  e->position = st->enqueued;
  e->last = std::move(m);
  return cudaSuccess;
}

cudaError_t cudaStreamWaitEvent(cudaStream_t s, cudaEvent_t e, unsigned) {
  std::lock_guard lock(queue_mutex);
  const auto st = resolve(s);
  if (st == nullptr || events.count(e) == 0) return set_error(cudaErrorInvalidResourceHandle);
  if (e->stream == nullptr) return cudaSuccess;  // never recorded: nothing to wait for
  const auto other = e->stream;
  const uint64_t pos = e->position;
  push(st, "cudaStreamWaitEvent", [other, pos] { run_until(other, pos); });
  return cudaSuccess;
}

cudaError_t cudaEventSynchronize(cudaEvent_t e) {
  std::lock_guard lock(queue_mutex);
  if (events.count(e) == 0) return set_error(cudaErrorInvalidResourceHandle);
  if (e->stream != nullptr) run_until(e->stream, e->position);
  return cudaSuccess;
}

cudaError_t cudaEventQuery(cudaEvent_t e) { return cudaEventSynchronize(e); }  // polling must make progress

cudaError_t cudaEventElapsedTime(float* ms, cudaEvent_t start, cudaEvent_t end) {
  std::lock_guard lock(queue_mutex);
  if (ms == nullptr || events.count(start) == 0 || events.count(end) == 0) return set_error(cudaErrorInvalidValue);
  if (!start->timing || !end->timing || start->last == nullptr || end->last == nullptr)
    return set_error(cudaErrorInvalidResourceHandle);
  if (!start->last->reached || !end->last->reached) return set_error(cudaErrorNotReady);
  *ms = std::chrono::duration<float, std::milli>(end->last->when - start->last->when).count();
  return cudaSuccess;
}
