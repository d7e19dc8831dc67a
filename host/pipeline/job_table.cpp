#include "job_table.hpp"

#include "segmint/error.hpp"

namespace segmint::detail {

feature_table read_job_table(const std::vector<std::string>& inputs, const std::vector<std::string>& joins,
                             const customer_table* log, const table_params& p, const communicator& comm) {
  if (inputs.empty()) {
    if (log == nullptr) throw input_error("give INPUT (a customer table) or --transactions FILE... (a transaction log)");
    if (!joins.empty()) throw input_error("--join adds sources to a customer table: give the table as INPUT");
    return customer_feature_table(*log, p.features);
  }
  if (log == nullptr && joins.empty()) return load_feature_table(inputs, p, comm);
  if (comm.size() > 1) throw input_error("--join: data-parallel runs do not join sources yet; run without mpirun");
  if (inputs.size() > 1)
    throw input_error(std::string(log ? "--transactions joins the log's customer features" : "--join joins files") +
                      " to one customer table; give one INPUT");
  return log ? load_table_with_log_features(inputs.front(), joins, *log, p) : load_joined_table(inputs.front(), joins, p);
}

nlohmann::ordered_json joins_json(const std::vector<join_summary>& joins) {
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (const auto& s : joins)
    out.push_back({{"file", s.file}, {"rows_read", s.rows_read}, {"matched", s.matched}, {"not_in_input", s.not_in_base},
                   {"rejected", s.rejected}, {"customers_without_row", s.customers_without_row}, {"columns", s.columns},
                   {"policy", s.policy}});
  return out;
}

}  // namespace segmint::detail
