#include "tools/cli/table.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "common/thai/thai.h"

namespace prongsai::cli {

Table::Table(std::vector<std::string> headers) : headers_(std::move(headers)) {}

void Table::AddRow(std::vector<std::string> cells) {
  cells.resize(headers_.size());
  rows_.push_back(std::move(cells));
}

std::string Table::Render() const {
  std::vector<int> widths(headers_.size(), 0);
  auto measure = [&widths](const std::vector<std::string>& cells) {
    for (size_t i = 0; i < cells.size(); ++i) {
      widths[i] = std::max(widths[i], thai::DisplayWidth(cells[i]));
    }
  };
  measure(headers_);
  for (const auto& row : rows_) measure(row);

  std::string out;
  auto render = [&](const std::vector<std::string>& cells) {
    for (size_t i = 0; i < cells.size(); ++i) {
      const bool last = i + 1 == cells.size();
      absl::StrAppend(&out,
                      last ? cells[i] : thai::PadToWidth(cells[i], widths[i]),
                      last ? "\n" : "  ");
    }
  };
  render(headers_);
  for (const auto& row : rows_) render(row);
  return out;
}

}  // namespace prongsai::cli
