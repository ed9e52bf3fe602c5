package wiredtiger

import (
	"bytes"
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/mongostep/mongostep/internal/wiredtiger/wttest"
)

// expectCorrupt opens and scans data and requires a *CorruptError whose
// message names the file, a byte offset and contains want.
func expectCorrupt(t *testing.T, data []byte, cfg string, opts *Options, want string) *CorruptError {
	t.Helper()
	err := openAndScan(data, cfg, opts)
	var ce *CorruptError
	if !errors.As(err, &ce) {
		t.Fatalf("got %v, want a *CorruptError about %q", err, want)
	}
	msg := err.Error()
	if !errors.Is(err, ErrCorrupt) || !strings.Contains(msg, "mem.wt") || !strings.Contains(msg, "byte offset") ||
		!strings.Contains(msg, want) {
		t.Fatalf("error %q does not name the file, an offset and %q", msg, want)
	}
	return ce
}

func openAndScan(data []byte, cfg string, opts *Options) error {
	tb, err := openTable("mem.wt", bytes.NewReader(data), int64(len(data)), cfg, opts)
	if err != nil {
		return err
	}
	_, _, err = scanAll(tb)
	return err
}

func TestCorruptDescriptionBlock(t *testing.T) {
	data, cfg, _ := wttest.Build(wttest.Spec{}, recordKVs(10, 1))
	bad := append([]byte(nil), data...)
	bad[0] ^= 1
	expectCorrupt(t, bad, cfg, nil, "magic number")
	bad = append([]byte(nil), data...)
	bad[100] ^= 1
	expectCorrupt(t, bad, cfg, nil, "description block checksum")
	expectCorrupt(t, data[:100], cfg, nil, "smaller than one")
}

func TestCorruptBlockChecksums(t *testing.T) {
	for _, comp := range compressors {
		for _, full := range []bool{false, true} {
			spec := wttest.Spec{Compressor: comp, DataChecksum: full, LeafPageMax: 800, InternalFanout: 4}
			data, cfg, _ := wttest.Build(spec, recordKVs(200, 2))
			bad := append([]byte(nil), data...)
			bad[4096+10] ^= 0x40 // inside the first block's header, always checksummed
			ce := expectCorrupt(t, bad, cfg, nil, "checksum")
			if ce.Offset != 4096 {
				t.Errorf("%s: offset %d, want the block at 4096", comp, ce.Offset)
			}
		}
	}
}

func TestCorruptCompressedPayload(t *testing.T) {
	for _, comp := range []string{"snappy", "zlib", "zstd"} {
		data, cfg, _ := wttest.Build(wttest.Spec{Compressor: comp, DataChecksum: false}, recordKVs(30, 3))
		// The first block is the leaf; damage its compressed bytes, which
		// checksum=uncompressed does not cover: decompression must notice.
		for _, at := range []int{4096 + 64, 4096 + 80, 4096 + 200} {
			bad := append([]byte(nil), data...)
			bad[at] ^= 0xff
			err := openAndScan(bad, cfg, nil)
			if err == nil {
				continue // a flip that still decodes to a valid page is possible
			}
			if !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), "mem.wt") {
				t.Errorf("%s flip at %d: %v", comp, at, err)
			}
		}
	}
}

func TestTruncatedFile(t *testing.T) {
	data, cfg, _ := wttest.Build(wttest.Spec{Compressor: "snappy", LeafPageMax: 500}, recordKVs(300, 4))
	for _, n := range []int{len(data) - 1, len(data) / 2, 4096 + 1} {
		expectCorrupt(t, data[:n], cfg, nil, "outside the")
	}
}

func TestHostilePageSizeDoesNotAllocate(t *testing.T) {
	w := wttest.NewWriter(wttest.Spec{Compressor: "snappy"})
	root, _ := w.Records(recordKVs(5, 5))
	data, cfg := w.Finish(root)
	bad := append([]byte(nil), data...)
	binary.LittleEndian.PutUint32(bad[4096+16:], 400<<20) // the leaf claims 400 MiB
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	expectCorrupt(t, bad, cfg, &Options{noVerify: true}, "claims")
	runtime.ReadMemStats(&after)
	if grown := after.TotalAlloc - before.TotalAlloc; grown > 8<<20 {
		t.Errorf("a lying page header made the reader allocate %d bytes", grown)
	}
	binary.LittleEndian.PutUint32(bad[4096+16:], 1<<31)
	expectCorrupt(t, bad, cfg, &Options{noVerify: true}, "in-memory size")
}

