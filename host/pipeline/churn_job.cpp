// The `churn` job (include/segmint/churn_run.hpp): three reads of the log (its span, features before the
// cutoff, purchases to the window's end), labels, a seeded split, the fit, scores and the outputs.
#include <cmath>
#include <filesystem>
#include <optional>
#include <nlohmann/json.hpp>
#include <unordered_map>

#include "../algo/rng.hpp"
#include "../churn/logistic.hpp"
#include "../churn/scores.hpp"
#include "../io/atomic_file.hpp"
#include "../io/input_files.hpp"
#include "../io/transaction_dates.hpp"
#include "churn_features.hpp"
#include "csv_writer.hpp"
#include "value_from_log.hpp"
#include "segmint/churn_run.hpp"
#include "segmint/error.hpp"
#include "segmint/value.hpp"
#include "segmint/version.hpp"

namespace segmint {
namespace {

const std::vector<double>& feature(const customer_table& t, const char* name) { return *t.find(name); }

/// The customers before the cutoff, their label and their features.
struct labelled {
  customer_table before;
  std::vector<int> churned;
  std::vector<std::string> raw_names{detail::churn_raw_features.begin(), detail::churn_raw_features.end()};
  std::vector<double> rows;  ///< n × 4: log1p of the raw features (churn_features.hpp)
};

labelled label_customers(const churn_options& o) {
  if (o.transactions.as_of) throw input_error("churn: give --cutoff (the first day not used for features), not --as-of");
  if (o.window_days < 1 || o.window_days > 36500) throw input_error("--window must be a number of days from 1 to 36500");
  const auto cutoff = detail::parse_iso_day(o.cutoff);
  if (!cutoff) throw input_error("--cutoff " + quote_value(o.cutoff) + ": write the date as YYYY-MM-DD");
  const customer_table whole = compute_customer_features(o.transactions);
  const int32_t first = *detail::parse_iso_day(whole.summary.first_day), last = *detail::parse_iso_day(whole.summary.last_day);
  if (*cutoff <= first || *cutoff > last)
    throw input_error("--cutoff " + o.cutoff + " must fall after the log's first day and on or before its last (" + whole.summary.first_day +
                      " to " + whole.summary.last_day + ")");
  if (*cutoff + o.window_days > last + 1)
    throw input_error("--cutoff " + o.cutoff + " --window " + std::to_string(o.window_days) + " runs to " +
                      detail::day_text(*cutoff + o.window_days - 1) + ", past the log's last day " + whole.summary.last_day +
                      ": the labels would count days nobody observed");
  transaction_options at_cutoff = o.transactions, at_window_end = o.transactions;
  at_cutoff.as_of = o.cutoff;
  at_window_end.as_of = detail::day_text(*cutoff + o.window_days);
  labelled l;
  l.before = compute_customer_features(at_cutoff);
  const customer_table after = compute_customer_features(at_window_end);
  std::unordered_map<std::string_view, size_t> row_of;
  for (size_t i = 0; i < after.ids.size(); ++i) row_of.emplace(after.ids[i], i);
  const auto& days_before = feature(l.before, "repeat_frequency");
  const auto& days_after = feature(after, "repeat_frequency");
  const size_t n = l.before.ids.size();
  l.churned.resize(n);
  for (size_t i = 0; i < n; ++i)
    l.churned[i] = days_after[row_of.at(l.before.ids[i])] == days_before[i] ? 1 : 0;  // no purchase day in the window
  l.rows = detail::churn_feature_rows(l.before);
  return l;
}

churn_score_quality judge(const std::vector<double>& score, const std::vector<int>& y, bool probability) {
  return {churn::roc_auc(score, y), churn::average_precision(score, y), probability ? churn::brier_score(score, y) : NAN};
}

nlohmann::ordered_json quality_json(const churn_score_quality& q) {
  const auto num = [](double v) { return std::isfinite(v) ? nlohmann::ordered_json(v) : nlohmann::ordered_json(nullptr); };
  return {{"auc", num(q.auc)}, {"pr_auc", num(q.pr_auc)}, {"brier", num(q.brier)}};
}

/// A seeded share of the customers held out (1), the rest for training (0); counts into `out`.
std::vector<int> split_customers(const churn_options& o, const labelled& l, churn_outcome& out) {
  const size_t n = l.churned.size();
  out.customers = static_cast<int64_t>(n);
  std::vector<int> holdout(n);
  int64_t train_churned = 0;
  for (size_t i = 0; i < n; ++i) {
    holdout[i] = detail::random_uniform(o.seed, detail::rng_purpose::churn_split, 0, i) < o.holdout_share ? 1 : 0;
    out.churned += l.churned[i];
    out.holdout += holdout[i];
    train_churned += holdout[i] ? 0 : l.churned[i];
  }
  out.train = out.customers - out.holdout;
  if (out.train < 20 || out.holdout < 20 || train_churned == 0 || train_churned == out.train)
    throw input_error("churn: " + std::to_string(out.train) + " training and " + std::to_string(out.holdout) + " holdout customers, " +
                      std::to_string(train_churned) + " churned in training: too few to learn and judge churn (each part needs at least 20 "
                      "customers and both outcomes)");
  return holdout;
}

/// The training customers' mean and standard deviation per feature (population, as scikit-learn's scaler).
struct scaling {
  std::vector<double> mean, sd;
};

scaling fit_scaling(const labelled& l, const std::vector<int>& holdout) {
  const size_t n = l.churned.size(), d = l.raw_names.size();
  scaling sc{std::vector<double>(d, 0), std::vector<double>(d, 0)};
  double train = 0;
  for (size_t i = 0; i < n; ++i) {
    if (holdout[i]) continue;
    train += 1;
    for (size_t j = 0; j < d; ++j) sc.mean[j] += l.rows[i * d + j];
  }
  for (double& m : sc.mean) m /= train;
  for (size_t i = 0; i < n; ++i)
    if (!holdout[i])
      for (size_t j = 0; j < d; ++j) sc.sd[j] += (l.rows[i * d + j] - sc.mean[j]) * (l.rows[i * d + j] - sc.mean[j]);
  for (double& v : sc.sd) v = std::sqrt(v / train);
  return sc;
}

/// BG/NBD on the same pre-cutoff history: P(alive) and the expected purchases in the window (NaN, with a
/// warning, when it cannot be fitted).
void bgnbd_scores(const churn_options& o, const labelled& l, std::vector<double>& alive, std::vector<double>& expected,
                  std::vector<std::string>& warnings) {
  const size_t n = l.churned.size();
  alive.assign(n, NAN);
  expected.assign(n, NAN);
  try {
    const value::rfm_summary s = detail::summary_of(l.before, 1.0);  // days; as-of is the cutoff
    context ctx(o.compute);
    const value::bgnbd_params bg = value::fit_bgnbd(ctx, s).params;
    alive = value::p_alive(s, bg);
    expected = value::expected_purchases(s, bg, o.window_days);
  } catch (const error& e) {
    warnings.push_back(std::string("BG/NBD could not be fitted, so there is no P(alive) score: ") + e.what());
  }
}

/// The holdout customers' scores and labels.
struct holdout_scores {
  std::vector<double> probability, not_alive, fewer_purchases;
  std::vector<int> churned;
};

nlohmann::ordered_json churn_json(const churn_options& o, const churn_outcome& out, const churn::logistic_model& model, const scaling& sc,
                                  const holdout_scores& h, const labelled& l) {
  nlohmann::ordered_json j;
  j["segmint_version"] = version_string();
  j["cutoff"] = o.cutoff;
  j["window_days"] = o.window_days;
  j["definition"] = "churned: bought before the cutoff and not in the window's days from the cutoff on";
  j["scoring"] = "segmint churn --model churn.json --transactions LOG... [--as-of DATE] --out scores.csv";
  j["customers"] = out.customers;
  j["churned"] = out.churned;
  j["churn_rate"] = static_cast<double>(out.churned) / static_cast<double>(out.customers);
  j["split"] = {{"train", out.train}, {"holdout", out.holdout}, {"holdout_share", o.holdout_share}, {"seed", o.seed}};
  auto& jm = j["model"];
  jm["kind"] = "logistic regression, L2, C = " + detail::csv_number(o.c);
  jm["iterations"] = model.iterations;
  for (size_t k = 0; k < model.weights.size(); ++k)
    jm["coefficients"].push_back({{"feature", out.features[k]},
                                  {"standardised", model.weights[k]},
                                  {"per_log1p_unit", sc.sd[k] > 0 ? model.weights[k] / sc.sd[k] : 0.0},
                                  {"training_mean", sc.mean[k]},
                                  {"training_sd", sc.sd[k]}});
  jm["intercept"] = model.intercept;
  j["holdout"] = quality_json(out.model);
  for (const auto& b : churn::calibration_table(h.probability, h.churned))
    j["holdout"]["calibration"].push_back(
        {{"low", b.low}, {"high", b.high}, {"customers", b.customers}, {"mean_predicted", b.mean_predicted}, {"observed_rate", b.observed_rate}});
  for (const auto& x : churn::decile_table(h.probability, h.churned))
    j["holdout"]["deciles"].push_back({{"decile", x.number}, {"customers", x.customers}, {"churn_rate", x.rate}, {"lift", x.lift},
                                       {"cumulative_gain", x.cumulative_gain}});
  if (out.bgnbd) {
    j["bgnbd_score"]["one_minus_p_alive"] = quality_json(*out.bgnbd);
    j["bgnbd_score"]["fewer_expected_purchases_in_window"] = quality_json(*out.bgnbd_expected);
  }
  j["ledger"] = {{"read", l.before.summary.lines.read}, {"used", l.before.summary.lines.used}, {"rejected", l.before.summary.lines.rejected}};
  j["warnings"] = out.warnings;
  return j;
}

/// The feature table of --export-features: id, raw and log1p features, label, holdout.
void write_feature_table(detail::atomic_file& f, const churn_options& o, const labelled& l, const churn_outcome& out,
                         const std::vector<int>& holdout) {
  const size_t d = l.raw_names.size();
  f << detail::csv_field(l.before.id_column);
  for (const auto& name : l.raw_names) f << "," << name;
  for (const auto& name : out.features) f << "," << name;
  f << ",churned,holdout\n";
  for (size_t i = 0; i < l.churned.size(); ++i) {
    f << detail::csv_text(l.before.ids[i], o.spreadsheet_safe);
    for (const auto& name : l.raw_names) f << "," << detail::csv_number(feature(l.before, name.c_str())[i], 17);
    for (size_t k = 0; k < d; ++k) f << "," << detail::csv_number(l.rows[i * d + k], 17);
    f << "," << std::to_string(l.churned[i]) << "," << std::to_string(holdout[i]) << "\n";
  }
}

}  // namespace

churn_outcome run_churn(const churn_options& o) {
  if (!(o.holdout_share > 0 && o.holdout_share < 1)) throw input_error("--holdout must be a share between 0 and 1 (e.g. 0.3)");
  if (!(o.c > 0) || !std::isfinite(o.c)) throw input_error("--c must be a positive number (inverse regularisation, as scikit-learn's C)");
  const detail::input_file_scope inputs_of_this_run;
  const labelled l = label_customers(o);
  const size_t n = l.churned.size(), d = l.raw_names.size();
  churn_outcome out;
  const std::vector<int> holdout = split_customers(o, l, out);
  const scaling sc = fit_scaling(l, holdout);
  std::vector<double> z(n * d), z_train;
  std::vector<int> y_train;
  for (size_t i = 0; i < n; ++i) {
    for (size_t j = 0; j < d; ++j) z[i * d + j] = sc.sd[j] > 0 ? (l.rows[i * d + j] - sc.mean[j]) / sc.sd[j] : 0.0;
    if (holdout[i]) continue;
    z_train.insert(z_train.end(), z.begin() + static_cast<std::ptrdiff_t>(i * d), z.begin() + static_cast<std::ptrdiff_t>((i + 1) * d));
    y_train.push_back(l.churned[i]);
  }
  const churn::logistic_model model = churn::fit_logistic(z_train, d, y_train, o.c);
  const std::vector<double> probability = churn::predict_logistic(model, z, d);
  for (const auto& name : l.raw_names) out.features.push_back("log1p_" + name);
  out.coefficients = model.weights;
  out.intercept = model.intercept;
  std::vector<double> alive, expected;
  bgnbd_scores(o, l, alive, expected, out.warnings);
  holdout_scores h;
  for (size_t i = 0; i < n; ++i) {
    if (!holdout[i]) continue;
    h.probability.push_back(probability[i]);
    h.not_alive.push_back(1 - alive[i]);
    h.fewer_purchases.push_back(-expected[i]);
    h.churned.push_back(l.churned[i]);
  }
  out.model = judge(h.probability, h.churned, true);
  if (!std::isnan(alive[0])) {
    out.bgnbd = judge(h.not_alive, h.churned, false);
    out.bgnbd_expected = judge(h.fewer_purchases, h.churned, false);
  }

  detail::output_set outputs(o.out_dir);
  auto& csv = outputs.open("churn.csv");
  csv << detail::csv_field(l.before.id_column) << ",churned,churn_probability,p_alive,expected_purchases_in_window,holdout\n";
  for (size_t i = 0; i < n; ++i)
    csv << detail::csv_text(l.before.ids[i], o.spreadsheet_safe) << "," << std::to_string(l.churned[i]) << ","
        << detail::csv_number(probability[i]) << "," << detail::csv_number(alive[i]) << "," << detail::csv_number(expected[i]) << ","
        << std::to_string(holdout[i]) << "\n";
  outputs.open("churn.json") << churn_json(o, out, model, sc, h, l).dump(1) << "\n";
  out.files = {"churn.csv", "churn.json"};
  std::optional<detail::atomic_file> features;
  if (o.export_features) {  // written with the other outputs, committed right after them
    features.emplace(*o.export_features);
    write_feature_table(*features, o, l, out, holdout);
  }
  outputs.commit_all();
  if (features) features->commit();
  return out;
}

}  // namespace segmint
