#include "services/ita/ita_analytics.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/string_view.h"
#include "common/base/status_macros.h"
#include "google/protobuf/io/tokenizer.h"
#include "google/protobuf/text_format.h"
#include "services/ita/ita_framework.h"

namespace prongsai::ita {
namespace internal {
// Generated at build time (cmake/embed_files.cmake) from
// services/ita/measure_catalogue.textproto: one (file name, text) pair.
std::vector<std::pair<std::string, std::string>> EmbeddedCatalogueFiles();
}  // namespace internal

namespace {

constexpr int kDefaultItemsPerTool = 3;
constexpr int kHistogramBins = 10;
// The catalogue's placeholder for the year a measure is recommended for.
constexpr absl::string_view kBeYearPlaceholder = "{be_year}";

// "9" -> 9. Indicator codes are positive numbers; anything else ("overall",
// "IIT", "i3") is not an indicator.
std::optional<int> IndicatorNumber(absl::string_view code) {
  int number = 0;
  if (code.empty() ||
      !absl::ascii_isdigit(static_cast<unsigned char>(code[0])) ||
      !absl::SimpleAtoi(code, &number) || number <= 0) {
    return std::nullopt;
  }
  return number;
}

// The framework's band of a score (ita_framework.h), or nullptr when the
// framework has no bands.
const v1::GradeBand* BandOrNull(const v1::Framework& framework, double score) {
  if (framework.grade_bands().empty()) return nullptr;
  return &BandOf(framework, score);
}

// Lookups into a framework, built once per call.
struct FrameworkIndex {
  explicit FrameworkIndex(const v1::Framework& framework) {
    for (const v1::Indicator& indicator : framework.indicators()) {
      indicators.try_emplace(indicator.number(), &indicator);
    }
    for (int i = 0; i < framework.items_size(); ++i) {
      items.try_emplace(framework.items(i).code(), i);
    }
  }
  const v1::Indicator* Indicator(int number) const {
    auto it = indicators.find(number);
    return it == indicators.end() ? nullptr : it->second;
  }

  absl::flat_hash_map<int, const v1::Indicator*> indicators;
  // Item code -> its position in the framework (its order in a tool).
  absl::flat_hash_map<std::string, int> items;
};

// The indicator figures of a set that the framework knows, first occurrence
// of a number winning, in the set's order.
std::vector<v1::IndicatorResult> IndicatorResults(const FrameworkIndex& index,
                                                  const v1::ScoreSet& scores) {
  std::vector<v1::IndicatorResult> results;
  absl::flat_hash_set<int> seen;
  for (const v1::Score& score : scores.indicators()) {
    const std::optional<int> number = IndicatorNumber(score.code());
    if (!number.has_value()) continue;
    const v1::Indicator* indicator = index.Indicator(*number);
    if (indicator == nullptr || !seen.insert(*number).second) continue;
    v1::IndicatorResult result;
    result.set_number(*number);
    result.set_name(indicator->name());
    result.set_tool(indicator->tool());
    result.set_score(score.score());
    results.push_back(std::move(result));
  }
  return results;
}

void AddItemsToImprove(const v1::Framework& framework,
                       const FrameworkIndex& index, const v1::ScoreSet& scores,
                       int items_per_tool, v1::AgencyAnalysis& analysis) {
  struct Candidate {
    int order;  // In the framework.
    double score;
  };
  absl::flat_hash_map<std::string, std::vector<Candidate>> by_tool;
  absl::flat_hash_set<int> seen;
  for (const v1::Score& score : scores.items()) {
    // The framework's codes are lower-case; a published "O12" is the same.
    auto it = index.items.find(absl::AsciiStrToLower(score.code()));
    if (it == index.items.end() || !seen.insert(it->second).second) continue;
    if (score.score() >= 100) continue;  // Nothing to improve.
    const v1::Indicator* indicator =
        index.Indicator(framework.items(it->second).indicator());
    if (indicator == nullptr) continue;
    by_tool[indicator->tool()].push_back(
        {.order = it->second, .score = score.score()});
  }
  for (const v1::Tool& tool : framework.tools()) {
    auto it = by_tool.find(tool.code());
    if (it == by_tool.end()) continue;
    std::vector<Candidate>& candidates = it->second;
    std::sort(candidates.begin(), candidates.end(),
              [](const Candidate& a, const Candidate& b) {
                if (a.score != b.score) return a.score < b.score;
                return a.order < b.order;
              });
    const size_t count =
        std::min(candidates.size(), static_cast<size_t>(items_per_tool));
    for (size_t i = 0; i < count; ++i) {
      const v1::Item& item = framework.items(candidates[i].order);
      v1::ItemToImprove* out = analysis.add_items_to_improve();
      out->set_tool(tool.code());
      out->set_code(item.code());
      out->set_text(item.text());
      out->set_indicator(item.indicator());
      out->set_score(candidates[i].score);
    }
  }
}

// --- The measure catalogue ------------------------------------------------

struct Catalogue {
  v1::RecommendMeasuresResponse entries;
  // Key (indicator number or item code) -> entry positions, in file order.
  absl::flat_hash_map<std::string, std::vector<int>> by_key;
};

class CatalogueErrors : public google::protobuf::io::ErrorCollector {
 public:
  void AddError(int line, google::protobuf::io::ColumnNumber column,
                const std::string& message) override {
    if (!first_.empty()) return;
    // Zero-based in the interface; editors count from 1.
    first_ =
        absl::StrCat("line ", line + 1, " column ", column + 1, ": ", message);
  }
  const std::string& first() const { return first_; }

