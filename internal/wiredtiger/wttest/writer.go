package wttest

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"hash/crc32"
	"os"

	"github.com/klauspost/compress/s2"
	"github.com/klauspost/compress/zstd"
)

// KV is one record to write. A nil TW writes a plain value; a TW with Stop
// writes the value as removed (the reader must skip it). NoValue writes the
// key without a value cell (an empty value).
type KV struct {
	Key, Value []byte
	TW         *TW
	NoValue    bool
}

// Spec describes how to lay a file out.
type Spec struct {
	Compressor     string // "", "snappy", "zlib" or "zstd"
	AllocSize      int    // default 4096
	LeafPageMax    int    // bytes of cells per leaf page, default 32 KiB
	InternalFanout int    // children per internal page, default 64
	OverflowOver   int    // keys/values longer than this become overflow items; 0 = never
	Prefix         bool   // prefix-compress leaf keys
	ValueCopy      bool   // write repeated values on a page as value-copy cells
	DataChecksum   bool   // checksum whole blocks even when compressed
	RootLeaf       bool   // a single leaf page is the root (no internal page)
	KeyFormat      string // default "q"
	ValueFormat    string // default "u"
	Format         Format // page details of a WiredTiger release (see Format)
}

// Format selects page details that the reader does not need but that real
// WiredTiger files have.
type Format int

const (
	// FormatTest is this package's original layout: every page of a file
	// with a compressor is compressed, the first key of an internal page is
	// empty, and pages have version 0 unless a value carries a time window.
	FormatTest Format = iota
	// FormatWT2 is WiredTiger 2.x-3.x (MongoDB 3.0-4.2): version-0 pages.
	FormatWT2
	// FormatWT10 is WiredTiger 10 and later (MongoDB 4.4+): version-1 pages,
	// and address cells on internal pages carry a second descriptor byte
	// (an empty aggregated time window).
	FormatWT10
)

// real reports a Format that imitates WiredTiger: the first key of an
// internal page is one 0x00 byte, leaf pages whose keys all have values
// are flagged WT_PAGE_EMPTY_V_NONE, and a page is stored compressed only
// when that saves at least one allocation unit.
func (f Format) real() bool { return f == FormatWT2 || f == FormatWT10 }

func (s *Spec) defaults() {
	if s.AllocSize == 0 {
		s.AllocSize = 4096
	}
	if s.LeafPageMax == 0 {
		s.LeafPageMax = 32 << 10
	}
	if s.InternalFanout < 2 {
		s.InternalFanout = 64
	}
	if s.KeyFormat == "" {
		s.KeyFormat = "q"
	}
	if s.ValueFormat == "" {
		s.ValueFormat = "u"
	}
}

// Writer lays out one file block by block. Most tests use Build or
// WriteFile; tests of damaged files use Page and Addr to wire pages by hand.
type Writer struct {
	spec     Spec
	base     int // file offset of buf[0]
	buf      bytes.Buffer
	writeGen uint64
}

// NewWriter starts a file with its description block.
func NewWriter(spec Spec) *Writer {
	spec.defaults()
	w := &Writer{spec: spec}
	w.buf.Write(DescBlock(spec.AllocSize))
	return w
}

// NewWriterAt starts a writer whose blocks are to be written at byte offset
// base of an existing file (a new checkpoint next to an older one, the way
// WiredTiger never overwrites blocks a durable checkpoint still uses). base
// must be a positive multiple of the allocation size; the description block
// is not repeated. Bytes returns what to write at base.
func NewWriterAt(spec Spec, base int64) *Writer {
	spec.defaults()
	if base < int64(spec.AllocSize) || base%int64(spec.AllocSize) != 0 {
		panic(fmt.Sprintf("wttest: base offset %d is not a positive multiple of the %d-byte allocation size", base, spec.AllocSize))
	}
	return &Writer{spec: spec, base: int(base)}
}

// Records writes kvs as a B-tree and returns the root address (nil for none).
func (w *Writer) Records(kvs []KV) ([]byte, error) {
	if len(kvs) == 0 && !w.spec.RootLeaf {
		return nil, nil
	}
	return w.tree(kvs)
}

