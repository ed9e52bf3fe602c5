//go:build !unix

package wiredtiger

func cpuSeconds() float64 { return 0 }
