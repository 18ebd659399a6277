#include "common/render/document.h"

#include <string>
#include <utility>
#include <vector>

namespace prongsai::render {

Cell Made(std::string text) {
  return {.text = std::move(text), .origin = Origin::kRenderer};
}

Cell User(std::string text) {
  return {.text = std::move(text), .origin = Origin::kUser};
}

std::vector<Cell> UserCells(std::vector<std::string> texts) {
  std::vector<Cell> cells;
  cells.reserve(texts.size());
  for (std::string& text : texts) cells.push_back(User(std::move(text)));
  return cells;
}

void Document::Heading(int level, std::string text) {
  Block& block = blocks.emplace_back();
  block.kind = Block::Kind::kHeading;
  block.level = level;
  block.text = std::move(text);
}

void Document::Paragraph(std::string text) {
  Block& block = blocks.emplace_back();
  block.kind = Block::Kind::kParagraph;
  block.text = std::move(text);
}

void Document::List(std::vector<Cell> items) {
  Block& block = blocks.emplace_back();
  block.kind = Block::Kind::kList;
  block.items = std::move(items);
}

void Document::List(std::vector<std::string> items) {
  List(UserCells(std::move(items)));
}

void Document::Table(std::vector<Column> columns,
                     std::vector<std::vector<Cell>> rows,
                     std::string empty_text) {
  Block& block = blocks.emplace_back();
  block.kind = Block::Kind::kTable;
  block.columns = std::move(columns);
  block.rows = std::move(rows);
  block.empty_text = std::move(empty_text);
}

void Document::Table(std::vector<std::string> headings,
                     std::vector<std::vector<std::string>> rows) {
  std::vector<Column> columns;
  columns.reserve(headings.size());
  for (std::string& heading : headings) {
    columns.push_back({.heading = std::move(heading), .align = Align::kLeft});
  }
  std::vector<std::vector<Cell>> cells;
  cells.reserve(rows.size());
  for (std::vector<std::string>& row : rows) {
    cells.push_back(UserCells(std::move(row)));
  }
  Table(std::move(columns), std::move(cells));
}

}  // namespace prongsai::render
