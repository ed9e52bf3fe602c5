package inventory

import (
	"strings"
	"testing"
)

func TestDocHashOrderIndependent(t *testing.T) {
	docs := [][]byte{[]byte("a"), []byte("bb"), []byte("ccc")}
	var h1, h2 DocHash
	for _, d := range docs {
		h1.Add(d)
	}
	for i := len(docs) - 1; i >= 0; i-- {
		h2.Add(docs[i])
	}
	if h1.Sum() != h2.Sum() || h1.Count() != 3 {
		t.Fatalf("order changed the hash: %s vs %s", h1.Sum(), h2.Sum())
	}
	var h3 DocHash
	h3.Add([]byte("a"))
	h3.Add([]byte("bb"))
	h3.Add([]byte("ccd"))
	if h3.Sum() == h1.Sum() {
		t.Fatal("a changed document kept the hash")
	}
	var empty DocHash
	if empty.Sum() != strings.Repeat("0", 64) {
		t.Fatalf("empty hash %s", empty.Sum())
	}
}

func TestDiff(t *testing.T) {
	before := &Inventory{Databases: []Database{{Name: "backend", Collections: []Collection{
		{Name: "task", Type: "collection", Options: "{}", Count: 3, Hash: "aa", Indexes: []string{"i1"}},
		{Name: "gone", Type: "collection", Options: "{}", Count: 1, Hash: "bb"},
	}}}}
	after := &Inventory{Databases: []Database{{Name: "backend", Collections: []Collection{
		{Name: "task", Type: "collection", Options: "{}", Count: 3, Hash: "ab", Indexes: []string{"i1"}},
		{Name: "new", Type: "collection", Options: "{}", Count: 0},
	}}}}
	d := Diff(before, after)
	joined := strings.Join(d, "\n")
	for _, want := range []string{"backend.gone: missing", "backend.new: appeared", "backend.task: same count (3) but the documents differ"} {
		if !strings.Contains(joined, want) {
			t.Errorf("diff lacks %q:\n%s", want, joined)
		}
	}
	if got := Diff(before, before); got != nil {
		t.Errorf("identical inventories differ: %v", got)
	}
}
