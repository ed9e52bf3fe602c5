package wiredtiger

import (
	"bytes"
	"math"
	"testing"

	"github.com/mongostep/mongostep/internal/wiredtiger/wttest"
)

// Byte forms from the table in WiredTiger's intpack_inline.h.
func TestUnpackKnownForms(t *testing.T) {
	uints := []struct {
		b []byte
		v uint64
	}{
		{[]byte{0x80}, 0}, {[]byte{0xbf}, 63}, {[]byte{0xc0, 0x00}, 64}, {[]byte{0xdf, 0xff}, 8255},
		{[]byte{0xe1, 0x00}, 8256}, {[]byte{0xe1, 0x01}, 8257},
		{[]byte{0xe8, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xdf, 0xbf}, math.MaxUint64},
	}
	for _, c := range uints {
		if v, n := unpackUint(c.b); v != c.v || n != len(c.b) {
			t.Errorf("unpackUint(%x) = %d, %d; want %d, %d", c.b, v, n, c.v, len(c.b))
		}
	}
	ints := []struct {
		b []byte
		v int64
	}{
		{[]byte{0x7f}, -1}, {[]byte{0x40}, -64}, {[]byte{0x3f, 0xff}, -65}, {[]byte{0x20, 0x00}, -8256},
		{[]byte{0x16, 0xdf, 0xbf}, -8257}, {[]byte{0x10, 0x80, 0, 0, 0, 0, 0, 0, 0}, math.MinInt64},
		{[]byte{0x81}, 1},
	}
	for _, c := range ints {
		if v, n := unpackInt(c.b); v != c.v || n != len(c.b) {
			t.Errorf("unpackInt(%x) = %d, %d; want %d, %d", c.b, v, n, c.v, len(c.b))
		}
	}
}

func TestUnpackRejectsBadInput(t *testing.T) {
	bad := [][]byte{nil, {0x00}, {0xf0}, {0xc0}, {0xe2, 0x01}, {0xe9, 1, 2, 3, 4, 5, 6, 7, 8, 9}}
	for _, b := range bad {
		if _, n := unpackUint(b); n != 0 {
			t.Errorf("unpackUint(%x) accepted %d bytes", b, n)
		}
	}
	for _, b := range [][]byte{nil, {0x00}, {0x20}, {0x19, 1}, {0x12, 1, 2}, {0xef, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}} {
		if _, n := unpackInt(b); n != 0 {
			t.Errorf("unpackInt(%x) accepted %d bytes", b, n)
		}
	}
	if _, ok := UnpackRecordID([]byte{0x81, 0x00}); ok {
		t.Error("UnpackRecordID accepted trailing bytes")
	}
}

func TestPackUnpackRoundTripAndOrder(t *testing.T) {
	var vals []int64
	for _, base := range []int64{0, 63, 64, 8255, 8256, 1 << 16, 1 << 32, 1 << 48, math.MaxInt64} {
		for d := int64(-2); d <= 2; d++ {
			vals = append(vals, base+d, -(base + d))
		}
	}
	vals = append(vals, math.MinInt64, math.MinInt64+1)
	for _, v := range vals {
		b := wttest.PackInt(nil, v)
		got, n := unpackInt(b)
		if got != v || n != len(b) {
			t.Errorf("int %d packed as %x unpacked to %d (%d bytes)", v, b, got, n)
		}
		for _, w := range vals {
			if (v < w) != (bytes.Compare(b, wttest.PackInt(nil, w)) < 0) {
				t.Errorf("packed order of %d and %d differs from numeric order", v, w)
			}
		}
		if v >= 0 {
			u := wttest.PackUint(nil, uint64(v))
			if got, n := unpackUint(u); got != uint64(v) || n != len(u) {
				t.Errorf("uint %d packed as %x unpacked to %d", v, u, got)
			}
		}
	}
}
