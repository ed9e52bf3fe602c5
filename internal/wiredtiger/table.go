package wiredtiger

import (
	"encoding/hex"
	"fmt"
	"io"
	"math/bits"
	"os"
	"strconv"
	"strings"
)

// Options tune a reader. The zero value is ready to use.
type Options struct {
	// MaxPageSize caps the decoded size of one page; 0 means
	// DefaultMaxPageSize. Pages claiming more are reported as corrupt.
	MaxPageSize int64

	noVerify bool // fuzzing only: skip block checksums
}

func (o *Options) maxPage() int64 {
	if o == nil || o.MaxPageSize <= 0 {
		return DefaultMaxPageSize
	}
	return o.MaxPageSize
}

// Checkpoint describes the checkpoint a Table is read from.
type Checkpoint struct {
	Name  string // e.g. "WiredTigerCheckpoint.42"
	Order int64
	Time  int64 // seconds since the epoch, as recorded by WiredTiger
}

// Table is one WiredTiger file (a B-tree), read as of its last checkpoint.
type Table struct {
	Path        string
	KeyFormat   string // e.g. "q" for MongoDB collections, "u" for raw bytes, "S" for strings
	ValueFormat string
	Compressor  string // block_compressor: "snappy", "zlib", "zstd" or ""
	Checkpoint  Checkpoint

	bf      blockFile
	closer  io.Closer
	root    blockAddr
	maxPage int64
}

// OpenFile opens the .wt file at path, configured by config: the file's value
// in the WiredTiger metadata (allocation_size, block_compressor, checkpoint,
// key_format, ...).
func OpenFile(path, config string, opts *Options) (*Table, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open WiredTiger file: %w", err)
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("open WiredTiger file: %w", err)
	}
	t, err := openTable(path, f, fi.Size(), config, opts)
	if err != nil {
		f.Close()
		return nil, err
	}
	t.closer = f
	return t, nil
}

// openTable opens a table over any ReaderAt (tests and fuzzing use memory).
func openTable(path string, r io.ReaderAt, size int64, config string, opts *Options) (*Table, error) {
	t := &Table{Path: path, maxPage: opts.maxPage(), KeyFormat: "u", ValueFormat: "u"}
	t.bf = blockFile{path: path, r: r, size: size, allocSize: defaultAllocSize, noVerify: opts != nil && opts.noVerify}
	ckpt, err := t.applyConfig(config)
	if err != nil {
		return nil, err
	}
	if _, err := newDecompressor(t.Compressor, t.maxPage); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if err := t.bf.checkDesc(); err != nil {
		return nil, err
	}
	if t.root, err = t.bf.decodeCheckpoint(ckpt); err != nil {
		return nil, err
	}
	return t, nil
}

// applyConfig reads the settings the reader needs from the metadata config
// and returns the raw checkpoint cookie of the newest checkpoint.
func (t *Table) applyConfig(config string) ([]byte, error) {
	items, err := ParseConfig(config)
	if err != nil {
		return nil, corruptMeta(t.Path, "configuration: %v", err)
	}
	var ckpts string
	for _, it := range items {
		switch it.Key {
		case "allocation_size":
			if t.bf.allocSize, err = parseAllocSize(it.Value); err != nil {
				return nil, corruptMeta(t.Path, "allocation_size: %v", err)
			}
		case "block_compressor":
			t.Compressor = it.Value
		case "key_format":
			t.KeyFormat = it.Value
		case "value_format":
			t.ValueFormat = it.Value
		case "checkpoint":
			ckpts = it.Value
		case "encryption":
			if name, _, _ := ConfigValue(it.Value, "name"); name != "" && name != "none" {
				return nil, unsupported(t.Path, "file is encrypted with %q", name)
			}
		case "format":
			if it.Value != "btree" {
				return nil, unsupported(t.Path, "format=%s", it.Value)
			}
		}
	}
	return t.pickCheckpoint(ckpts)
}

func parseAllocSize(v string) (int64, error) {
	n, err := parseConfigSize(v)
	if err != nil {
		return 0, err
	}
	if n < 512 || n > maxAllocSize || bits.OnesCount64(uint64(n)) != 1 {
		return 0, fmt.Errorf("%d is not a power of two between 512 B and 128 MB", n)
	}
	return n, nil
}

// pickCheckpoint chooses the checkpoint with the highest order.
func (t *Table) pickCheckpoint(ckpts string) ([]byte, error) {
	items, err := ParseConfig(ckpts)
	if err != nil {
		return nil, corruptMeta(t.Path, "checkpoint list: %v", err)
	}
	var best []byte
	found := false
	for _, it := range items {
		sub, err := ParseConfig(it.Value)
		if err != nil {
			return nil, corruptMeta(t.Path, "checkpoint %s: %v", it.Key, err)
		}
		c := Checkpoint{Name: it.Key}
		var addr string
		for _, s := range sub {
			switch s.Key {
			case "addr":
				addr = s.Value
			case "order":
				c.Order, _ = strconv.ParseInt(s.Value, 10, 64)
			case "time":
				c.Time, _ = strconv.ParseInt(s.Value, 10, 64)
			}
		}
		if found && c.Order <= t.Checkpoint.Order {
			continue
		}
		cookie, err := hex.DecodeString(addr)
		if err != nil {
			return nil, corruptMeta(t.Path, "checkpoint %s has a bad addr %q", it.Key, abbreviate(addr))
		}
		best, t.Checkpoint, found = cookie, c, true
	}
	if !found {
		return nil, nil // never checkpointed: the tree is empty as far as the files know
	}
	return best, nil
}

// HasCheckpoint reports whether the file's metadata names a checkpoint. A
// table without one was created after the last checkpoint; its contents, if
// any, are only in the journal.
func (t *Table) HasCheckpoint() bool { return t.Checkpoint.Name != "" }

// Size is the file's size in bytes.
func (t *Table) Size() int64 { return t.bf.size }

// Close closes the underlying file.
func (t *Table) Close() error {
	if t.closer == nil {
		return nil
	}
	err := t.closer.Close()
	t.closer = nil
	return err
}

func stripNUL(b []byte) string {
	return strings.TrimSuffix(string(b), "\x00")
}
