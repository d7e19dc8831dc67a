// model.json: writing, and strict reading (every field type-checked, shapes cross-checked).
#include <cfloat>
#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "../cpu/small_linalg.hpp"
#include "../io/mapped_file.hpp"
#include "segmint/error.hpp"
#include "segmint/model.hpp"

namespace segmint {
namespace {

using json = nlohmann::ordered_json;
constexpr const char* format_name = "segmint-model";

json matrix_rows(const matrix& m) {
  json rows = json::array();
  for (int64_t i = 0; i < m.rows(); ++i) {
    json row = json::array();
    for (int64_t j = 0; j < m.cols(); ++j) row.push_back(static_cast<double>(m(i, j)));
    rows.push_back(row);
  }
  return rows;
}

/// Reads a JSON document with typed accessors whose errors carry the JSON path.
class reader {
 public:
  explicit reader(std::string source) : source_(std::move(source)) {}

  [[noreturn]] void fail(const std::string& path, const std::string& what) const {
    throw input_error(source_ + ": invalid model: " + path + ": " + what);
  }
  const json& field(const json& obj, const std::string& path, const char* key) const {
    if (!obj.is_object()) fail(path, "expected an object");
    const auto it = obj.find(key);
    if (it == obj.end()) fail(path + "." + key, "missing");
    return *it;
  }
  std::string str(const json& obj, const std::string& path, const char* key) const {
    const json& v = field(obj, path, key);
    if (!v.is_string()) fail(path + "." + key, "expected a string");
    return v.get<std::string>();
  }
  double num(const json& v, const std::string& path) const {
    if (!v.is_number()) fail(path, "expected a number");
    const double d = v.get<double>();
    if (!std::isfinite(d)) fail(path, "expected a finite number");
    return d;
  }
  double num(const json& obj, const std::string& path, const char* key) const {
    return num(field(obj, path, key), path + "." + key);
  }
  int64_t integer(const json& obj, const std::string& path, const char* key) const {
    const json& v = field(obj, path, key);
    if (!v.is_number_integer()) fail(path + "." + key, "expected an integer");
    return v.get<int64_t>();
  }
  bool boolean(const json& obj, const std::string& path, const char* key) const {
    const json& v = field(obj, path, key);
    if (!v.is_boolean()) fail(path + "." + key, "expected true or false");
    return v.get<bool>();
  }
  const json& array(const json& obj, const std::string& path, const char* key) const {
    const json& v = field(obj, path, key);
    if (!v.is_array()) fail(path + "." + key, "expected an array");
    return v;
  }
  std::vector<double> numbers(const json& arr, const std::string& path) const {
    if (!arr.is_array()) fail(path, "expected an array");
    std::vector<double> out;
    for (size_t i = 0; i < arr.size(); ++i) out.push_back(num(arr[i], path + "[" + std::to_string(i) + "]"));
    return out;
  }
  matrix rows_matrix(const json& arr, const std::string& path, int64_t cols) const {
    if (!arr.is_array()) fail(path, "expected an array of rows");
    matrix m(static_cast<int64_t>(arr.size()), cols);
    for (size_t i = 0; i < arr.size(); ++i) {
      const std::string p = path + "[" + std::to_string(i) + "]";
      const auto row = numbers(arr[i], p);
      if (static_cast<int64_t>(row.size()) != cols)
        fail(p, "expected " + std::to_string(cols) + " values, found " + std::to_string(row.size()));
      for (int64_t j = 0; j < cols; ++j) {
        const double v = row[static_cast<size_t>(j)];
        if (std::fabs(v) > FLT_MAX) fail(p + "[" + std::to_string(j) + "]", "beyond the range of a 32-bit float");
        m(static_cast<int64_t>(i), j) = static_cast<float>(v);
      }
    }
    // Distances to these rows are float32: Σ_j (2·max|c_j|)² must stay well below FLT_MAX (as the data's).
    double sq = 0.0;
    for (int64_t j = 0; j < cols; ++j) {
      double mx = 0.0;
      for (int64_t i = 0; i < m.rows(); ++i) mx = std::max(mx, std::fabs(static_cast<double>(m(i, j))));
      sq += 4.0 * mx * mx;
    }
    if (sq > FLT_MAX / 1000.0) fail(path, "values this large would make squared distances overflow 32-bit floats");
    return m;
  }

