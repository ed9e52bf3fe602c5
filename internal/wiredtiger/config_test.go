package wiredtiger

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParseConfigNested(t *testing.T) {
	s := `allocation_size=4KB,app_metadata=,block_compressor=snappy,checksum,` +
		`checkpoint=(WiredTigerCheckpoint.6=(addr="0188",order=6,newest_stop_ts=-1,newest_stop_txn=-11)),` +
		`log=(enabled=true),verbose=[],source="file:a,b.wt",x = "q\"uote"`
	items, err := ParseConfig(s)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"allocation_size": "4KB", "app_metadata": "", "block_compressor": "snappy", "checksum": "true",
		"checkpoint": `WiredTigerCheckpoint.6=(addr="0188",order=6,newest_stop_ts=-1,newest_stop_txn=-11)`,
		"log":        "enabled=true", "verbose": "", "source": "file:a,b.wt", "x": `q"uote`,
	}
	if len(items) != len(want) {
		t.Fatalf("got %d items: %+v", len(items), items)
	}
	for _, it := range items {
		if want[it.Key] != it.Value {
			t.Errorf("%s = %q, want %q", it.Key, it.Value, want[it.Key])
		}
	}
	inner, _, _ := ConfigValue(want["checkpoint"], "WiredTigerCheckpoint.6")
	if addr, ok, _ := ConfigValue(inner, "addr"); !ok || addr != "0188" {
		t.Errorf("nested addr = %q, %v", addr, ok)
	}
}

func TestParseConfigErrors(t *testing.T) {
	for _, s := range []string{`a=(b=1`, `a="x`, `a=(b=1]`, `a=1 b=2`, `a=)`} {
		if _, err := ParseConfig(s); err == nil {
			t.Errorf("ParseConfig(%q) succeeded", s)
		}
	}
}

func TestParseConfigSize(t *testing.T) {
	for in, want := range map[string]int64{"4KB": 4096, "32MB": 32 << 20, "512": 512, "1GB": 1 << 30, "10B": 10} {
		if got, err := parseConfigSize(in); err != nil || got != want {
			t.Errorf("parseConfigSize(%q) = %d, %v", in, got, err)
		}
	}
	for _, bad := range []string{"", "KB", "-4KB", "x", "99999999999TB"} {
		if _, err := parseConfigSize(bad); err == nil {
			t.Errorf("parseConfigSize(%q) succeeded", bad)
		}
	}
	for _, bad := range []string{"3KB", "256", "1GB"} {
		if _, err := parseAllocSize(bad); err == nil {
			t.Errorf("parseAllocSize(%q) succeeded", bad)
		}
	}
}

func TestParseTurtle(t *testing.T) {
	text := "Compatibility version\nmajor=10,minor=0\nWiredTiger version string\n" +
		"WiredTiger 11.2.0: (December  1, 2023)\nWiredTiger version\nmajor=11,minor=2,patch=0\n" +
		"file:WiredTiger.wt\nallocation_size=4KB,checkpoint=()\n"
	tu, err := ParseTurtle(text)
	if err != nil {
		t.Fatal(err)
	}
	if tu.Major != 11 || tu.Minor != 2 || tu.Patch != 0 || tu.Compatibility != "major=10,minor=0" ||
		!strings.HasPrefix(tu.MetadataConfig, "allocation_size=4KB") || !strings.Contains(tu.VersionString, "11.2.0") {
		t.Errorf("parsed %+v", tu)
	}
	for _, bad := range []string{"", "WiredTiger version\n", "WiredTiger version\nmajor=x\nfile:WiredTiger.wt\n\n",
		"WiredTiger version\nmajor=1,minor=0,patch=0\n"} {
		if _, err := ParseTurtle(bad); err == nil {
			t.Errorf("ParseTurtle(%q) succeeded", bad)
		}
	}
}

func TestReadTurtleFixtures(t *testing.T) {
	for _, d := range loadTruth(t) {
		tu, err := ReadTurtle(filepath.Join(fixturesDir, "dbpaths", d.Dir))
		if err != nil {
			t.Errorf("%s: %v", d.Dir, err)
			continue
		}
		if tu.VersionString != d.WTVersion || tu.Major < 2 {
			t.Errorf("%s: turtle %+v, ground truth %q", d.Dir, tu, d.WTVersion)
		}
	}
	if _, err := ReadTurtle(t.TempDir()); err == nil || !os.IsNotExist(unwrapAll(err)) {
		t.Errorf("missing turtle: %v", err)
	}
}

func unwrapAll(err error) error {
	for {
		u, ok := err.(interface{ Unwrap() error })
		if !ok || u.Unwrap() == nil {
			return err
		}
		err = u.Unwrap()
	}
}
