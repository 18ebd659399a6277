// Seed 002's first table as printed: the annual plan of FY2569 of
// องค์การบริหารส่วนตำบลอิสานเขต, 15 rows, typed in by hand from the document
// (not from the importer's output), with the totals counted by hand from
// its ☑ marks. The domain tests compute totals from these rows and the
// export tests render them; the seed itself need not be present.
//
//   for (const Seed002Row& row : Seed002AnnualRows()) { ... }
//   EXPECT_EQ(totals.budget().satang(), kSeed002TotalSatang);
#ifndef PRONGSAI_TESTS_SERVICES_PLAN_SEED_002_EXPECTED_H_
#define PRONGSAI_TESTS_SERVICES_PLAN_SEED_002_EXPECTED_H_

#include <cstdint>
#include <vector>

#include "absl/strings/string_view.h"

namespace prongsai::testing {

struct Seed002Row {
  absl::string_view title;
  int dimension;
  int64_t satang;
  std::vector<int32_t> quarters;
};

// The 15 rows in the order printed.
inline const std::vector<Seed002Row>& Seed002AnnualRows() {
  static const auto* const kRows = new std::vector<Seed002Row>{
      {"โครงการเสริมสร้างค่านิยมต่อต้านการทุจริต", 1, 0, {2, 4}},
      {"โครงการส่งเสริมการดำเนินชีวิตตามหลักปรัชญาของเศรษฐกิจพอเพียง",
       1,
       1'500'000,
       {2, 3}},
      {"มาตรการ “ส่งเสริมการปฏิบัติงานตามประมวลจริยธรรมขององค์การบริหารส่วนตำบล"
       "อิสานเขต”",
       1,
       0,
       {1, 3}},
      {"โครงการเชิดชูเกียรติบุคลากรที่ปฏิบัติงานเป็นไปตามมาตรฐาน "
       "ด้วยความวิริยะอุตสาหะ และซื่อสัตย์สุจริต",
       1,
       0,
       {1, 3}},
      {"ยกย่องเชิดชูเกียรติหน่วยงานและบุคคลที่ประพฤติปฏิบัติตนให้เป็นที่ประจักษ์", 1, 0, {1, 3}},
      {"มาตรการ NO Gift Policy", 2, 0, {1, 4}},
      {"กิจกรรม “วิเคราะห์ผลการจัดซื้อจัดจ้างประจำปี”", 2, 0, {1, 3}},
      {"กิจกรรมบูรณาการทุกภาคส่วนเพื่อต่อต้านการทุจริต", 3, 0, {1, 2, 3, 4}},
      {"ส่งเสริมการมีส่วนร่วมของประชาชนในการบริหารกิจการขององค์การบริหารส่วน"
       "ตำบลอิสานเขต",
       3,
       0,
       {1, 2, 3, 4}},
      {"โครงการจัดเวทีประชาคม", 3, 500'000, {2, 3, 4}},
      {"กิจกรรมติดตามประเมินผลการควบคุมภายใน", 4, 0, {2, 4}},
      {"มาตรการจัดการในกรณีได้ทราบ หรือรับแจ้ง "
       "หรือตรวจสอบพบการทุจริตขององค์การบริหารส่วนตำบลอิสานเขต",
       4,
       0,
       {2, 4}},
      {"โครงการจัดทำแผนการตรวจสอบภายในประจำปี", 4, 0, {1, 3}},
      {"มาตรการบริหารจัดการความเสี่ยงการทุจริตขององค์การบริหารส่วนตำบลอิสานเขต",
       4,
       0,
       {1, 3}},
      {"มาตรการจัดให้มีระบบและช่องทางการรับเรื่องร้องเรียนเกี่ยวกับการทุจริตของ"
       "องค์การบริหารส่วนตำบลอิสานเขต",
       4,
       0,
       {1, 2, 3, 4}},
  };
  return *kRows;
}

// 20,000.00 baht; 10, 8, 11 and 8 projects in quarters 1-4.
inline constexpr int64_t kSeed002TotalSatang = 2'000'000;
inline constexpr int kSeed002ProjectsPerQuarter[4] = {10, 8, 11, 8};

}  // namespace prongsai::testing

#endif  // PRONGSAI_TESTS_SERVICES_PLAN_SEED_002_EXPECTED_H_