func TestEncryptedAndColumnPagesAreUnsupported(t *testing.T) {
	data, cfg, _ := wttest.Build(wttest.Spec{RootLeaf: true}, recordKVs(5, 6))
	bad := append([]byte(nil), data...)
	bad[4096+25] |= pageFlagEncrypted
	if err := openAndScan(bad, cfg, &Options{noVerify: true}); !errors.Is(err, ErrUnsupported) {
		t.Errorf("encrypted page: %v", err)
	}
	bad = append([]byte(nil), data...)
	bad[4096+24] = pageColVar
	if err := openAndScan(bad, cfg, &Options{noVerify: true}); !errors.Is(err, ErrUnsupported) {
		t.Errorf("column-store page: %v", err)
	}
	bad[4096+24] = pageBlockManager
	expectCorrupt(t, bad, cfg, &Options{noVerify: true}, "page type")
	if err := openAndScan(data, cfg+",encryption=(name=AES256-CBC)", nil); !errors.Is(err, ErrUnsupported) {
		t.Errorf("encrypted file: %v", err)
	}
	if err := openAndScan(data, cfg+",block_compressor=lz4", nil); !errors.Is(err, ErrUnsupported) {
		t.Errorf("lz4: %v", err)
	}
}

// handmade writes one page per cells list; the last page is the root.
func handmade(t *testing.T, pages ...func(w *wttest.Writer) []byte) ([]byte, string) {
	t.Helper()
	w := wttest.NewWriter(wttest.Spec{})
	var root []byte
	for _, p := range pages {
		root = p(w)
	}
	return w.Finish(root)
}

func page(typ byte, entries int, cells ...[]byte) func(*wttest.Writer) []byte {
	return func(w *wttest.Writer) []byte {
		addr, err := w.Page(typ, entries, bytes.Join(cells, nil))
		if err != nil {
			panic(err)
		}
		return addr
	}
}

func TestTreeCycleAndSharing(t *testing.T) {
	self := wttest.Addr(4096, 4096, 4096, 0) // the first block: the root itself
	data, cfg := handmade(t, page(wttest.PageRowInt, 2, wttest.KeyCell(0, nil), wttest.RefCell(wttest.CellAddrInt, self)))
	expectCorrupt(t, data, cfg, &Options{noVerify: true}, "cycle")

	var leaf []byte
	data, cfg = handmade(t,
		func(w *wttest.Writer) []byte {
			leaf = page(wttest.PageRowLeaf, 2, wttest.KeyCell(0, []byte{0x81}), wttest.ValueCell([]byte("v"), nil))(w)
			return leaf
		},
		func(w *wttest.Writer) []byte {
			var cells [][]byte
			for i := 0; i < 50; i++ {
				cells = append(cells, wttest.KeyCell(0, []byte{byte(i)}), wttest.RefCell(wttest.CellAddrLeaf, leaf))
			}
			return page(wttest.PageRowInt, 100, cells...)(w)
		})
	expectCorrupt(t, data, cfg, nil, "more blocks than the file holds")
}

func TestTreeTooDeep(t *testing.T) {
	w := wttest.NewWriter(wttest.Spec{})
	addr, _ := w.Page(wttest.PageRowLeaf, 2, append(wttest.KeyCell(0, []byte{0x81}), wttest.ValueCell([]byte("v"), nil)...))
	for i := 0; i < maxTreeDepth+2; i++ {
		addr, _ = w.Page(wttest.PageRowInt, 2, append(wttest.KeyCell(0, nil), wttest.RefCell(wttest.CellAddrInt, addr)...))
	}
	data, cfg := w.Finish(addr)
	expectCorrupt(t, data, cfg, nil, "deeper than")
}

