package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/klauspost/compress/gzip"
)

// BenchmarkGzipGenerated compresses generated data as backup does (1 MiB
// blocks, gzip level 1), to tell the compressor's share from the rest.
func BenchmarkGzipGenerated(b *testing.B) {
	p := filepath.Join(b.TempDir(), "f")
	buf := make([]byte, 1<<20)
	if err := writeFile(p, genFile{size: 64 << 20}, 3, newChaCha(1), buf); err != nil {
		b.Fatal(err)
	}
	data, err := os.ReadFile(p)
	if err != nil {
		b.Fatal(err)
	}
	w, _ := gzip.NewWriterLevel(nil, gzip.BestSpeed)
	out := &sink{}
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		out.n = 0
		for off := 0; off < len(data); off += 1 << 20 {
			w.Reset(out)
			w.Write(data[off : off+1<<20])
			w.Close()
		}
	}
	b.ReportMetric(float64(out.n)/float64(len(data)), "ratio")
}

type sink struct{ n int }

func (s *sink) Write(p []byte) (int, error) { s.n += len(p); return len(p), nil }
