#pragma once
// report.html of `segmint tune`: the recommendation and its reasons, the runners-up, a table of every
// configuration's choice, the gap curves, and per configuration the stability and silhouette curves.
#include <string>

#include "segmint/tune_run.hpp"

namespace segmint::detail {

std::string render_tune_report(const tune_options& o, const tune_run_outcome& r);

}  // namespace segmint::detail