 private:
  std::string first_;
};

// A key is an indicator number or an item code: a lower-case letter then
// digits ("i10", "o33").
bool IsCatalogueKey(absl::string_view key) {
  if (IndicatorNumber(key).has_value()) return true;
  if (key.size() < 2 ||
      !absl::ascii_islower(static_cast<unsigned char>(key[0]))) {
    return false;
  }
  return std::all_of(key.begin() + 1, key.end(), [](char c) {
    return absl::ascii_isdigit(static_cast<unsigned char>(c));
  });
}

absl::StatusOr<Catalogue> ParseCatalogue(absl::string_view text) {
  Catalogue catalogue;
  google::protobuf::TextFormat::Parser parser;
  CatalogueErrors errors;
  parser.RecordErrorsTo(&errors);
  if (!parser.ParseFromString(std::string(text), &catalogue.entries)) {
    return absl::InternalError(
        absl::StrCat("measure catalogue: does not parse: ", errors.first()));
  }
  absl::flat_hash_set<std::string> titles;
  for (int i = 0; i < catalogue.entries.measures_size(); ++i) {
    const v1::RecommendedMeasure& entry = catalogue.entries.measures(i);
    const std::string where = absl::StrCat("measure catalogue: measures[", i,
                                           "] (", entry.measure().title(), ")");
    if (entry.measure().title().empty()) {
      return absl::InternalError(absl::StrCat(where, ": has no title"));
    }
    // Recommend() removes duplicates by entry; unique titles make that the
    // same as removing them by what an officer reads.
    if (!titles.insert(entry.measure().title()).second) {
      return absl::InternalError(absl::StrCat(where, ": title repeated"));
    }
    std::vector<std::string> keys = {entry.answers()};
    keys.insert(keys.end(), entry.measure().ita_indicators().begin(),
                entry.measure().ita_indicators().end());
    for (const std::string& key : keys) {
      if (!IsCatalogueKey(key)) {
        return absl::InternalError(absl::StrCat(
            where, ": \"", key, "\" is not an indicator number or item code"));
      }
      std::vector<int>& positions = catalogue.by_key[key];
      if (positions.empty() || positions.back() != i) positions.push_back(i);
    }
  }
  return catalogue;
}

absl::StatusOr<const Catalogue*> LoadedCatalogue() {
  // Parsed once, on first use, and kept for the life of the process.
  static const absl::StatusOr<Catalogue>* const kCatalogue =
      new absl::StatusOr<Catalogue>(
          ParseCatalogue(internal::EmbeddedCatalogueFiles().at(0).second));
  if (!kCatalogue->ok()) return kCatalogue->status();
  return &**kCatalogue;
}

std::string WithYear(absl::string_view text, absl::string_view be_year) {
  return absl::StrReplaceAll(text, {{kBeYearPlaceholder, be_year}});
}

// A catalogue measure made concrete for one year and one analysis.
plan::v1::IntegrityMeasure Instantiate(const plan::v1::IntegrityMeasure& from,
                                       int be_year, const std::string& key,
                                       const std::string& source) {
  const std::string year = absl::StrCat(be_year);
  plan::v1::IntegrityMeasure measure;
  measure.set_be_year(be_year);
  measure.set_title(WithYear(from.title(), year));
  measure.set_guideline(WithYear(from.guideline(), year));
  for (const std::string& step : from.steps()) {
    measure.add_steps(WithYear(step, year));
  }
  measure.set_owner(WithYear(from.owner(), year));
  *measure.mutable_quarters() = from.quarters();
  measure.set_period_text(WithYear(from.period_text(), year));
  measure.set_follow_up(WithYear(from.follow_up(), year));
  measure.add_ita_indicators(key);
  measure.set_ita_issue(WithYear(from.ita_issue(), year));
  measure.set_source(source);
  return measure;
}

// --- Statistics -----------------------------------------------------------

// The median of `values`, reordering them; 0 when empty. O(n).
double MedianOf(std::vector<double>& values) {
  if (values.empty()) return 0;
  const size_t middle = values.size() / 2;
  std::nth_element(values.begin(), values.begin() + middle, values.end());
  const double upper = values[middle];
  if (values.size() % 2 == 1) return upper;
  // The lower middle is the largest of the first half, which nth_element
  // left unordered before `middle`.
  const double lower =
      *std::max_element(values.begin(), values.begin() + middle);
  return (lower + upper) / 2;
}

double Percent(int64_t part, int64_t whole) {
  return whole == 0
             ? 0
             : 100.0 * static_cast<double>(part) / static_cast<double>(whole);
}

int HistogramBin(double score) {
  // NaN compares false everywhere and lands in the first bin.
  if (score >= 100) return kHistogramBins - 1;
  if (!(score > 0)) return 0;
  return std::min(kHistogramBins - 1, static_cast<int>(score / 10));
}

// --- Rendering --------------------------------------------------------------

// A format-neutral document: every string is plain text (renderer-made or
// data), escaped by the renderer; '\n' is a line break.
struct Block {
  enum class Kind { kHeading, kParagraph, kList, kTable };
  Kind kind = Kind::kParagraph;
  int level = 0;  // Headings: 1-3.
  std::string text;
  std::vector<std::string> items;  // Lists.
  std::vector<std::string> columns;
  std::vector<std::vector<std::string>> rows;
};

struct Document {
  std::string title;
  std::vector<Block> blocks;

