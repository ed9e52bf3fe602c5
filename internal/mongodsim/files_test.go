package mongodsim_test

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"go.mongodb.org/mongo-driver/bson"

	"github.com/mongostep/mongostep/internal/mdbfiles"
	"github.com/mongostep/mongostep/internal/mongodsim/simtest"
)

// TestFilesWritten checks the dbpath files a fresh start and a clean stop leave.
func TestFilesWritten(t *testing.T) {
	dirs := install(t)
	db := newDBPath(t)
	logPath := filepath.Join(t.TempDir(), "mongod.log")
	for i := 0; i < 2; i++ {
		simtest.StartWith(t, simtest.Options{Bin: mongodOf(dirs, "6.0"), DBPath: db, Args: []string{"--logpath", logPath, "--logappend"}}).Stop()
	}
	logText, _ := os.ReadFile(logPath)
	if n := strings.Count(string(logText), `"msg":"Waiting for connections"`); n != 2 {
		t.Fatalf("--logappend kept %d starts in the log", n)
	}
	simtest.StartWith(t, simtest.Options{Bin: mongodOf(dirs, "6.0"), DBPath: db, Args: []string{"--logpath", logPath}}).Stop()
	if rotated, _ := filepath.Glob(logPath + ".*"); len(rotated) != 1 {
		t.Fatalf("without --logappend the old log is renamed: %v", rotated)
	}

	sb, _ := os.ReadFile(filepath.Join(db, "storage.bson"))
	if got := bson.Raw(sb).String(); got != `{"storage": {"engine": "wiredTiger","options": {"directoryPerDB": false,"directoryForIndexes": false}}}` {
		t.Fatalf("storage.bson %s", got)
	}
	marker, _ := os.ReadFile(filepath.Join(db, "WiredTiger"))
	if string(marker) != "WiredTiger\nWiredTiger 10.0.2: (December 21, 2021)\n" {
		t.Fatalf("WiredTiger file %q", marker)
	}
	logs, _ := filepath.Glob(filepath.Join(db, "journal", "WiredTigerLog.*"))
	if len(logs) != 1 {
		t.Fatalf("journal %v", logs)
	}
	checkTableFiles(t, db)
	files := metricsFiles(t, db)
	if len(files) != 3 {
		t.Fatalf("one metrics file per start, got %v", files)
	}
	sort.Strings(files)
	checkFTDC(t, files[2])
}

func checkFTDC(t *testing.T, path string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var docs []bson.Raw
	for off := 0; off < len(b); {
		n := int(binary.LittleEndian.Uint32(b[off:]))
		docs = append(docs, bson.Raw(b[off:off+n]))
		off += n
	}
	if len(docs) != 2 || docs[0].Lookup("type").Int32() != 0 || docs[1].Lookup("type").Int32() != 1 {
		t.Fatalf("%s holds %d docs", path, len(docs))
	}
	meta := docs[0].Lookup("doc").Document()
	for _, k := range [][]string{{"start"}, {"buildInfo", "start"}, {"buildInfo", "gitVersion"}, {"buildInfo", "versionArray"}, {"buildInfo", "end"},
		{"getCmdLineOpts", "argv"}, {"getCmdLineOpts", "parsed", "storage", "dbPath"}, {"hostInfo", "system", "hostname"}, {"end"}} {
		if _, err := meta.LookupErr(k...); err != nil {
			t.Fatalf("FTDC metadata lacks %v: %s", k, meta)
		}
	}
	if v := meta.Lookup("buildInfo", "version").StringValue(); v != "6.0.26" {
		t.Fatalf("FTDC buildInfo.version %s", v)
	}
	_, data := docs[1].Lookup("data").Binary()
	zr, err := zlib.NewReader(bytes.NewReader(data[4:]))
	if err != nil {
		t.Fatal(err)
	}
	plain, err := io.ReadAll(zr)
	if err != nil || uint32(len(plain)) != binary.LittleEndian.Uint32(data) {
		t.Fatalf("metric chunk: %d bytes, header says %d, %v", len(plain), binary.LittleEndian.Uint32(data), err)
	}
	if err := bson.Raw(plain[:binary.LittleEndian.Uint32(plain)]).Validate(); err != nil {
		t.Fatalf("metric chunk reference document: %v", err)
	}
}

// checkTableFiles: a 6.0 dbpath with only the server's own collections holds the metadata, the
// history store, the catalog, the size storer, and one table per collection and per index.
func checkTableFiles(t *testing.T, db string) {
	t.Helper()
	wt, _ := filepath.Glob(filepath.Join(db, "*.wt"))
	var names []string
	for _, p := range wt {
		n := filepath.Base(p)
		n = regexp.MustCompile(`^(collection|index)-\d+-(-?\d+)\.wt$`).ReplaceAllString(n, "$1-N-R.wt")
		names = append(names, n)
	}
	sort.Strings(names)
	want := "WiredTiger.wt WiredTigerHS.wt _mdb_catalog.wt collection-N-R.wt collection-N-R.wt index-N-R.wt index-N-R.wt sizeStorer.wt"
	if got := strings.Join(names, " "); got != want {
		t.Fatalf("table files %s, want %s", got, want)
	}
	d, err := mdbfiles.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	st, err := d.ScanAll()
	if err != nil || len(st) != 2 || st["local.startup_log"].Count != 3 || st["admin.system.version"].Count != 1 {
		t.Fatalf("collections read from the files: %v %v", st, err)
	}
}
