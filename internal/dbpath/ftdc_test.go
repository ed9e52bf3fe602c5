package dbpath

import (
	"bytes"
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"go.mongodb.org/mongo-driver/bson"
)

var t0 = time.Date(2024, 5, 29, 1, 36, 53, 1_000_000, time.UTC)

func le32(n int32) []byte { return binary.LittleEndian.AppendUint32(nil, uint32(n)) }

func TestReadFTDCMetadata(t *testing.T) {
	meta := ftdcFile(metaDoc(t0, flatBody("7.0.9")))
	metric := ftdcFile(metricDoc(t0))
	cases := []struct {
		name    string
		data    []byte
		version string
		offset  int64
		kind    error
		reason  string
	}{
		{"flat layout", append(append([]byte{}, meta...), metric...), "7.0.9", 0, nil, ""},
		{"after metric chunks", append(append([]byte{}, metric...), meta...), "7.0.9", int64(len(metric)), nil, ""},
		{"8.0 sharded layout", ftdcFile(metaDoc(t0, shardedBody("8.0.3"))), "8.0.3", 0, nil, ""},
		{"first type-0 wins", ftdcFile(metaDoc(t0, flatBody("5.0.2")), metaDoc(t0, flatBody("6.0.3"))), "5.0.2", 0, nil, ""},
		{"int64 type", ftdcFile(bson.D{{Key: "_id", Value: t0}, {Key: "type", Value: int64(0)}, {Key: "doc", Value: flatBody("4.2.3")}}), "4.2.3", 0, nil, ""},
		{"empty", nil, "", 0, ErrNoFTDCMetadata, "no metadata document"},
		{"only metrics", metric, "", int64(len(metric)), ErrNoFTDCMetadata, "no metadata document"},
		{"metadata without buildInfo", ftdcFile(metaDoc(t0, bson.D{{Key: "hostInfo", Value: bson.D{}}})), "", 0, ErrNoFTDCMetadata, "buildInfo.version"},
		{"buildInfo.version not a string", ftdcFile(metaDoc(t0, bson.D{{Key: "buildInfo", Value: bson.D{{Key: "version", Value: int32(4)}}}})), "", 0, ErrNoFTDCMetadata, "buildInfo.version"},
		{"metadata without doc", ftdcFile(bson.D{{Key: "type", Value: int32(0)}}), "", 0, ErrNoFTDCMetadata, "doc field"},
		{"truncated length", append(append([]byte{}, metric...), 0x10, 0), "", int64(len(metric)), ErrCorruptFTDC, "document length"},
		{"truncated document", append(append([]byte{}, metric...), meta[:len(meta)/2]...), "", int64(len(metric)), ErrCorruptFTDC, "truncated"},
		{"huge length", le32(0x7fffffff), "", 0, ErrCorruptFTDC, "invalid document length 2147483647"},
		{"negative length", le32(-8), "", 0, ErrCorruptFTDC, "invalid document length -8"},
		{"tiny length", le32(3), "", 0, ErrCorruptFTDC, "invalid document length 3"},
		{"zero length", le32(0), "", 0, ErrCorruptFTDC, "invalid document length 0"},
		{"bad BSON", append(le32(12), 0x02, 'a', 0, 0xff, 0xff, 0xff, 0x7f, 0), "", 0, ErrCorruptFTDC, "invalid BSON"},
		{"no type field", ftdcFile(bson.D{{Key: "_id", Value: t0}}), "", 0, ErrCorruptFTDC, "no type field"},
		{"string type field", ftdcFile(bson.D{{Key: "type", Value: "0"}}), "", 0, ErrCorruptFTDC, "not an integer"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			// OneByteReader proves the reader copes with short reads.
			got, err := ReadFTDCMetadata(iotest.OneByteReader(bytes.NewReader(c.data)))
			if c.kind == nil {
				if err != nil || got.Version != c.version || got.Offset != c.offset || !got.At.Equal(t0) {
					t.Fatalf("got %+v, %v; want version %q at offset %d, _id %v", got, err, c.version, c.offset, t0)
				}
				return
			}
			var fe *FTDCError
			if !errors.Is(err, c.kind) || !errors.As(err, &fe) || fe.Offset != c.offset || !strings.Contains(err.Error(), c.reason) {
				t.Fatalf("err %v, want %v at offset %d mentioning %q", err, c.kind, c.offset, c.reason)
			}
			if !strings.Contains(err.Error(), "byte offset") {
				t.Errorf("error %q does not give the offset", err)
			}
		})
	}
}