  void Heading(int level, std::string text) {
    blocks.push_back({.kind = Block::Kind::kHeading,
                      .level = level,
                      .text = std::move(text),
                      .items = {},
                      .columns = {},
                      .rows = {}});
  }
  void Paragraph(std::string text) {
    blocks.push_back({.kind = Block::Kind::kParagraph,
                      .level = 0,
                      .text = std::move(text),
                      .items = {},
                      .columns = {},
                      .rows = {}});
  }
  void List(std::vector<std::string> items) {
    blocks.push_back({.kind = Block::Kind::kList,
                      .level = 0,
                      .text = {},
                      .items = std::move(items),
                      .columns = {},
                      .rows = {}});
  }
  void Table(std::vector<std::string> columns,
             std::vector<std::vector<std::string>> rows) {
    blocks.push_back({.kind = Block::Kind::kTable,
                      .level = 0,
                      .text = {},
                      .items = {},
                      .columns = std::move(columns),
                      .rows = std::move(rows)});
  }
};

// Markdown: '\' and '|' so that data cannot end a table cell; '<' so that it
// cannot open an HTML tag or autolink when the Markdown is shown as HTML;
// '[' and ']' so that it cannot form a link. Line breaks would end the row or
// paragraph: "<br>" in cells, a space elsewhere.
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

std::string MarkdownRow(const std::vector<std::string>& cells) {
  std::vector<std::string> escaped;
  escaped.reserve(cells.size());
  for (const std::string& cell : cells) {
    escaped.push_back(MarkdownEscape(cell, "<br>"));
  }
  return absl::StrCat("| ", absl::StrJoin(escaped, " | "), " |");
}

std::string RenderMarkdown(const Document& document) {
  std::vector<std::string> lines;
  lines.push_back(absl::StrCat("# ", MarkdownEscape(document.title, " ")));
  for (const Block& block : document.blocks) {
    lines.push_back("");
    switch (block.kind) {
      case Block::Kind::kHeading:
        lines.push_back(absl::StrCat(std::string(block.level + 1, '#'), " ",
                                     MarkdownEscape(block.text, " ")));
        break;
      case Block::Kind::kParagraph:
        // Two trailing spaces: a hard line break inside the paragraph.
        lines.push_back(MarkdownEscape(block.text, "  \n"));
        break;
      case Block::Kind::kList:
        for (const std::string& item : block.items) {
          lines.push_back(absl::StrCat("- ", MarkdownEscape(item, " ")));
        }
        break;
      case Block::Kind::kTable: {
        lines.push_back(MarkdownRow(block.columns));
        std::vector<std::string> rules(block.columns.size(), "---");
        lines.push_back(absl::StrCat("|", absl::StrJoin(rules, "|"), "|"));
        for (const std::vector<std::string>& row : block.rows) {
          std::vector<std::string> cells = row;
          cells.resize(block.columns.size());
          lines.push_back(MarkdownRow(cells));
        }
        break;
      }
    }
  }
  return absl::StrCat(absl::StrJoin(lines, "\n"), "\n");
}

// HTML: every piece of text is data to the browser, never markup.
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
      "<!DOCTYPE html>\n<html lang=\"th\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<title>",
      HtmlEscape(document.title),
      "</title>\n<style>\n"
      "body{font-family:sans-serif;max-width:60em;margin:2em auto;}\n"
      "table{border-collapse:collapse;margin:1em 0;}\n"
      "th,td{border:1px solid #888;padding:.3em .5em;vertical-align:top;}\n"
      "</style>\n</head>\n<body>\n<h1>",
      HtmlEscape(document.title), "</h1>\n");
  for (const Block& block : document.blocks) {
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
        for (const std::string& item : block.items) {
          absl::StrAppend(&out, "<li>", HtmlEscape(item), "</li>\n");
        }
        out.append("</ul>\n");
        break;
      case Block::Kind::kTable:
        out.append("<table>\n<thead><tr>");
        for (const std::string& column : block.columns) {
          absl::StrAppend(&out, "<th>", HtmlEscape(column), "</th>");
        }
        out.append("</tr></thead>\n<tbody>\n");
        for (const std::vector<std::string>& row : block.rows) {
          out.append("<tr>");
          for (size_t i = 0; i < block.columns.size(); ++i) {
            absl::StrAppend(&out, "<td>",
                            HtmlEscape(i < row.size() ? row[i] : ""), "</td>");
          }
          out.append("</tr>\n");
        }
        out.append("</tbody>\n</table>\n");
        break;
    }
  }
  out.append("</body>\n</html>\n");
  return out;
}

std::string Score2(double score) { return absl::StrFormat("%.2f", score); }

// 90 -> "90", 87.5 -> "87.50": thresholds read as the seed writes them.
std::string Threshold(double value) {
  if (value == std::floor(value) && std::fabs(value) < 1e9) {
    return absl::StrFormat("%.0f", value);
  }
  return Score2(value);
}

// Seed 000 §2 and §4 name the three tools this way.
std::string ToolTitle(absl::string_view code) {
  if (code == "IIT") {
    return "แบบวัดการรับรู้ของผู้มีส่วนได้ส่วนเสียภายใน (Internal Integrity and "
           "Transparency Assessment: IIT)";
  }
  if (code == "EIT") {
    return "แบบวัดการรับรู้ของผู้มีส่วนได้ส่วนเสียภายนอก (External Integrity and "
           "Transparency Assessment: EIT)";
  }
  if (code == "OIT") {
    return "แบบตรวจการเปิดเผยข้อมูลสาธารณะ (Open Data Integrity and Transparency "
           "Assessment: OIT)";
  }
  return std::string(code);
}

std::string OrganizationTitle(const common::v1::OrganizationRef& organization) {
  std::string title = organization.name().empty()
                          ? absl::StrCat("หน่วยงานรหัส ", organization.code())
                          : organization.name();
  if (!organization.district().empty()) {
    absl::StrAppend(&title, " ",
                    absl::StartsWith(organization.district(), "อำเภอ") ||
                            absl::StartsWith(organization.district(), "เขต")
                        ? ""
                        : "อำเภอ",
                    organization.district());
  }
  if (!organization.province().empty()) {
    absl::StrAppend(
        &title, " ",
        absl::StartsWith(organization.province(), "จังหวัด") ? "" : "จังหวัด",
        organization.province());
  }
  return title;
}

