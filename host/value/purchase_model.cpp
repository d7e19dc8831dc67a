// One interface over the purchase models (include/segmint/value.hpp: purchase_model), so the value and churn jobs
// do not branch on the model.
#include "segmint/error.hpp"
#include "segmint/value.hpp"

namespace segmint::value {

bool is_purchase_model(const std::string& key) { return key == "bgnbd" || key == "mbgnbd" || key == "pareto_nbd"; }

purchase_model fit_purchase_model(context& ctx, const rfm_summary& s, const std::string& key) {
  if (!is_purchase_model(key)) throw input_error("the purchase model must be bgnbd, mbgnbd or pareto_nbd, not \"" + key + "\"");
  if (key == "pareto_nbd") {
    const pareto_nbd_fit fit = fit_pareto_nbd(ctx, s);
    return {fit.params, fit.report};
  }
  bgnbd_params start{1, 1, 1, 1};
  start.modified = key == "mbgnbd";
  const bgnbd_fit fit = fit_bgnbd(ctx, s, start);
  return {fit.params, fit.report};
}

std::string purchase_model::key() const {
  if (std::holds_alternative<pareto_nbd_params>(params)) return "pareto_nbd";
  return std::get<bgnbd_params>(params).modified ? "mbgnbd" : "bgnbd";
}

std::string purchase_model::name() const {
  const std::string k = key();
  return k == "pareto_nbd" ? "Pareto/NBD" : k == "mbgnbd" ? "MBG/NBD" : "BG/NBD";
}

std::vector<std::pair<std::string, double>> purchase_model::named_parameters() const {
  if (const auto* p = std::get_if<pareto_nbd_params>(&params)) return {{"r", p->r}, {"alpha", p->alpha}, {"s", p->s}, {"beta", p->beta}};
  const auto& b = std::get<bgnbd_params>(params);
  return {{"r", b.r}, {"alpha", b.alpha}, {"a", b.a}, {"b", b.b}};
}

std::vector<double> purchase_model::p_alive(const rfm_summary& s) const {
  return std::visit([&](const auto& p) { return value::p_alive(s, p); }, params);
}

std::vector<double> purchase_model::expected_purchases(const rfm_summary& s, double t) const {
  return std::visit([&](const auto& p) { return value::expected_purchases(s, p, t); }, params);
}

}  // namespace segmint::value
