// A Document as one complete UTF-8 HTML page: the title in <title> and <h1>,
// headings as <h2>..<h6>, paragraphs, lists and tables (aligned columns get
// a text-align style). Every piece of text is data to the browser, never
// markup (HtmlEscape).
//
//   std::string page = render::RenderHtml(document);
//   // "<!DOCTYPE html>\n<html lang=\"th\">\n<head>..."
#ifndef PRONGSAI_COMMON_RENDER_HTML_H_
#define PRONGSAI_COMMON_RENDER_HTML_H_

#include <string>

#include "absl/strings/string_view.h"
#include "common/render/document.h"

namespace prongsai::render {

// `text` as HTML text: & < > " ' as entities, line breaks as "<br>".
std::string HtmlEscape(absl::string_view text);

std::string RenderHtml(const Document& document);

}  // namespace prongsai::render

#endif  // PRONGSAI_COMMON_RENDER_HTML_H_
