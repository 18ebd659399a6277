#include "common/render/csv.h"

#include <algorithm>
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"

namespace prongsai::render {
namespace {

// Excel opens a BOM-less CSV in the system's ANSI code page (TIS-620 /
// windows-874 on Thai Windows at best, windows-1252 elsewhere) and turns Thai
// UTF-8 into mojibake; a UTF-8 byte-order mark makes it read UTF-8. Officers
// open these files by double-click, so the BOM wins over the few tools that
// would keep it as part of the first header (RFC 4180 allows any charset).
constexpr absl::string_view kUtf8Bom = "\xEF\xBB\xBF";
constexpr absl::string_view kCrLf = "\r\n";

// A spreadsheet runs a cell that starts with '=', '+', '-' or '@' as a
// formula (tab, CR and LF lead some of them to the same place), so a title
// such as "=HYPERLINK(...)" or "-2+3+cmd|..." would execute when an officer
// opens the file. Such user text gets a leading apostrophe (OWASP's advice),
// which keeps it visible as text. A lone "-" is left alone: with no operand
// it cannot be a formula, and it is how documents write "nothing / not
// scheduled". Renderer-made cells (numbers, "-" for an unset amount) are
// never touched, whatever their first character.
bool IsFormulaLike(const Cell& cell) {
  if (cell.origin != Origin::kUser || cell.text.empty() || cell.text == "-") {
    return false;
  }
  return absl::string_view("=+-@\t\r\n").find(cell.text.front()) !=
         absl::string_view::npos;
}

class CsvWriter {
 public:
  // Every record gets `width` fields, so that the file is a rectangle.
  explicit CsvWriter(size_t width) : width_(width) {}

  void Add(const std::vector<Cell>& record) {
    std::vector<std::string> fields;
    fields.reserve(width_);
    for (size_t i = 0; i < width_; ++i) {
      fields.push_back(i < record.size() ? CsvField(record[i]) : "");
    }
    absl::StrAppend(&out_, absl::StrJoin(fields, ","), kCrLf);
    empty_ = false;
  }
  void AddText(std::string text) { Add({User(std::move(text))}); }
  void AddBlank() { Add({}); }
  bool empty() const { return empty_; }

  std::string Finish() && { return std::move(out_); }

 private:
  size_t width_;
  bool empty_ = true;
  std::string out_ = std::string(kUtf8Bom);
};

bool IsLabel(const Block& block) {
  return block.kind == Block::Kind::kHeading ||
         block.kind == Block::Kind::kParagraph;
}

void AddBlock(const Block& block, CsvWriter& csv) {
  switch (block.kind) {
    case Block::Kind::kHeading:
    case Block::Kind::kParagraph:
      csv.AddText(block.text);
      break;
    case Block::Kind::kList:
      for (const Cell& item : block.items) csv.Add({item});
      break;
    case Block::Kind::kTable: {
      std::vector<Cell> headings;
      for (const Column& column : block.columns) {
        headings.push_back(User(column.heading));
      }
      csv.Add(headings);
      for (const std::vector<Cell>& row : block.rows) csv.Add(row);
      break;
    }
  }
}

}  // namespace

std::string CsvField(const Cell& cell) {
  std::string value =
      IsFormulaLike(cell) ? absl::StrCat("'", cell.text) : cell.text;
  if (value.find_first_of(",\"\r\n") == std::string::npos) return value;
  std::string out = "\"";
  for (const char c : value) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

std::string RenderCsv(const Document& document) {
  const std::vector<Block>& blocks = document.blocks;
  size_t width = 1;
  for (const Block& block : blocks)
    width = std::max(width, block.columns.size());
  const auto first_table = std::find_if(
      blocks.begin(), blocks.end(),
      [](const Block& block) { return block.kind == Block::Kind::kTable; });
  CsvWriter csv(width);
  const Block* previous = nullptr;
  for (auto it = first_table == blocks.end() ? blocks.begin() : first_table;
       it != blocks.end(); ++it) {
    const bool labelled =
        previous != nullptr && IsLabel(*previous) && !IsLabel(*it);
    if (!csv.empty() && !labelled) csv.AddBlank();
    AddBlock(*it, csv);
    previous = &*it;
  }
  return std::move(csv).Finish();
}

}  // namespace prongsai::render