// TestFTDCLyingLengthAllocatesLittle: a 16 MiB length prefix over a few
// bytes must not allocate 16 MiB.
func TestFTDCLyingLengthAllocatesLittle(t *testing.T) {
	data := append(le32(maxFTDCDoc), make([]byte, 100)...)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, err := ReadFTDCMetadata(bytes.NewReader(data))
	runtime.ReadMemStats(&after)
	if !errors.Is(err, ErrCorruptFTDC) || !strings.Contains(err.Error(), "truncated") {
		t.Fatalf("err %v, want truncated", err)
	}
	if grew := after.TotalAlloc - before.TotalAlloc; grew > 1<<20 {
		t.Errorf("allocated %d bytes for a 104-byte input", grew)
	}
}

func TestReadFTDCMetadataPassesReadErrors(t *testing.T) {
	boom := errors.New("disk on fire")
	_, err := ReadFTDCMetadata(iotest.ErrReader(boom))
	if !errors.Is(err, boom) {
		t.Fatalf("err %v, want the read error", err)
	}
}

func TestFTDCFallsBackToOlderFile(t *testing.T) {
	older := t0.Add(-time.Hour)
	goodOld := ftdcFile(metaDoc(older, flatBody("4.2.3")), metricDoc(older))
	newMeta := ftdcFile(metaDoc(t0, flatBody("4.4.9")))
	cases := []struct {
		name   string
		newest []byte
		reason string
	}{
		{"newest empty", nil, "no metadata document"},
		{"newest truncated inside the metadata", newMeta[:len(newMeta)-7], "truncated"},
		{"newest only metrics", ftdcFile(metricDoc(t0)), "no metadata document"},
		{"newest corrupt length", le32(-1), "invalid document length"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			db := standardDB()
			db.ftdc = map[string][]byte{
				"metrics.2024-05-29T00-36-53Z-00000": goodOld,
				"metrics.2024-05-29T01-36-53Z-00000": c.newest,
				"metrics.interim":                    newMeta, // must be ignored
			}
			dir := db.write(t, t.TempDir())
			info := mustInspect(t, dir)
			if info.LastMongod != "4.2.3" || !info.LastMongodAt.Equal(older) ||
				filepath.Base(info.LastMongodFile) != "metrics.2024-05-29T00-36-53Z-00000" {
				t.Fatalf("got %q %v %q, want 4.2.3 from the older file", info.LastMongod, info.LastMongodAt, info.LastMongodFile)
			}
			requireWarning(t, info, "metrics.2024-05-29T01-36-53Z-00000", c.reason, "byte offset")
			requireWarning(t, info, "older FTDC file", "newer mongod may have run")
		})
	}
}

func TestFTDCUnusable(t *testing.T) {
	cases := []struct {
		name string
		db   func() fakeDB
		want []string
	}{
		{"no diagnostic.data", func() fakeDB { d := standardDB(); d.ftdc, d.noDiag = nil, true; return d },
			[]string{"diagnostic.data is absent", "last mongod version is unknown"}},
		{"only metrics.interim", func() fakeDB {
			d := standardDB()
			d.ftdc = map[string][]byte{"metrics.interim": ftdcFile(metaDoc(t0, flatBody("4.4.9")))}
			return d
		}, []string{"no metrics.* archive", "unknown"}},
		{"all files corrupt", func() fakeDB {
			d := standardDB()
			d.ftdc = map[string][]byte{"metrics.a": le32(1), "metrics.b": nil}
			return d
		}, []string{"no FTDC file", "unknown"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			info := mustInspect(t, c.db().write(t, t.TempDir()))
			if info.LastMongod != "" || !info.LastMongodAt.IsZero() || info.LastMongodFile != "" {
				t.Errorf("got %q %v %q, want nothing", info.LastMongod, info.LastMongodAt, info.LastMongodFile)
			}
			requireWarning(t, info, c.want...)
		})
	}
}

func TestFTDCIgnoresFoldersNamedLikeMetrics(t *testing.T) {
	dir := standardDB().write(t, t.TempDir())
	if err := os.Mkdir(filepath.Join(dir, diagDir, "metrics.zzzz"), 0o755); err != nil {
		t.Fatal(err)
	}
	if info := mustInspect(t, dir); info.LastMongod != "4.4.9" {
		t.Errorf("LastMongod %q; warnings %q", info.LastMongod, info.Warnings)
	}
}
