#include "services/plan/plan_import/progress_import.h"

#include <algorithm>
#include <array>
#include <cstddef>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "common/thai/thai.h"
#include "services/plan/plan_import/measures_import.h"
#include "services/plan/plan_import/text.h"

namespace prongsai::plan::plan_import {
namespace {

using Severity = v1::Finding::Severity;

struct ProgressColumns {
  int title = -1;
  int details = -1;
  int period = -1;
  int output = -1;
  int outcome = -1;
};

// Outcome before output: seed 004's outcome header also says ดำเนินการ.
void AssignColumn(absl::string_view cell, int index, ProgressColumns* c) {
  const std::array<std::pair<absl::string_view, int*>, 8> words = {{
      {"ผลลัพธ์", &c->outcome},
      {"Outcome", &c->outcome},
      {"ผลผลิต", &c->output},
      {"Output", &c->output},
      {"ผลการดำเนินการ", &c->output},
      {"รายละเอียด", &c->details},
      {"ระยะเวลา", &c->period},
      {"มาตรการ", &c->title},
  }};
  for (const auto& [word, column] : words) {
    if (absl::StrContains(cell, word)) {
      *column = index;  // a second header line refines the first
      return;
    }
  }
}

bool MentionsResults(const std::vector<std::string>& cells) {
  for (const std::string& cell : cells) {
    for (absl::string_view word :
         {"ผลลัพธ์", "ผลผลิต", "Output", "Outcome", "ผลการดำเนินการ"}) {
      if (absl::StrContains(cell, word)) return true;
    }
  }
  return false;
}

// "ประเด็นที่ ๑ ..." alone on a line groups the rows after it (seed 004);
// it is not a row.
bool IssueHeading(const std::vector<std::string>& cells) {
  const int filled = static_cast<int>(std::count_if(
      cells.begin(), cells.end(), [](const auto& c) { return !c.empty(); }));
  return filled == 1 && absl::StartsWith(cells.front(), "ประเด็นที่");
}

void AddFinding(ImportedProgress& out, Severity severity,
                absl::string_view code, std::string location,
                std::string message) {
  v1::Finding& finding = out.findings.emplace_back();
  finding.set_severity(severity);
  finding.set_code(std::string(code));
  finding.set_location(std::move(location));
  finding.set_message(std::move(message));
}

void Append(std::string* field, absl::string_view more) {
  if (more.empty()) return;
  *field = field->empty() ? std::string(more) : absl::StrCat(*field, " ", more);
}

struct PendingRow {
  int line_no = 0;
  std::string title, details, output, outcome, all;
};

std::vector<std::string> LinksIn(absl::string_view text) {
  std::vector<std::string> links;
  for (absl::string_view word : absl::StrSplit(text, ' ', absl::SkipEmpty())) {
    const size_t at = std::min(word.find("http://"), word.find("https://"));
    if (at == absl::string_view::npos) continue;
    absl::string_view link = word.substr(at);
    while (!link.empty() && absl::StrContains(")]>,;", link.back())) {
      link.remove_suffix(1);
    }
    links.emplace_back(link);
  }
  return links;
}

class ProgressReader {
 public:
  ProgressReader(ImportedProgress& out, int be_year,
                 const std::vector<MeasureRef>& measures)
      : out_(out), be_year_(be_year) {
    for (const MeasureRef& m : measures) {
      by_key_[MeasureTitleKey(m.title)].push_back(m.name);
    }
  }

  void Line(absl::string_view line, int line_no) {
    if (!absl::StrContains(line, '\t')) {
      Flush();
      columns_.reset();
      return;
    }
    const std::vector<std::string> cells = ReadableCells(line);
    // A header, or the second line of one ("ผลผลิต | ผลลัพธ์" under
    // "ผลการดำเนินการ"); a row's own cells never start one.
    if (MentionsResults(cells) &&
        (!columns_ || (!pending_ && CellAt(cells, columns_->title).empty()))) {
      Header(cells);
      return;
    }
    if (columns_) Row(cells, line_no);
  }

  void Finish() {
    Flush();
    if (!saw_table_) {
      AddFinding(out_, v1::Finding::ERROR, "NO_PROGRESS_TABLE", LineLoc(1),
                 "no table with the columns มาตรการ and ผลการดำเนินการ "
                 "(ผลผลิต, ผลลัพธ์)");
    }
  }

 private:
  void Header(const std::vector<std::string>& cells) {
    Flush();
    ProgressColumns columns = columns_.value_or(ProgressColumns{});
    for (size_t i = 0; i < cells.size(); ++i) {
      AssignColumn(cells[i], static_cast<int>(i), &columns);
    }
    if (columns.title >= 0) columns_ = columns;
  }

  void Row(const std::vector<std::string>& cells, int line_no) {
    saw_table_ = true;
    if (CellAt(cells, columns_->title).empty()) {
      if (pending_) AppendCells(cells);
      return;
    }
    Flush();
    if (IssueHeading(cells)) return;
    pending_.emplace();
    pending_->line_no = line_no;
    AppendCells(cells);
  }

