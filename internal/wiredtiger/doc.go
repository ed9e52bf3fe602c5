// Package wiredtiger reads WiredTiger data files without the WiredTiger
// library and without a server: read-only, offline, pure Go.
//
// It understands what MongoDB 3.4 through 8.0 write: WiredTiger.turtle, the
// metadata table WiredTiger.wt, the block manager (file description block,
// block headers, CRC32C checksums, address and checkpoint cookies), row-store
// internal and leaf pages, cells (short and long keys and values, key prefix
// compression, overflow items, value copies, deleted pages, and the time
// windows of WiredTiger 3.2+/10+), and the block compressors snappy, zlib,
// zstd and none. Column stores, encryption and tiered storage are reported as
// ErrUnsupported.
//
// A table is read as of its last checkpoint, the state a clean shutdown
// leaves on disk. A value whose time window has a stop time was removed
// before the checkpoint and is skipped (counted in CursorStats.Removed).
// Writes after the last checkpoint live only in the journal, which this
// package does not read. The history store is not consulted either: on a
// standalone server the checkpoint holds the newest committed values.
//
// Usage:
//
//	db, err := wiredtiger.Open(dir, nil)          // turtle + metadata
//	t, err := db.OpenTable("collection-7-123")     // an ident, "table:x" or "file:x.wt"
//	defer t.Close()
//	c := t.Cursor()
//	defer c.Close()
//	for c.Next() {
//		id, _ := wiredtiger.UnpackRecordID(c.Key()) // key_format=q
//		doc := c.Value()                            // valid until the next Next
//	}
//	err = c.Err()
//
// Safety: damaged or hostile files produce a *CorruptError (errors.Is
// ErrCorrupt) naming the file and byte offset; the reader never panics on
// bad input, bounds every allocation by the file size, the compressor's
// maximum ratio and Options.MaxPageSize, refuses trees deeper than 64 levels
// and stops a walk that would read more bytes than the file holds (a cycle
// or shared pages). Memory use while scanning is one buffer per tree level,
// independent of the table's size.
//
// Package wttest (a subdirectory) writes small WiredTiger files for tests.
package wiredtiger
