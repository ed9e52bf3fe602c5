package wiredtiger

import (
	"bytes"
	"testing"

	"github.com/mongostep/mongostep/internal/wiredtiger/wttest"
)

var compressors = []string{"", "snappy", "zlib", "zstd"}

func TestRoundTripShapes(t *testing.T) {
	withStops := recordKVs(600, 3)
	for i := range withStops {
		withStops[i].TW = &wttest.TW{StartTS: uint64(1000 + i), StartTxn: uint64(50 + i)}
		if i%5 == 0 {
			withStops[i].TW.Stop = true
			withStops[i].TW.StopTxn = uint64(60 + i)
			if i%10 == 0 {
				withStops[i].TW.StopTS = uint64(2000 + i)
				withStops[i].TW.DurableStopTS = uint64(2005 + i)
			}
		}
	}
	emptyValues := stringKVs(90)
	for i := range emptyValues {
		if i%3 == 0 {
			emptyValues[i].NoValue = true
		}
	}
	repeated := recordKVs(300, 9)
	for i := range repeated {
		repeated[i].Value = []byte{byte('x'), byte(i % 4), 'y', 'z'}
		repeated[i].Value = bytes.Repeat(repeated[i].Value, 1+i%30)
	}
	shapes := []struct {
		name string
		spec wttest.Spec
		kvs  []wttest.KV
	}{
		{"one leaf", wttest.Spec{}, recordKVs(20, 1)},
		{"root is a leaf", wttest.Spec{RootLeaf: true, LeafPageMax: 1 << 20}, recordKVs(50, 2)},
		{"empty root leaf", wttest.Spec{RootLeaf: true}, nil},
		{"empty tree", wttest.Spec{}, nil},
		{"deep tree", wttest.Spec{LeafPageMax: 600, InternalFanout: 2}, recordKVs(400, 4)},
		{"wide tree", wttest.Spec{LeafPageMax: 2000, InternalFanout: 500}, recordKVs(3000, 5)},
		{"overflow values and keys", wttest.Spec{OverflowOver: 500, LeafPageMax: 4000, InternalFanout: 3},
			append(recordKVs(200, 6), bigKeys()...)},
		{"prefix compression", wttest.Spec{Prefix: true, KeyFormat: "S", LeafPageMax: 1500, InternalFanout: 4}, stringKVs(700)},
		{"prefix compression with overflow keys", wttest.Spec{Prefix: true, OverflowOver: 54, KeyFormat: "S", LeafPageMax: 1500},
			stringKVs(300)},
		{"time windows and stop times", wttest.Spec{LeafPageMax: 3000, InternalFanout: 3}, withStops},
		{"empty values", wttest.Spec{Prefix: true, KeyFormat: "S", LeafPageMax: 700}, emptyValues},
		{"value copies", wttest.Spec{ValueCopy: true, LeafPageMax: 2000}, repeated},
		{"data checksums", wttest.Spec{DataChecksum: true, LeafPageMax: 1000, InternalFanout: 5}, recordKVs(300, 8)},
		{"allocation size 512", wttest.Spec{AllocSize: 512, LeafPageMax: 700, InternalFanout: 3}, recordKVs(300, 10)},
	}
	for _, sh := range shapes {
		for _, comp := range compressors {
			name := sh.name + "/" + comp
			if comp == "" {
				name = sh.name + "/none"
			}
			t.Run(name, func(t *testing.T) {
				spec := sh.spec
				spec.Compressor = comp
				data, cfg, err := wttest.Build(spec, sh.kvs)
				if err != nil {
					t.Fatal(err)
				}
				got, stats, err := scanAll(memTable(t, data, cfg, nil))
				if err != nil {
					t.Fatal(err)
				}
				want := live(sh.kvs)
				sameRecords(t, got, want)
				if removed := int64(len(sh.kvs) - len(want)); stats.Removed != removed {
					t.Errorf("stats.Removed = %d, want %d", stats.Removed, removed)
				}
				if stats.DiskBytes > int64(len(data)) {
					t.Errorf("read %d bytes from a %d-byte file", stats.DiskBytes, len(data))
				}
			})
		}
	}
}

