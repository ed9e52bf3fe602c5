package wttest

// PackUint appends WiredTiger's packed form of an unsigned integer.
func PackUint(b []byte, x uint64) []byte {
	switch {
	case x <= 63:
		return append(b, 0x80|byte(x))
	case x <= 8255:
		x -= 64
		return append(b, 0xc0|byte(x>>8), byte(x))
	}
	x -= 8256
	n := 0
	for t := x; t != 0; t >>= 8 {
		n++
	}
	if n == 0 { // x was exactly 8256: WiredTiger writes one zero byte
		return append(b, 0xe1, 0)
	}
	b = append(b, 0xe0|byte(n))
	for i := n - 1; i >= 0; i-- {
		b = append(b, byte(x>>(8*i)))
	}
	return b
}

// PackInt appends WiredTiger's packed form of a signed integer (how
// key_format=q keys, such as MongoDB RecordIds, are stored).
func PackInt(b []byte, x int64) []byte {
	switch {
	case x >= 0:
		return PackUint(b, uint64(x))
	case x >= -64:
		return append(b, 0x40|byte(x+64))
	case x >= -8256:
		v := uint64(x + 8256)
		return append(b, 0x20|byte(v>>8), byte(v))
	}
	u := uint64(x)
	lz := 0
	for i := 7; i >= 0 && byte(u>>(8*i)) == 0xff; i-- {
		lz++
	}
	n := 8 - lz
	b = append(b, 0x10|byte(lz))
	for i := n - 1; i >= 0; i-- {
		b = append(b, byte(u>>(8*i)))
	}
	return b
}
