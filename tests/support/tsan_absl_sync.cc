// Linked only into the ThreadSanitizer build's tests (PRONGSAI_SANITIZE=
// thread). Debian's Abseil is not built with ThreadSanitizer, so the
// tool cannot see absl::Mutex and absl::Notification synchronize (they use
// futexes and atomics inside libabsl_synchronization.so) and would report
// every access they guard as a race. These definitions take the place of
// the library's (an executable's symbols come first, for the library's own
// calls too), call the library's through dlsym(RTLD_NEXT), and tell the
// tool what happened: acquiring a mutex or a notification acquires, and
// releasing or notifying releases, on the object's address. Reader locks
// are treated as exclusive, which can hide a race between two readers but
// never invents one.
//
// The names are those of Debian 12's Abseil (inline namespace debian3);
// a name that is not found aborts with the name, so a newer Abseil fails
// loudly rather than silently unannotated.
#include <dlfcn.h>
#include <sanitizer/tsan_interface.h>

#include <cstdio>
#include <cstdlib>

#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"

namespace {

template <typename Function>
Function Real(const char* mangled) {
  void* found = dlsym(RTLD_NEXT, mangled);
  if (found == nullptr) {
    std::fprintf(stderr, "tsan_absl_sync: %s not found in Abseil\n", mangled);
    std::abort();
  }
  return reinterpret_cast<Function>(found);
}

#define PRONGSAI_REAL(type, mangled) \
  static const auto real = Real<type>(mangled)

}  // namespace

namespace absl {
ABSL_NAMESPACE_BEGIN

void Mutex::Lock() {
  PRONGSAI_REAL(void (*)(Mutex*), "_ZN4absl7debian35Mutex4LockEv");
  real(this);
  __tsan_acquire(this);
}

void Mutex::Unlock() {
  PRONGSAI_REAL(void (*)(Mutex*), "_ZN4absl7debian35Mutex6UnlockEv");
  __tsan_release(this);
  real(this);
}

bool Mutex::TryLock() {
  PRONGSAI_REAL(bool (*)(Mutex*), "_ZN4absl7debian35Mutex7TryLockEv");
  const bool locked = real(this);
  if (locked) __tsan_acquire(this);
  return locked;
}

void Mutex::ReaderLock() {
  PRONGSAI_REAL(void (*)(Mutex*), "_ZN4absl7debian35Mutex10ReaderLockEv");
  real(this);
  __tsan_acquire(this);
}

void Mutex::ReaderUnlock() {
  PRONGSAI_REAL(void (*)(Mutex*), "_ZN4absl7debian35Mutex12ReaderUnlockEv");
  __tsan_release(this);
  real(this);
}

bool Mutex::ReaderTryLock() {
  PRONGSAI_REAL(bool (*)(Mutex*), "_ZN4absl7debian35Mutex13ReaderTryLockEv");
  const bool locked = real(this);
  if (locked) __tsan_acquire(this);
  return locked;
}

void Mutex::LockWhen(const Condition& condition) {
  PRONGSAI_REAL(void (*)(Mutex*, const Condition&),
                "_ZN4absl7debian35Mutex8LockWhenERKNS0_9ConditionE");
  real(this, condition);
  __tsan_acquire(this);
}

// Await lets the mutex go while it waits and holds it again on return.
void Mutex::Await(const Condition& condition) {
  PRONGSAI_REAL(void (*)(Mutex*, const Condition&),
                "_ZN4absl7debian35Mutex5AwaitERKNS0_9ConditionE");
  __tsan_release(this);
  real(this, condition);
  __tsan_acquire(this);
}

void Notification::Notify() {
  PRONGSAI_REAL(void (*)(Notification*),
                "_ZN4absl7debian312Notification6NotifyEv");
  __tsan_release(this);
  real(this);
}

void Notification::WaitForNotification() const {
  PRONGSAI_REAL(void (*)(const Notification*),
                "_ZNK4absl7debian312Notification19WaitForNotificationEv");
  real(this);
  __tsan_acquire(const_cast<Notification*>(this));
}

bool Notification::WaitForNotificationWithTimeout(
    absl::Duration timeout) const {
  PRONGSAI_REAL(bool (*)(const Notification*, absl::Duration),
                "_ZNK4absl7debian312Notification30WaitForNotificationWithTimeou"
                "tENS0_8DurationE");
  const bool notified = real(this, timeout);
  if (notified) __tsan_acquire(const_cast<Notification*>(this));
  return notified;
}

bool Notification::WaitForNotificationWithDeadline(absl::Time deadline) const {
  PRONGSAI_REAL(bool (*)(const Notification*, absl::Time),
                "_ZNK4absl7debian312Notification31WaitForNotificationWithDeadli"
                "neENS0_4TimeE");
  const bool notified = real(this, deadline);
  if (notified) __tsan_acquire(const_cast<Notification*>(this));
  return notified;
}

ABSL_NAMESPACE_END
}  // namespace absl