  void AppendCells(const std::vector<std::string>& cells) {
    Append(&pending_->title, CellAt(cells, columns_->title));
    Append(&pending_->details, CellAt(cells, columns_->details));
    Append(&pending_->output, CellAt(cells, columns_->output));
    Append(&pending_->outcome, CellAt(cells, columns_->outcome));
    for (const std::string& cell : cells) Append(&pending_->all, cell);
  }

  void Flush() {
    if (!pending_) return;
    const PendingRow row = std::move(*pending_);
    pending_.reset();
    const auto found = by_key_.find(MeasureTitleKey(row.title));
    const std::string where = LineLoc(row.line_no);
    if (found == by_key_.end()) {
      AddFinding(out_, v1::Finding::ERROR, "UNKNOWN_MEASURE", where,
                 absl::StrCat("no measure of ", be_year_, " is titled ",
                              Quote(row.title)));
      return;
    }
    if (found->second.size() > 1) {
      AddFinding(out_, v1::Finding::ERROR, "AMBIGUOUS_MEASURE", where,
                 absl::StrCat(found->second.size(), " measures of ", be_year_,
                              " are titled ", Quote(row.title), ": ",
                              absl::StrJoin(found->second, ", ")));
      return;
    }
    if (!reported_.insert(found->second.front()).second) {
      AddFinding(out_, v1::Finding::WARNING, "DUPLICATE_ROW", where,
                 absl::StrCat("the measure ", Quote(row.title),
                              " is reported twice; the later row is ignored"));
      return;
    }
    Store(found->second.front(), row);
  }

  void Store(const std::string& subject, const PendingRow& row) {
    v1::ProgressReport& report = out_.reports.emplace_back();
    report.set_subject(subject);
    report.set_be_year(be_year_);
    report.set_output(row.output.empty() ? row.details : row.output);
    report.set_outcome(row.outcome);
    for (std::string& link : LinksIn(row.all)) report.add_evidence_uris(link);
  }

  ImportedProgress& out_;
  int be_year_;
  std::map<std::string, std::vector<std::string>> by_key_;
  std::optional<ProgressColumns> columns_;
  std::optional<PendingRow> pending_;
  std::set<std::string> reported_;
  bool saw_table_ = false;
};

v1::ProgressReport::Status StatusOf(const v1::ProgressReport& report,
                                    v1::Round round) {
  if (report.output().empty() && report.outcome().empty()) {
    return v1::ProgressReport::NOT_STARTED;
  }
  return round == v1::FULL_YEAR ? v1::ProgressReport::DONE
                                : v1::ProgressReport::IN_PROGRESS;
}

}  // namespace

bool ImportedProgress::HasErrors() const {
  return std::any_of(findings.begin(), findings.end(), [](const auto& f) {
    return f.severity() == v1::Finding::ERROR;
  });
}

v1::Round RoundOfDocument(absl::string_view text) {
  const std::string ascii = thai::ThaiDigitsToAscii(text);
  std::string squeezed = ascii;
  squeezed.erase(std::remove(squeezed.begin(), squeezed.end(), ' '),
                 squeezed.end());
  const size_t half = squeezed.find("รอบ6เดือน");
  const size_t full = squeezed.find("รอบ12เดือน");
  if (half == std::string::npos && full == std::string::npos) {
    return v1::ROUND_UNSPECIFIED;
  }
  return half < full ? v1::HALF_YEAR : v1::FULL_YEAR;
}

ImportedProgress ParseProgressReport(absl::string_view text, int be_year,
                                     v1::Round round,
                                     const std::vector<MeasureRef>& measures) {
  ImportedProgress out;
  const std::string clean = CleanText(text);
  out.round = (round == v1::HALF_YEAR || round == v1::FULL_YEAR)
                  ? round
                  : RoundOfDocument(clean);
  if (out.round == round) {
    // The caller's round wins, but a document that says otherwise is worth
    // a look: the officer may have picked the wrong round.
    int line_no = 0;
    for (absl::string_view line : absl::StrSplit(clean, '\n')) {
      ++line_no;
      const v1::Round written = RoundOfDocument(line);
      if (written == v1::ROUND_UNSPECIFIED) continue;
      if (written != round) {
        AddFinding(
            out, v1::Finding::WARNING, "ROUND_DIFFERS", LineLoc(line_no),
            absl::StrCat("the document says ", Quote(CollapseWhitespace(line)),
                         "; stored as the round given"));
      }
      break;
    }
  }
  if (out.round == v1::ROUND_UNSPECIFIED) {
    AddFinding(out, v1::Finding::ERROR, "ROUND_UNKNOWN", LineLoc(1),
               "the document names no round (รอบ ๖ เดือน or รอบ ๑๒ เดือน) "
               "and none was given");
  }
  ProgressReader reader(out, be_year, measures);
  int line_no = 0;
  for (absl::string_view line : absl::StrSplit(clean, '\n')) {
    reader.Line(line, ++line_no);
  }
  reader.Finish();
  for (v1::ProgressReport& report : out.reports) {
    report.set_round(out.round);
    report.set_status(StatusOf(report, out.round));
  }
  return out;
}

}  // namespace prongsai::plan::plan_import
