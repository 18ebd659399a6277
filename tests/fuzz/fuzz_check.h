// FUZZ_CHECK(condition, what): an invariant the code under fuzzing promises.
// A broken one prints `what` (never the input, which may be long) and
// aborts, which libFuzzer reports as a crash with the input saved, and the
// replay test (fuzz_replay_main.cc) as a failure.
#ifndef PRONGSAI_TESTS_FUZZ_FUZZ_CHECK_H_
#define PRONGSAI_TESTS_FUZZ_FUZZ_CHECK_H_

#include <cstdio>
#include <cstdlib>

namespace prongsai::fuzz {

[[noreturn]] inline void InvariantBroken(const char* condition,
                                         const char* what, const char* file,
                                         int line) {
  std::fprintf(stderr, "%s:%d: invariant broken: %s (%s)\n", file, line,
               condition, what);
  std::abort();
}

}  // namespace prongsai::fuzz

#define FUZZ_CHECK(condition, what)                                            \
  do {                                                                         \
    if (!(condition)) {                                                        \
      ::prongsai::fuzz::InvariantBroken(#condition, what, __FILE__, __LINE__); \
    }                                                                          \
  } while (false)

#endif  // PRONGSAI_TESTS_FUZZ_FUZZ_CHECK_H_
