package dbpath

import (
	"encoding/json"
	"github.com/mongostep/mongostep/internal/fixtures"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// fixturesDir holds real dbpaths written by real mongod servers and their
// ground truth (see /work/shared/fixtures/README.md).
var fixturesDir = fixtures.Dir()

type groundTruth struct {
	Dir          string `json:"dir"`
	WTVersionStr string `json:"wt_version_string"`
	MongodFTDC   string `json:"mongod_version_ftdc"`
	FTDCLatest   struct {
		ID      string `json:"_id"`
		Version string `json:"version"`
		File    string `json:"file"`
	} `json:"ftdc_latest_metadata"`
	MongodLock    string `json:"mongod_lock"`
	CleanShutdown bool   `json:"clean_shutdown"`
	StorageBSON   struct {
		Storage struct {
			Engine  string         `json:"engine"`
			Options map[string]any `json:"options"`
		} `json:"storage"`
	} `json:"storage_bson"`
}

func loadGroundTruth(t *testing.T) []groundTruth {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(fixturesDir, "ground-truth.json"))
	if err != nil {
		t.Fatalf("%s: %v", fixtures.Missing, err)
	}
	var truth []groundTruth
	if err := json.Unmarshal(data, &truth); err != nil {
		t.Fatalf("parse ground-truth.json: %v", err)
	}
	entries, err := os.ReadDir(filepath.Join(fixturesDir, "dbpaths"))
	if err != nil {
		t.Fatalf("fixtures missing: %v", err)
	}
	if len(truth) == 0 || len(truth) != len(entries) {
		t.Fatalf("ground-truth.json has %d entries for %d fixture dbpaths", len(truth), len(entries))
	}
	return truth
}

var wtVersionRE = regexp.MustCompile(`^WiredTiger (\d+)\.(\d+)\.(\d+): `)

func TestFixturesMatchGroundTruth(t *testing.T) {
	for _, gt := range loadGroundTruth(t) {
		t.Run(gt.Dir, func(t *testing.T) {
			dir := filepath.Join(fixturesDir, "dbpaths", gt.Dir)
			info := mustInspect(t, dir)
			checkLayout(t, info, dir)
			checkWT(t, info, gt)
			checkFTDC(t, info, gt)
			checkLock(t, info, gt)
			checkStorage(t, info, gt)
			checkSizes(t, info, dir)
		})
	}
}

func checkLayout(t *testing.T, info *Info, dir string) {
	abs, _ := filepath.Abs(dir)
	if info.Root != abs || info.DBPath != abs || info.Layout != LayoutDBPath || info.ConfigDB != "" {
		t.Errorf("layout: got root %q dbpath %q layout %q configdb %q, want bare dbpath %q",
			info.Root, info.DBPath, info.Layout, info.ConfigDB, abs)
	}
}

func checkWT(t *testing.T, info *Info, gt groundTruth) {
	if info.WTVersion == nil {
		t.Fatalf("WTVersion nil; warnings %q", info.Warnings)
	}
	if info.WTVersion.String != gt.WTVersionStr {
		t.Errorf("WT version string %q, want %q", info.WTVersion.String, gt.WTVersionStr)
	}
	m := wtVersionRE.FindStringSubmatch(gt.WTVersionStr)
	if m == nil {
		t.Fatalf("ground truth %q does not look like a WiredTiger version string", gt.WTVersionStr)
	}
	got := []int{info.WTVersion.Major, info.WTVersion.Minor, info.WTVersion.Patch}
	for i, want := range m[1:] {
		if strconv.Itoa(got[i]) != want {
			t.Errorf("WT version numbers %v, want %v", got, m[1:])
			break
		}
	}
	if !strings.HasPrefix(info.WTCreatedBy, "WiredTiger ") || !wtVersionRE.MatchString(info.WTCreatedBy) {
		t.Errorf("WTCreatedBy %q is not a WiredTiger version string", info.WTCreatedBy)
	}
}

func checkFTDC(t *testing.T, info *Info, gt groundTruth) {
	if info.LastMongod != gt.MongodFTDC || info.LastMongod != gt.FTDCLatest.Version {
		t.Errorf("LastMongod %q, want %q", info.LastMongod, gt.MongodFTDC)
	}
	if filepath.Base(info.LastMongodFile) != gt.FTDCLatest.File {
		t.Errorf("LastMongodFile %q, want %q", info.LastMongodFile, gt.FTDCLatest.File)
	}
	want, err := time.Parse("2006-01-02 15:04:05.999999-07:00", gt.FTDCLatest.ID)
	if err != nil {
		t.Fatalf("ground truth _id %q: %v", gt.FTDCLatest.ID, err)
	}
	if !info.LastMongodAt.Equal(want) {
		t.Errorf("LastMongodAt %v, want %v", info.LastMongodAt, want)
	}
}

func checkLock(t *testing.T, info *Info, gt groundTruth) {
	l := info.Lock
	if !l.Present || l.Raw != gt.MongodLock || l.Empty != (gt.MongodLock == "") {
		t.Errorf("lock %+v, want raw %q", l, gt.MongodLock)
	}
	if info.Clean != gt.CleanShutdown {
		t.Errorf("Clean %v, want %v", info.Clean, gt.CleanShutdown)
	}
	wantPID, _ := strconv.Atoi(strings.TrimSpace(gt.MongodLock))
	if l.PID != wantPID {
		t.Errorf("PID %d, want %d", l.PID, wantPID)
	}
	if !gt.CleanShutdown && warningWith(info, "mongod.lock", "PID") == "" {
		t.Errorf("no warning about the non-empty lock; warnings %q", info.Warnings)
	}
	inUse, err := InUse(info.DBPath)
	if err != nil || inUse {
		t.Errorf("InUse = %v, %v; want false, nil (no process holds the fixture)", inUse, err)
	}
}

func checkStorage(t *testing.T, info *Info, gt groundTruth) {
	if info.Engine != gt.StorageBSON.Storage.Engine {
		t.Errorf("Engine %q, want %q", info.Engine, gt.StorageBSON.Storage.Engine)
	}
	// Compare through JSON so both sides have JSON's value types.
	b, err := json.Marshal(info.StorageOptions)
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, gt.StorageBSON.Storage.Options) {
		t.Errorf("StorageOptions %v, want %v", got, gt.StorageBSON.Storage.Options)
	}
}

// checkSizes compares against an independent recursive count.
func checkSizes(t *testing.T, info *Info, dir string) {
	var bytes int64
	var files int
	err := filepath.Walk(dir, func(_ string, fi fs.FileInfo, err error) error {
		if err == nil && fi.Mode().IsRegular() {
			bytes += fi.Size()
			files++
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if info.Bytes != bytes || info.Files != files {
		t.Errorf("Bytes/Files %d/%d, want %d/%d", info.Bytes, info.Files, bytes, files)
	}
	if info.DiskBytes <= 0 {
		t.Errorf("DiskBytes %d, want > 0", info.DiskBytes)
	}
}
