#include "transaction_chunk.hpp"

#include <algorithm>
#include <cstring>

#include "number_parse.hpp"
#include "segmint/error.hpp"

namespace segmint::detail {

std::string_view line_reader::value(const csv_field& field, std::deque<std::string>& owned) {
  if (!field.escaped) return trim_blanks(field.text);
  owned.push_back(field_value(field));
  return trim_blanks(owned.back());
}

bool line_reader::bad(reject reason, int column, const std::string& message, reject& why, pending_error* error) {
  why = reason;
  if (error != nullptr) {
    error->reason = reason;
    error->column = column + 1;
    error->column_name = column >= 0 ? f_.columns.names[static_cast<size_t>(column)] : std::string();
    if (column < 0) error->column = 0;
    error->message = message;
  }
  return false;
}

/// The amount-related fields of a line, parsed before the customer check so that the facts (negative
/// quantities) describe every line.
struct money_fields {
  decimal_value qty, price, amount;
  value_status qs = value_status::ok, ps = value_status::ok, as = value_status::ok;
  std::string_view qtext, ptext, atext;
};

bool line_reader::read(std::span<const csv_field> fields, const record_status& st, parsed_line& out, reject& reason,
                       pending_error* error, line_facts* facts, std::deque<std::string>& owned) {
  const column_map& m = f_.columns;
  if (st.unterminated || st.malformed) {
    const bool named = st.bad_field >= 0 && st.bad_field < m.fields && static_cast<size_t>(st.bad_field) < fields.size() &&
                       static_cast<size_t>(st.bad_field) < m.names.size();
    return bad(reject::malformed_quotes, named ? st.bad_field : -1, quote_problem(st, fields, named), reason, error);
  }
  if (st.newlines > 1 && !f_.whitespace) {
    if (const int j = field_swallowing_records(fields, f_.delimiter, static_cast<size_t>(m.fields)); j >= 0)
      return bad(reject::malformed_quotes, static_cast<size_t>(j) < m.names.size() ? j : -1, swallowed_records_problem(fields, j),
                 reason, error);
  }
  if (static_cast<int>(fields.size()) != m.fields)
    return bad(reject::wrong_field_count, -1,
               "expected " + std::to_string(m.fields) + " fields (as in the " + (f_.header_lines ? "header" : "first line") +
                   "), found " + std::to_string(fields.size()),
               reason, error);
  const char decimal = s_.options->decimal;
  out.invoice = m.invoice >= 0 ? value(fields[static_cast<size_t>(m.invoice)], owned) : std::string_view();
  const bool cancelled = !out.invoice.empty() && out.invoice[0] == 'C';
  money_fields mf;
  if (m.amount >= 0) {
    mf.atext = fields[static_cast<size_t>(m.amount)].text;
    mf.as = parse_decimal(mf.atext, decimal, mf.amount);
  } else {
    mf.qtext = fields[static_cast<size_t>(m.quantity)].text;
    mf.ptext = fields[static_cast<size_t>(m.price)].text;
    mf.qs = parse_decimal(mf.qtext, decimal, mf.qty);
    mf.ps = parse_decimal(mf.ptext, decimal, mf.price);
  }
  if (facts != nullptr) {  // facts describe every well-formed line, whatever happens to it next
    facts->cancellation_lines += cancelled;
    facts->negative_amount_lines += m.amount >= 0 && mf.as == value_status::ok && mf.amount.mantissa < 0;
    facts->negative_quantity_lines += m.amount < 0 && mf.qs == value_status::ok && mf.qty.mantissa < 0;
  }
  out.customer = normalize_customer_id(value(fields[static_cast<size_t>(m.customer)], owned));
  if (missing_text(out.customer)) return refuse(reject::missing_customer_id, reason);
  if (!read_day(fields[static_cast<size_t>(m.date)], out.day, reason, error, owned)) return false;
  if (!read_amount(mf, out.amount, reason, error)) return false;
  if (m.invoice >= 0 && missing_text(out.invoice))
    return bad(reject::missing_invoice, m.invoice, "missing invoice number: " + quote_value(out.invoice), reason, error);
  if (s_.as_of && out.day >= *s_.as_of) return refuse(reject::on_or_after_as_of, reason);

  // Netting policy: a cancellation line (invoice "C…") or a line with a negative quantity or amount is
  // a return; its value is subtracted, whatever sign the log gives a cancellation's amount.
  out.is_return = cancelled || (m.amount < 0 && mf.qty.mantissa < 0) || out.amount < 0;
  if (out.is_return && out.amount > 0) out.amount = -out.amount;
  out.product = m.product >= 0 ? value(fields[static_cast<size_t>(m.product)], owned) : std::string_view();
  out.category = m.category >= 0 ? value(fields[static_cast<size_t>(m.category)], owned) : std::string_view();
  return true;
}

bool line_reader::read_day(const csv_field& field, int32_t& day, reject& reason, pending_error* error,
                           std::deque<std::string>& owned) {
  const std::string_view text = field.escaped ? std::string_view(owned.emplace_back(field_value(field))) : field.text;
  if (!(have_last_date_ && same_text(text, last_date_text_))) {  // lines of one invoice repeat the date
    int32_t parsed = 0;
    if (!s_.dates->parse(trim_blanks(text), parsed)) {
      if (const auto why = s_.dates->impossible(trim_blanks(text)))
        return bad(reject::bad_date, f_.columns.date, "not a calendar date: " + quote_value(text) + " (" + *why + ")",
                   reason, error);
      return bad(reject::bad_date, f_.columns.date,
                 "not a date in the format " + s_.dates->description() + ": " + quote_value(text) +
                     (s_.options->date_format.empty() ? " (give the format with --date-format, e.g. %d/%m/%Y)" : ""),
                 reason, error);
    }
    last_date_text_ = text;
    last_day_ = parsed;
    have_last_date_ = true;
  }
  day = last_day_;
  return true;
}

bool line_reader::read_amount(const money_fields& mf, int64_t& micro, reject& reason, pending_error* error) {
  const column_map& m = f_.columns;
  auto number_error = [&](reject why, int column, value_status s, std::string_view text) {
    return bad(why, column, (s == value_status::missing ? "missing value: " : "not a number: ") + quote_value(text), reason, error);
  };
  if (m.amount >= 0) {
    if (mf.as != value_status::ok) return number_error(reject::bad_amount, m.amount, mf.as, mf.atext);
    if (!to_micro(mf.amount, micro)) return bad(reject::bad_amount, m.amount, "amount too large: " + quote_value(mf.atext), reason, error);
    return true;
  }
  if (mf.qs != value_status::ok) return number_error(reject::bad_quantity, m.quantity, mf.qs, mf.qtext);
  if (mf.ps != value_status::ok) return number_error(reject::bad_price, m.price, mf.ps, mf.ptext);
  if (!product_micro(mf.qty, mf.price, micro))
    return bad(reject::bad_amount, m.price, "quantity × price too large: " + quote_value(mf.qtext) + " × " + quote_value(mf.ptext),
               reason, error);
  return true;
}

namespace {

struct line_entry {
  uint64_t hash = 0;
  std::string_view text;
};

/// Aggregates the used lines of one chunk.
class chunk_aggregator {
 public:
  chunk_aggregator(const transaction_options& o, chunk_result& r, size_t bytes)
      : o_(o), r_(r), customers_(bytes / 2000 + 16), days_(bytes / 400 + 16), invoices_(bytes / 400 + 16),
        products_(o.columns.product ? bytes / 60 + 16 : 16), spends_(16), lines_(o.keep_duplicates ? 16 : bytes / 80 + 16) {}