// Indicator number -> "ตัวชี้วัดที่ 9 การเปิดเผยข้อมูล", from the analysis'
// indicators (the renderer has no framework of its own).
class IndicatorNames {
 public:
  explicit IndicatorNames(const v1::AgencyAnalysis& analysis) {
    for (const v1::IndicatorResult& result : analysis.indicators()) {
      names_.try_emplace(result.number(), result.name());
    }
    for (const v1::IndicatorResult& result : analysis.strengths()) {
      names_.try_emplace(result.number(), result.name());
    }
    for (const v1::IndicatorResult& result : analysis.weaknesses()) {
      names_.try_emplace(result.number(), result.name());
    }
    for (const v1::YearChange& change : analysis.changes()) {
      names_.try_emplace(change.indicator(), change.name());
    }
  }
  std::string Label(int number) const {
    auto it = names_.find(number);
    if (it == names_.end() || it->second.empty()) {
      return absl::StrCat("ตัวชี้วัดที่ ", number);
    }
    return absl::StrCat("ตัวชี้วัดที่ ", number, " ", it->second);
  }

 private:
  absl::flat_hash_map<int, std::string> names_;
};

std::string StepsText(const plan::v1::IntegrityMeasure& measure) {
  std::vector<std::string> steps;
  steps.reserve(measure.steps_size());
  for (int i = 0; i < measure.steps_size(); ++i) {
    steps.push_back(absl::StrCat(i + 1, ". ", measure.steps(i)));
  }
  return absl::StrJoin(steps, "\n");
}

std::string PeriodText(const plan::v1::IntegrityMeasure& measure) {
  if (!measure.period_text().empty()) return measure.period_text();
  if (measure.quarters().empty()) return "";
  return absl::StrCat("ไตรมาส ", absl::StrJoin(measure.quarters(), ", "),
                      " ปีงบประมาณ พ.ศ. ", measure.be_year());
}

