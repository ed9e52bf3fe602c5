package inventory

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
)

// DocHash is an order-independent digest of a multiset of BSON documents:
// the SHA-256 of each raw document, read as a 256-bit big-endian integer,
// summed modulo 2^256. Two sets of the same documents give the same Sum in
// any order; the zero value is an empty set and ready to use.
type DocHash struct {
	limbs [4]uint64 // big-endian: limbs[0] holds the most significant bits
	n     int64
}

// Add adds one raw BSON document.
func (h *DocHash) Add(doc []byte) {
	d := sha256.Sum256(doc)
	var carry uint64
	for i := 3; i >= 0; i-- {
		v := binary.BigEndian.Uint64(d[i*8:])
		s := h.limbs[i] + v
		c1 := s < v
		s2 := s + carry
		c2 := s2 < s
		h.limbs[i] = s2
		carry = 0
		if c1 || c2 {
			carry = 1
		}
	}
	h.n++
}

// Merge adds every document counted in o.
func (h *DocHash) Merge(o DocHash) {
	var carry uint64
	for i := 3; i >= 0; i-- {
		s := h.limbs[i] + o.limbs[i]
		c1 := s < o.limbs[i]
		s2 := s + carry
		c2 := s2 < s
		h.limbs[i] = s2
		carry = 0
		if c1 || c2 {
			carry = 1
		}
	}
	h.n += o.n
}

// Count is the number of documents added.
func (h *DocHash) Count() int64 { return h.n }

// Sum returns the digest as 64 lowercase hex digits.
func (h *DocHash) Sum() string {
	var b [32]byte
	for i, l := range h.limbs {
		binary.BigEndian.PutUint64(b[i*8:], l)
	}
	return hex.EncodeToString(b[:])
}
