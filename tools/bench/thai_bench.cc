// How fast the Thai parsers are on inputs like the seed documents': a budget
// cell per call for ParseBaht, a paragraph for ThaiDigitsToAscii.
#include <cstdint>
#include <iterator>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "benchmark/benchmark.h"
#include "common/thai/thai.h"

namespace prongsai::thai {
namespace {

// One argument index per budget-cell form met in seed 002.
constexpr absl::string_view kBahtInputs[] = {
    "15,000.00", "๑๕,๐๐๐ บาท", "20,000.-", "1 5,000.00", "-", "0",
};

void BM_ParseBaht(benchmark::State& state) {
  const absl::string_view input = kBahtInputs[state.range(0)];
  state.SetLabel(std::string(input));
  for (auto _ : state) {
    absl::StatusOr<std::optional<int64_t>> satang = ParseBaht(input);
    benchmark::DoNotOptimize(satang);
  }
}
BENCHMARK(BM_ParseBaht)->DenseRange(0, std::size(kBahtInputs) - 1);

// A paragraph in the style of seed 002's plan summary (Thai digits in years,
// counts and amounts), about 1 KB of UTF-8.
constexpr absl::string_view kParagraph =
    "ส่วนที่ ๒ ประกอบด้วย โครงการ/กิจกรรม/มาตรการ และจำนวนงบประมาณที่ดำเนินการใน "
    "๕ ปี (พ.ศ. ๒๕๖๖ - ๒๕๗๐) แยกตาม ๔ มิติ รวมทั้งสิ้นจำนวน ๒๗ โครงการ ดังนี้ "
    "มิติที่ ๑ การสร้างวัฒนธรรมสุจริต จำนวน ๙ โครงการ งบประมาณ ๑๕,๐๐๐ บาท "
    "มิติที่ ๒ การบริหารราชการด้วยความโปร่งใส จำนวน ๖ โครงการ งบประมาณ ๐ บาท "
    "มิติที่ ๓ การส่งเสริมบทบาทและการมีส่วนร่วมของภาคประชาชน จำนวน ๖ โครงการ "
    "งบประมาณ ๕,๐๐๐ บาท มิติที่ ๔ การยกระดับกลไกการตรวจสอบการดำเนินงาน "
    "จำนวน ๖ โครงการ ข้อมูล ณ วันที่ 08 มิถุนายน 2569";

void BM_ThaiDigitsToAscii(benchmark::State& state) {
  for (auto _ : state) {
    std::string ascii = ThaiDigitsToAscii(kParagraph);
    benchmark::DoNotOptimize(ascii);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) *
                          static_cast<int64_t>(kParagraph.size()));
}
BENCHMARK(BM_ThaiDigitsToAscii);

}  // namespace
}  // namespace prongsai::thai
