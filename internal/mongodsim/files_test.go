package mongodsim_test

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"go.mongodb.org/mongo-driver/bson"

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
	_ = filepath.WalkDir(db, func(p string, d fs.DirEntry, err error) error {
		if strings.HasSuffix(p, ".wt") {
			t.Errorf("the simulator wrote %s", p)
		}
		return err
	})
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
