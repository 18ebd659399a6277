// The CSV of ITA results the NACC publishes for many organizations (ITAS
// exports it as a spreadsheet), read into one published summary per row for
// ImportPublishedResults. The accepted header is documented in ita.proto
// (English or Thai column names). Pure: no I/O, no framework; the caller
// checks the summaries against the year's framework.
//
//   PRONGSAI_ASSIGN_OR_RETURN(ParsedResults parsed, ParseResultsCsv(csv));
//   for (const ResultRow& row : parsed.rows) { ... row.published ... }
//   for (const RowRefusal& refusal : parsed.refused) { ... }
#ifndef PRONGSAI_SERVICES_ITA_ITA_RESULTS_CSV_H_
#define PRONGSAI_SERVICES_ITA_ITA_RESULTS_CSV_H_

#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "prongsai/common/v1/common.pb.h"
#include "prongsai/ita/v1/ita.pb.h"

namespace prongsai::ita {

// More data rows than this refuse the whole file.
inline constexpr int kMaxResultRows = 20000;

// One CSV record (RFC 4180): its number (the first record is 1) and fields.
// `damage` says why the record could not be read as written (a quoted field
// not closed, text after a closing quote); its fields are then unreliable.
struct CsvRecord {
  int number = 0;
  std::vector<std::string> fields;
  std::string damage;
};

// Splits `text` into records: "," between fields, CRLF, LF or CR between
// records, "..." around a field with "" for a quote. A leading UTF-8
// byte-order mark is dropped. A final line end does not start a record.
std::vector<CsvRecord> SplitCsv(absl::string_view text);

// A row read from the file.
struct ResultRow {
  // Record number in the file (the header is 1).
  int row = 0;
  // Code (Thai digits made ASCII) and descriptive fields.
  common::v1::OrganizationRef organization;
  // overall ("overall"), tools ("IIT", "EIT", "OIT"), indicators ("9") and
  // grade, as published; an empty cell is left out.
  v1::ScoreSet published;
  // The header name of the column each field path of an IngestPublished-
  // style request came from: "organization.code", "published.overall",
  // "published.tools[0]", "published.indicators[2]", "published.grade"...
  absl::flat_hash_map<std::string, std::string> columns;
};

// A row refused, with the column (header name; empty for the whole row).
struct RowRefusal {
  int row = 0;
  std::string column;
  std::string message;
  std::string organization_code;
};

struct ParsedResults {
  std::vector<ResultRow> rows;
  std::vector<RowRefusal> refused;
  // The indicator numbers the header has columns for, ascending.
  std::vector<int> indicator_columns;
};

// Reads the whole file. Rows that cannot be read (wrong number of fields,
// damaged quoting, a score that is not a number 0-100, an unknown kind, a
// bad or repeated organization code) are refused and the others kept.
// INVALID_ARGUMENT `content` for an empty file, text that is not UTF-8, a
// bad header (unknown, repeated or missing required column) or more than
// kMaxResultRows rows.
absl::StatusOr<ParsedResults> ParseResultsCsv(absl::string_view content);

// `status` (a validation error naming a field path of `row`, as
// ValidatePublished gives) as a refusal of the row at the column the path
// came from; the path's own text when no column matches.
RowRefusal RefusalOf(const ResultRow& row, const absl::Status& status);

}  // namespace prongsai::ita

#endif  // PRONGSAI_SERVICES_ITA_ITA_RESULTS_CSV_H_
