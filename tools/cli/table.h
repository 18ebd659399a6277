// Aligned text tables for the CLI's human output. Thai combining marks take
// no column, so widths are measured in display columns, not bytes.
//
//   Table table({"NAME", "TITLE"});
//   table.AddRow({"organizations/x/actionPlans/y", "แผนปฏิบัติการ"});
//   std::cout << table.Render();
#ifndef PRONGSAI_TOOLS_CLI_TABLE_H_
#define PRONGSAI_TOOLS_CLI_TABLE_H_

#include <string>
#include <vector>

namespace prongsai::cli {

class Table {
 public:
  explicit Table(std::vector<std::string> headers);
  void AddRow(std::vector<std::string> cells);
  // Columns separated by two spaces; the last column is not padded.
  std::string Render() const;

 private:
  std::vector<std::string> headers_;
  std::vector<std::vector<std::string>> rows_;
};

}  // namespace prongsai::cli

#endif  // PRONGSAI_TOOLS_CLI_TABLE_H_