func TestBadCells(t *testing.T) {
	k := func(b ...byte) []byte { return wttest.KeyCell(0, b) }
	v := func(s string) []byte { return wttest.ValueCell([]byte(s), nil) }
	cases := []struct {
		name    string
		entries int
		cells   [][]byte
		want    string
	}{
		{"prefix longer than previous key", 2, [][]byte{wttest.KeyCell(5, []byte{1}), v("x")}, "shares more bytes"},
		{"short cell past end", 1, [][]byte{{0xfd}}, "past the end"},
		{"long cell past end", 1, [][]byte{{cellValue, 0xe4, 0x7f, 0xff, 0xff, 0xff}}, "past the end"},
		{"unknown cell type", 2, [][]byte{k(1), {0xd0}}, "unknown cell type"},
		{"entries past the cells", 5, [][]byte{k(1), v("x")}, "past the end"},
		{"value without key", 1, [][]byte{v("x")}, "expected a key"},
		{"address on a leaf", 2, [][]byte{k(1), wttest.RefCell(wttest.CellAddrLeaf, []byte{0x80, 0x81, 0x80})}, "unexpected cell"},
		{"copy pointing forward", 2, [][]byte{k(1), {cellValueCopy, 0x80}}, "outside the page"},
		{"copy of a key", 3, [][]byte{k(1), v("abc"), {cellValueCopy, 0x86}}, "not a value cell"},
		{"column-store deleted cell", 2, [][]byte{k(1), {cellDel}}, "column-store only"},
		{"removed overflow", 2, [][]byte{k(1), {cellValueOvflRM, 0x83, 0x80, 0x81, 0x80}}, "marked removed"},
		{"overflow to nowhere", 2, [][]byte{k(1), wttest.RefCell(wttest.CellValueOvfl, []byte{0xef, 1})}, "bad overflow address"},
		{"key with time window", 2, [][]byte{{cellKey | cellSecondDesc, 0x20, 0x81}, v("x")}, "time window"},
		{"bad time window", 2, [][]byte{k(1), {cellValue | cellSecondDesc, 0x08, 0x00}}, "time-window"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			data, cfg := handmade(t, page(wttest.PageRowLeaf, c.entries, c.cells...))
			ce := expectCorrupt(t, data, cfg, nil, c.want)
			if ce.Offset != 4096 || ce.PageOffset < pageDataStart {
				t.Errorf("offset %d page offset %d, want the leaf at 4096 and a cell offset", ce.Offset, ce.PageOffset)
			}
		})
	}
}

func TestOverflowPointingAtLeaf(t *testing.T) {
	var leaf []byte
	data, cfg := handmade(t,
		func(w *wttest.Writer) []byte {
			leaf = page(wttest.PageRowLeaf, 2, wttest.KeyCell(0, []byte{0x81}), wttest.ValueCell([]byte("v"), nil))(w)
			return leaf
		},
		func(w *wttest.Writer) []byte {
			return page(wttest.PageRowLeaf, 2, wttest.KeyCell(0, []byte{0x82}), wttest.RefCell(wttest.CellValueOvfl, leaf))(w)
		})
	expectCorrupt(t, data, cfg, nil, "overflow item was expected")
}

func TestBadCheckpointCookies(t *testing.T) {
	data, cfg, _ := wttest.Build(wttest.Spec{}, recordKVs(5, 7))
	with := func(addr string) string {
		return strings.Replace(cfg, cfg[strings.Index(cfg, "addr=\""):strings.Index(cfg, "\",order")], "addr=\""+addr, 1)
	}
	if err := openAndScan(data, with("zz"), nil); !errors.Is(err, ErrCorrupt) {
		t.Errorf("bad hex: %v", err)
	}
	if err := openAndScan(data, with("02"), nil); !errors.Is(err, ErrUnsupported) {
		t.Errorf("checkpoint version 2: %v", err)
	}
	if err := openAndScan(data, with("0180"), nil); !errors.Is(err, ErrCorrupt) {
		t.Errorf("truncated cookie: %v", err)
	}
	if err := openAndScan(data, with(""), nil); err != nil {
		t.Errorf("empty cookie (empty tree): %v", err)
	}
	tb, err := openTable("mem.wt", bytes.NewReader(data), int64(len(data)), "key_format=q", nil)
	if err != nil || tb.HasCheckpoint() {
		t.Fatalf("table without checkpoint: %v, %v", err, tb)
	}
	if got, _, err := scanAll(tb); err != nil || len(got) != 0 {
		t.Errorf("never-checkpointed table gave %d records, %v", len(got), err)
	}
}

func TestOpenMissingAndForeignFiles(t *testing.T) {
	dir := t.TempDir()
	if _, err := OpenFile(filepath.Join(dir, "nope.wt"), "", nil); err == nil || !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
	path := filepath.Join(dir, "foreign.wt")
	if err := os.WriteFile(path, bytes.Repeat([]byte("not wiredtiger "), 1000), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := OpenFile(path, "", nil)
	var ce *CorruptError
	if !errors.As(err, &ce) || ce.Path != path || ce.Offset != 0 {
		t.Errorf("foreign file: %v", err)
	}
}