Document BuildReport(const v1::Assessment& assessment,
                     const v1::AgencyAnalysis& analysis,
                     const std::vector<v1::RecommendedMeasure>& measures) {
  const int be_year = analysis.be_year() != 0
                          ? analysis.be_year()
                          : assessment.fiscal_year().be_year();
  const std::string organization = OrganizationTitle(assessment.organization());
  const v1::ScoreSet& scores = EffectiveScores(assessment, nullptr);
  const IndicatorNames names(analysis);

  Document doc;
  doc.title = absl::StrCat(
      "รายงานการวิเคราะห์ผลการประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของ"
      "หน่วยงานภาครัฐ (ITA) ของ",
      organization, " ประจำปี พ.ศ. ", be_year);

  // 1. What the figures are: an officer must know whether they are the
  // NACC's published ones or computed here from raw answers.
  doc.Heading(1, "1. ข้อมูลที่ใช้ในการวิเคราะห์");
  if (analysis.basis() == "computed") {
    doc.Paragraph(absl::StrCat(
        "คะแนนคำนวณจากคำตอบแบบวัด IIT ", assessment.iit_respondents(),
        " ราย แบบวัด EIT ", assessment.eit_respondents(),
        " ราย และผลการตรวจ OIT ตามกรอบการประเมินปี พ.ศ. ", be_year,
        assessment.framework_version() > 0
            ? absl::StrCat(" ฉบับที่ ", assessment.framework_version())
            : ""));
  } else {
    doc.Paragraph(
        absl::StrCat("คะแนนตามที่สำนักงาน ป.ป.ช. ประกาศ (ข้อมูลจากระบบ ITAS ปี พ.ศ. ",
                     be_year, ")"));
  }

  // 2. The result.
  doc.Heading(1,
              absl::StrCat("2. ผลการประเมินคุณธรรมและความโปร่งใสในการดำเนินงานของ",
                           organization));
  doc.Paragraph(absl::StrCat(
      "ผลการประเมินคุณธรรมและความโปร่งใส (ITA) ของ", organization,
      " มีค่าคะแนนเท่ากับ ", Score2(analysis.overall()), " คะแนน",
      analysis.grade().empty() ? ""
                               : absl::StrCat(" อยู่ในระดับ ", analysis.grade()),
      analysis.passed() ? " (ผ่านเกณฑ์การประเมิน)" : " (ไม่ผ่านเกณฑ์การประเมิน)"));
  if (!scores.tools().empty()) {
    std::vector<std::vector<std::string>> rows;
    for (const v1::Score& tool : scores.tools()) {
      rows.push_back({ToolTitle(tool.code()), Score2(tool.score())});
    }
    doc.Table({"เครื่องมือการประเมิน", "คะแนน"}, std::move(rows));
  }
  std::vector<std::pair<int, double>> indicators;
  absl::flat_hash_set<int> seen;
  for (const v1::Score& score : scores.indicators()) {
    const std::optional<int> number = IndicatorNumber(score.code());
    if (number.has_value() && seen.insert(*number).second) {
      indicators.emplace_back(*number, score.score());
    }
  }
  std::sort(indicators.begin(), indicators.end());
  if (!indicators.empty()) {
    std::vector<std::vector<std::string>> rows;
    rows.reserve(indicators.size());
    for (const auto& [number, score] : indicators) {
      rows.push_back({names.Label(number), Score2(score)});
    }
    doc.Table({"ตัวชี้วัด", "คะแนน"}, std::move(rows));
    // Seed 000's reading of the table: the highest, then the lowest.
    const auto highest = std::max_element(
        indicators.begin(), indicators.end(),
        [](const auto& a, const auto& b) { return a.second < b.second; });
    std::string reading = absl::StrCat(
        "เมื่อพิจารณาพบว่า ", names.Label(highest->first), " ได้คะแนนเท่ากับ ",
        Score2(highest->second), " คะแนน ซึ่งเป็นคะแนนที่สูงที่สุด");
    if (!analysis.weaknesses().empty()) {
      const v1::IndicatorResult& lowest = analysis.weaknesses(0);
      absl::StrAppend(&reading, " และตัวชี้วัดที่ได้คะแนนน้อยที่สุดคือ ",
                      names.Label(lowest.number()), " ได้คะแนนเท่ากับ ",
                      Score2(lowest.score()), " คะแนน");
    }
    doc.Paragraph(std::move(reading));
  }
  if (analysis.has_plan_target()) {
    // Phrased from the two figures, so the sign convention of
    // gap_to_target does not matter to the reader.
    const double difference = analysis.overall() - analysis.plan_target();
    doc.Paragraph(absl::StrCat(
        "ค่าเป้าหมายตามแผนปฏิบัติการป้องกันการทุจริตปี พ.ศ. ", be_year, " คือ ",
        Score2(analysis.plan_target()), " คะแนน ผลการประเมิน",
        difference >= 0 ? "สูงกว่าหรือเท่ากับ" : "ต่ำกว่า", "ค่าเป้าหมาย ",
        Score2(std::fabs(difference)), " คะแนน"));
  }
  if (!analysis.changes().empty()) {
    doc.Heading(
        2, absl::StrCat("เปรียบเทียบกับปี พ.ศ. ", analysis.previous_be_year()));
    std::vector<std::vector<std::string>> rows;
    for (const v1::YearChange& change : analysis.changes()) {
      rows.push_back({names.Label(change.indicator()),
                      Score2(change.previous()), Score2(change.current()),
                      absl::StrFormat("%+.2f", change.change())});
    }
    doc.Table({"ตัวชี้วัด", absl::StrCat("ปี พ.ศ. ", analysis.previous_be_year()),
               absl::StrCat("ปี พ.ศ. ", be_year), "เปลี่ยนแปลง"},
              std::move(rows));
  }
  if (!assessment.findings().empty()) {
    // Seed 001: a published label can contradict its own score.
    doc.Heading(2, "ข้อสังเกตต่อคะแนนที่ประกาศ");
    std::vector<std::string> lines;
    for (const v1::ConsistencyFinding& finding : assessment.findings()) {
      lines.push_back(finding.message());
    }
    doc.List(std::move(lines));
  }

  // 3. Strengths and weaknesses.
  doc.Heading(1, "3. การวิเคราะห์ข้อมูล");
  const std::string threshold = Threshold(analysis.strength_threshold());
  doc.Heading(
      2, absl::StrCat("3.1 ประเด็นจุดแข็ง (ตัวชี้วัดที่ได้คะแนนมากกว่า ", threshold, ")"));
  // "None scored above" is a finding about loaded scores; without any it
  // would read as one, so absence is said as absence.
  if (indicators.empty()) {
    doc.Paragraph("ไม่มีข้อมูลคะแนนรายตัวชี้วัด (ไม่ได้นำเข้าคะแนนรายตัวชี้วัด)");
  } else if (analysis.strengths().empty()) {
    doc.Paragraph(absl::StrCat("ไม่มีตัวชี้วัดที่ได้คะแนนมากกว่า ", threshold, " คะแนน"));
  } else {
    std::vector<std::string> lines;
    for (const v1::IndicatorResult& result : analysis.strengths()) {
      lines.push_back(absl::StrCat(names.Label(result.number()), " (",
                                   Score2(result.score()), " คะแนน)"));
    }
    doc.List(std::move(lines));
  }
  doc.Heading(2, absl::StrCat("3.2 ประเด็นข้อบกพร่องหรือจุดอ่อนที่จะต้องแก้ไขโดยเร่งด่วน "
                              "(ตัวชี้วัดที่คะแนนน้อยที่สุด และตัวชี้วัดที่ได้คะแนนต่ำกว่า ",
                              Threshold(kWeaknessBelow), ")"));
  if (analysis.weaknesses().empty()) {
    doc.Paragraph("ไม่มีคะแนนรายตัวชี้วัด");
  } else {
    std::vector<std::string> lines;
    for (const v1::IndicatorResult& result : analysis.weaknesses()) {
      lines.push_back(absl::StrCat(names.Label(result.number()), " (",
                                   Score2(result.score()), " คะแนน)"));
    }
    doc.List(std::move(lines));
  }

  // 4. Items to improve, a table per tool in the analysis' order.
  doc.Heading(1, "4. ประเด็นที่ต้องพัฒนาให้ดีขึ้น");
  if (scores.items().empty()) {
    doc.Paragraph("ไม่มีข้อมูลคะแนนรายข้อคำถาม (ไม่ได้นำเข้าคะแนนรายข้อ)");
  } else if (analysis.items_to_improve().empty()) {
    doc.Paragraph("ไม่มีข้อคำถามที่ได้คะแนนต่ำกว่า 100 คะแนน");
  }
  int section = 0;
  for (int i = 0; i < analysis.items_to_improve_size();) {
    const std::string& tool = analysis.items_to_improve(i).tool();
    doc.Heading(
        2, absl::StrCat("4.", ++section, " การประเมินตาม", ToolTitle(tool)));
    std::vector<std::vector<std::string>> rows;
    for (; i < analysis.items_to_improve_size() &&
           analysis.items_to_improve(i).tool() == tool;
         ++i) {
      const v1::ItemToImprove& item = analysis.items_to_improve(i);
      rows.push_back({names.Label(item.indicator()), item.code(), item.text(),
                      Score2(item.score())});
    }
    doc.Table({"ตัวชี้วัด", "ข้อ", "ประเด็นการประเมิน", "คะแนน"}, std::move(rows));
  }

  // 5. The measures, as seed 000 §5 tables them.
  doc.Heading(1,
              "5. ข้อเสนอแนะในการจัดทำมาตรการเพื่อขับเคลื่อนการส่งเสริมคุณธรรม"
              "และความโปร่งใสภายในหน่วยงานให้ดีขึ้น");
  if (measures.empty()) {
    doc.Paragraph("ไม่มีมาตรการที่เสนอ");
  } else {
    std::vector<std::vector<std::string>> rows;
    for (const v1::RecommendedMeasure& recommended : measures) {
      const plan::v1::IntegrityMeasure& measure = recommended.measure();
      rows.push_back({measure.title(), measure.guideline(), StepsText(measure),
                      measure.owner(), PeriodText(measure),
                      measure.follow_up()});
    }
    doc.Table({"มาตรการ", "แนวทางการปฏิบัติ", "ขั้นตอน/วิธีการปฏิบัติ", "ผู้รับผิดชอบ",
               "ระยะเวลาดำเนินการ", "การติดตามผล"},
              std::move(rows));
  }

  if (!analysis.missing().empty()) {
    doc.Heading(1, "หมายเหตุ: ข้อมูลที่รายงานนี้ไม่ครอบคลุม");
    doc.List({analysis.missing().begin(), analysis.missing().end()});
  }
  return doc;
}

}  // namespace