  /// The line's hash for first_occurrence, its table slot being fetched meanwhile (0 when not needed).
  uint64_t line_hash(std::string_view text) {
    if (o_.keep_duplicates) return 0;
    const uint64_t h = hash_bytes(text);
    lines_.prefetch(h);
    return h;
  }

  /// False when the line is an exact duplicate of an earlier line of this chunk.
  bool first_occurrence(std::string_view text, uint64_t h) {
    if (o_.keep_duplicates) return true;
    return lines_.find_or_insert(h, [&](const line_entry& e) { return e.text == text; }, [&] { return line_entry{h, text}; }).second;
  }

  void add(const parsed_line& l, size_t first, size_t end) {
    const uint32_t c = customer(l.customer);
    chunk_customer& cu = customers_.entries()[c];
    const uint64_t ch = cu.hash;
    ++cu.lines;
    if (l.is_return) {
      cu.returned -= l.amount;
      ++cu.return_lines;
    } else {
      cu.gross += l.amount;
      ++cu.purchase_lines;
      if (l.day < cu.first_day) cu.first_day_gross = 0;
      if (l.day <= cu.first_day) cu.first_day_gross += l.amount;
      cu.first_day = std::min(cu.first_day, l.day);
      cu.last_day = std::max(cu.last_day, l.day);
    }
    r_.min_day = std::min(r_.min_day, l.day);
    r_.max_day = std::max(r_.max_day, l.day);
    add_day(c, ch, l.day, first, end, !l.is_return);
    if (l.is_return) return;
    if (o_.columns.invoice && !(c == last_invoice_customer_ && same_text(l.invoice, last_invoice_))) {
      add_pair(invoices_, c, ch, l.invoice);
      last_invoice_customer_ = c;
      last_invoice_ = l.invoice;
    }
    if (o_.columns.product) add_pair(products_, c, ch, l.product);
    if (o_.columns.category) {
      const uint64_t h = pair_hash(ch, l.category);
      const auto [i, inserted] = spends_.find_or_insert(
          h, [&](const chunk_spend& e) { return e.customer == c && e.category == l.category; },
          [&] { return chunk_spend{h, c, l.category, 0}; });
      spends_.entries()[i].spend += l.amount;
    }
  }