// Page writes a page of the given type with ready-made cells and returns
// its address cookie.
func (w *Writer) Page(typ byte, entries int, cells []byte) ([]byte, error) {
	return w.writeBlock(pageImage(typ, entries, cells, 0))
}

// PageWithFlags is Page with page-header flags set (e.g. 0x20, fast-truncate
// information present).
func (w *Writer) PageWithFlags(typ, flags byte, entries int, cells []byte) ([]byte, error) {
	img := pageImage(typ, entries, cells, 0)
	img[25] = flags
	return w.writeBlock(img)
}

// Len is the current file length: the offset the next block will get.
func (w *Writer) Len() int { return w.base + w.buf.Len() }

// Bytes returns what has been written: the whole file for NewWriter, the
// bytes that belong at the base offset for NewWriterAt.
func (w *Writer) Bytes() []byte { return w.buf.Bytes() }

// WriteGen is the write generation of the last block written.
func (w *Writer) WriteGen() uint64 { return w.writeGen }

// CheckpointCookie packs the checkpoint cookie (the hex "addr" of a
// checkpoint in the metadata) of a tree whose root is root (nil for an
// empty tree), for a file Len bytes long.
func (w *Writer) CheckpointCookie(root []byte) []byte { return w.checkpointCookie(root) }

// Finish returns the file bytes and the metadata configuration with a
// checkpoint whose root is root (nil for an empty tree).
func (w *Writer) Finish(root []byte) ([]byte, string) {
	spec := w.spec
	ckpt := w.checkpointCookie(root)
	cfg := fmt.Sprintf("allocation_size=%d,block_compressor=%s,checksum=%s,"+
		"checkpoint=(WiredTigerCheckpoint.1=(addr=\"%s\",order=1,time=1700000000,size=%d,write_gen=%d)),"+
		"encryption=(keyid=,name=),format=btree,key_format=%s,value_format=%s,version=(major=1,minor=1)",
		spec.AllocSize, spec.Compressor, map[bool]string{true: "on", false: "uncompressed"}[spec.DataChecksum],
		hex.EncodeToString(ckpt), w.Len(), w.writeGen, spec.KeyFormat, spec.ValueFormat)
	return w.buf.Bytes(), cfg
}

// WriteFile writes a .wt file holding kvs (which must be in key order) and
// returns its metadata configuration, checkpoint included.
func WriteFile(path string, spec Spec, kvs []KV) (string, error) {
	data, cfg, err := Build(spec, kvs)
	if err != nil {
		return "", err
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		return "", fmt.Errorf("write %s: %w", path, err)
	}
	return cfg, nil
}

// Build returns the bytes of a .wt file holding kvs (in key order) and its
// metadata configuration.
func Build(spec Spec, kvs []KV) ([]byte, string, error) {
	w := NewWriter(spec)
	root, err := w.Records(kvs)
	if err != nil {
		return nil, "", err
	}
	data, cfg := w.Finish(root)
	return data, cfg, nil
}

// DescBlock returns the file description block that starts every .wt
// file: magic, block format version 1.0 and its checksum, padded to one
// allocation unit.
func DescBlock(allocSize int) []byte {
	b := make([]byte, allocSize)
	binary.LittleEndian.PutUint32(b[0:], 120897)
	binary.LittleEndian.PutUint16(b[4:], 1)
	binary.LittleEndian.PutUint16(b[6:], 0)
	binary.LittleEndian.PutUint32(b[8:], crc32.Checksum(b, castagnoli))
	return b
}

// checkpointCookie packs version 1, the root address, three empty extent
// lists, the file size and the checkpoint size.
func (w *Writer) checkpointCookie(root []byte) []byte {
	b := []byte{1}
	if root == nil {
		b = append(b, emptyAddr()...)
	} else {
		b = append(b, root...)
	}
	for i := 0; i < 3; i++ {
		b = append(b, emptyAddr()...)
	}
	b = PackUint(b, uint64(w.Len()))
	return PackUint(b, uint64(w.Len()))
}

