package backup

import (
	"bytes"
	"fmt"
	"io"
	"math/rand/v2"
	"testing"

	"github.com/klauspost/compress/gzip"
)

// TestGzipGate checks that random runs are stored, document-like runs are
// compressed, and that the members read back as one stream.
func TestGzipGate(t *testing.T) {
	random := make([]byte, 256<<10)
	rand.NewChaCha8([32]byte{3}).Read(random)
	var docs []byte
	for i := 0; len(docs) < 256<<10; i++ {
		docs = fmt.Appendf(docs, `{"_id":%d,"name":"task %d","status":"completed"}`, i, i*7)
	}
	docs = docs[:256<<10]
	if worthCompressing(random[:gateBlock]) || !worthCompressing(docs[:gateBlock]) {
		t.Fatal("the gate misjudges random bytes or documents")
	}
	mixed := append(append(append([]byte{}, random...), docs...), random[:1000]...)
	out, err := newGzipFunc()(nil, mixed)
	must(t, err)
	if len(out) < len(random) || len(out) > len(random)+len(docs)/4+2000 {
		t.Errorf("%d bytes (256 KiB random + 256 KiB documents) compressed to %d", len(mixed), len(out))
	}
	zr, err := gzip.NewReader(bytes.NewReader(out))
	must(t, err)
	back, err := io.ReadAll(zr)
	must(t, err)
	if !bytes.Equal(back, mixed) {
		t.Fatal("gzip members do not read back as the input")
	}
}
