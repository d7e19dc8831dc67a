#pragma once
// linkage.csv: the dendrogram as SciPy's linkage matrix (numpy.loadtxt(f, delimiter=",", skiprows=1)).
#include <span>

#include "../io/atomic_file.hpp"
#include "segmint/linkage.hpp"

namespace segmint::detail {

/// Header `a,b,height,size`, then one merge per line; heights with 17 significant digits (exact round trip).
void write_linkage_csv(atomic_file& f, std::span<const linkage_step> z);

}  // namespace segmint::detail
