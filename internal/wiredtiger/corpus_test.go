package wiredtiger

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestWriteFuzzCorpus regenerates the seed corpus in testdata/fuzz when
// WT_WRITE_FUZZ_CORPUS=1; otherwise it checks that the corpus is present.
func TestWriteFuzzCorpus(t *testing.T) {
	seeds := map[string][][]any{}
	for _, s := range cellSeeds() {
		seeds["FuzzCell"] = append(seeds["FuzzCell"], []any{s, byte(0)})
		seeds["FuzzPage"] = append(seeds["FuzzPage"], []any{byte(pageRowLeaf), uint32(8), s}, []any{byte(pageRowInt), uint32(4), s})
	}
	for _, s := range fileSeeds(t) {
		seeds["FuzzBlock"] = append(seeds["FuzzBlock"], []any{s.data, s.root, s.comp, s.allocShift, false})
		seeds["FuzzFile"] = append(seeds["FuzzFile"], []any{s.data, s.ckpt, s.comp, s.allocShift})
	}
	seeds["FuzzConfig"] = [][]any{{`allocation_size=4KB,checkpoint=(WiredTigerCheckpoint.6=(addr="0188",order=6)),x="a\"b",y=[1,(2)]`}}
	if os.Getenv("WT_WRITE_FUZZ_CORPUS") != "1" {
		for name := range seeds {
			if files, _ := filepath.Glob(filepath.Join("testdata", "fuzz", name, "seed-*")); len(files) == 0 {
				t.Errorf("no seed corpus in testdata/fuzz/%s (run with WT_WRITE_FUZZ_CORPUS=1)", name)
			}
		}
		return
	}
	for name, list := range seeds {
		dir := filepath.Join("testdata", "fuzz", name)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		for i, vals := range list {
			path := filepath.Join(dir, fmt.Sprintf("seed-%02d", i))
			if err := os.WriteFile(path, encodeCorpus(vals...), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// encodeCorpus writes values in the "go test fuzz v1" corpus file format.
func encodeCorpus(vals ...any) []byte {
	var b strings.Builder
	b.WriteString("go test fuzz v1\n")
	for _, v := range vals {
		switch x := v.(type) {
		case []byte:
			fmt.Fprintf(&b, "[]byte(%s)\n", strconv.Quote(string(x)))
		case string:
			fmt.Fprintf(&b, "string(%s)\n", strconv.Quote(x))
		case byte:
			fmt.Fprintf(&b, "byte(%d)\n", x)
		case uint32:
			fmt.Fprintf(&b, "uint32(%d)\n", x)
		case bool:
			fmt.Fprintf(&b, "bool(%v)\n", x)
		default:
			panic(fmt.Sprintf("corpus type %T", v))
		}
	}
	return []byte(b.String())
}