const v1::ScoreSet& EffectiveScores(const v1::Assessment& assessment,
                                    std::string* basis) {
  const bool computed =
      assessment.has_computed() && assessment.computed().has_overall();
  if (basis != nullptr) *basis = computed ? "computed" : "published";
  return computed ? assessment.computed() : assessment.published();
}

v1::AgencyAnalysis Analyze(const v1::Framework& framework,
                           const v1::Assessment& current,
                           const v1::Assessment* previous,
                           double strength_threshold, int items_per_tool) {
  const FrameworkIndex index(framework);
  std::string basis;
  const v1::ScoreSet& scores = EffectiveScores(current, &basis);

  v1::AgencyAnalysis analysis;
  analysis.set_assessment(current.name());
  analysis.set_be_year(current.fiscal_year().be_year());
  analysis.set_basis(basis);
  analysis.set_strength_threshold(strength_threshold);

  std::optional<double> overall;
  if (scores.has_overall()) {
    overall = scores.overall().score();
  } else if (current.has_published_overall_score()) {
    overall = current.published_overall_score();
  }
  analysis.set_overall(overall.value_or(0));
  // Without an overall there is no band to look up: keep the set's own.
  const v1::GradeBand* band =
      overall.has_value() ? BandOrNull(framework, *overall) : nullptr;
  if (!scores.grade().empty()) {
    analysis.set_grade(scores.grade());
  } else if (band != nullptr) {
    analysis.set_grade(band->label());
  }
  analysis.set_passed(band != nullptr ? band->passed() : scores.passed());

  std::vector<v1::IndicatorResult> results = IndicatorResults(index, scores);
  for (const v1::IndicatorResult& result : results) {
    *analysis.add_indicators() = result;
  }
  std::sort(analysis.mutable_indicators()->begin(),
            analysis.mutable_indicators()->end(),
            [](const v1::IndicatorResult& a, const v1::IndicatorResult& b) {
              return a.number() < b.number();
            });

  std::vector<v1::IndicatorResult> strengths;
  for (const v1::IndicatorResult& result : results) {
    if (result.score() > strength_threshold) strengths.push_back(result);
  }
  std::sort(strengths.begin(), strengths.end(),
            [](const v1::IndicatorResult& a, const v1::IndicatorResult& b) {
              if (a.score() != b.score()) return a.score() > b.score();
              return a.number() < b.number();
            });
  for (v1::IndicatorResult& result : strengths) {
    *analysis.add_strengths() = std::move(result);
  }

  if (!results.empty()) {
    const double lowest = std::min_element(results.begin(), results.end(),
                                           [](const v1::IndicatorResult& a,
                                              const v1::IndicatorResult& b) {
                                             return a.score() < b.score();
                                           })
                              ->score();
    std::vector<v1::IndicatorResult> weaknesses;
    for (const v1::IndicatorResult& result : results) {
      if (result.score() == lowest || result.score() < kWeaknessBelow) {
        weaknesses.push_back(result);
      }
    }
    std::sort(weaknesses.begin(), weaknesses.end(),
              [](const v1::IndicatorResult& a, const v1::IndicatorResult& b) {
                if (a.score() != b.score()) return a.score() < b.score();
                return a.number() < b.number();
              });
    for (v1::IndicatorResult& result : weaknesses) {
      *analysis.add_weaknesses() = std::move(result);
    }
  }

  AddItemsToImprove(framework, index, scores,
                    items_per_tool > 0 ? items_per_tool : kDefaultItemsPerTool,
                    analysis);

  if (previous != nullptr) {
    analysis.set_previous_be_year(previous->fiscal_year().be_year());
    absl::flat_hash_map<int, double> before;
    for (const v1::IndicatorResult& result :
         IndicatorResults(index, EffectiveScores(*previous, nullptr))) {
      before.emplace(result.number(), result.score());
    }
    std::sort(results.begin(), results.end(),
              [](const v1::IndicatorResult& a, const v1::IndicatorResult& b) {
                return a.number() < b.number();
              });
    for (const v1::IndicatorResult& result : results) {
      auto it = before.find(result.number());
      if (it == before.end()) continue;
      v1::YearChange* change = analysis.add_changes();
      change->set_indicator(result.number());
      change->set_name(result.name());
      change->set_previous(it->second);
      change->set_current(result.score());
      change->set_change(result.score() - it->second);
    }
  }
  return analysis;
}

