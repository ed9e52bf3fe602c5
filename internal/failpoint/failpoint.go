// Package failpoint lets end-to-end tests interrupt mongostep at named points
// (kill -9 between two steps, in the middle of the copy) and fake facts of
// the host (kernel version, AVX). It does nothing unless the binary is built
// with the "failpoints" build tag, so shipped binaries carry no test hooks.
//
// With the tag, MONGOSTEP_FAILPOINT holds a comma-separated list of
// NAME[=ACTION] where ACTION is "kill" (the default: SIGKILL this process, as
// a power cut or kill -9 would), "exit" (exit 99 without cleaning up) or
// "sleep" (pause 1 hour, for a test to signal the process).
// MONGOSTEP_FAKE_<NAME> values are returned by Value.
package failpoint
