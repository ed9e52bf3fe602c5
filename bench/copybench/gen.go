package main

import (
	"encoding/binary"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
)

const (
	segment    = 64 << 10  // content alternates random and repetitive segments
	journal    = 100 << 20 // MongoDB preallocates 100 MiB journal files
	smallFiles = 200
	minFile    = 16 << 10
	maxFile    = 256 << 20
)

type genFile struct {
	path string
	size int64
	zero bool
}

// plan lays out a dbpath-shaped tree of about size bytes: WiredTiger
// metadata, a few hundred collection and index files from 16 KiB to 256 MiB,
// two zero-filled journal files, diagnostic.data, and a configdb.
func plan(size int64, rng *rand.Rand) []genFile {
	j := min(int64(journal), size/10)
	files := []genFile{
		{"db/WiredTiger", 47, false}, {"db/WiredTiger.lock", 21, false}, {"db/WiredTiger.turtle", 1 << 10, false},
		{"db/WiredTiger.wt", 64 << 10, false}, {"db/WiredTigerHS.wt", 16 << 10, false},
		{"db/_mdb_catalog.wt", 36 << 10, false}, {"db/sizeStorer.wt", 36 << 10, false},
		{"db/storage.bson", 114, false}, {"db/mongod.lock", 0, true},
		{"db/journal/WiredTigerLog.0000000001", j, true}, {"db/journal/WiredTigerPreplog.0000000001", j, true},
		{"configdb/WiredTiger", 47, false}, {"configdb/WiredTiger.wt", 36 << 10, false},
	}
	for i := range 6 {
		files = append(files, genFile{fmt.Sprintf("db/diagnostic.data/metrics.2024-01-0%dT00-00-00Z-00000", i+1),
			int64(1<<20 + rng.IntN(9<<20)), false})
	}
	left := size
	for _, f := range files {
		left -= f.size
	}
	for i := 0; left > 0; i++ {
		lo, hi := float64(minFile), float64(1<<20)
		if i >= smallFiles {
			lo, hi = 1<<20, maxFile
		}
		n := min(int64(math.Exp(math.Log(lo)+rng.Float64()*(math.Log(hi)-math.Log(lo)))), left)
		kind := "collection"
		if i%3 == 2 {
			kind = "index"
		}
		files = append(files, genFile{fmt.Sprintf("db/%s-%d-%d.wt", kind, i, 1000+i*7), n, false})
		left -= n
	}
	return files
}

// generate writes the planned tree under root and fsyncs it.
func generate(root string, files []genFile, seed uint64) error {
	rng := newChaCha(seed)
	buf := make([]byte, 1<<20)
	for i, f := range files {
		p := filepath.Join(root, filepath.FromSlash(f.path))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := writeFile(p, f, i, rng, buf); err != nil {
			return fmt.Errorf("generate %s: %w", p, err)
		}
	}
	return nil
}

func writeFile(p string, f genFile, idx int, rng *rand.ChaCha8, buf []byte) error {
	out, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	defer out.Close()
	tmpl := template(idx)
	var seg int64
	for left := f.size; left > 0; {
		n := min(int64(len(buf)), left)
		b := buf[:n]
		if f.zero {
			clear(b)
		} else {
			for off := 0; off < len(b); off += segment {
				s := b[off:min(off+segment, len(b))]
				if seg%2 == 0 {
					rng.Read(s)
				} else {
					copy(s, tmpl)
					binary.LittleEndian.PutUint64(s, uint64(seg))
				}
				seg++
			}
		}
		if _, err := out.Write(b); err != nil {
			return err
		}
		left -= n
	}
	return out.Sync()
}

func newChaCha(seed uint64) *rand.ChaCha8 {
	var seedBytes [32]byte
	binary.LittleEndian.PutUint64(seedBytes[:], seed)
	return rand.NewChaCha8(seedBytes)
}

// template is a repetitive, BSON-like segment: the same small document with
// a counter, as uncompressed collection data looks.
func template(idx int) []byte {
	t := make([]byte, 0, segment)
	for i := 0; len(t) < segment; i++ {
		t = fmt.Appendf(t, `{"_id":{"$oid":"65a0%08x%012x"},"project":"clearml-%d","status":"completed","iter":%d}`, idx, i, idx%7, i)
	}
	return t[:segment]
}

func newRand(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 0x6d6f6e676f)) }