func emptyAddr() []byte { return PackUint(PackUint(PackUint(nil, 0), 0), 0) }

// writeBlock appends a page image as a block and returns its address cookie.
func (w *Writer) writeBlock(img []byte) ([]byte, error) {
	w.writeGen++
	binary.LittleEndian.PutUint64(img[8:], w.writeGen)
	binary.LittleEndian.PutUint32(img[16:], uint32(len(img)))
	out, compressed, err := w.maybeCompress(img)
	if err != nil {
		return nil, err
	}
	alloc := w.spec.AllocSize
	size := roundUp(len(out), alloc)
	off := w.Len()
	w.buf.Write(out)
	for pad := size - len(out); pad > 0; pad -= min(pad, len(zeroes)) {
		w.buf.Write(zeroes[:min(pad, len(zeroes))])
	}
	blk := w.buf.Bytes()[off-w.base:]
	binary.LittleEndian.PutUint32(blk[28:], uint32(size))
	sum := 64
	if !compressed || w.spec.DataChecksum {
		blk[36] = 0x01
		sum = size
	}
	cksum := crc32.Checksum(blk[:sum], castagnoli)
	binary.LittleEndian.PutUint32(blk[32:], cksum)
	return Addr(off, size, alloc, cksum), nil
}

var (
	zeroes     [4096]byte
	castagnoli = crc32.MakeTable(crc32.Castagnoli)
)

func roundUp(n, alloc int) int { return (n + alloc - 1) / alloc * alloc }

// maybeCompress compresses everything after the first 64 bytes of img when
// the file has a compressor. Real formats keep a page uncompressed when
// compression would not save an allocation unit, as WiredTiger does.
func (w *Writer) maybeCompress(img []byte) ([]byte, bool, error) {
	if w.spec.Compressor == "" || len(img) <= 64 {
		return img, false, nil
	}
	c, err := compress(w.spec.Compressor, img[64:])
	if err != nil {
		return nil, false, err
	}
	alloc := w.spec.AllocSize
	if w.spec.Format.real() && roundUp(64+len(c), alloc) >= roundUp(len(img), alloc) {
		return img, false, nil
	}
	out := append(append([]byte(nil), img[:64]...), c...)
	out[25] |= 0x01
	return out, true, nil
}

func compress(name string, src []byte) ([]byte, error) {
	switch name {
	case "snappy":
		return lengthPrefix(s2.EncodeSnappy(nil, src)), nil
	case "zstd":
		enc, err := zstd.NewWriter(nil, zstd.WithEncoderConcurrency(1))
		if err != nil {
			return nil, err
		}
		defer enc.Close()
		return lengthPrefix(enc.EncodeAll(src, nil)), nil
	case "zlib":
		var b bytes.Buffer
		zw := zlib.NewWriter(&b)
		if _, err := zw.Write(src); err != nil {
			return nil, err
		}
		if err := zw.Close(); err != nil {
			return nil, err
		}
		return b.Bytes(), nil
	}
	return nil, fmt.Errorf("wttest: unknown compressor %q", name)
}

func lengthPrefix(c []byte) []byte {
	b := make([]byte, 8, 8+len(c))
	binary.LittleEndian.PutUint64(b, uint64(len(c)))
	return append(b, c...)
}

// Addr packs an address cookie for a block at off of size bytes.
func Addr(off, size, alloc int, cksum uint32) []byte {
	a := PackUint(nil, uint64(off/alloc-1))
	a = PackUint(a, uint64(size/alloc))
	return PackUint(a, uint64(cksum))
}

// pageImage returns a page header (40 bytes, block header zeroed) + cells.
func pageImage(typ byte, entries int, cells []byte, version byte) []byte {
	img := make([]byte, 40, 40+len(cells))
	binary.LittleEndian.PutUint32(img[20:], uint32(entries))
	img[24] = typ
	img[27] = version
	return append(img, cells...)
}
