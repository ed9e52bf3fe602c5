package dbpath

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParseTurtle(t *testing.T) {
	good := turtleText("11.2.0", "")
	cases := []struct {
		name    string
		text    string
		want    WTVersion
		compat  string
		wantErr string
	}{
		{"plain", good, WTVersion{11, 2, 0, wtString("11.2.0")}, "", ""},
		{"compat line", turtleText("3.1.1", "3.0"), WTVersion{3, 1, 1, wtString("3.1.1")}, "3.0", ""},
		{"CRLF", strings.ReplaceAll(good, "\n", "\r\n"), WTVersion{11, 2, 0, wtString("11.2.0")}, "", ""},
		{"no trailing newline", strings.TrimSuffix(good, "\n"), WTVersion{11, 2, 0, wtString("11.2.0")}, "", ""},
		{"empty", "", WTVersion{}, "", "empty"},
		{"truncated after key", "WiredTiger version string\n" + wtString("11.2.0") + "\nWiredTiger version\n", WTVersion{}, "", "no value"},
		{"truncated at pair boundary", strings.SplitAfterN(good, "\n", 5)[0] + strings.SplitAfterN(good, "\n", 5)[1] +
			strings.SplitAfterN(good, "\n", 5)[2] + strings.SplitAfterN(good, "\n", 5)[3], WTVersion{}, "", "file:WiredTiger.wt"},
		{"no version", "file:WiredTiger.wt\nx\n", WTVersion{}, "", "no \"WiredTiger version\""},
		{"bad number", strings.Replace(good, "minor=2", "minor=two", 1), WTVersion{}, "", "minor=two"},
		{"negative", strings.Replace(good, "patch=0", "patch=-1", 1), WTVersion{}, "", "patch=-1"},
		{"missing patch", strings.Replace(good, ",patch=0", "", 1), WTVersion{}, "", "no patch="},
		{"bad compat", turtleText("3.1.1", "3.x"), WTVersion{}, "", "Compatibility version"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := parseTurtle([]byte(c.text))
			if c.wantErr != "" {
				if !errors.Is(err, ErrCorruptTurtle) || !strings.Contains(err.Error(), c.wantErr) {
					t.Fatalf("err %v, want ErrCorruptTurtle mentioning %q", err, c.wantErr)
				}
				return
			}
			if err != nil || got.version != c.want || got.compat != c.compat {
				t.Errorf("got %+v %q, %v; want %+v %q", got.version, got.compat, err, c.want, c.compat)
			}
		})
	}
}

func TestCorruptTurtleIsAWarning(t *testing.T) {
	dir := standardDB().write(t, t.TempDir())
	mustWrite(t, filepath.Join(dir, turtleFile), []byte("WiredTiger version string\nWiredTiger 10"))
	info := mustInspect(t, dir)
	if info.WTVersion != nil {
		t.Errorf("WTVersion %+v from a corrupt turtle", info.WTVersion)
	}
	requireWarning(t, info, turtleFile, "truncated")
	if info.LastMongod != "4.4.9" || info.WTCreatedBy == "" {
		t.Errorf("other facts lost: last %q createdBy %q", info.LastMongod, info.WTCreatedBy)
	}
}

func TestMissingTurtleWarnsForWiredTiger(t *testing.T) {
	dir := standardDB().write(t, t.TempDir())
	if err := os.Remove(filepath.Join(dir, turtleFile)); err != nil {
		t.Fatal(err)
	}
	requireWarning(t, mustInspect(t, dir), turtleFile, "absent")
}

func TestCreatedByDiffersFromTurtle(t *testing.T) {
	dir := standardDB().write(t, t.TempDir())
	mustWrite(t, filepath.Join(dir, wtFile), []byte("WiredTiger\nWiredTiger 2.8.1: (March 24, 2016)\n"))
	info := mustInspect(t, dir)
	if info.WTCreatedBy != "WiredTiger 2.8.1: (March 24, 2016)" || info.WTVersion.Major != 10 {
		t.Errorf("createdBy %q turtle %+v", info.WTCreatedBy, info.WTVersion)
	}
	mustWrite(t, filepath.Join(dir, wtFile), []byte("garbage"))
	info = mustInspect(t, dir)
	if info.WTCreatedBy != "" {
		t.Errorf("createdBy %q from garbage", info.WTCreatedBy)
	}
	requireWarning(t, info, wtFile, "expected")
}
