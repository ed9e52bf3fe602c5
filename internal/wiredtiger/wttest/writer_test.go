package wttest_test

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/mongostep/mongostep/internal/wiredtiger"
	"github.com/mongostep/mongostep/internal/wiredtiger/wttest"
)

func records(n int, tag string) []wttest.KV {
	kvs := make([]wttest.KV, n)
	for i := range kvs {
		v := bytes.Repeat([]byte(fmt.Sprintf("%s-%d;", tag, i)), 1+i%40)
		kvs[i] = wttest.KV{Key: wttest.PackInt(nil, int64(i+1)), Value: v}
	}
	return kvs
}

// readAll opens path with cfg through the reader and returns its records.
func readAll(t *testing.T, path, cfg string) []wttest.KV {
	t.Helper()
	tb, err := wiredtiger.OpenFile(path, cfg, nil)
	if err != nil {
		t.Fatalf("open %s: %v", path, err)
	}
	defer tb.Close()
	c := tb.Cursor()
	defer c.Close()
	var out []wttest.KV
	for c.Next() {
		out = append(out, wttest.KV{Key: append([]byte(nil), c.Key()...), Value: append([]byte(nil), c.Value()...)})
	}
	if err := c.Err(); err != nil {
		t.Fatalf("read %s: %v", path, err)
	}
	return out
}

func sameKVs(t *testing.T, what string, got, want []wttest.KV) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d records, want %d", what, len(got), len(want))
	}
	for i := range got {
		if !wttest.Equal(got[i], want[i]) {
			t.Fatalf("%s: record %d differs", what, i)
		}
	}
}

func TestRealFormatsRoundTrip(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []wttest.Format{wttest.FormatWT2, wttest.FormatWT10} {
		for _, comp := range []string{"", "snappy"} {
			spec := wttest.Spec{Format: f, Compressor: comp, DataChecksum: true, LeafPageMax: 3000, InternalFanout: 3}
			kvs := records(400, "r")
			path := filepath.Join(dir, fmt.Sprintf("f%d-%s.wt", f, comp))
			cfg, err := wttest.WriteFile(path, spec, kvs)
			if err != nil {
				t.Fatal(err)
			}
			sameKVs(t, path, readAll(t, path, cfg), kvs)
		}
	}
}

// block returns the block at off (one allocation unit is enough for the
// small pages checked here).
func block(t *testing.T, data []byte, off int) []byte {
	t.Helper()
	if off+4096 > len(data) {
		t.Fatalf("no block at %d in %d bytes", off, len(data))
	}
	return data[off : off+4096]
}

func TestWT10PageDetails(t *testing.T) {
	kvs := records(3, "small")
	data, _, err := wttest.Build(wttest.Spec{Format: wttest.FormatWT10, Compressor: "snappy", DataChecksum: true}, kvs)
	if err != nil {
		t.Fatal(err)
	}
	leaf, root := block(t, data, 4096), block(t, data, 8192)
	if leaf[24] != wttest.PageRowLeaf || leaf[25] != 0x04 || leaf[27] != 1 {
		t.Fatalf("leaf header type %d flags %#x version %d: want a version-1, uncompressed, EMPTY_V_NONE leaf", leaf[24], leaf[25], leaf[27])
	}
	if root[24] != wttest.PageRowInt || root[27] != 1 || binary.LittleEndian.Uint32(root[20:]) != 2 {
		t.Fatalf("root header type %d version %d entries %d", root[24], root[27], binary.LittleEndian.Uint32(root[20:]))
	}
	// Zeroth key: one byte 0x00; then a leaf address cell with an empty time-window descriptor.
	if got := root[40:44]; !bytes.Equal(got, []byte{0x05, 0x00, 0x38, 0x00}) {
		t.Fatalf("root cells start % x, want 05 00 38 00", got)
	}

	old, _, err := wttest.Build(wttest.Spec{Format: wttest.FormatWT2, Compressor: "snappy", DataChecksum: true}, kvs)
	if err != nil {
		t.Fatal(err)
	}
	if r := block(t, old, 8192); r[27] != 0 || !bytes.Equal(r[40:43], []byte{0x05, 0x00, 0x30}) {
		t.Fatalf("WiredTiger 2/3 root: version %d cells % x", r[27], r[40:43])
	}
}

func TestCompressOnlyWhenItSavesABlock(t *testing.T) {
	big := []wttest.KV{{Key: wttest.PackInt(nil, 1), Value: bytes.Repeat([]byte("compressible "), 800)}}
	for _, f := range []wttest.Format{wttest.FormatTest, wttest.FormatWT10} {
		data, _, err := wttest.Build(wttest.Spec{Format: f, Compressor: "snappy"}, big)
		if err != nil {
			t.Fatal(err)
		}
		if leaf := block(t, data, 4096); leaf[25]&0x01 == 0 {
			t.Fatalf("format %d: a 10 KB compressible page was stored uncompressed", f)
		}
		small, _, _ := wttest.Build(wttest.Spec{Format: f, Compressor: "snappy"}, records(6, "x"))
		compressed := block(t, small, 4096)[25]&0x01 != 0
		if compressed != (f == wttest.FormatTest) {
			t.Fatalf("format %d: tiny page compressed=%v", f, compressed)
		}
	}
}

// TestWriterAtKeepsOlderCheckpoint writes a second checkpoint after the
// first in the same file: both configurations must read their own records.
func TestWriterAtKeepsOlderCheckpoint(t *testing.T) {
	spec := wttest.Spec{Format: wttest.FormatWT10, Compressor: "snappy", DataChecksum: true, LeafPageMax: 2000}
	v1, v2 := records(100, "one"), records(150, "two")
	first, cfg1, err := wttest.Build(spec, v1)
	if err != nil {
		t.Fatal(err)
	}
	w := wttest.NewWriterAt(spec, int64(len(first)))
	root, err := w.Records(v2)
	if err != nil {
		t.Fatal(err)
	}
	cookie := w.CheckpointCookie(root)
	if w.Len() != len(first)+len(w.Bytes()) {
		t.Fatalf("Len %d, want %d", w.Len(), len(first)+len(w.Bytes()))
	}
	path := filepath.Join(t.TempDir(), "two.wt")
	if err := os.WriteFile(path, append(append([]byte(nil), first...), w.Bytes()...), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg2 := fmt.Sprintf("allocation_size=4KB,block_compressor=snappy,key_format=q,value_format=u,"+
		"checkpoint=(WiredTigerCheckpoint.2=(addr=\"%s\",order=2))", hex.EncodeToString(cookie))
	sameKVs(t, "first checkpoint", readAll(t, path, cfg1), v1)
	sameKVs(t, "second checkpoint", readAll(t, path, cfg2), v2)
}

func TestNewWriterAtRejectsBadBase(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("base 100 accepted")
		}
	}()
	wttest.NewWriterAt(wttest.Spec{}, 100)
}
