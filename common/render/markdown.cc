#include "common/render/markdown.h"

#include <cstddef>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"

namespace prongsai::render {
namespace {

constexpr absl::string_view kCellBreak = "<br>";
constexpr absl::string_view kLineBreakAsSpace = " ";
// Two trailing spaces: a hard line break inside a paragraph.
constexpr absl::string_view kParagraphBreak = "  \n";

std::string Row(const std::vector<std::string>& escaped_cells) {
  return absl::StrCat("| ", absl::StrJoin(escaped_cells, " | "), " |");
}

absl::string_view Rule(Align align) {
  switch (align) {
    case Align::kCenter:
      return ":---:";
    case Align::kRight:
      return "---:";
    case Align::kLeft:
      break;
  }
  return "---";
}

void AppendTable(const Block& table, std::vector<std::string>& lines) {
  if (table.rows.empty() && !table.empty_text.empty()) {
    lines.push_back(MarkdownEscape(table.empty_text, kParagraphBreak));
    return;
  }
  std::vector<std::string> headings;
  std::vector<absl::string_view> rules;
  for (const Column& column : table.columns) {
    headings.push_back(MarkdownEscape(column.heading, kCellBreak));
    rules.push_back(Rule(column.align));
  }
  lines.push_back(Row(headings));
  lines.push_back(absl::StrCat("|", absl::StrJoin(rules, "|"), "|"));
  for (const std::vector<Cell>& row : table.rows) {
    std::vector<std::string> cells;
    cells.reserve(table.columns.size());
    for (size_t i = 0; i < table.columns.size(); ++i) {
      cells.push_back(i < row.size() ? MarkdownEscape(row[i].text, kCellBreak)
                                     : "");
    }
    lines.push_back(Row(cells));
  }
}

void AppendBlock(const Block& block, std::vector<std::string>& lines) {
  switch (block.kind) {
    case Block::Kind::kHeading:
      lines.push_back(
          absl::StrCat(std::string(block.level + 1, '#'), " ",
                       MarkdownEscape(block.text, kLineBreakAsSpace)));
      break;
    case Block::Kind::kParagraph:
      lines.push_back(MarkdownEscape(block.text, kParagraphBreak));
      break;
    case Block::Kind::kList:
      for (const Cell& item : block.items) {
        lines.push_back(
            absl::StrCat("- ", MarkdownEscape(item.text, kLineBreakAsSpace)));
      }
      break;
    case Block::Kind::kTable:
      AppendTable(block, lines);
      break;
  }
}

}  // namespace

std::string MarkdownEscape(absl::string_view text,
                           absl::string_view line_break) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    switch (c) {
      case '\\':
      case '|':
      case '<':
      case '[':
      case ']':
        out.push_back('\\');
        out.push_back(c);
        break;
      case '\r':
        if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
        absl::StrAppend(&out, line_break);
        break;
      case '\n':
        absl::StrAppend(&out, line_break);
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

std::string RenderMarkdown(const Document& document) {
  std::vector<std::string> lines;
  lines.push_back(
      absl::StrCat("# ", MarkdownEscape(document.title, kLineBreakAsSpace)));
  for (const Block& block : document.blocks) {
    lines.push_back("");
    AppendBlock(block, lines);
  }
  return absl::StrCat(absl::StrJoin(lines, "\n"), "\n");
}

}  // namespace prongsai::render
