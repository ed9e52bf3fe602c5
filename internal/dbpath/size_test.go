package dbpath

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

func TestSizesSkipSpillDBAndCountUUIDIdents(t *testing.T) {
	db := standardDB()
	db.extra = map[string]string{
		"collection-7f3c2a9e-1b2d-4c5e-8f90-123456789abc.wt": "0123456789",
		"_tmp/spilldb/WiredTiger":                            "WiredTiger\nWiredTiger 12.0.0: (November 15, 2024)\n",
		"_tmp/spilldb/WiredTiger.turtle":                     turtleText("12.0.0", ""),
		"_tmp/spilldb/big.wt":                                string(make([]byte, 1<<16)),
	}
	dir := db.write(t, t.TempDir())
	info := mustInspect(t, dir)
	if err := os.RemoveAll(filepath.Join(dir, "_tmp", "spilldb")); err != nil {
		t.Fatal(err)
	}
	without := mustInspect(t, dir)
	if info.Bytes != without.Bytes || info.Files != without.Files {
		t.Errorf("spilldb counted: %d/%d with it, %d/%d without", info.Bytes, info.Files, without.Bytes, without.Files)
	}
	if info.WTVersion.Major != 10 || info.WTCreatedBy != wtString("10.0.2") {
		t.Errorf("spilldb's WiredTiger files leaked into the facts: %+v %q", info.WTVersion, info.WTCreatedBy)
	}
	if err := os.Remove(filepath.Join(dir, "collection-7f3c2a9e-1b2d-4c5e-8f90-123456789abc.wt")); err != nil {
		t.Fatal(err)
	}
	if after := mustInspect(t, dir); after.Bytes != without.Bytes-10 || after.Files != without.Files-1 {
		t.Errorf("UUID ident not counted: %d/%d vs %d/%d", after.Bytes, after.Files, without.Bytes, without.Files)
	}
}

func TestDiskBytesSeesSparseFiles(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no st_blocks on Windows")
	}
	dir := standardDB().write(t, t.TempDir())
	before := mustInspect(t, dir)
	// A preallocated-looking journal: 100 MiB apparent, nothing written.
	mustMkdir(t, filepath.Join(dir, "journal"))
	f, err := os.Create(filepath.Join(dir, "journal", "WiredTigerPreplog.0000000001"))
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(100 << 20); err != nil {
		t.Fatal(err)
	}
	f.Close()
	after := mustInspect(t, dir)
	if after.Bytes-before.Bytes != 100<<20 {
		t.Errorf("apparent size grew by %d, want %d", after.Bytes-before.Bytes, 100<<20)
	}
	if grew := after.DiskBytes - before.DiskBytes; grew >= 1<<20 {
		t.Errorf("allocated size grew by %d for a sparse file", grew)
	}
}

func TestSymlinksAreReportedNotFollowed(t *testing.T) {
	tmp := t.TempDir()
	dir := standardDB().write(t, filepath.Join(tmp, "data"))
	outside := filepath.Join(tmp, "elsewhere")
	mustMkdir(t, outside)
	mustWrite(t, filepath.Join(outside, "big"), make([]byte, 4096))
	before := mustInspect(t, dir)
	if err := os.Symlink(outside, filepath.Join(dir, "journal")); err != nil {
		t.Skip("symlinks unavailable:", err)
	}
	info := mustInspect(t, dir)
	if info.Bytes != before.Bytes || len(info.Symlinks) != 1 || info.Symlinks[0] != filepath.Join(dir, "journal") {
		t.Errorf("bytes %d (was %d), symlinks %q", info.Bytes, before.Bytes, info.Symlinks)
	}
	requireWarning(t, info, filepath.Join(dir, "journal"), "symbolic link")
}

func TestClearMLSymlinkedDBIsCounted(t *testing.T) {
	tmp := t.TempDir()
	target := standardDB().write(t, filepath.Join(tmp, "bigdisk", "db"))
	root := filepath.Join(tmp, "mongo_4")
	mustMkdir(t, filepath.Join(root, "configdb"))
	if err := os.Symlink(target, filepath.Join(root, "db")); err != nil {
		t.Skip("symlinks unavailable:", err)
	}
	info := mustInspect(t, root)
	bare := mustInspect(t, target)
	if info.Layout != LayoutClearML || info.Bytes != bare.Bytes || info.Files != bare.Files || len(info.Symlinks) != 0 {
		t.Errorf("layout %q bytes %d files %d symlinks %q; want clearml with db/'s %d/%d",
			info.Layout, info.Bytes, info.Files, info.Symlinks, bare.Bytes, bare.Files)
	}
}
