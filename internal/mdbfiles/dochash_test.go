package mdbfiles

import (
	"crypto/sha256"
	"fmt"
	"math/big"
	"math/rand/v2"
	"testing"
	"time"
)

func fixedTime(i int) time.Time { return time.Unix(1700000000+int64(i), 0) }

func TestDocHashMatchesBigIntSum(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	mod := new(big.Int).Lsh(big.NewInt(1), 256)
	var docs [][]byte
	for i := 0; i < 500; i++ {
		d := make([]byte, 1+r.IntN(100))
		for j := range d {
			d[j] = byte(r.Uint32())
		}
		docs = append(docs, d)
	}
	sum := new(big.Int)
	var h DocHash
	for _, d := range docs {
		s := sha256.Sum256(d)
		sum.Add(sum, new(big.Int).SetBytes(s[:]))
		h.Add(d)
	}
	sum.Mod(sum, mod)
	if want := fmt.Sprintf("%064x", sum); h.Sum() != want {
		t.Fatalf("DocHash %s, big.Int sum %s", h.Sum(), want)
	}
	// Order independence, and Merge of two halves.
	var rev, a, b DocHash
	for i := len(docs) - 1; i >= 0; i-- {
		rev.Add(docs[i])
		if i%2 == 0 {
			a.Add(docs[i])
		} else {
			b.Add(docs[i])
		}
	}
	a.Merge(b)
	if rev.Sum() != h.Sum() || a.Sum() != h.Sum() || a.Count() != 500 {
		t.Errorf("order or merge changed the hash: %s %s %s", rev.Sum(), a.Sum(), h.Sum())
	}
}

func TestDocHashSmallCases(t *testing.T) {
	var h DocHash
	if h.Sum() != fmt.Sprintf("%064d", 0) || h.Count() != 0 {
		t.Errorf("empty: %s", h.Sum())
	}
	h.Add([]byte("x"))
	if s := sha256.Sum256([]byte("x")); h.Sum() != fmt.Sprintf("%x", s) {
		t.Errorf("one document: %s", h.Sum())
	}
	var twice, other DocHash
	twice.Add([]byte("x"))
	twice.Add([]byte("x"))
	other.Add([]byte("y"))
	other.Add([]byte("z"))
	if twice.Sum() == h.Sum() || twice.Sum() == other.Sum() {
		t.Error("duplicates or different documents collide")
	}
}
