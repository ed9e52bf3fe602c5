// Package wttest writes small but complete WiredTiger files and home
// directories for tests: description block, compressed or plain pages,
// row-store leaf and internal pages of any depth, prefix-compressed keys,
// overflow items, value-copy cells, time windows with stop times, and the
// checkpoint cookie and metadata that point at the tree.
//
// It exists to exercise the reader in package wiredtiger on shapes the real
// fixtures lack. It is independent code written from the same format
// description; it is not used outside tests.
package wttest
