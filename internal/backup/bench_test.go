package backup

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sync"
	"testing"
)

// benchDir is removed by TestMain once every test and benchmark has run.
var benchDir string

func TestMain(m *testing.M) {
	code := m.Run()
	if benchDir != "" {
		os.RemoveAll(benchDir)
	}
	os.Exit(code)
}

// benchTree is a 128 MiB tree of 64 files, half random and half repetitive
// data (as WiredTiger files look), made once per test binary.
var benchTree = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "backup-bench-")
	if err != nil {
		return "", err
	}
	benchDir = dir
	rng := rand.NewChaCha8([32]byte{7})
	buf := make([]byte, 2<<20)
	for i := range 64 {
		for off := 0; off < len(buf); off += 64 << 10 {
			seg := buf[off : off+64<<10]
			if off/(64<<10)%2 == 0 {
				rng.Read(seg)
			} else {
				var doc []byte
				for j := 0; len(doc) < len(seg); j++ {
					doc = fmt.Appendf(doc, `{"_id":%d,"project":"p-%d","status":"completed","iter":%d}`, off+j, i, j)
				}
				copy(seg, doc)
			}
		}
		p := filepath.Join(dir, "db", fmt.Sprintf("collection-%d.wt", i))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return "", err
		}
		if err := os.WriteFile(p, buf, 0o600); err != nil {
			return "", err
		}
	}
	return dir, nil
})

func benchSource(b *testing.B) (string, int64) {
	src, err := benchTree()
	if err != nil {
		b.Fatal(err)
	}
	return src, 64 * 2 << 20
}

func benchRun(b *testing.B, o Options) *Manifest {
	src, size := benchSource(b)
	b.SetBytes(size)
	var m *Manifest
	for b.Loop() {
		dir := b.TempDir()
		o := o
		o.Source = src
		if o.Archive != "" {
			o.Archive = filepath.Join(dir, o.Archive)
		}
		if o.CopyTo != "" {
			o.CopyTo = filepath.Join(dir, o.CopyTo)
		}
		var err error
		if m, err = Run(b.Context(), o); err != nil {
			b.Fatal(err)
		}
	}
	return m
}

// BenchmarkRun measures a whole backup (archive + copy, fsync'd) per format.
func BenchmarkRun(b *testing.B) {
	for _, f := range Formats() {
		b.Run(string(f), func(b *testing.B) { benchRun(b, Options{Archive: "b" + f.Ext(), CopyTo: "copy", Format: f}) })
	}
	b.Run("copy-only", func(b *testing.B) { benchRun(b, Options{CopyTo: "copy"}) })
}

func BenchmarkVerifyTree(b *testing.B) {
	src, size := benchSource(b)
	dir := b.TempDir()
	m, err := Run(b.Context(), Options{Source: src, Archive: filepath.Join(dir, "b.tar")})
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(size)
	for b.Loop() {
		if err := VerifyTree(b.Context(), src, m, nil); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVerifyArchive(b *testing.B) {
	for _, f := range Formats() {
		b.Run(string(f), func(b *testing.B) {
			src, size := benchSource(b)
			archive := filepath.Join(b.TempDir(), "b"+f.Ext())
			m, err := Run(b.Context(), Options{Source: src, Archive: archive, Format: f})
			if err != nil {
				b.Fatal(err)
			}
			b.SetBytes(size)
			for b.Loop() {
				if err := VerifyArchive(b.Context(), archive, m, nil); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkCompressBlock measures one worker compressing 1 MiB blocks of the
// benchmark data: the per-core throughput of each format.
func BenchmarkCompressBlock(b *testing.B) {
	src, _ := benchSource(b)
	data, err := os.ReadFile(filepath.Join(src, "db", "collection-0.wt"))
	if err != nil {
		b.Fatal(err)
	}
	for _, f := range Formats() {
		b.Run(string(f), func(b *testing.B) {
			comp, err := newCompressor(f, 1)
			if err != nil {
				b.Fatal(err)
			}
			defer comp.close()
			fn := comp.newFunc()
			out := make([]byte, 0, 2*compressBlock)
			b.SetBytes(int64(len(data)))
			var n int
			for b.Loop() {
				n = 0
				for off := 0; off < len(data); off += compressBlock {
					res, err := fn(out[:0], data[off:min(off+compressBlock, len(data))])
					if err != nil {
						b.Fatal(err)
					}
					n += len(res)
				}
			}
			b.ReportMetric(float64(n)/float64(len(data)), "ratio")
		})
	}
}
