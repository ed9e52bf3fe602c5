package wiredtiger

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/mongostep/mongostep/internal/wiredtiger/wttest"
)

// Fuzzers: run one at a time, e.g.
//
//	go test ./internal/wiredtiger -run '^$' -fuzz '^FuzzFile$' -fuzztime 3m -parallel 2
//
// Seeds live in testdata/fuzz/<FuzzName>/ (written by TestWriteFuzzCorpus
// with WT_WRITE_FUZZ_CORPUS=1) and are also added below.

// fuzzOpts keeps pages small so hostile size claims stay cheap while fuzzing.
func fuzzOpts() *Options { return &Options{MaxPageSize: 1 << 20, noVerify: true} }

var compressorByte = []string{"", "snappy", "zlib", "zstd"}

// checkErr fails on errors that are neither corruption nor unsupported
// features: every problem with the input must be reported as one of those.
func checkErr(t *testing.T, err error) {
	if err != nil && !errors.Is(err, ErrCorrupt) && !errors.Is(err, ErrUnsupported) && !errors.Is(err, ErrNotFound) {
		t.Fatalf("error of unexpected kind: %v", err)
	}
}

// FuzzCell decodes cells one after another from arbitrary bytes.
func FuzzCell(f *testing.F) {
	for _, s := range cellSeeds() {
		f.Add(s, byte(0))
	}
	f.Fuzz(func(t *testing.T, data []byte, flags byte) {
		pg := append(make([]byte, pageDataStart), data...)
		for off := pageDataStart; off < len(pg); {
			var c cell
			if why := c.unpack(pg, off, flags); why != "" {
				return
			}
			if c.end <= off || c.end > len(pg) {
				t.Fatalf("cell at %d ends at %d (page %d bytes)", off, c.end, len(pg))
			}
			if len(c.data) > len(pg) {
				t.Fatalf("cell data of %d bytes from a %d-byte page", len(c.data), len(pg))
			}
			off = c.end
		}
	})
}

// FuzzPage walks an arbitrary page image as the root of a one-page file:
// leaf and internal cell decoding, prefix compression, overflow references
// (into the same file) and child addresses.
func FuzzPage(f *testing.F) {
	for _, s := range cellSeeds() {
		f.Add(byte(pageRowLeaf), uint32(8), s)
		f.Add(byte(pageRowInt), uint32(4), s)
	}
	f.Fuzz(func(t *testing.T, typ byte, entries uint32, cells []byte) {
		file := onePageFile(typ, entries, cells)
		cfg := "allocation_size=512,checkpoint=(c=(addr=\"" + hex.EncodeToString(rootCookie(len(file)-512)) + "\",order=1))"
		tb, err := openTable("fuzz.wt", bytes.NewReader(file), int64(len(file)), cfg, fuzzOpts())
		if err != nil {
			checkErr(t, err)
			return
		}
		_, _, err = scanAll(tb)
		checkErr(t, err)
	})
}

// FuzzBlock reads one block through readPage: bounds, block header,
// checksums (verified unless noVerify) and the decompressors.
func FuzzBlock(f *testing.F) {
	for _, s := range fileSeeds(f) {
		f.Add(s.data, s.root, s.comp, s.allocShift, false)
		f.Add(s.data, s.root, s.comp, s.allocShift, true)
	}
	f.Fuzz(func(t *testing.T, file, cookie []byte, comp, allocShift byte, noVerify bool) {
		alloc := int64(512) << (allocShift % 4)
		if int64(len(file)) < alloc {
			return
		}
		tb := &Table{Path: "fuzz.wt", maxPage: 1 << 20, Compressor: compressorByte[int(comp)%len(compressorByte)]}
		tb.bf = blockFile{path: "fuzz.wt", r: bytes.NewReader(file), size: int64(len(file)), allocSize: alloc, noVerify: noVerify}
		a, ok := tb.bf.decodeAddr(cookie)
		if !ok || a.empty() {
			return
		}
		c := tb.Cursor()
		defer c.Close()
		c.budget = 1 << 40
		img, h, err := c.readPage(a, &pageBuf{})
		if err != nil {
			checkErr(t, err)
			return
		}
		if len(img) != int(h.memSize) || len(img) < pageDataStart {
			t.Fatalf("page image %d bytes, header says %d", len(img), h.memSize)
		}
	})
}

