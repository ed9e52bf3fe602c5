package wiredtiger

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/mongostep/mongostep/internal/wiredtiger/wttest"
)

// memTable opens a generated file held in memory.
func memTable(t testing.TB, data []byte, cfg string, opts *Options) *Table {
	t.Helper()
	tb, err := openTable("mem.wt", bytes.NewReader(data), int64(len(data)), cfg, opts)
	if err != nil {
		t.Fatalf("open generated table: %v", err)
	}
	return tb
}

type record struct{ key, value []byte }

// scanAll reads every record of a table.
func scanAll(tb *Table) ([]record, CursorStats, error) {
	c := tb.Cursor()
	defer c.Close()
	var out []record
	for c.Next() {
		out = append(out, record{append([]byte(nil), c.Key()...), append([]byte(nil), c.Value()...)})
	}
	return out, c.Stats(), c.Err()
}

// recordKVs makes n records with RecordId keys (1..n) and pseudo-random
// values of varying sizes (some long enough for two-byte and multi-byte
// length encodings).
func recordKVs(n int, seed uint64) []wttest.KV {
	r := rand.New(rand.NewPCG(seed, 7))
	kvs := make([]wttest.KV, n)
	for i := range kvs {
		size := r.IntN(200)
		if r.IntN(10) == 0 {
			size = 64 + r.IntN(9000)
		}
		v := make([]byte, size)
		for j := range v {
			v[j] = byte('a' + r.IntN(8))
		}
		kvs[i] = wttest.KV{Key: wttest.PackInt(nil, int64(i+1)), Value: v}
	}
	return kvs
}

// stringKVs makes sorted string keys sharing long prefixes.
func stringKVs(n int) []wttest.KV {
	kvs := make([]wttest.KV, n)
	for i := range kvs {
		k := fmt.Sprintf("table:collection-%06d-with-a-long-shared-prefix-%d", i/7, i%7)
		kvs[i] = wttest.KV{Key: []byte(k), Value: []byte(fmt.Sprintf("value of %s", k))}
	}
	return kvs
}

// live returns the records a reader must return: those without a stop time.
func live(kvs []wttest.KV) []record {
	var out []record
	for _, kv := range kvs {
		if kv.TW != nil && kv.TW.Stop {
			continue
		}
		v := kv.Value
		if kv.NoValue || v == nil {
			v = []byte{}
		}
		out = append(out, record{kv.Key, v})
	}
	return out
}

func sameRecords(t *testing.T, got, want []record) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d records, want %d", len(got), len(want))
	}
	for i := range got {
		if !bytes.Equal(got[i].key, want[i].key) || !bytes.Equal(got[i].value, want[i].value) {
			t.Fatalf("record %d: got key %x (value %d bytes), want key %x (value %d bytes)",
				i, got[i].key, len(got[i].value), want[i].key, len(want[i].value))
		}
	}
}