absl::StatusOr<v1::RecommendMeasuresResponse> ParseMeasureCatalogue(
    absl::string_view text) {
  PRONGSAI_ASSIGN_OR_RETURN(Catalogue catalogue, ParseCatalogue(text));
  return std::move(catalogue.entries);
}

absl::StatusOr<const v1::RecommendMeasuresResponse*> MeasureCatalogue() {
  PRONGSAI_ASSIGN_OR_RETURN(const Catalogue* catalogue, LoadedCatalogue());
  return &catalogue->entries;
}

absl::StatusOr<std::vector<v1::RecommendedMeasure>> Recommend(
    const v1::AgencyAnalysis& analysis) {
  PRONGSAI_ASSIGN_OR_RETURN(const Catalogue* catalogue, LoadedCatalogue());
  const int be_year = analysis.be_year() + 1;
  std::vector<v1::RecommendedMeasure> out;
  // Catalogue entry -> its position in `out`.
  absl::flat_hash_map<int, size_t> recommended;
  auto add = [&](const std::string& key) {
    auto it = catalogue->by_key.find(key);
    if (it == catalogue->by_key.end()) return;
    for (const int entry : it->second) {
      auto [at, inserted] = recommended.try_emplace(entry, out.size());
      if (!inserted) {
        plan::v1::IntegrityMeasure* measure = out[at->second].mutable_measure();
        if (std::find(measure->ita_indicators().begin(),
                      measure->ita_indicators().end(),
                      key) == measure->ita_indicators().end()) {
          measure->add_ita_indicators(key);
        }
        continue;
      }
      v1::RecommendedMeasure measure;
      measure.set_answers(key);
      *measure.mutable_measure() =
          Instantiate(catalogue->entries.measures(entry).measure(), be_year,
                      key, analysis.assessment());
      out.push_back(std::move(measure));
    }
  };
  for (const v1::IndicatorResult& weakness : analysis.weaknesses()) {
    add(absl::StrCat(weakness.number()));
  }
  for (const v1::ItemToImprove& item : analysis.items_to_improve()) {
    if (catalogue->by_key.contains(absl::StrCat(item.indicator()))) continue;
    add(absl::AsciiStrToLower(item.code()));
  }
  return out;
}

