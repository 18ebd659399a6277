// Loopback ports for servers that a test starts as separate processes
// (redis-server, the service binaries), which cannot be told to take port 0
// and report back. In-process gRPC servers use "127.0.0.1:0" instead.
//
//   const int port = FreeLoopbackPort();
//   ASSERT_GT(port, 0);
//   ... start the child with --port=port; retry with a new port if it
//   ... fails to bind (another process may have taken it meanwhile).
#ifndef PRONGSAI_TESTS_SUPPORT_NET_H_
#define PRONGSAI_TESTS_SUPPORT_NET_H_

namespace prongsai::testing {

// A TCP port on 127.0.0.1 that nothing listens on right now (the kernel's
// choice for port 0), or 0 when no socket could be bound. It is claimed for
// ten minutes in $TMPDIR/prongsai-test-ports, so that no other test process
// on this machine is handed it before this one's child binds it.
int FreeLoopbackPort();

}  // namespace prongsai::testing

#endif  // PRONGSAI_TESTS_SUPPORT_NET_H_