  /// Moves the aggregates into the result, ordered by customer partition.
  void finish() {
    r_.customers = std::move(customers_.entries());
    std::vector<uint32_t> count(partitions + 1, 0);
    for (const auto& c : r_.customers) ++count[partition_of(c.hash) + 1];
    for (uint32_t p = 0; p < partitions; ++p) count[p + 1] += count[p];
    r_.customer_at = count;
    r_.customer_order.resize(r_.customers.size());
    for (uint32_t i = 0; i < r_.customers.size(); ++i) r_.customer_order[count[partition_of(r_.customers[i].hash)]++] = i;
    r_.days = by_partition(std::move(days_.entries()), r_.day_at);
    r_.invoices = by_partition(std::move(invoices_.entries()), r_.invoice_at);
    r_.products = by_partition(std::move(products_.entries()), r_.product_at);
    r_.spends = by_partition(std::move(spends_.entries()), r_.spend_at);
  }

 private:
  uint32_t customer(std::string_view id) {
    if (have_last_customer_ && same_text(id, last_customer_id_)) return last_customer_;
    const uint64_t h = hash_bytes(id);
    last_customer_ = customers_.find_or_insert(h, [&](const chunk_customer& e) { return same_text(e.id, id); },
                                                [&] {
                                                  chunk_customer c;
                                                  c.hash = h;
                                                  c.id = id;
                                                  return c;
                                                })
                         .first;
    last_customer_id_ = id;
    have_last_customer_ = true;
    return last_customer_;
  }

  void add_day(uint32_t c, uint64_t ch, int32_t day, size_t first, size_t end, bool purchase) {
    if (!(c == last_day_customer_ && day == last_day_value_)) {
      const uint64_t h = day_key_hash(ch, day);
      last_day_entry_ = days_.find_or_insert(h, [&](const chunk_day& e) { return e.customer == c && e.day == day; },
                                             [&] { return chunk_day{h, c, day, first, end, false}; })
                            .first;
      last_day_customer_ = c;
      last_day_value_ = day;
    }
    chunk_day& d = days_.entries()[last_day_entry_];
    d.end = end;
    d.purchase = d.purchase || purchase;
  }

  static void add_pair(flat_index<chunk_pair>& index, uint32_t c, uint64_t ch, std::string_view v) {
    const uint64_t h = pair_hash(ch, v);
    index.find_or_insert(h, [&](const chunk_pair& e) { return e.customer == c && same_text(e.value, v); }, [&] { return chunk_pair{h, c, v}; });
  }

