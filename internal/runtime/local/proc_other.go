//go:build !linux

package local

import "github.com/mongostep/mongostep/internal/runtime"

// Without /proc, a running mongod is found through its lock (see dbpath.InUse).
func runsOn(pid int, dbpath string) bool { return true }

func processesUsing(path string) []runtime.User { return nil }
