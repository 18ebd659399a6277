// A format-neutral document: a title and blocks (headings, paragraphs,
// lists, tables), written as Markdown (markdown.h), HTML (html.h) or CSV
// (csv.h). Every string is plain text, whoever made it: each writer escapes
// all of it for its format, so data can never become markup. '\n' (or
// "\r\n") is a line break.
//
//   render::Document doc;
//   doc.title = "แผนปฏิบัติการป้องกันการทุจริต พ.ศ. 2568";
//   doc.Heading(1, "สรุป");
//   doc.Table({{.heading = "ลำดับ", .align = render::Align::kRight},
//              {.heading = "โครงการ"}},
//             {{render::Made("1"), render::User(title)}});
//   std::string markdown = render::RenderMarkdown(doc);
#ifndef PRONGSAI_COMMON_RENDER_DOCUMENT_H_
#define PRONGSAI_COMMON_RENDER_DOCUMENT_H_

#include <string>
#include <vector>

namespace prongsai::render {

// Who wrote a cell's text. Only text from a user can be a spreadsheet
// formula injection (csv.h); cells the renderer made (numbers, "-", labels)
// are written as they are.
enum class Origin { kRenderer, kUser };

struct Cell {
  std::string text;
  Origin origin = Origin::kUser;
};

// A cell the renderer made.
Cell Made(std::string text);
// A cell holding text from a user.
Cell User(std::string text);
// Cells holding text from users.
std::vector<Cell> UserCells(std::vector<std::string> texts);

enum class Align { kLeft, kCenter, kRight };

struct Column {
  std::string heading;
  Align align = Align::kLeft;
};

struct Block {
  enum class Kind { kHeading, kParagraph, kList, kTable };
  Kind kind = Kind::kParagraph;
  // Headings: 1 is the first level under the document's title.
  int level = 0;
  // Headings and paragraphs.
  std::string text;
  // Lists.
  std::vector<Cell> items;
  // Tables; a row shorter than the columns is padded with empty cells.
  std::vector<Column> columns;
  std::vector<std::vector<Cell>> rows;
  // Tables: written instead of a table without rows (Markdown, HTML), when
  // not empty.
  std::string empty_text;
};

struct Document {
  std::string title;
  // HTML's lang attribute.
  std::string language = "th";
  std::vector<Block> blocks;

  void Heading(int level, std::string text);
  void Paragraph(std::string text);
  void List(std::vector<Cell> items);
  // A list of user text.
  void List(std::vector<std::string> items);
  void Table(std::vector<Column> columns, std::vector<std::vector<Cell>> rows,
             std::string empty_text = "");
  // A table of user text with left-aligned columns.
  void Table(std::vector<std::string> headings,
             std::vector<std::vector<std::string>> rows);
};

}  // namespace prongsai::render

#endif  // PRONGSAI_COMMON_RENDER_DOCUMENT_H_
