package main_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"

	"github.com/rogpeppe/go-internal/testscript"
)

type truthCollection struct {
	NS    string `json:"ns"`
	Ident string `json:"ident"`
	Live  int64  `json:"live_records"`
}

type truthDir struct {
	Dir         string            `json:"dir"`
	Collections []truthCollection `json:"collections"`
}

// truthcheck NAME DUMPDIR checks `mongostep inspect --json` output (the
// script's last stdout) and a `mongostep dump` of the fixture NAME against
// the fixtures' ground truth, established without mongostep's code: every
// collection's count, and every .bson file byte for byte.
func cmdTruthcheck(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: truthcheck FIXTURE DUMPDIR")
	}
	fx := ts.Getenv("FIXTURES")
	var all []truthDir
	b, err := os.ReadFile(filepath.Join(fx, "ground-truth.json"))
	ts.Check(err)
	ts.Check(json.Unmarshal(b, &all))
	var want *truthDir
	for i := range all {
		if all[i].Dir == args[0] {
			want = &all[i]
		}
	}
	if want == nil {
		ts.Fatalf("no ground truth for %s", args[0])
	}
	var inspected struct {
		Collections []struct {
			NS        string `json:"ns"`
			Documents int64  `json:"documents"`
		} `json:"collections"`
	}
	ts.Check(json.Unmarshal([]byte(ts.ReadFile("stdout")), &inspected))
	counts := map[string]int64{}
	for _, c := range inspected.Collections {
		counts[c.NS] = c.Documents
	}
	if len(counts) != len(want.Collections) {
		ts.Fatalf("inspect lists %d collections, ground truth %d", len(counts), len(want.Collections))
	}
	dump := ts.MkAbs(args[1])
	for _, c := range want.Collections {
		if got, ok := counts[c.NS]; !ok || got != c.Live {
			ts.Fatalf("inspect: %s has %d documents (listed %v), ground truth %d", c.NS, got, ok, c.Live)
		}
		db, coll, _ := strings.Cut(c.NS, ".")
		got, err := os.ReadFile(filepath.Join(dump, db, coll+".bson"))
		ts.Check(err)
		truth, err := os.ReadFile(filepath.Join(fx, "ground-truth", want.Dir, c.Ident+".bson"))
		ts.Check(err)
		if !bytes.Equal(got, truth) {
			ts.Fatalf("dump: %s/%s.bson differs from ground-truth/%s/%s.bson", db, coll, want.Dir, c.Ident)
		}
	}
}