// FuzzFile runs the whole reader over an arbitrary file and checkpoint
// cookie: description block, tree walk, pages, cells and decompression.
func FuzzFile(f *testing.F) {
	for _, s := range fileSeeds(f) {
		f.Add(s.data, s.ckpt, s.comp, s.allocShift)
	}
	f.Fuzz(func(t *testing.T, file, ckpt []byte, comp, allocShift byte) {
		cfg := "block_compressor=" + compressorByte[int(comp)%len(compressorByte)] +
			",allocation_size=" + strconv.Itoa(512<<(allocShift%4)) +
			",checkpoint=(c=(addr=\"" + hex.EncodeToString(ckpt) + "\",order=1))"
		tb, err := openTable("fuzz.wt", bytes.NewReader(file), int64(len(file)), cfg, fuzzOpts())
		if err != nil {
			checkErr(t, err)
			return
		}
		got, stats, err := scanAll(tb)
		checkErr(t, err)
		if stats.DiskBytes > int64(len(file)) {
			t.Fatalf("read %d bytes of a %d-byte file (%d records)", stats.DiskBytes, len(file), len(got))
		}
	})
}

// FuzzConfig parses arbitrary configuration strings and turtle files.
func FuzzConfig(f *testing.F) {
	f.Add(`allocation_size=4KB,checkpoint=(WiredTigerCheckpoint.6=(addr="0188",order=6)),x="a\"b",y=[1,(2)]`)
	f.Add("WiredTiger version\nmajor=1,minor=2,patch=3\nfile:WiredTiger.wt\nchecksum=on\n")
	f.Fuzz(func(t *testing.T, s string) {
		items, err := ParseConfig(s)
		if err == nil {
			for _, it := range items {
				if len(it.Key) > len(s) || (len(it.Value) > len(s) && it.Value != "true") {
					t.Fatalf("item longer than its input: %+v", it)
				}
			}
			tb := &Table{Path: "fuzz.wt"}
			tb.bf.allocSize = 4096
			_, _ = tb.applyConfig(s)
		}
		_, _ = ParseTurtle(s)
		_, _ = parseConfigSize(s)
	})
}

// onePageFile is a description block followed by one uncompressed page.
func onePageFile(typ byte, entries uint32, cells []byte) []byte {
	size := (pageDataStart + len(cells) + 511) / 512 * 512
	file := make([]byte, 512+size)
	binary.LittleEndian.PutUint32(file, blockMagic)
	binary.LittleEndian.PutUint16(file[4:], 1)
	pg := file[512:]
	binary.LittleEndian.PutUint32(pg[16:], uint32(pageDataStart+len(cells)))
	binary.LittleEndian.PutUint32(pg[20:], entries)
	pg[24] = typ
	copy(pg[pageDataStart:], cells)
	return file
}

// rootCookie is a checkpoint cookie: version, root address, empty alloc,
// avail and discard lists, file size and checkpoint size.
func rootCookie(size int) []byte {
	b := append([]byte{checkpointVersion}, wttest.Addr(512, size, 512, 0)...)
	for i := 0; i < 3; i++ {
		b = append(b, 0x80, 0x80, 0x80)
	}
	return append(b, 0x80, 0x80)
}

// TestFuzzSeedsAreValid makes sure the fuzzers start from inputs the reader
// accepts, so mutations explore real decoding paths.
func TestFuzzSeedsAreValid(t *testing.T) {
	leaves := 0
	for _, s := range cellSeeds() {
		file := onePageFile(pageRowLeaf, 2, s)
		cfg := "allocation_size=512,checkpoint=(c=(addr=\"" + hex.EncodeToString(rootCookie(len(file)-512)) + "\",order=1))"
		tb, err := openTable("seed.wt", bytes.NewReader(file), int64(len(file)), cfg, fuzzOpts())
		if err != nil {
			t.Fatalf("page seed: %v", err)
		}
		if got, st, _ := scanAll(tb); len(got)+int(st.Removed) > 0 {
			leaves++
		}
	}
	if leaves < 6 {
		t.Errorf("only %d page seeds decode to records", leaves)
	}
	for i, s := range fileSeeds(t) {
		cfg := "block_compressor=" + compressorByte[s.comp] + ",allocation_size=" + strconv.Itoa(512<<s.allocShift) +
			",checkpoint=(c=(addr=\"" + hex.EncodeToString(s.ckpt) + "\",order=1))"
		tb, err := openTable("seed.wt", bytes.NewReader(s.data), int64(len(s.data)), cfg, nil)
		if err != nil {
			t.Fatalf("file seed %d: %v", i, err)
		}
		if got, _, err := scanAll(tb); err != nil || len(got) == 0 {
			t.Errorf("file seed %d: %d records, %v", i, len(got), err)
		}
		c := tb.Cursor()
		c.budget = 1 << 40
		a, ok := tb.bf.decodeAddr(s.root)
		if _, _, err := c.readPage(a, &pageBuf{}); !ok || err != nil {
			t.Errorf("block seed %d: %v %v", i, ok, err)
		}
	}
}

