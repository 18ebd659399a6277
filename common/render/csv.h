// A Document's tables as one CSV file (RFC 4180) that Excel opens as it is:
// UTF-8 with a byte-order mark, CRLF line ends, every record as wide as the
// widest table. The first record is the first table's header, so tools
// import the file as a table: the title and the blocks before the first
// table are left out (callers name the file instead). After that, each
// block is a record per line (heading, paragraph, list item, table header
// and row), separated from the one before by an empty record, except that a
// table or list right after a heading or paragraph (its label) follows it
// directly. A table without rows is just its header (no empty_text).
//
//   std::string csv = render::RenderCsv(document);
//   // "\xEF\xBB\xBFลำดับ,โครงการ\r\n1,\"a, b\"\r\n"
#ifndef PRONGSAI_COMMON_RENDER_CSV_H_
#define PRONGSAI_COMMON_RENDER_CSV_H_

#include <string>

#include "common/render/document.h"

namespace prongsai::render {

// One field: user text a spreadsheet would run as a formula gets a leading
// apostrophe (see csv.cc); a field holding a comma, a quote or a line break
// is quoted, with quotes doubled.
std::string CsvField(const Cell& cell);

std::string RenderCsv(const Document& document);

}  // namespace prongsai::render

#endif  // PRONGSAI_COMMON_RENDER_CSV_H_