// bigKeys sorts after the RecordId keys of recordKVs (positive packed ints
// start with 0x80..0xef; these start with 0xf0) and are long enough to be
// overflow keys.
func bigKeys() []wttest.KV {
	var kvs []wttest.KV
	for i := 0; i < 5; i++ {
		k := append([]byte{0xf0, byte(i)}, bytes.Repeat([]byte("K"), 700+i)...)
		kvs = append(kvs, wttest.KV{Key: k, Value: bytes.Repeat([]byte{byte(i)}, 10+i*300)})
	}
	return kvs
}

func TestRoundTripTimeWindowDetails(t *testing.T) {
	kvs := []wttest.KV{
		{Key: wttest.PackInt(nil, 1), Value: []byte("a"), TW: &wttest.TW{StartTS: 10, DurableStartTS: 12, StartTxn: 5}},
		{Key: wttest.PackInt(nil, 2), Value: []byte("b"), TW: &wttest.TW{StartTxn: 6, Stop: true, StopTxn: 9}},
		{Key: wttest.PackInt(nil, 3), Value: []byte("c"), TW: &wttest.TW{StartTS: 10, Stop: true, StopTS: 20, StopTxn: 7, DurableStopTS: 25}},
		{Key: wttest.PackInt(nil, 4), Value: []byte("d"), TW: &wttest.TW{Prepare: true, StartTS: 30}},
	}
	data, cfg, err := wttest.Build(wttest.Spec{Compressor: "snappy"}, kvs)
	if err != nil {
		t.Fatal(err)
	}
	c := memTable(t, data, cfg, nil).Cursor()
	defer c.Close()
	var windows []TimeWindow
	for c.Next() {
		windows = append(windows, c.TimeWindow())
	}
	if c.Err() != nil {
		t.Fatal(c.Err())
	}
	want := []TimeWindow{
		{StartTS: 10, StartTxn: 5, DurableStartTS: 12},
		{StartTS: 30, DurableStartTS: 30, Prepared: true},
	}
	if len(windows) != len(want) {
		t.Fatalf("got %d live records, want %d", len(windows), len(want))
	}
	for i := range want {
		if windows[i] != want[i] {
			t.Errorf("record %d window = %+v, want %+v", i, windows[i], want[i])
		}
	}
	if c.Stats().Removed != 2 {
		t.Errorf("removed = %d, want 2", c.Stats().Removed)
	}
}

func TestRecordIDKeys(t *testing.T) {
	ids := []int64{-1 << 63, -9000, -8257, -8256, -65, -64, -1, 0, 1, 63, 64, 8255, 8256, 8257, 1 << 40, 1<<63 - 1}
	var kvs []wttest.KV
	for _, id := range ids {
		kvs = append(kvs, wttest.KV{Key: wttest.PackInt(nil, id), Value: []byte{1}})
	}
	for i := 1; i < len(kvs); i++ {
		if bytes.Compare(kvs[i-1].Key, kvs[i].Key) >= 0 {
			t.Fatalf("packed %d does not sort before packed %d", ids[i-1], ids[i])
		}
	}
	data, cfg, err := wttest.Build(wttest.Spec{}, kvs)
	if err != nil {
		t.Fatal(err)
	}
	got, _, err := scanAll(memTable(t, data, cfg, nil))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(ids) {
		t.Fatalf("got %d records, want %d", len(got), len(ids))
	}
	for i, r := range got {
		id, ok := UnpackRecordID(r.key)
		if !ok || id != ids[i] {
			t.Errorf("record %d: UnpackRecordID(%x) = %d, %v; want %d", i, r.key, id, ok, ids[i])
		}
	}
}
