// Transaction log → per-customer features (segmint features / run --transactions), in lines per second.
// The log is generated once in the shape of Online Retail (8 columns, ~90 bytes a line, invoices of
// 1-40 lines, float customer ids, a quarter of the lines without a customer, 2% cancellations, quoted
// descriptions with commas) and cached in the temp folder.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "segmint/transactions.hpp"

namespace {

struct rng {
  uint64_t s;
  uint64_t next() {  // splitmix64
    uint64_t z = (s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
  int below(int n) { return static_cast<int>(next() % static_cast<uint64_t>(n)); }
};

struct product {
  std::string code, description, price;
};

std::vector<product> make_products(rng& r) {
  static const char* words[] = {"WHITE", "HANGING", "HEART", "T-LIGHT", "HOLDER", "METAL", "LANTERN", "CREAM", "CUPID",
                                "HEARTS", "COAT", "HANGER", "SET", "OF", "3", "RETROSPOT", "CAKE", "CASES", "JUMBO", "BAG",
                                "PINK", "POLKADOT", "VINTAGE", "PAPER", "CHAIN", "KIT", "REGENCY", "TEACUP", "SAUCER"};
  std::vector<product> products(4000);
  char buf[64];
  for (size_t i = 0; i < products.size(); ++i) {
    auto& p = products[i];
    std::snprintf(buf, sizeof buf, "%05d%s", 20000 + static_cast<int>(i), r.below(4) == 0 ? "A" : "");
    p.code = buf;
    const int n = 3 + r.below(4);
    for (int w = 0; w < n; ++w) p.description += std::string(w ? " " : "") + words[r.below(29)];
    if (r.below(50) == 0) p.description = "\"" + p.description + ", " + words[r.below(29)] + "\"";  // quoted, with a comma
    const int cents = 10 + r.below(1500);
    std::snprintf(buf, sizeof buf, "%d.%02d", cents / 100, cents % 100);
    p.price = buf;
  }
  return products;
}

/// The cached log of `lines` lines (written once to the temp folder).
std::string transaction_log(int64_t lines) {
  const auto path = std::filesystem::temp_directory_path() / ("segmint_bench_transactions_" + std::to_string(lines) + ".csv");
  if (std::filesystem::exists(path)) return path.string();
  rng r{42};
  const std::vector<product> products = make_products(r);
  static const char* countries[] = {"United Kingdom", "United Kingdom", "United Kingdom", "Germany", "France", "EIRE", "Spain"};
  const std::string tmp = path.string() + ".tmp";
  std::FILE* f = std::fopen(tmp.c_str(), "wb");
  if (f == nullptr) throw std::runtime_error("cannot write " + tmp);
  std::fputs("InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n", f);
  int64_t written = 0;
  int64_t invoice = 536365;
  int64_t minute = 0;  // minutes since 2010-12-01 08:00, two years of trading
  char date[32];
  char customer[32];
  while (written < lines) {
    const bool cancelled = r.below(50) == 0;
    const bool anonymous = r.below(4) == 0;
    std::snprintf(customer, sizeof customer, "%d.0", 12346 + r.below(100000));
    minute += r.below(12);
    const int64_t day = minute / 600;  // ten trading hours a day
    const int y = 2010 + static_cast<int>((day + 334) / 365);
    const int doy = static_cast<int>((day + 334) % 365);
    std::snprintf(date, sizeof date, "%04d-%02d-%02d %02d:%02d:00", y, 1 + doy / 31 % 12, 1 + doy % 28, 8 + static_cast<int>(minute % 600) / 60,
                  static_cast<int>(minute % 60));
    const int n = 1 + r.below(40);
    for (int k = 0; k < n && written < lines; ++k, ++written) {
      const product& p = products[static_cast<size_t>(r.below(static_cast<int>(products.size())))];
      const int q = (1 + r.below(24)) * (cancelled ? -1 : 1);
      std::fprintf(f, "%s%lld,%s,%s,%d,%s,%s,%s,%s\n", cancelled ? "C" : "", static_cast<long long>(invoice), p.code.c_str(),
                   p.description.c_str(), q, date, p.price.c_str(), anonymous ? "" : customer, countries[r.below(7)]);
    }
    ++invoice;
  }
  if (std::fclose(f) != 0) throw std::runtime_error("cannot write " + tmp);
  std::filesystem::rename(tmp, path);
  return path.string();
}

void BM_transactions_to_customers(benchmark::State& state) {
  const int64_t lines = state.range(0);
  segmint::transaction_options o;
  o.files = {transaction_log(lines)};
  o.columns.customer = "CustomerID";
  o.columns.date = "InvoiceDate";
  o.columns.quantity = "Quantity";
  o.columns.price = "UnitPrice";
  o.columns.invoice = "InvoiceNo";
  const auto bytes = static_cast<int64_t>(std::filesystem::file_size(o.files[0]));
  int64_t customers = 0;
  for (auto _ : state) {
    const segmint::customer_table t = segmint::compute_customer_features(o);
    customers = t.rows();
    benchmark::DoNotOptimize(t.columns.data());
  }
  state.SetItemsProcessed(state.iterations() * lines);  // items/s = lines/s
  state.SetBytesProcessed(state.iterations() * bytes);
  state.counters["customers"] = static_cast<double>(customers);
  state.counters["file_MB"] = static_cast<double>(bytes) / 1e6;
}
BENCHMARK(BM_transactions_to_customers)->Arg(1000000)->Arg(10000000)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