func cellSeeds() [][]byte {
	var out [][]byte
	for _, kv := range recordKVs(6, 11) {
		out = append(out, append(wttest.KeyCell(0, kv.Key), wttest.ValueCell(kv.Value, &wttest.TW{StartTxn: 3, Stop: true, StopTxn: 4})...))
	}
	out = append(out,
		bytes.Join([][]byte{wttest.KeyCell(0, []byte("abcdef")), wttest.ValueCell([]byte("x"), nil),
			wttest.KeyCell(3, []byte("zz")), {cellValueCopy, 0x84}}, nil),
		bytes.Join([][]byte{wttest.KeyCell(0, nil), wttest.RefCell(wttest.CellAddrLeaf, wttest.Addr(512, 512, 512, 0)),
			wttest.KeyCell(0, []byte{1}), wttest.RefCell(wttest.CellAddrDel, wttest.Addr(512, 512, 512, 0))}, nil),
		bytes.Join([][]byte{wttest.KeyCell(0, []byte{0x81}), wttest.RefCell(wttest.CellValueOvfl, wttest.Addr(512, 512, 512, 0))}, nil))
	return out
}

type fileSeed struct {
	data, ckpt, root []byte
	comp, allocShift byte // allocation size 512 << allocShift
}

// fileSeeds are generated files of several shapes and compressors, plus one
// real collection file from the fixtures when present.
func fileSeeds(tb testing.TB) []fileSeed {
	var out []fileSeed
	shapes := []wttest.Spec{
		{LeafPageMax: 200, InternalFanout: 3, OverflowOver: 60},
		{RootLeaf: true, Prefix: true, KeyFormat: "S", LeafPageMax: 1 << 20},
		{ValueCopy: true, DataChecksum: true},
	}
	for i, comp := range compressorByte {
		spec := shapes[i%len(shapes)]
		spec.Compressor, spec.AllocSize = comp, 512
		kvs := recordKVs(12, uint64(i))
		for j := range kvs {
			kvs[j].Value = kvs[j].Value[:min(len(kvs[j].Value), 20+j*8)]
			if j%4 == 0 {
				kvs[j].TW = &wttest.TW{StartTxn: 9, Stop: j%8 == 0, StopTxn: 12}
			}
		}
		if spec.KeyFormat == "S" {
			kvs = stringKVs(12)
		}
		data, cfg, err := wttest.Build(spec, kvs)
		if err != nil {
			tb.Fatal(err)
		}
		ckpt, root := cookiesFromConfig(tb, cfg, 512)
		out = append(out, fileSeed{data, ckpt, root, byte(i), 0})
	}
	if fs, err := filepath.Glob(filepath.Join(fixturesDir, "dbpaths", "Jannin2__Sharding", "collection-2-*.wt")); err == nil && len(fs) == 1 {
		data, _ := os.ReadFile(fs[0])
		db, err := Open(filepath.Dir(fs[0]), nil)
		if err == nil {
			cfg, _ := db.Config("file:" + filepath.Base(fs[0]))
			ckpt, root := cookiesFromConfig(tb, cfg, 4096)
			out = append(out, fileSeed{data, ckpt, root, 1, 3})
		}
	}
	return out
}

// cookiesFromConfig extracts the checkpoint cookie and its root address.
func cookiesFromConfig(tb testing.TB, cfg string, alloc int64) (ckpt, root []byte) {
	t := &Table{Path: "seed"}
	t.bf.allocSize = alloc
	ckpt, err := t.applyConfig(cfg)
	if err != nil || len(ckpt) < 2 {
		tb.Fatalf("seed config: %v", err)
	}
	t.bf.size = 1 << 40
	_, n, _ := t.bf.unpackAddr(ckpt[1:])
	return ckpt, ckpt[1 : 1+n]
}
