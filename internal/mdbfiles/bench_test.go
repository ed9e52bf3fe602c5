package mdbfiles

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/mongostep/mongostep/internal/wiredtiger/wttest"
	"go.mongodb.org/mongo-driver/bson"
)

// BenchmarkScan measures Scan (read + DocHash of every document) of a
// generated snappy collection; MB/s is on-disk bytes of the collection file,
// bson-MB/s the documents' bytes.
//
//	go test ./internal/mdbfiles -run '^$' -bench Scan -benchmem -cpu 1
func BenchmarkScan(b *testing.B) {
	dir := b.TempDir()
	docs := makeDocs(b, 60000, 0)
	writeBenchDBPath(b, dir, docs)
	d, err := Open(dir)
	if err != nil {
		b.Fatal(err)
	}
	c := d.Collections[0]
	fi, err := os.Stat(filepath.Join(dir, c.Ident+".wt"))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(fi.Size())
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	var bsonBytes int64
	for i := 0; i < b.N; i++ {
		st, err := d.Scan(c)
		if err != nil || st.Count != int64(len(docs)) {
			b.Fatalf("%+v %v", st, err)
		}
		bsonBytes += st.DataSize
	}
	b.ReportMetric(float64(bsonBytes)/time.Since(start).Seconds()/1e6, "bson-MB/s")
	b.ReportMetric(float64(fi.Size())/(1<<20), "file-MiB")
}

func writeBenchDBPath(b *testing.B, dir string, docs [][]byte) {
	kvs := make([]wttest.KV, len(docs))
	for i, d := range docs {
		kvs[i] = wttest.KV{Key: wttest.PackInt(nil, int64(i+1)), Value: d, TW: &wttest.TW{StartTxn: uint64(i + 1)}}
	}
	entry := bson.D{{Key: "md", Value: bson.D{{Key: "ns", Value: "bench.docs"}, {Key: "options", Value: bson.D{}}}},
		{Key: "ns", Value: "bench.docs"}, {Key: "ident", Value: "collection-1-1"}}
	catalog := []wttest.KV{{Key: wttest.PackInt(nil, 1), Value: mustBSON(b, entry)}}
	err := wttest.WriteHome(dir, wttest.HomeSpec{}, []wttest.File{
		{Name: "collection-1-1.wt", Spec: wttest.Spec{Compressor: "snappy", LeafPageMax: 30 << 10, InternalFanout: 256}, KVs: kvs},
		{Name: "_mdb_catalog.wt", Spec: wttest.Spec{Compressor: "snappy"}, KVs: catalog},
		{Name: "sizeStorer.wt", Spec: wttest.Spec{KeyFormat: "u"}},
	})
	if err != nil {
		b.Fatal(err)
	}
}
