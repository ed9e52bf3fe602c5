package wiredtiger

// WiredTiger's variable-length integer packing (the "vint" format used in
// cells, address cookies and 'q'/'r' key columns). The first byte's top bits
// pick the form:
//
//	0001 llll  negative, llll = number of leading 0xff bytes dropped
//	001x xxxx  negative, 2 bytes, -8256 .. -65
//	01xx xxxx  negative, 1 byte, -64 .. -1
//	10xx xxxx  positive, 1 byte, 0 .. 63
//	110x xxxx  positive, 2 bytes, 64 .. 8255
//	1110 llll  positive, llll big-endian bytes follow, value + 8256
//
// The encoding sorts like the integers it encodes.

const (
	pos1ByteMax = 1<<6 - 1            // 63
	pos2ByteMax = 1<<13 + pos1ByteMax // 8255
	neg1ByteMin = -(1 << 6)           // -64
	neg2ByteMin = -(1 << 13) + neg1ByteMin
)

// unpackUint decodes one packed unsigned integer from the start of b. It
// returns the value and the number of bytes used, or n == 0 if b does not
// start with a valid, complete unsigned integer.
func unpackUint(b []byte) (v uint64, n int) {
	if len(b) == 0 {
		return 0, 0
	}
	switch b[0] >> 4 {
	case 0x8, 0x9, 0xa, 0xb:
		return uint64(b[0] & 0x3f), 1
	case 0xc, 0xd:
		if len(b) < 2 {
			return 0, 0
		}
		return (uint64(b[0]&0x1f)<<8 | uint64(b[1])) + pos1ByteMax + 1, 2
	case 0xe:
		l := int(b[0] & 0xf)
		if l > 8 || len(b) < 1+l {
			return 0, 0
		}
		for _, c := range b[1 : 1+l] {
			v = v<<8 | uint64(c)
		}
		v += pos2ByteMax + 1
		if v < pos2ByteMax+1 { // wrapped past 2^64
			return 0, 0
		}
		return v, 1 + l
	}
	return 0, 0
}

// unpackInt decodes one packed signed integer from the start of b, with the
// same conventions as unpackUint.
func unpackInt(b []byte) (v int64, n int) {
	if len(b) == 0 {
		return 0, 0
	}
	switch b[0] >> 4 {
	case 0x1:
		lz := int(b[0] & 0xf)
		if lz > 8 {
			return 0, 0
		}
		l := 8 - lz
		if len(b) < 1+l {
			return 0, 0
		}
		x := ^uint64(0)
		for _, c := range b[1 : 1+l] {
			x = x<<8 | uint64(c)
		}
		return int64(x), 1 + l
	case 0x2, 0x3:
		if len(b) < 2 {
			return 0, 0
		}
		return int64(uint64(b[0]&0x1f)<<8|uint64(b[1])) + neg2ByteMin, 2
	case 0x4, 0x5, 0x6, 0x7:
		return neg1ByteMin + int64(b[0]&0x3f), 1
	}
	u, n := unpackUint(b)
	if n == 0 || u > 1<<63-1 {
		return 0, 0
	}
	return int64(u), n
}

// UnpackRecordID decodes a key of key_format=q (how MongoDB stores a
// collection's RecordId) and reports whether the whole key was one integer.
func UnpackRecordID(key []byte) (int64, bool) {
	v, n := unpackInt(key)
	if n == 0 || n != len(key) {
		return 0, false
	}
	return v, true
}
