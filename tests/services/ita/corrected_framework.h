// The correction the migration tests load as the next version of 2568: o1
// renamed o30 (its scores move), o10 kept with a new meaning (its scores
// are dropped), everything else as shipped.
#ifndef PRONGSAI_TESTS_SERVICES_ITA_CORRECTED_FRAMEWORK_H_
#define PRONGSAI_TESTS_SERVICES_ITA_CORRECTED_FRAMEWORK_H_

#include "prongsai/ita/v1/ita.pb.h"

namespace prongsai::testing {

inline void CorrectO1AndO10(ita::v1::Framework& framework) {
  for (ita::v1::Item& item : *framework.mutable_items()) {
    if (item.code() == "o1") {
      item.set_code("o30");
      item.add_renamed_from("o1");
      item.clear_new_in_version();
    } else if (item.code() == "o10") {
      item.set_new_in_version(true);
    }
  }
}

}  // namespace prongsai::testing

#endif  // PRONGSAI_TESTS_SERVICES_ITA_CORRECTED_FRAMEWORK_H_
