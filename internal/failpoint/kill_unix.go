//go:build failpoints && !windows

package failpoint

import "syscall"

func killSelf() { _ = syscall.Kill(syscall.Getpid(), syscall.SIGKILL); select {} }