absl::StatusOr<v1::PeerAnalytics> ComputePeerAnalytics(
    absl::Span<const PeerRow> rows, absl::string_view own, v1::PeerGroup group,
    const v1::Framework& framework, double what_if_threshold,
    int min_group_size) {
  const PeerRow* self = nullptr;
  for (const PeerRow& row : rows) {
    if (row.organization == own) {
      self = &row;
      break;
    }
  }
  if (self == nullptr) {
    return absl::NotFoundError(absl::StrCat("organization ", own,
                                            " has no assessment among the ",
                                            rows.size(), " of the year"));
  }
  if (group == v1::PEER_GROUP_UNSPECIFIED) group = v1::NATIONAL;
  if (group == v1::SAME_PROVINCE && self->province.empty()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "organization ", own, " has no province: no SAME_PROVINCE peers"));
  }
  if (group == v1::SAME_KIND &&
      self->kind == common::v1::ORGANIZATION_KIND_UNSPECIFIED) {
    return absl::FailedPreconditionError(
        absl::StrCat("organization ", own, " has no kind: no SAME_KIND peers"));
  }
  auto in_group = [&](const PeerRow& row) {
    switch (group) {
      case v1::SAME_PROVINCE:
        return row.province == self->province;
      case v1::SAME_KIND:
        return row.kind == self->kind;
      default:
        return true;
    }
  };

  // Buffers sized once for the whole computation: pointers to the peers, the
  // overall scores, and (below) the figures of each indicator.
  std::vector<const PeerRow*> peers;
  peers.reserve(rows.size());
  for (const PeerRow& row : rows) {
    if (in_group(row)) peers.push_back(&row);
  }
  std::vector<double> values;
  values.reserve(peers.size());

  v1::PeerAnalytics result;
  if (framework.be_year() > 0) {
    result.set_assessment(absl::StrCat("organizations/", own, "/assessments/",
                                       framework.be_year()));
  }
  result.set_group(group);
  result.set_peers(static_cast<int32_t>(peers.size()));
  result.set_overall(self->overall);
  result.set_what_if_threshold(what_if_threshold);
  result.set_minimum_group_size(min_group_size);
  // In a small group every figure about the others (a mean of two, a rank
  // of two) tells what one of them scored: only the own figures are shown.
  if (static_cast<int64_t>(peers.size()) < min_group_size) {
    result.set_suppressed(true);
    for (const v1::Indicator& indicator : framework.indicators()) {
      v1::PeerIndicator* out = result.add_indicators();
      out->set_number(indicator.number());
      auto own_score = self->indicators.find(indicator.number());
      if (own_score != self->indicators.end()) {
        out->set_own(own_score->second);
      }
    }
    return result;
  }

  int64_t better = 0;
  int64_t at_or_below = 0;
  int64_t passed = 0;
  int64_t what_if_passed = 0;
  double sum = 0;
  int32_t bins[kHistogramBins] = {};
  auto& grade_counts = *result.mutable_grade_counts();
  for (const PeerRow* peer : peers) {
    const double overall = peer->overall;
    values.push_back(overall);
    sum += overall;
    if (overall > self->overall) ++better;
    if (overall <= self->overall) ++at_or_below;
    if (peer->passed) ++passed;
    if (overall >= what_if_threshold) ++what_if_passed;
    ++bins[HistogramBin(overall)];
    if (!peer->grade.empty()) {
      ++grade_counts[peer->grade];
    } else if (const v1::GradeBand* band = BandOrNull(framework, overall)) {
      ++grade_counts[band->label()];
    }
  }
  const int64_t n = static_cast<int64_t>(peers.size());
  // Ties share the better rank: one more than those strictly above.
  result.set_rank(static_cast<int32_t>(better + 1));
  result.set_percentile(Percent(at_or_below, n));
  result.set_mean(n == 0 ? 0 : sum / static_cast<double>(n));
  result.set_median(MedianOf(values));
  result.set_pass_rate(Percent(passed, n));
  result.set_what_if_pass_rate(Percent(what_if_passed, n));
  for (int i = 0; i < kHistogramBins; ++i) {
    v1::HistogramBin* bin = result.add_histogram();
    bin->set_low(10.0 * i);
    bin->set_high(10.0 * (i + 1));
    bin->set_count(bins[i]);
  }

  // Per indicator, one pass over the peers' figures. Numbers are 1-99
  // (ita.proto), so a table finds an indicator's slot without hashing.
  constexpr int kNumberLimit = 100;
  std::array<int, kNumberLimit> slot_of;
  slot_of.fill(-1);
  const int indicator_count = framework.indicators_size();
  for (int i = 0; i < indicator_count; ++i) {
    const int number = framework.indicators(i).number();
    if (number >= 0 && number < kNumberLimit && slot_of[number] < 0) {
      slot_of[number] = i;
    }
  }
  std::vector<std::vector<double>> figures(indicator_count);
  std::vector<double> sums(indicator_count, 0);
  for (std::vector<double>& of_indicator : figures) {
    of_indicator.reserve(peers.size());
  }
  for (const PeerRow* peer : peers) {
    for (const auto& [number, score] : peer->indicators) {
      if (number < 0 || number >= kNumberLimit || slot_of[number] < 0) continue;
      figures[slot_of[number]].push_back(score);
      sums[slot_of[number]] += score;
    }
  }
  for (int i = 0; i < indicator_count; ++i) {
    const int number = framework.indicators(i).number();
    std::vector<double>& of_indicator = figures[i];
    v1::PeerIndicator* out = result.add_indicators();
    out->set_number(number);
    auto own_score = self->indicators.find(number);
    if (own_score != self->indicators.end()) out->set_own(own_score->second);
    out->set_peers(static_cast<int32_t>(of_indicator.size()));
    // Fewer peers with the indicator than a group may have: as above.
    if (!of_indicator.empty() &&
        static_cast<int64_t>(of_indicator.size()) >= min_group_size) {
      out->set_mean(sums[i] / static_cast<double>(of_indicator.size()));
      out->set_median(MedianOf(of_indicator));
    }
  }
  return result;
}

v1::Trend ComputeTrend(absl::Span<const TrendYear> years, int min_group_size) {
  v1::Trend trend;
  trend.set_minimum_group_size(min_group_size);
  // Method differences of years without rows carry to the next point: it is
  // compared across them.
  std::vector<std::string> notes;
  for (const TrendYear& year : years) {
    if (year.method_difference.has_value()) {
      notes.push_back(year.rows.empty()
                          ? absl::StrCat("พ.ศ. ", year.be_year, ": ",
                                         *year.method_difference)
                          : *year.method_difference);
    }
    if (year.rows.empty()) continue;

    v1::TrendPoint* point = trend.add_points();
    point->set_be_year(year.be_year);
    double sum = 0;
    int64_t passed = 0;
    absl::flat_hash_map<int, std::pair<double, int64_t>> indicators;
    for (const PeerRow& row : year.rows) {
      sum += row.overall;
      if (row.passed) ++passed;
      for (const auto& [number, score] : row.indicators) {
        auto& [indicator_sum, count] = indicators[number];
        indicator_sum += score;
        ++count;
      }
    }
    const int64_t n = static_cast<int64_t>(year.rows.size());
    point->set_count(static_cast<int32_t>(n));
    // A mean over fewer members than a group may have tells what they
    // scored: the point says how many there are, and nothing more.
    if (n < min_group_size) {
      point->set_suppressed(true);
    } else {
      point->set_overall(sum / static_cast<double>(n));
      point->set_pass_rate(Percent(passed, n));
      for (const auto& [number, total] : indicators) {
        if (total.second < min_group_size) continue;
        (*point->mutable_indicators())[number] =
            total.first / static_cast<double>(total.second);
      }
    }
    // The first point has no earlier point to be compared with.
    if (trend.points_size() > 1 && !notes.empty()) {
      point->set_method_break(true);
      point->set_method_note(absl::StrJoin(notes, "; "));
    }
    notes.clear();
  }
  return trend;
}

v1::RenderedReport RenderReport(
    const v1::Assessment& assessment, const v1::AgencyAnalysis& analysis,
    const std::vector<v1::RecommendedMeasure>& measures,
    v1::ReportFormat format) {
  const Document document = BuildReport(assessment, analysis, measures);
  v1::RenderedReport report;
  if (format == v1::HTML) {
    report.set_content_type("text/html; charset=utf-8");
    report.set_content(RenderHtml(document));
  } else {
    report.set_content_type("text/markdown; charset=utf-8");
    report.set_content(RenderMarkdown(document));
  }
  return report;
}

}  // namespace prongsai::ita
