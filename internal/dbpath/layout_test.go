package dbpath

import (
	"errors"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

func TestInspectBareDBPath(t *testing.T) {
	dir := standardDB().write(t, filepath.Join(t.TempDir(), "data"))
	info := mustInspect(t, dir)
	if info.Layout != LayoutDBPath || info.DBPath != dir || info.ConfigDB != "" {
		t.Errorf("got layout %q dbpath %q configdb %q", info.Layout, info.DBPath, info.ConfigDB)
	}
	if info.Engine != EngineWiredTiger || info.LastMongod != "4.4.9" || !info.Clean {
		t.Errorf("got engine %q last %q clean %v", info.Engine, info.LastMongod, info.Clean)
	}
	if info.WTVersion == nil || *info.WTVersion != (WTVersion{10, 0, 2, wtString("10.0.2")}) {
		t.Errorf("WTVersion %+v", info.WTVersion)
	}
	if len(info.Warnings) != 0 {
		t.Errorf("unexpected warnings %q", info.Warnings)
	}
}

func TestInspectRelativePathIsMadeAbsolute(t *testing.T) {
	dir := standardDB().write(t, filepath.Join(t.TempDir(), "data"))
	t.Chdir(filepath.Dir(dir))
	info := mustInspect(t, "./data/../data/")
	if info.Root != dir {
		t.Errorf("Root %q, want %q", info.Root, dir)
	}
}

func TestInspectClearMLLayout(t *testing.T) {
	root := filepath.Join(t.TempDir(), "mongo_4")
	standardDB().write(t, filepath.Join(root, "db"))
	mustMkdir(t, filepath.Join(root, "configdb"))
	mustWrite(t, filepath.Join(root, "configdb", "mongod.conf"), []byte("12345"))
	info := mustInspect(t, root)
	if info.Layout != LayoutClearML || info.DBPath != filepath.Join(root, "db") || info.ConfigDB != filepath.Join(root, "configdb") {
		t.Errorf("got layout %q dbpath %q configdb %q", info.Layout, info.DBPath, info.ConfigDB)
	}
	if info.LastMongod != "4.4.9" {
		t.Errorf("LastMongod %q, want 4.4.9 from db/diagnostic.data", info.LastMongod)
	}
	bare := mustInspect(t, info.DBPath)
	if info.Bytes != bare.Bytes+5 || info.Files != bare.Files+1 {
		t.Errorf("ClearML sizes %d/%d, want db/ %d/%d plus configdb's 5-byte file", info.Bytes, info.Files, bare.Bytes, bare.Files)
	}
	if warningWith(info, "configdb") != "" {
		t.Errorf("unexpected configdb warning: %q", info.Warnings)
	}
}

func TestInspectClearMLWithoutConfigDB(t *testing.T) {
	root := t.TempDir()
	standardDB().write(t, filepath.Join(root, "db"))
	info := mustInspect(t, root)
	if info.Layout != LayoutClearML {
		t.Fatalf("layout %q, want clearml", info.Layout)
	}
	requireWarning(t, info, "configdb", "absent")
}

func TestInspectDBPathWithDatabaseNamedDB(t *testing.T) {
	// directoryPerDB puts a database "db" in a db/ subfolder of a bare dbpath.
	dir := standardDB().write(t, t.TempDir())
	mustMkdir(t, filepath.Join(dir, "db"))
	mustWrite(t, filepath.Join(dir, "db", "collection-0-1.wt"), []byte("x"))
	if info := mustInspect(t, dir); info.Layout != LayoutDBPath || info.DBPath != dir {
		t.Errorf("layout %q dbpath %q, want the bare dbpath", info.Layout, info.DBPath)
	}
}

func TestInspectMissing(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "nope")
	_, err := Inspect(dir)
	if !errors.Is(err, ErrNotExist) || !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("err %v, want ErrNotExist", err)
	}
	var e *Error
	if !errors.As(err, &e) || e.Path != dir || !strings.Contains(err.Error(), dir) {
		t.Errorf("error %q does not name %s", err, dir)
	}
}

func TestInspectNotADataDir(t *testing.T) {
	tmp := t.TempDir()
	cases := map[string]func() string{
		"empty folder": func() string { d := filepath.Join(tmp, "empty"); mustMkdir(t, d); return d },
		"random files": func() string {
			d := filepath.Join(tmp, "random")
			mustMkdir(t, d)
			mustWrite(t, filepath.Join(d, "notes.txt"), []byte("hi"))
			mustMkdir(t, filepath.Join(d, "configdb"))
			return d
		},
		"a file": func() string { p := filepath.Join(tmp, "file"); mustWrite(t, p, []byte("x")); return p },
		"clearml root with empty db": func() string {
			d := filepath.Join(tmp, "clearml-empty")
			mustMkdir(t, filepath.Join(d, "db"))
			mustMkdir(t, filepath.Join(d, "configdb"))
			return d
		},
		"clearml root with junk db": func() string {
			d := filepath.Join(tmp, "clearml-junk")
			mustMkdir(t, filepath.Join(d, "db"))
			mustWrite(t, filepath.Join(d, "db", "README"), []byte("x"))
			return d
		},
	}
	for name, mk := range cases {
		t.Run(name, func(t *testing.T) {
			dir := mk()
			_, err := Inspect(dir)
			if !errors.Is(err, ErrNotDataDir) {
				t.Fatalf("err %v, want ErrNotDataDir", err)
			}
			msg := err.Error()
			for _, want := range []string{dir, "storage.bson", "WiredTiger", "mongod.lock", "db/", "configdb/"} {
				if !strings.Contains(msg, want) {
					t.Errorf("message %q lacks %q", msg, want)
				}
			}
		})
	}
}

func TestEmpty(t *testing.T) {
	tmp := t.TempDir()
	full := standardDB().write(t, filepath.Join(tmp, "full"))
	file := filepath.Join(tmp, "file")
	mustWrite(t, file, nil)
	empty := filepath.Join(tmp, "empty")
	mustMkdir(t, empty)
	for _, c := range []struct {
		dir   string
		want  bool
		isErr bool
	}{
		{filepath.Join(tmp, "missing"), true, false},
		{empty, true, false},
		{full, false, false},
		{file, false, true},
	} {
		got, err := Empty(c.dir)
		if got != c.want || (err != nil) != c.isErr {
			t.Errorf("Empty(%s) = %v, %v; want %v, error %v", c.dir, got, err, c.want, c.isErr)
		}
	}
}

// TestInspectWritesNothing compares a snapshot of the tree before and after.
func TestInspectWritesNothing(t *testing.T) {
	dir := standardDB().write(t, t.TempDir())
	before := snapshot(t, dir)
	mustInspect(t, dir)
	if _, err := InUse(dir); err != nil {
		t.Fatal(err)
	}
	if after := snapshot(t, dir); after != before {
		t.Errorf("tree changed:\nbefore %s\nafter  %s", before, after)
	}
}

func snapshot(t *testing.T, dir string) string {
	var b strings.Builder
	err := filepath.Walk(dir, func(p string, fi fs.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		b.WriteString(rel + " " + fi.Mode().String() + " " + fi.ModTime().String() + " " + strconv.FormatInt(fi.Size(), 10) + "\n")
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return b.String()
}
