package dbpath

import (
	"bytes"
	"path/filepath"
	"testing"
)

// BenchmarkInspectFixture prints the cost of a full Inspect of a real dbpath
// (4 FTDC files, 3.4 MB in all).
func BenchmarkInspectFixture(b *testing.B) {
	dir := filepath.Join(fixturesDir, "dbpaths", "0ReC0__nestjsTestTopApi")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Inspect(dir); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReadFTDCMetadataAfterChunks: metadata behind 100 metric chunks.
func BenchmarkReadFTDCMetadataAfterChunks(b *testing.B) {
	var data []byte
	for range 100 {
		data = append(data, ftdcFile(metricDoc(t0))...)
	}
	data = append(data, ftdcFile(metaDoc(t0, flatBody("4.4.9")))...)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ReadFTDCMetadata(bytes.NewReader(data)); err != nil {
			b.Fatal(err)
		}
	}
}
