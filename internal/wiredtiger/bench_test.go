package wiredtiger

import (
	"fmt"
	"github.com/mongostep/mongostep/internal/fixtures"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/mongostep/mongostep/internal/wiredtiger/wttest"
	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/bson/primitive"
)

// Decode throughput of .wt data: MB/s is on-disk file bytes per second of a
// full table scan (read, checksum, decompress, decode every cell);
// MB/cpu-s is the same per CPU-second of the process, which stays meaningful
// when other work shares the machine. Run on one core with:
//
//	go test ./internal/wiredtiger -run '^$' -bench . -benchmem -cpu 1
//
// B/op staying the same for the 1x and 8x generated files (5.5 and 44 MiB)
// shows that memory does not grow with the table's size.

// BenchmarkFixtures scans every table of every fixture dbpath.
func BenchmarkFixtures(b *testing.B) {
	dirs, _ := filepath.Glob(filepath.Join(fixturesDir, "dbpaths", "*"))
	if len(dirs) == 0 {
		b.Fatal(fixtures.Missing)
	}
	var tables []*Table
	var total int64
	for _, d := range dirs {
		db, err := Open(d, nil)
		if err != nil {
			b.Fatal(err)
		}
		for _, f := range db.Files() {
			t, err := db.OpenTable(f)
			if err != nil {
				b.Fatal(err)
			}
			defer t.Close()
			tables = append(tables, t)
			total += t.Size()
		}
	}
	b.SetBytes(total)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, t := range tables {
			benchScan(b, t)
		}
	}
}

func BenchmarkGeneratedSnappy(b *testing.B)   { benchGenerated(b, "snappy", 1) }
func BenchmarkGeneratedSnappy8x(b *testing.B) { benchGenerated(b, "snappy", 8) }
func BenchmarkGeneratedZstd(b *testing.B)     { benchGenerated(b, "zstd", 1) }
func BenchmarkGeneratedZlib(b *testing.B)     { benchGenerated(b, "zlib", 1) }
func BenchmarkGeneratedNone(b *testing.B)     { benchGenerated(b, "", 1) }

func benchScan(b *testing.B, t *Table) int {
	c := t.Cursor()
	n := 0
	for c.Next() {
		n += len(c.Value())
	}
	if c.Err() != nil {
		b.Fatal(c.Err())
	}
	c.Close()
	return n
}

var (
	genMu    sync.Mutex
	genFiles = map[string]string{}
)

// generated writes (once per process) a collection-like file of BSON
// documents laid out as MongoDB does: 32 KiB leaves, WiredTiger 10 time
// windows on every value.
func generated(b *testing.B, comp string, scale int) (path, cfg string) {
	genMu.Lock()
	defer genMu.Unlock()
	key := fmt.Sprintf("%s-%d", comp, scale)
	if p, ok := genFiles[key]; ok {
		return p, genFiles[key+".cfg"]
	}
	kvs := benchDocs(b, 60000*scale)
	dir, err := os.MkdirTemp("", "wtbench")
	if err != nil {
		b.Fatal(err)
	}
	path = filepath.Join(dir, "collection-bench.wt")
	spec := wttest.Spec{Compressor: comp, LeafPageMax: 30 << 10, InternalFanout: 256, DataChecksum: comp == ""}
	if cfg, err = wttest.WriteFile(path, spec, kvs); err != nil {
		b.Fatal(err)
	}
	genFiles[key], genFiles[key+".cfg"] = path, cfg
	return path, cfg
}

func benchDocs(b *testing.B, n int) []wttest.KV {
	r := rand.New(rand.NewPCG(42, 42))
	words := []string{"alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet"}
	kvs := make([]wttest.KV, n)
	for i := range kvs {
		text := ""
		for j := 0; j < 10+r.IntN(30); j++ {
			text += words[r.IntN(len(words))] + " "
		}
		doc, err := bson.Marshal(bson.D{
			{Key: "_id", Value: primitive.NewObjectIDFromTimestamp(time.Unix(1700000000+int64(i), 0))},
			{Key: "user", Value: fmt.Sprintf("user%07d", r.IntN(1000000))},
			{Key: "age", Value: int32(18 + r.IntN(60))},
			{Key: "score", Value: r.Float64() * 1000},
			{Key: "tags", Value: bson.A{words[r.IntN(10)], words[r.IntN(10)]}},
			{Key: "text", Value: text},
			{Key: "created", Value: primitive.NewDateTimeFromTime(time.Unix(1600000000+int64(r.IntN(1e8)), 0))},
		})
		if err != nil {
			b.Fatal(err)
		}
		kvs[i] = wttest.KV{Key: wttest.PackInt(nil, int64(i+1)), Value: doc, TW: &wttest.TW{StartTxn: uint64(100 + i)}}
	}
	return kvs
}

func benchGenerated(b *testing.B, comp string, scale int) {
	path, cfg := generated(b, comp, scale)
	t, err := OpenFile(path, cfg, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer t.Close()
	b.SetBytes(t.Size())
	b.ReportAllocs()
	b.ResetTimer()
	var docBytes int
	cpu0 := cpuSeconds()
	for i := 0; i < b.N; i++ {
		docBytes = benchScan(b, t)
	}
	b.StopTimer()
	if cpu := cpuSeconds() - cpu0; cpu > 0 {
		b.ReportMetric(float64(t.Size())*float64(b.N)/cpu/1e6, "MB/cpu-s")
	}
	b.ReportMetric(float64(t.Size())/(1<<20), "file-MiB")
	b.ReportMetric(float64(docBytes)/float64(t.Size()), "bson/disk")
}
