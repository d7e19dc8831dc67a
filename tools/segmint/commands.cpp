#include "commands.hpp"

#include <cmath>
#include <cstdio>
#include <ostream>

#include "segmint/context.hpp"
#include "transactions_cli.hpp"

namespace segmint::cli {
namespace {

std::string fixed(double v, int digits) {
  if (std::isnan(v)) return "-";
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

std::string pad(const std::string& s, size_t width, bool right = true) {
  if (s.size() >= width) return s;
  return right ? std::string(width - s.size(), ' ') + s : s + std::string(width - s.size(), ' ');
}

/// run --value: the model, then per segment P(alive), expected purchases and mean CLV.
void print_value(const value_outcome& v, std::ostream& out) {
  out << "\nCustomer value (" << v.model.name() << ", next " << fixed(v.horizon, 0) << " days";
  if (v.holdout)
    out << "; holdout " << v.holdout->calibration_end << " → " << v.holdout->holdout_end << ": expected " << fixed(v.holdout->expected_total, 1)
        << " repeat purchases, actual " << fixed(v.holdout->actual_total, 0);
  out << ")\n  segment  mean P(alive)  expected purchases" << (v.gamma_gamma ? "  mean CLV [95% interval]" : "") << "\n";
  for (const auto& s : v.segments) {
    out << pad(std::to_string(s.segment), 9) << pad(fixed(s.mean_p_alive, 2), 15) << pad(fixed(s.expected_purchases, 1), 20);
    if (s.with_spend) out << "  " << fixed(s.mean_clv, 2) << " [" << fixed(s.mean_clv_low, 2) << ", " << fixed(s.mean_clv_high, 2) << "]";
    out << "\n";
  }
}

void print_summary(const run_outcome& r, std::ostream& out) {
  const auto& sel = r.seg;
  out << "segmint: " << r.table.ledger.used << " customers → " << sel.k << " segments (" << sel.algorithm << ", " << r.backend
      << ")\n";
  out << "Choice of k: " << sel.reason << "\n";
  if (sel.per_k.size() > 1) {
    const bool with_bic = sel.per_k.front().extra.count("bic") > 0;
    out << "\n     k       inertia  silhouette  calinski-harabasz  davies-bouldin" << (with_bic ? "           BIC" : "") << "\n";
    for (const auto& s : sel.per_k) {
      out << (s.k == sel.k ? "  *" : "   ") << pad(std::to_string(s.k), 3) << pad(fixed(s.inertia, 1), 14)
          << pad(fixed(s.scores.silhouette, 3), 12) << pad(fixed(s.scores.calinski_harabasz, 1), 19)
          << pad(fixed(s.scores.davies_bouldin, 3), 16);
      if (with_bic) out << pad(s.extra.count("bic") ? fixed(s.extra.at("bic"), 1) : "-", 14);
      out << (sel.elbow_k && *sel.elbow_k == s.k ? "   ← elbow" : "") << "\n";
    }
  }
  out << "\n  segment  customers   share  name\n";
  for (const auto& p : r.profiles) {
    out << pad(std::to_string(p.id), 9) << pad(std::to_string(p.size), 11) << pad(fixed(100 * p.share, 1) + "%", 8) << "  "
        << p.name << "\n";
  }
  if (r.value) print_value(*r.value, out);
  if (r.transactions) out << "\n" << ledger_lines(*r.transactions);
  out << "\nRows: " << r.table.ledger.read << " read, " << r.table.ledger.used << " used, " << r.table.ledger.rejected_total()
      << " rejected";
  for (const auto& [reason, count] : r.table.ledger.rejected) out << " (" << reason << ": " << count << ")";
  out << "\nWrote " << r.out_dir << "/{";
  for (size_t i = 0; i < r.files.size(); ++i) out << (i ? "," : "") << r.files[i];
  out << "}\n";
}

}  // namespace

int command_run(run_args& a, std::ostream& out, std::ostream& err) {
  if (!a.quiet && a.rank == 0) a.options.progress = [&err](const std::string& line) { err << "segmint: " << line << "\n"; };
  run_outcome r = a.in_memory ? run_segmentation(a.options, table_from_columns(std::move(*a.in_memory), a.options.table))
                              : run_segmentation(a.options);
  if (a.rank != 0) return 0;
  for (const auto& w : r.warnings) err << "segmint: warning: " << w << "\n";
  print_summary(r, out);
  if (a.done) a.done(std::move(r));
  return 0;
}

int command_predict(const predict_args& a, std::ostream& out, std::ostream& err) {
  const predict_outcome r = run_predict(a.options);
  for (const auto& j : r.joins)
    err << "segmint: joined " << j.file << ": " << j.rows_read << " rows, " << j.matched << " matched, " << j.not_in_base
        << " not in " << a.options.input << "; " << j.customers_without_row << " customers without a row there\n";
  for (const auto& w : r.warnings) err << "segmint: warning: " << w << "\n";
  out << "segmint: scored " << r.rows << " customers into " << r.sizes.size() << " segments → " << a.options.out_path << "\n";
  out << "Rows: " << r.ledger.read << " read, " << r.ledger.used << " used, " << r.ledger.rejected_total() << " rejected";
  for (const auto& [reason, count] : r.ledger.rejected) out << " (" << reason << ": " << count << ")";
  out << "\n";
  for (size_t c = 0; c < r.sizes.size(); ++c) out << "  segment " << c << ": " << r.sizes[c] << "\n";
  return 0;
}

int command_info(std::ostream& out) {
  const build_info b = describe_build();
  out << "segmint " << b.version << "\n";
  out << "compiler: " << b.compiler << "\n";
  out << "cpu backend: yes (" << b.cpu_threads << " threads)\n";
  out << "cuda backend: " << (b.cuda_compiled ? "compiled for " + b.cuda_architectures : std::string("no")) << "\n";
  out << "cuda status: " << b.cuda_status << "\n";
  for (const auto& d : b.devices) {
    out << "  device " << d.ordinal << ": " << d.name << ", " << fixed(static_cast<double>(d.memory_bytes) / (1 << 30), 1)
        << " GiB, " << d.multiprocessors << " SMs, compute capability " << d.cc_major << "." << d.cc_minor;
    if (d.memory_bandwidth > 0) out << ", peak " << fixed(d.memory_bandwidth / 1e9, 0) << " GB/s";
    if (d.fp32_flops > 0) out << ", " << fixed(d.fp32_flops / 1e12, 1) << " TFLOP/s FP32";
    out << "\n";
  }
  out << "mpi: " << (b.mpi_compiled ? "yes" : "no") << "\n";
  return 0;
}

}  // namespace segmint::cli
