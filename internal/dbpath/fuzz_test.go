package dbpath

import (
	"bytes"
	"errors"
	"testing"
)

// FuzzReadFTDCMetadata: any input gives a version or a classified error,
// never a panic, and a found document lies inside the input.
// Seeds: testdata/fuzz/FuzzReadFTDCMetadata (real and synthetic FTDC heads).
// Run: go test -run '^$' -fuzz FuzzReadFTDCMetadata -fuzztime 30s ./internal/dbpath
func FuzzReadFTDCMetadata(f *testing.F) {
	f.Add(ftdcFile(metaDoc(t0, flatBody("4.4.9")), metricDoc(t0)))
	f.Add(ftdcFile(metricDoc(t0), metaDoc(t0, shardedBody("8.0.3"))))
	f.Add(le32(maxFTDCDoc))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := ReadFTDCMetadata(bytes.NewReader(data))
		if err != nil {
			var fe *FTDCError
			if !errors.As(err, &fe) || (!errors.Is(err, ErrCorruptFTDC) && !errors.Is(err, ErrNoFTDCMetadata)) {
				t.Fatalf("unclassified error %T: %v", err, err)
			}
			if fe.Offset < 0 || fe.Offset > int64(len(data)) {
				t.Fatalf("error offset %d outside the %d-byte input", fe.Offset, len(data))
			}
			return
		}
		if m.Version == "" || m.Offset < 0 || m.Offset+minDocLen > int64(len(data)) {
			t.Fatalf("bad result %+v for %d bytes", m, len(data))
		}
	})
}
