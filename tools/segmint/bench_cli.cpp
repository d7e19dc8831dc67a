// `segmint bench`. Each stage is one backend call (one full pass over the data, ending synchronised), timed
// on the host clock, the median of --repeat calls after one warm-up call. Limits: the CPU's memory-read
// bandwidth is measured here (an OpenMP sum over 256 MB); the GPU's bandwidth and FP32 rate come from the
// device properties (memory clock × bus width; SMs × clock × FP32 lanes), so they are datasheet-style peaks.
#include "bench_cli.hpp"

#include <omp.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <nlohmann/json.hpp>
#include <ostream>
#include <random>
#include <sstream>

#include "../../host/algo/backend.hpp"
#include "options.hpp"
#include "segmint/context.hpp"
#include "segmint/error.hpp"

namespace segmint::cli {
namespace {

struct limits {
  std::string device;
  double bandwidth = 0;  ///< bytes/s
  double flops = 0;      ///< FP32 FLOP/s, 0 = unknown
  std::string bandwidth_source;
};

struct row {
  std::string backend, device, stage;
  int64_t rows = 0, d = 0;
  int k = 0;
  double ms = 0, gbs = 0, bw_pct = 0, gflops = 0, flop_pct = 0;
  bool has_flop_pct = false;
};

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

template <typename F>
double time_ms(int repeat, F&& f) {
  f();  // warm-up: first-touch, module loading, pool growth
  std::vector<double> ms;
  for (int r = 0; r < repeat; ++r) {
    const auto t0 = std::chrono::steady_clock::now();
    f();
    ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
  }
  return median(ms);
}

/// Best of three parallel reads of 256 MB (the CPU's practical memory-read limit). Sixteen independent float
/// lanes per thread keep the loop vectorised and free of a serial add chain: a single double accumulator made
/// the probe compute-bound (about 5 GB/s here, so K-Means seemed to run at 130-190% of "bandwidth").
double cpu_read_bandwidth() {
  constexpr size_t lanes = 16;
  const size_t n = size_t{64} << 20;
  std::vector<float> a(n);
#pragma omp parallel for schedule(static)
  for (size_t i = 0; i < n; ++i) a[i] = static_cast<float>(i & 1023);
  double best = 0;
  for (int r = 0; r < 3; ++r) {
    const auto t0 = std::chrono::steady_clock::now();
    double s = 0;
#pragma omp parallel reduction(+ : s)
    {
      float acc[lanes] = {};
#pragma omp for schedule(static)
      for (size_t b = 0; b < n / lanes; ++b) {
        const float* p = a.data() + b * lanes;
#pragma omp simd
        for (size_t l = 0; l < lanes; ++l) acc[l] += p[l];
      }
      for (float v : acc) s += v;
    }
    const double sec = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (s < 0) return 0;  // keeps the sum alive
    best = std::max(best, static_cast<double>(n * sizeof(float)) / sec);
  }
  return best;
}

/// k separated groups in d features (deterministic), column-major.
matrix make_data(int64_t n, int64_t d, int k) {
  std::mt19937_64 gen(1);
  std::normal_distribution<float> noise(0.0f, 1.0f);
  matrix centres(k, d);
  for (int64_t j = 0; j < d; ++j)
    for (int c = 0; c < k; ++c) centres(c, j) = 4.0f * noise(gen);
  matrix x(n, d);
  for (int64_t j = 0; j < d; ++j)
    for (int64_t i = 0; i < n; ++i) x(i, j) = centres(i % k, j) + noise(gen);
  return x;
}

/// A full-covariance mixture with identity precisions at the given centres.
detail::gmm_estep_params unit_mixture(const matrix& centres) {
  detail::gmm_estep_params m;
  m.k = static_cast<int>(centres.rows());
  m.d = centres.cols();
  for (int64_t j = 0; j < m.d; ++j)
    for (int c = 0; c < m.k; ++c) m.means.push_back(centres(c, j));
  m.prec_chol.assign(static_cast<size_t>(m.k * m.d * m.d), 0.0);
  for (int c = 0; c < m.k; ++c)
    for (int64_t j = 0; j < m.d; ++j) m.prec_chol[static_cast<size_t>(c * m.d * m.d + j * m.d + j)] = 1.0;
  m.log_weights.assign(static_cast<size_t>(m.k), -std::log(static_cast<double>(m.k)));
  m.log_det.assign(static_cast<size_t>(m.k), 0.0);
  return m;
}

void run_stages(const bench_args& a, backend_choice which, const limits& lim, int64_t n, std::vector<row>& out) {
  context_options o{which, a.threads, 0};
  if (!a.max_device_memory.empty()) o.max_device_memory = parse_bytes(a.max_device_memory, "--max-device-memory");
  context ctx(o);
  const matrix x = make_data(n, a.d, a.k);
  ctx.load(x.view());
  auto& be = ctx.backend();
  matrix c(a.k, a.d);
  for (int ci = 0; ci < a.k; ++ci)
    for (int64_t j = 0; j < a.d; ++j) c(ci, j) = x((static_cast<int64_t>(ci) * 7919) % n, j);
  const double data_bytes = static_cast<double>(n * a.d) * sizeof(float);
  auto add = [&](const std::string& stage, int64_t rows, double ms, double bytes, double flops) {
    row r{ctx.backend_name(), ctx.device_description(), stage, rows, a.d, a.k, ms};
    r.gbs = bytes / (ms * 1e-3) / 1e9;
    r.bw_pct = lim.bandwidth > 0 ? 100.0 * bytes / (ms * 1e-3) / lim.bandwidth : 0;
    r.gflops = flops / (ms * 1e-3) / 1e9;
    r.has_flop_pct = lim.flops > 0;
    r.flop_pct = r.has_flop_pct ? 100.0 * flops / (ms * 1e-3) / lim.flops : 0;
    out.push_back(r);
  };
  const double nkd = static_cast<double>(n) * static_cast<double>(a.d) * a.k;
  add("lloyd_iteration", n, time_ms(a.repeat, [&] { be.assign(c.view()); }), data_bytes, 3.0 * nkd);
  add("column_moments", n, time_ms(a.repeat, [&] { be.column_moments(); }), 2 * data_bytes,
      static_cast<double>(n) * static_cast<double>(a.d) * static_cast<double>(a.d + 2));
  const detail::gmm_estep_params mix = unit_mixture(c);
  const detail::gmm_responsibilities resp{detail::gmm_responsibilities::kind::model, &mix, {}, 0};
  add("gmm_em_pass", n, time_ms(a.repeat, [&] { be.gmm_pass(resp, gmm::covariance_type::full, a.k); }), data_bytes,
      nkd * (2.5 * static_cast<double>(a.d) + 4.0));
  const int64_t m = std::min(n, a.silhouette_rows);
  std::vector<int64_t> sample(static_cast<size_t>(m));
  for (int64_t i = 0; i < m; ++i) sample[static_cast<size_t>(i)] = i;
  std::vector<std::vector<int32_t>> labels(1, std::vector<int32_t>(static_cast<size_t>(m)));
  for (int64_t i = 0; i < m; ++i) labels[0][static_cast<size_t>(i)] = static_cast<int32_t>(i % a.k);
  add("silhouette_exact", m, time_ms(std::max(1, a.repeat / 2), [&] { be.silhouette(sample, labels); }),
      static_cast<double>(m * a.d) * sizeof(float), 3.0 * static_cast<double>(m) * static_cast<double>(m) * static_cast<double>(a.d));
  ctx.unload();
}

std::string fmt(double v, int digits) {
  std::ostringstream s;
  s.setf(std::ios::fixed);
  s.precision(digits);
  s << v;
  return s.str();
}

void print(const bench_args& a, const std::vector<row>& rows, const std::vector<limits>& lims, const std::string& note,
           std::ostream& out) {
  if (a.format == "json") {
    nlohmann::json j;
    j["rows"] = nlohmann::json::array();
    for (const auto& r : rows)
      j["rows"].push_back({{"backend", r.backend}, {"device", r.device}, {"stage", r.stage}, {"rows", r.rows},
                           {"d", r.d}, {"k", r.k}, {"ms", r.ms}, {"gb_per_s", r.gbs}, {"pct_bandwidth", r.bw_pct},
                           {"gflop_per_s", r.gflops},
                           {"pct_fp32_peak", r.has_flop_pct ? nlohmann::json(r.flop_pct) : nlohmann::json(nullptr)}});
    j["limits"] = nlohmann::json::array();
    for (const auto& l : lims)
      j["limits"].push_back({{"device", l.device}, {"bandwidth_gb_per_s", l.bandwidth / 1e9},
                             {"bandwidth_source", l.bandwidth_source}, {"fp32_tflop_per_s", l.flops / 1e12}});
    j["note"] = note;
    out << j.dump(2) << "\n";
    return;
  }
  const bool csv = a.format == "csv";
  const char* head = csv ? "backend,stage,rows,d,k,ms,gb_per_s,pct_bandwidth,gflop_per_s,pct_fp32_peak\n"
                         : "| backend | stage | rows | d | k | ms | GB/s | % of bandwidth | GFLOP/s | % of FP32 peak |\n"
                           "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|\n";
  out << head;
  for (const auto& r : rows) {
    const std::vector<std::string> cells{r.backend, r.stage, std::to_string(r.rows), std::to_string(r.d),
                                         std::to_string(r.k), fmt(r.ms, 3), fmt(r.gbs, 1), fmt(r.bw_pct, 1),
                                         fmt(r.gflops, 1), r.has_flop_pct ? fmt(r.flop_pct, 1) : "-"};
    for (size_t i = 0; i < cells.size(); ++i) out << (csv ? (i ? "," : "") : "| ") << cells[i] << (csv ? "" : " ");
    out << (csv ? "\n" : "|\n");
  }
  if (csv) return;
  out << "\n";
  for (const auto& l : lims)
    out << "- " << l.device << ": bandwidth " << fmt(l.bandwidth / 1e9, 1) << " GB/s (" << l.bandwidth_source << ")"
        << (l.flops > 0 ? ", FP32 peak " + fmt(l.flops / 1e12, 1) + " TFLOP/s (device properties)" : std::string()) << "\n";
  out << "- " << note << "\n";
}

std::vector<int64_t> parse_sizes(const std::string& text) {
  std::vector<int64_t> sizes;
  for (const auto& s : split_list(text)) {
    const int64_t v = parse_bytes(s, "--sizes");  // a positive whole number (K/M suffixes allowed)
    sizes.push_back(v);
  }
  if (sizes.empty()) throw input_error("--sizes: give at least one row count");
  return sizes;
}

}  // namespace

CLI::App* add_bench_command(CLI::App& app, bench_args& a) {
  auto* cmd = app.add_subcommand("bench", "CPU vs GPU throughput of the backend passes for a size sweep");
  cmd->add_option("--sizes", a.sizes, "Rows per run, comma-separated (K/M suffixes: 1M = 1,048,576)")->capture_default_str();
  cmd->add_option("--d", a.d, "Features")->check(CLI::PositiveNumber)->capture_default_str();
  cmd->add_option("--k", a.k, "Clusters / mixture components")->check(CLI::PositiveNumber)->capture_default_str();
  cmd->add_option("--repeat", a.repeat, "Timed calls per stage (median reported)")->check(CLI::PositiveNumber)->capture_default_str();
  cmd->add_option("--silhouette-rows", a.silhouette_rows, "Rows of the exact silhouette stage (cost grows as rows²)")
      ->check(CLI::PositiveNumber)->capture_default_str();
  cmd->add_option("--format", a.format, "md, csv or json")->check(CLI::IsMember({"md", "csv", "json"}))->capture_default_str();
  cmd->add_option("--backend", a.backend, "all, cpu or cuda")->check(CLI::IsMember({"all", "cpu", "cuda"}))->capture_default_str();
  cmd->add_option("--threads", a.threads, "CPU threads (0 = all cores)")->check(CLI::NonNegativeNumber);
  cmd->add_option("--max-device-memory", a.max_device_memory, "CUDA: device-memory budget (e.g. 1G forces streaming)");
  return cmd;
}

int command_bench(const bench_args& a, std::ostream& out, std::ostream& err) {
  if (a.threads > 0) omp_set_num_threads(a.threads);
  const std::vector<int64_t> sizes = parse_sizes(a.sizes);
  for (int64_t n : sizes)
    if (n < a.k) throw input_error("--sizes: every size must be at least k = " + std::to_string(a.k));
  const build_info info = describe_build();
  const bool gpu = info.cuda_compiled && !info.devices.empty();
  std::vector<row> rows;
  std::vector<limits> lims;
  std::string note;
  if (a.backend != "cuda") {
    err << "segmint: bench: measuring the CPU's memory-read bandwidth\n";
    lims.push_back({"CPU (" + std::to_string(omp_get_max_threads()) + " threads)", cpu_read_bandwidth(), 0,
                    "measured: parallel read of 256 MB"});
    for (int64_t n : sizes) {
      err << "segmint: bench: cpu, " << n << " rows\n";
      run_stages(a, backend_choice::cpu, lims.back(), n, rows);
    }
  }
  if (gpu && a.backend != "cpu") {
    const auto& dev = info.devices.front();
    lims.push_back({dev.name, dev.memory_bandwidth, dev.fp32_flops, "device properties: memory clock × bus width"});
    for (int64_t n : sizes) {
      err << "segmint: bench: cuda, " << n << " rows\n";
      run_stages(a, backend_choice::cuda, lims.back(), n, rows);
    }
    note = "GPU figures are host-timed backend calls (each ends with its one synchronisation).";
  } else if (!gpu) {
    note = "GPU: not measured (" + (info.cuda_compiled ? "no usable CUDA device: " + info.cuda_status
                                                         : std::string("this segmint was built without the CUDA backend")) + ")";
    if (a.backend == "cuda") throw backend_unavailable_error("segmint bench --backend cuda: " + note);
  }
  print(a, rows, lims, note, out);
  return 0;
}

}  // namespace segmint::cli