 private:
  std::string source_;
};

json mixture_json(const gmm::mixture& m) {
  const int64_t k = m.k;
  const int64_t d = m.d;
  json means = json::array();
  for (int64_t c = 0; c < k; ++c) {
    json row = json::array();
    for (int64_t j = 0; j < d; ++j) row.push_back(m.means[static_cast<size_t>(j * k + c)]);
    means.push_back(row);
  }
  auto square = [&](const double* a) {
    json rows = json::array();
    for (int64_t i = 0; i < d; ++i) {
      json row = json::array();
      for (int64_t j = 0; j < d; ++j) row.push_back(a[j * d + i]);
      rows.push_back(row);
    }
    return rows;
  };
  json cov = json::array();
  switch (m.type) {
    case gmm::covariance_type::full:
      for (int64_t c = 0; c < k; ++c) cov.push_back(square(m.covariances.data() + c * d * d));
      break;
    case gmm::covariance_type::diag:
      for (int64_t c = 0; c < k; ++c) {
        json row = json::array();
        for (int64_t j = 0; j < d; ++j) row.push_back(m.covariances[static_cast<size_t>(j * k + c)]);
        cov.push_back(row);
      }
      break;
    case gmm::covariance_type::spherical:
      cov = m.covariances;
      break;
    case gmm::covariance_type::tied:
      cov = square(m.covariances.data());
      break;
  }
  return {{"covariance_type", gmm::to_string(m.type)}, {"weights", m.weights}, {"means", means}, {"covariances", cov}};
}

gmm::mixture mixture_from(const reader& r, const json& j, int64_t k, int64_t d) {
  const std::string path = "$.mixture";
  gmm::mixture m;
  try {
    m.type = gmm::parse_covariance_type(r.str(j, path, "covariance_type"));
  } catch (const input_error&) {
    r.fail(path + ".covariance_type", "expected full, diag, spherical or tied");
  }
  m.k = static_cast<int>(k);
  m.d = d;
  m.weights = r.numbers(r.array(j, path, "weights"), path + ".weights");
  double total = 0;
  for (double w : m.weights) {
    if (!(w > 0)) r.fail(path + ".weights", "weights must be positive");
    total += w;
  }
  if (static_cast<int64_t>(m.weights.size()) != k || std::fabs(total - 1) > 1e-6)
    r.fail(path + ".weights", "expected " + std::to_string(k) + " weights summing to 1");
  const matrix means = r.rows_matrix(r.array(j, path, "means"), path + ".means", d);
  if (means.rows() != k) r.fail(path + ".means", "expected " + std::to_string(k) + " rows");
  m.means.resize(static_cast<size_t>(k * d));
  const json& means_json = j["means"];
  for (int64_t c = 0; c < k; ++c)
    for (int64_t j2 = 0; j2 < d; ++j2) m.means[static_cast<size_t>(j2 * k + c)] = means_json[static_cast<size_t>(c)][static_cast<size_t>(j2)].get<double>();
  const json& cov = r.array(j, path, "covariances");
  auto square = [&](const json& a, const std::string& p, double* out) {
    if (!a.is_array() || static_cast<int64_t>(a.size()) != d) r.fail(p, "expected a " + std::to_string(d) + " × " + std::to_string(d) + " matrix");
    for (int64_t i = 0; i < d; ++i) {
      const auto row = r.numbers(a[static_cast<size_t>(i)], p + "[" + std::to_string(i) + "]");
      if (static_cast<int64_t>(row.size()) != d) r.fail(p, "expected " + std::to_string(d) + " columns");
      for (int64_t j2 = 0; j2 < d; ++j2) out[j2 * d + i] = row[static_cast<size_t>(j2)];
    }
    std::vector<double> prec(static_cast<size_t>(d * d));
    if (!detail::precision_cholesky(out, d, prec.data())) r.fail(p, "not a positive definite covariance");
  };
  switch (m.type) {
    case gmm::covariance_type::full:
      if (static_cast<int64_t>(cov.size()) != k) r.fail(path + ".covariances", "expected " + std::to_string(k) + " matrices");
      m.covariances.resize(static_cast<size_t>(k * d * d));
      for (int64_t c = 0; c < k; ++c)
        square(cov[static_cast<size_t>(c)], path + ".covariances[" + std::to_string(c) + "]", m.covariances.data() + c * d * d);
      break;
    case gmm::covariance_type::diag: {
      if (static_cast<int64_t>(cov.size()) != k) r.fail(path + ".covariances", "expected " + std::to_string(k) + " rows");
      m.covariances.resize(static_cast<size_t>(k * d));
      for (int64_t c = 0; c < k; ++c) {
        const auto row = r.numbers(cov[static_cast<size_t>(c)], path + ".covariances[" + std::to_string(c) + "]");
        if (static_cast<int64_t>(row.size()) != d) r.fail(path + ".covariances", "expected " + std::to_string(d) + " variances per row");
        for (int64_t j2 = 0; j2 < d; ++j2) {
          if (!(row[static_cast<size_t>(j2)] > 0)) r.fail(path + ".covariances", "variances must be positive");
          m.covariances[static_cast<size_t>(j2 * k + c)] = row[static_cast<size_t>(j2)];
        }
      }
      break;
    }
    case gmm::covariance_type::spherical:
      m.covariances = r.numbers(cov, path + ".covariances");
      if (static_cast<int64_t>(m.covariances.size()) != k) r.fail(path + ".covariances", "expected " + std::to_string(k) + " variances");
      for (double v : m.covariances)
        if (!(v > 0)) r.fail(path + ".covariances", "variances must be positive");
      break;
    case gmm::covariance_type::tied:
      m.covariances.resize(static_cast<size_t>(d * d));
      square(cov, path + ".covariances", m.covariances.data());
      break;
  }
  return m;
}

}  // namespace

std::string model_to_json(const segment_model& m) {
  json j;
  j["format"] = format_name;
  j["version"] = segment_model::format_version;
  j["algorithm"] = m.algorithm;
  j["segmint_version"] = m.segmint_version;
  j["trained_on"] = m.trained_on;
  j["seed"] = m.seed;
  j["id_column"] = m.schema.id_column;
  json inputs = json::array();
  for (const auto& f : m.schema.features) {
    json fj{{"name", f.name}, {"source", f.source}, {"kind", f.kind == feature_kind::numeric ? "numeric" : "one_hot"}};
    if (f.kind == feature_kind::numeric) fj["impute_median"] = f.impute_value;
    else fj["level"] = f.level;
    if (!f.text_rule.empty()) {  // answers written as text: the model reads new rows with the same scale
      json answers = json::array();
      for (const auto& [text, value] : f.text_values) answers.push_back({{"answer", text}, {"value", value}});
      fj["text_scale"] = {{"rule", f.text_rule}, {"answers", answers}};
    }
    inputs.push_back(fj);
  }
  j["input_features"] = inputs;
  json cols = json::array();
  for (const auto& c : m.preprocess.columns)
    cols.push_back({{"name", c.name}, {"log1p", c.log1p}, {"mean", c.mean}, {"scale", c.scale}});
  j["preprocess"] = {{"columns", cols}, {"dropped_constant", m.preprocess.dropped_constant}};
  if (m.preprocess.pca) {
    const auto& p = *m.preprocess.pca;
    json comps = json::array();
    for (int64_t q = 0; q < p.components.cols(); ++q) {
      json c = json::array();
      for (int64_t r = 0; r < p.components.rows(); ++r) c.push_back(static_cast<double>(p.components(r, q)));
      comps.push_back(c);
    }
    j["preprocess"]["pca"] = {{"mean", p.mean},
                              {"components", comps},
                              {"explained_variance", p.explained_variance},
                              {"explained_variance_ratio", p.explained_variance_ratio}};
  } else {
    j["preprocess"]["pca"] = nullptr;
  }
  j["k"] = m.centroids.rows();
  if (m.algorithm == "ward") j["training_agreement"] = m.training_agreement;  // predict = nearest centroid
  j["centroids"] = matrix_rows(m.centroids);
  if (m.mixture) j["mixture"] = mixture_json(*m.mixture);
  json segs = json::array();
  for (const auto& s : m.segments)
    segs.push_back({{"id", s.id}, {"name", s.name}, {"reason", s.reason}, {"size", s.size}, {"share", s.share}});
  j["segments"] = segs;
  return j.dump(2) + "\n";
}

segment_model model_from_json(const std::string& text, const std::string& source) {
  json j;
  try {
    j = json::parse(text);
  } catch (const json::parse_error& e) {
    throw input_error(source + ": not a valid model file (JSON error at byte " + std::to_string(e.byte) + ")");
  } catch (const json::exception& e) {  // e.g. a number beyond double's range (found by fuzzing)
    throw input_error(source + ": not a valid model file (" + e.what() + ")");
  }
  const reader r(source);
  if (!j.is_object() || !j.contains("format") || j["format"] != format_name)
    throw input_error(source + ": not a segmint model (missing \"format\": \"" + format_name + "\")");
  const int64_t version = r.integer(j, "$", "version");
  if (version != segment_model::format_version)
    throw input_error(source + ": model format version " + std::to_string(version) + " is not supported; this segmint reads version " +
                      std::to_string(segment_model::format_version) + " (retrain the model with this segmint)");
  segment_model m;
  m.algorithm = r.str(j, "$", "algorithm");
  // Ward models score like K-Means ones: nearest of the stored segment centres; GMM ones by the mixture.
  if (m.algorithm != "kmeans" && m.algorithm != "ward" && m.algorithm != "gmm")
    r.fail("$.algorithm", "unknown algorithm " + quote_value(m.algorithm));
  m.segmint_version = r.str(j, "$", "segmint_version");
  m.trained_on = r.str(j, "$", "trained_on");
  const json& seed = r.field(j, "$", "seed");
  if (!seed.is_number_unsigned() && !seed.is_number_integer()) r.fail("$.seed", "expected an integer");
  m.seed = seed.get<uint64_t>();
  m.schema.id_column = r.str(j, "$", "id_column");
  const json& inputs = r.array(j, "$", "input_features");
  std::set<std::string> input_names;
  for (size_t i = 0; i < inputs.size(); ++i) {
    const std::string p = "$.input_features[" + std::to_string(i) + "]";
    feature_info f;
    f.name = r.str(inputs[i], p, "name");
    f.source = r.str(inputs[i], p, "source");
    const std::string kind = r.str(inputs[i], p, "kind");
    if (kind == "numeric") {
      f.kind = feature_kind::numeric;
      f.impute_value = r.num(inputs[i], p, "impute_median");
      if (inputs[i].contains("text_scale")) {
        const json& scale = r.field(inputs[i], p, "text_scale");
        f.text_rule = r.str(scale, p + ".text_scale", "rule");
        const json& answers = r.array(scale, p + ".text_scale", "answers");
        if (f.text_rule.empty() || answers.empty()) r.fail(p + ".text_scale", "expected a rule and its answers");
        for (size_t a = 0; a < answers.size(); ++a) {
          const std::string q = p + ".text_scale.answers[" + std::to_string(a) + "]";
          f.text_values.emplace_back(r.str(answers[a], q, "answer"), r.num(answers[a], q, "value"));
        }
      }
    } else if (kind == "one_hot") {
      f.kind = feature_kind::one_hot;
      f.level = r.str(inputs[i], p, "level");
    } else {
      r.fail(p + ".kind", "expected \"numeric\" or \"one_hot\"");
    }
    if (!input_names.insert(f.name).second) r.fail(p + ".name", "duplicate feature " + quote_value(f.name));
    m.schema.features.push_back(f);
  }
  const json& pre = r.field(j, "$", "preprocess");
  const json& cols = r.array(pre, "$.preprocess", "columns");
  if (cols.empty()) r.fail("$.preprocess.columns", "no columns");
  for (size_t i = 0; i < cols.size(); ++i) {
    const std::string p = "$.preprocess.columns[" + std::to_string(i) + "]";
    column_transform c;
    c.name = r.str(cols[i], p, "name");
    if (!input_names.count(c.name)) r.fail(p + ".name", quote_value(c.name) + " is not one of the input_features");
    c.log1p = r.boolean(cols[i], p, "log1p");
    c.mean = r.num(cols[i], p, "mean");
    c.scale = r.num(cols[i], p, "scale");
    if (!(c.scale >= FLT_MIN && c.scale <= FLT_MAX)) r.fail(p + ".scale", "must be a positive 32-bit float (from 1.2e-38 to 3.4e+38)");
    if (std::fabs(c.mean) > FLT_MAX) r.fail(p + ".mean", "beyond the range of a 32-bit float");
    m.preprocess.columns.push_back(c);
  }
  const json& dropped = r.array(pre, "$.preprocess", "dropped_constant");
  for (const auto& d : dropped) {
    if (!d.is_string()) r.fail("$.preprocess.dropped_constant", "expected strings");
    m.preprocess.dropped_constant.push_back(d.get<std::string>());
  }
  const auto dims = static_cast<int64_t>(m.preprocess.columns.size());
  int64_t model_dims = dims;
  const json& pca = r.field(pre, "$.preprocess", "pca");
  if (!pca.is_null()) {
    pca::model p;
    p.mean = r.numbers(r.array(pca, "$.preprocess.pca", "mean"), "$.preprocess.pca.mean");
    if (static_cast<int64_t>(p.mean.size()) != dims) r.fail("$.preprocess.pca.mean", "expected " + std::to_string(dims) + " values");
    const json& comps = r.array(pca, "$.preprocess.pca", "components");
    if (comps.empty()) r.fail("$.preprocess.pca.components", "no components");
    const matrix rows = r.rows_matrix(comps, "$.preprocess.pca.components", dims);
    p.components = matrix(dims, rows.rows());
    for (int64_t q = 0; q < rows.rows(); ++q)
      for (int64_t jj = 0; jj < dims; ++jj) p.components(jj, q) = rows(q, jj);
    p.explained_variance = r.numbers(r.array(pca, "$.preprocess.pca", "explained_variance"), "$.preprocess.pca.explained_variance");
    p.explained_variance_ratio =
        r.numbers(r.array(pca, "$.preprocess.pca", "explained_variance_ratio"), "$.preprocess.pca.explained_variance_ratio");
    model_dims = rows.rows();
    m.preprocess.pca = std::move(p);
  }
  const int64_t k = r.integer(j, "$", "k");
  const json& centroids = r.array(j, "$", "centroids");
  if (k < 1 || static_cast<int64_t>(centroids.size()) != k)
    r.fail("$.centroids", "expected k = " + std::to_string(k) + " rows, found " + std::to_string(centroids.size()));
  m.centroids = r.rows_matrix(centroids, "$.centroids", model_dims);
  if (m.algorithm == "gmm") m.mixture = mixture_from(r, r.field(j, "$", "mixture"), k, model_dims);
  if (j.contains("training_agreement")) {
    m.training_agreement = r.num(j["training_agreement"], "$.training_agreement");
    if (m.training_agreement < 0 || m.training_agreement > 1) r.fail("$.training_agreement", "expected a share in [0, 1]");
  }
  const json& segs = r.array(j, "$", "segments");
  if (static_cast<int64_t>(segs.size()) != k) r.fail("$.segments", "expected " + std::to_string(k) + " segments");
  for (size_t i = 0; i < segs.size(); ++i) {
    const std::string p = "$.segments[" + std::to_string(i) + "]";
    segment_summary s;
    s.id = static_cast<int>(r.integer(segs[i], p, "id"));
    if (s.id != static_cast<int>(i)) r.fail(p + ".id", "expected " + std::to_string(i));
    s.name = r.str(segs[i], p, "name");
    s.reason = r.str(segs[i], p, "reason");
    s.size = r.integer(segs[i], p, "size");
    s.share = r.num(segs[i], p, "share");
    m.segments.push_back(s);
  }
  return m;
}

segment_model load_model(const std::string& path) {
  const detail::mapped_file file(path, false);  // a regular file (never a blocking pipe), remembered as an input
  return model_from_json(std::string(file.bytes()), path);
}

}  // namespace segmint
