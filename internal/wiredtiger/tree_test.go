package wiredtiger

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/mongostep/mongostep/internal/wiredtiger/wttest"
)

// leafPage writes a leaf with RecordIds ids, each valued "v<id>".
func leafPage(w *wttest.Writer, ids ...int64) []byte {
	var cells []byte
	for _, id := range ids {
		cells = append(cells, wttest.KeyCell(0, wttest.PackInt(nil, id))...)
		cells = append(cells, wttest.ValueCell([]byte{'v', byte(id)}, nil)...)
	}
	addr, err := w.Page(wttest.PageRowLeaf, 2*len(ids), cells)
	if err != nil {
		panic(err)
	}
	return addr
}

func ids(t *testing.T, data []byte, cfg string) []int64 {
	t.Helper()
	got, _, err := scanAll(memTable(t, data, cfg, nil))
	if err != nil {
		t.Fatal(err)
	}
	var out []int64
	for _, r := range got {
		id, _ := UnpackRecordID(r.key)
		out = append(out, id)
	}
	return out
}

// A fast-truncated (deleted) leaf is skipped, with or without the
// fast-truncate details WiredTiger 11 writes when the page flag says so.
func TestDeletedPagesAreSkipped(t *testing.T) {
	for _, ft := range []bool{false, true} {
		w := wttest.NewWriter(wttest.Spec{})
		a, b, c := leafPage(w, 1, 2), leafPage(w, 3, 4), leafPage(w, 5)
		del := wttest.RefCell(wttest.CellAddrDel, b)
		flags := byte(0)
		if ft {
			flags = pageFlagFTUpdate
			// txn id, timestamp, durable timestamp follow the address.
			del = append([]byte{cellAddrDel}, wttest.PackUint(nil, uint64(len(b)))...)
			del = append(del[:1], append(wttest.PackUint(wttest.PackUint(wttest.PackUint(nil, 77), 100), 101), del[1:]...)...)
			del = append(del, b...)
		}
		cells := bytes.Join([][]byte{
			wttest.KeyCell(0, nil), wttest.RefCell(wttest.CellAddrLeaf, a),
			wttest.KeyCell(0, []byte{0x83}), del,
			wttest.KeyCell(0, []byte{0x85}), wttest.RefCell(wttest.CellAddrLeaf, c),
		}, nil)
		root, err := w.PageWithFlags(wttest.PageRowInt, flags, 6, cells)
		if err != nil {
			t.Fatal(err)
		}
		data, cfg := w.Finish(root)
		if got := ids(t, data, cfg); len(got) != 3 || got[0] != 1 || got[1] != 2 || got[2] != 5 {
			t.Errorf("fast-truncate details %v: got RecordIds %v, want [1 2 5]", ft, got)
		}
	}
}

func TestAddressCookieObjectID(t *testing.T) {
	w := wttest.NewWriter(wttest.Spec{})
	leaf := leafPage(w, 1)
	withZero := append(append([]byte(nil), leaf...), cookieFlagObjectID, 0x80) // object 0: this file
	root, _ := w.Page(wttest.PageRowInt, 2, append(wttest.KeyCell(0, nil), wttest.RefCell(wttest.CellAddrLeaf, withZero)...))
	data, cfg := w.Finish(root)
	if got := ids(t, data, cfg); len(got) != 1 {
		t.Errorf("object id 0: got %v", got)
	}
	w = wttest.NewWriter(wttest.Spec{})
	leaf = leafPage(w, 1)
	tiered := append(append([]byte(nil), leaf...), cookieFlagObjectID, 0x81) // another object
	root, _ = w.Page(wttest.PageRowInt, 2, append(wttest.KeyCell(0, nil), wttest.RefCell(wttest.CellAddrLeaf, tiered)...))
	data, cfg = w.Finish(root)
	expectCorrupt(t, data, cfg, nil, "bad child address")
}

func TestEmptyLeavesBetweenFullOnes(t *testing.T) {
	w := wttest.NewWriter(wttest.Spec{})
	a, empty, c := leafPage(w, 1), leafPage(w), leafPage(w, 9)
	inner, _ := w.Page(wttest.PageRowInt, 2, append(wttest.KeyCell(0, nil), wttest.RefCell(wttest.CellAddrLeaf, empty)...))
	root, _ := w.Page(wttest.PageRowInt, 6, bytes.Join([][]byte{
		wttest.KeyCell(0, nil), wttest.RefCell(wttest.CellAddrLeaf, a),
		wttest.KeyCell(0, []byte{0x82}), wttest.RefCell(wttest.CellAddrInt, inner),
		wttest.KeyCell(0, []byte{0x89}), wttest.RefCell(wttest.CellAddrLeaf, c),
	}, nil))
	data, cfg := w.Finish(root)
	if got := ids(t, data, cfg); len(got) != 2 || got[0] != 1 || got[1] != 9 {
		t.Errorf("got %v, want [1 9]", got)
	}
}

func TestOpenTableNames(t *testing.T) {
	dir := t.TempDir()
	err := wttest.WriteHome(dir, wttest.HomeSpec{}, []wttest.File{
		{Name: "collection-1-5.wt", KVs: recordKVsKV(3)},
		{Name: "db/collection-2-5.wt", Spec: wttest.Spec{Compressor: "snappy"}, KVs: recordKVsKV(4)},
	})
	if err != nil {
		t.Fatal(err)
	}
	db, err := Open(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]int{
		"collection-1-5": 3, "table:collection-1-5": 3, "file:collection-1-5.wt": 3,
		"db/collection-2-5": 4, "table:db/collection-2-5": 4,
	} {
		tb, err := db.OpenTable(name)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		got, _, err := scanAll(tb)
		tb.Close()
		if err != nil || len(got) != want {
			t.Errorf("%s: %d records, %v", name, len(got), err)
		}
	}
	for _, name := range []string{"collection-9-9", "file:nope.wt"} {
		if _, err := db.OpenTable(name); !errors.Is(err, ErrNotFound) {
			t.Errorf("%s: %v", name, err)
		}
	}
	if cfg, ok := db.Config("file:collection-1-5.wt"); !ok || len(db.URIs()) != 6 || cfg == "" {
		t.Errorf("config %q %v, uris %v", cfg, ok, db.URIs())
	}
	// A metadata entry must not lead outside the directory.
	db.meta["file:../escape.wt"] = db.meta["file:collection-1-5.wt"]
	if _, err := db.OpenTable("file:../escape.wt"); err == nil {
		t.Error("a metadata path with .. was opened")
	}
	if err := os.Remove(filepath.Join(dir, "collection-1-5.wt")); err != nil {
		t.Fatal(err)
	}
	if _, err := db.OpenTable("collection-1-5"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("deleted file: %v", err)
	}
}

func recordKVsKV(n int) []wttest.KV { return recordKVs(n, uint64(n)) }
