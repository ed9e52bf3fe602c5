package mdbfiles

import (
	"encoding/binary"
	"fmt"

	"github.com/mongostep/mongostep/internal/wiredtiger"
)

// Documents iterates a collection's documents in RecordId order, as of the
// last checkpoint. Doc returns the stored BSON bytes, valid until Next is
// called again.
type Documents struct {
	coll  Collection
	table *wiredtiger.Table
	cur   *wiredtiger.Cursor
	rid   int64
	ridOK bool
	err   error
}

// Documents opens an iterator over c's documents. Close it when done.
func (d *DBPath) Documents(c Collection) (*Documents, error) {
	t, err := d.WT.OpenTable(c.Ident)
	if err != nil {
		return nil, fmt.Errorf("open the data of %s: %w", c.NS, err)
	}
	return &Documents{coll: c, table: t, cur: t.Cursor()}, nil
}

// Next advances to the next document; it returns false at the end or on
// error (see Err).
func (it *Documents) Next() bool {
	if it.err != nil || !it.cur.Next() {
		if it.err == nil && it.cur.Err() != nil {
			it.err = fmt.Errorf("read %s: %w", it.coll.NS, it.cur.Err())
		}
		return false
	}
	it.rid, it.ridOK = wiredtiger.UnpackRecordID(it.cur.Key())
	if doc := it.cur.Value(); !plausibleBSON(doc) {
		it.err = fmt.Errorf("read %s: record %s in %s is not a BSON document (%d bytes)",
			it.coll.NS, it.recordName(), it.table.Path, len(doc))
		return false
	}
	return true
}

// plausibleBSON checks the length prefix and the terminating zero byte.
func plausibleBSON(b []byte) bool {
	return len(b) >= 5 && int(binary.LittleEndian.Uint32(b)) == len(b) && b[len(b)-1] == 0
}

func (it *Documents) recordName() string {
	if it.ridOK {
		return fmt.Sprintf("RecordId %d", it.rid)
	}
	return fmt.Sprintf("key %x", it.cur.Key())
}

// Doc is the current document's raw BSON.
func (it *Documents) Doc() []byte { return it.cur.Value() }

// RecordID is the current document's RecordId; ok is false for collections
// keyed by something else (clustered collections store KeyString bytes, see Key).
func (it *Documents) RecordID() (id int64, ok bool) { return it.rid, it.ridOK }

// Key is the current record's raw WiredTiger key.
func (it *Documents) Key() []byte { return it.cur.Key() }

// Err returns the error that ended the iteration, if any.
func (it *Documents) Err() error { return it.err }

// Stats reports blocks read and records skipped as removed.
func (it *Documents) Stats() wiredtiger.CursorStats { return it.cur.Stats() }

// Close releases the iterator's file.
func (it *Documents) Close() error {
	it.cur.Close()
	return it.table.Close()
}

// Stats summarises a collection read from the files.
type Stats struct {
	Count       int64
	DataSize    int64  // sum of document sizes, comparable to sizeStorer's dataSize
	Hash        string // DocHash of every document
	MinRecordID int64  // RecordId range (0, 0 when empty or not int64-keyed)
	MaxRecordID int64
	Removed     int64 // records skipped because they were removed before the checkpoint
}

// Scan reads every document of c and returns its count, size and DocHash.
func (d *DBPath) Scan(c Collection) (Stats, error) {
	it, err := d.Documents(c)
	if err != nil {
		return Stats{}, err
	}
	defer it.Close()
	var st Stats
	var h DocHash
	for it.Next() {
		doc := it.Doc()
		h.Add(doc)
		st.DataSize += int64(len(doc))
		if id, ok := it.RecordID(); ok {
			if st.Count == 0 {
				st.MinRecordID = id
			}
			st.MaxRecordID = id
		}
		st.Count++
	}
	if err := it.Err(); err != nil {
		return Stats{}, err
	}
	st.Hash, st.Removed = h.Sum(), it.Stats().Removed
	return st, nil
}

// ScanAll scans every collection and returns their Stats by namespace. It
// stops at the first collection that cannot be read.
func (d *DBPath) ScanAll() (map[string]Stats, error) {
	out := make(map[string]Stats, len(d.Collections))
	for _, c := range d.Collections {
		st, err := d.Scan(c)
		if err != nil {
			return out, err
		}
		out[c.NS] = st
	}
	return out, nil
}
