// Package wttest writes small but complete WiredTiger files and home
// directories: description block, compressed or plain pages, row-store leaf
// and internal pages of any depth, prefix-compressed keys, overflow items,
// value-copy cells, time windows with stop times, and the checkpoint cookie
// and metadata that point at the tree.
//
// It exists to exercise the reader in package wiredtiger on shapes the real
// fixtures lack, and to let the mongod simulator (internal/mongodsim, itself
// test-only) leave real data files. Spec.Format picks the page details of a
// WiredTiger release (FormatWT2, FormatWT10); NewWriterAt writes a new
// checkpoint's blocks after or before an older checkpoint's in the same
// file. It is independent code written from the same format description; it
// is not used outside tests and the simulator.
package wttest