  /// Stable counting sort of entries by their customer's partition; `at` gets the partition offsets.
  template <class T>
  std::vector<T> by_partition(std::vector<T>&& v, std::vector<uint32_t>& at) {
    at.assign(partitions + 1, 0);
    for (const auto& e : v) ++at[partition_of(r_.customers[e.customer].hash) + 1];
    for (uint32_t p = 0; p < partitions; ++p) at[p + 1] += at[p];
    std::vector<uint32_t> next(at.begin(), at.end() - 1);
    std::vector<T> out(v.size());
    for (auto& e : v) out[next[partition_of(r_.customers[e.customer].hash)]++] = e;
    return out;
  }

  const transaction_options& o_;
  chunk_result& r_;
  flat_index<chunk_customer> customers_;
  flat_index<chunk_day> days_;
  flat_index<chunk_pair> invoices_;
  flat_index<chunk_pair> products_;
  flat_index<chunk_spend> spends_;
  flat_index<line_entry> lines_;
  std::string_view last_customer_id_;
  uint32_t last_customer_ = 0;
  bool have_last_customer_ = false;
  uint32_t last_day_customer_ = UINT32_MAX;
  int32_t last_day_value_ = 0;
  uint32_t last_day_entry_ = 0;
  uint32_t last_invoice_customer_ = UINT32_MAX;
  std::string_view last_invoice_;
};

}  // namespace

chunk_result parse_transaction_chunk(const parse_settings& s, const transaction_file& f, const parse_chunk& c) {
  chunk_result r;
  const transaction_options& o = *s.options;
  chunk_aggregator agg(o, r, c.end - c.begin);
  line_reader reader(s, f);
  field_array plain;
  std::vector<csv_field> quoted;
  std::span<const csv_field> fields;
  record_status st;
  parsed_line line;
  pending_error err;
  const char* base = f.body.data();
  const char* p = base + c.begin;
  const char* end = base + c.end;
  int64_t rel_line = 0;
  while (p < end) {
    const char* start = p;
    if (f.whitespace) {
      p = split_record(f, p, end, quoted, st);
      fields = quoted;
    } else if (const char* next = split_plain_record(p, end, f.delimiter, plain, st); next != nullptr) {
      p = next;
      fields = plain.span();
    } else {
      p = parse_record(p, end, f.delimiter, quoted, st);
      fields = quoted;
      if (st.unterminated) r.open_quote_at_end = true;
    }
    if (is_blank(fields) && !st.unterminated) {
      ++r.blank;
      rel_line += st.newlines;
      continue;
    }
    ++r.read;
    const std::string_view text = record_text(start, p);
    const uint64_t text_hash = agg.line_hash(text);
    reject reason = reject::count_;
    err.reason = reject::count_;
    if (!reader.read(fields, st, line, reason, &err, &r.facts, r.owned)) {
      if (err.reason != reject::count_ && o.on_bad_row == bad_row_policy::fail) {
        err.rel_line = rel_line;
        if (st.newlines > 1) err.message += spanned_lines_hint(st);
        r.error = std::move(err);
        r.newlines = rel_line;
        return r;
      }
      ++r.rejected[static_cast<size_t>(reason)];
      if (st.newlines > 1 && reason != reject::on_or_after_as_of) {
        // A bad record whose quote spans lines: only its first line is rejected and the lines after it are
        // read as the records they are (resynchronised), so no line vanishes inside a stray quote.
        p = static_cast<const char*>(std::memchr(start, '\n', static_cast<size_t>(p - start))) + 1;
        rel_line += 1;
        continue;
      }
    } else if (!agg.first_occurrence(text, text_hash)) {
      ++r.rejected[static_cast<size_t>(reject::duplicate_line)];
    } else {
      agg.add(line, static_cast<size_t>(start - base), static_cast<size_t>(p - base));
      ++r.used;
    }
    rel_line += st.newlines;
  }
  r.newlines = rel_line;
  agg.finish();
  return r;
}

}  // namespace segmint::detail
