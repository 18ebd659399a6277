#include "common/render/html.h"

#include <algorithm>
#include <cstddef>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace prongsai::render {
namespace {

// The opening tag of a cell of `column`.
std::string CellTag(absl::string_view tag, const Column& column) {
  switch (column.align) {
    case Align::kCenter:
      return absl::StrCat("<", tag, " style=\"text-align:center\">");
    case Align::kRight:
      return absl::StrCat("<", tag, " style=\"text-align:right\">");
    case Align::kLeft:
      break;
  }
  return absl::StrCat("<", tag, ">");
}

void AppendTable(const Block& table, std::string& out) {
  if (table.rows.empty() && !table.empty_text.empty()) {
    absl::StrAppend(&out, "<p>", HtmlEscape(table.empty_text), "</p>\n");
    return;
  }
  out.append("<table>\n<thead><tr>");
  for (const Column& column : table.columns) {
    absl::StrAppend(&out, CellTag("th", column), HtmlEscape(column.heading),
                    "</th>");
  }
  out.append("</tr></thead>\n<tbody>\n");
  for (const std::vector<Cell>& row : table.rows) {
    out.append("<tr>");
    for (size_t i = 0; i < table.columns.size(); ++i) {
      absl::StrAppend(&out, CellTag("td", table.columns[i]),
                      HtmlEscape(i < row.size() ? row[i].text : ""), "</td>");
    }
    out.append("</tr>\n");
  }
  out.append("</tbody>\n</table>\n");
}

void AppendBlock(const Block& block, std::string& out) {
  switch (block.kind) {
    case Block::Kind::kHeading: {
      const int level = std::clamp(block.level + 1, 2, 6);
      absl::StrAppend(&out, "<h", level, ">", HtmlEscape(block.text), "</h",
                      level, ">\n");
      break;
    }
    case Block::Kind::kParagraph:
      absl::StrAppend(&out, "<p>", HtmlEscape(block.text), "</p>\n");
      break;
    case Block::Kind::kList:
      out.append("<ul>\n");
      for (const Cell& item : block.items) {
        absl::StrAppend(&out, "<li>", HtmlEscape(item.text), "</li>\n");
      }
      out.append("</ul>\n");
      break;
    case Block::Kind::kTable:
      AppendTable(block, out);
      break;
  }
}

}  // namespace

std::string HtmlEscape(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    switch (c) {
      case '&':
        out.append("&amp;");
        break;
      case '<':
        out.append("&lt;");
        break;
      case '>':
        out.append("&gt;");
        break;
      case '"':
        out.append("&quot;");
        break;
      case '\'':
        out.append("&#39;");
        break;
      case '\r':
        if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
        out.append("<br>");
        break;
      case '\n':
        out.append("<br>");
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

std::string RenderHtml(const Document& document) {
  std::string out = absl::StrCat(
      "<!DOCTYPE html>\n<html lang=\"", HtmlEscape(document.language),
      "\">\n<head>\n<meta charset=\"utf-8\">\n<title>",
      HtmlEscape(document.title),
      "</title>\n<style>\n"
      "body{font-family:sans-serif;max-width:60em;margin:2em auto;}\n"
      "table{border-collapse:collapse;margin:1em 0;}\n"
      "th,td{border:1px solid #888;padding:.3em .5em;vertical-align:top;}\n"
      "</style>\n</head>\n<body>\n<h1>",
      HtmlEscape(document.title), "</h1>\n");
  for (const Block& block : document.blocks) AppendBlock(block, out);
  out.append("</body>\n</html>\n");
  return out;
}

}  // namespace prongsai::render
