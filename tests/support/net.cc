#include "tests/support/net.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <ctime>
#include <string>

#include "absl/strings/str_cat.h"

namespace prongsai::testing {
namespace {

// A reservation older than this is left over from a finished run.
constexpr time_t kReservationSeconds = 600;

// The kernel's choice for port 0 on 127.0.0.1, or 0.
int KernelChosenPort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return 0;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t length = sizeof(address);
  int port = 0;
  if (bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0) {
    port = ntohs(address.sin_port);
  }
  close(fd);
  return port;
}

// Claims `port` for this test run: true when no other test process on this
// machine has claimed it in the last kReservationSeconds. The port is free
// once KernelChosenPort() closes it, so without a claim two tests started
// side by side by ctest could be handed the same one before either child
// binds it (a child slowed by a sanitizer takes seconds), and one test would
// then talk to the other's server.
bool Reserve(const std::string& dir, int port) {
  const std::string path = absl::StrCat(dir, "/", port);
  int fd = open(path.c_str(), O_CREAT | O_EXCL | O_WRONLY, 0644);
  if (fd < 0) {
    struct stat info {};
    if (stat(path.c_str(), &info) != 0 ||
        time(nullptr) - info.st_mtime < kReservationSeconds) {
      return false;
    }
    // Stale: take it over and start its time again.
    fd = open(path.c_str(), O_WRONLY | O_TRUNC);
    if (fd < 0) return false;
  }
  close(fd);
  return true;
}

}  // namespace

int FreeLoopbackPort() {
  const char* tmp = std::getenv("TMPDIR");
  const std::string dir = absl::StrCat(
      tmp != nullptr && *tmp != '\0' ? tmp : "/tmp", "/prongsai-test-ports");
  mkdir(dir.c_str(), 0755);  // exists already, usually
  int port = 0;
  for (int attempt = 0; attempt < 20; ++attempt) {
    port = KernelChosenPort();
    if (port == 0 || Reserve(dir, port)) return port;
  }
  return port;  // every claim failed (an unwritable directory): unclaimed
}

}  // namespace prongsai::testing
