// A Document as GitHub-flavoured Markdown: "# title", then each block after
// a blank line: headings as "##"..., paragraphs, "- " lists and pipe tables
// (column alignment in the rule row). Data is escaped so that it can
// neither break the structure nor become markup (MarkdownEscape).
//
//   std::string text = render::RenderMarkdown(document);
//   // "# title\n\n## heading\n\n| a | b |\n|---|---:|\n| 1 | 2 |\n"
#ifndef PRONGSAI_COMMON_RENDER_MARKDOWN_H_
#define PRONGSAI_COMMON_RENDER_MARKDOWN_H_

#include <string>

#include "absl/strings/string_view.h"
#include "common/render/document.h"

namespace prongsai::render {

// `text` as Markdown text: '\' and '|' are backslash-escaped so that text
// cannot end a table cell (GFM splits a row at every unescaped '|', and
// "\\|" is an escaped backslash then a split); '<' so that it cannot open an
// HTML tag or autolink when the Markdown is shown as HTML; '[' and ']' so
// that it cannot form a link. Emphasis characters (* _ `) and '>' '&' are
// kept: they can only style text inside its block. A line break ("\n",
// "\r\n" or "\r") becomes `line_break`: "<br>" in cells, a space in
// headings and list items.
std::string MarkdownEscape(absl::string_view text,
                           absl::string_view line_break);

std::string RenderMarkdown(const Document& document);

}  // namespace prongsai::render

#endif  // PRONGSAI_COMMON_RENDER_MARKDOWN_H_
