package mongodsim

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// WiredTiger files the simulator writes besides the tables (wtcheckpoint.go).
const (
	TurtleName     = "WiredTiger.turtle"
	WTMarkerName   = "WiredTiger"
	WTLockName     = "WiredTiger.lock"
	JournalDirName = "journal"
	wtLogMagic     = 0x101064
	wtLogSize      = 100 * 1024 * 1024
	wtLogAlign     = 128
)

func (v WTVersion) String() string {
	return fmt.Sprintf("WiredTiger %d.%d.%d: (%s)", v.Major, v.Minor, v.Patch, v.Date)
}

// less reports whether v is older than major.minor.patch.
func (v WTVersion) less(major, minor, patch int) bool {
	if v.Major != major {
		return v.Major < major
	}
	if v.Minor != minor {
		return v.Minor < minor
	}
	return v.Patch < patch
}

// initWiredTigerFiles writes what WiredTiger creates in a new database: the WiredTiger marker
// (creating library), WiredTiger.lock and the journal directory.
func initWiredTigerFiles(dbpath string, wt WTVersion) error {
	marker := filepath.Join(dbpath, WTMarkerName)
	if err := os.WriteFile(marker, []byte("WiredTiger\n"+wt.String()+"\n"), 0o644); err != nil {
		return fmt.Errorf("write %s: %w", marker, err)
	}
	lock := filepath.Join(dbpath, WTLockName)
	if err := os.WriteFile(lock, []byte("WiredTiger lock file\n"), 0o644); err != nil {
		return fmt.Errorf("write %s: %w", lock, err)
	}
	dir := filepath.Join(dbpath, JournalDirName)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("create %s: %w", dir, err)
	}
	return nil
}

// readTurtleVersion parses the "WiredTiger version" entry; found=false if there is no turtle.
func readTurtleVersion(dbpath string) (v WTVersion, found bool, err error) {
	path := filepath.Join(dbpath, TurtleName)
	b, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return v, false, nil
	}
	if err != nil {
		return v, false, fmt.Errorf("read %s: %w", path, err)
	}
	lines := strings.Split(string(b), "\n")
	for i := 0; i+1 < len(lines); i++ {
		if lines[i] != "WiredTiger version" {
			continue
		}
		if _, err := fmt.Sscanf(lines[i+1], "major=%d,minor=%d,patch=%d", &v.Major, &v.Minor, &v.Patch); err != nil {
			return v, true, fmt.Errorf("parse %s: bad version line %q", path, lines[i+1])
		}
		return v, true, nil
	}
	return v, true, fmt.Errorf("parse %s: no \"WiredTiger version\" entry", path)
}

// writeTurtle replaces WiredTiger.turtle atomically: the switch to a new checkpoint, whose
// WiredTiger.wt configuration (checkpoint included) is metaConfig, taken by library wt.
func writeTurtle(dbpath string, wt WTVersion, metaConfig string) error {
	content := fmt.Sprintf("WiredTiger version string\n%s\nWiredTiger version\nmajor=%d,minor=%d,patch=%d\nfile:WiredTiger.wt\n%s\n",
		wt.String(), wt.Major, wt.Minor, wt.Patch, metaConfig)
	return writeFileAtomic(filepath.Join(dbpath, TurtleName), func(w *bufio.Writer) error {
		_, err := w.WriteString(content)
		return err
	})
}

// writeJournal replaces journal/WiredTigerLog.* with one new log file whose first record is
// WiredTiger's log descriptor: record header (len, checksum, flags, unused, mem_len), then
// {uint32 magic 0x101064, uint16 version, uint16 unused, uint64 log_size}, little-endian.
// It returns the new file's number.
func writeJournal(dbpath string, logVersion uint16) (int, error) {
	dir := filepath.Join(dbpath, JournalDirName)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return 0, fmt.Errorf("create %s: %w", dir, err)
	}
	old, _ := filepath.Glob(filepath.Join(dir, "WiredTigerLog.*"))
	next := 1
	for _, p := range old {
		if n, err := strconv.Atoi(strings.TrimPrefix(filepath.Base(p), "WiredTigerLog.")); err == nil && n >= next {
			next = n + 1
		}
	}
	rec := make([]byte, wtLogAlign)
	binary.LittleEndian.PutUint32(rec[0:], wtLogAlign)
	binary.LittleEndian.PutUint32(rec[16:], wtLogMagic)
	binary.LittleEndian.PutUint16(rec[20:], logVersion)
	binary.LittleEndian.PutUint64(rec[24:], wtLogSize)
	binary.LittleEndian.PutUint32(rec[4:], crc32.Checksum(rec, crc32.MakeTable(crc32.Castagnoli)))
	path := filepath.Join(dir, fmt.Sprintf("WiredTigerLog.%010d", next))
	if err := writeFileAtomic(path, func(w *bufio.Writer) error { _, err := w.Write(rec); return err }); err != nil {
		return 0, err
	}
	for _, p := range old {
		if err := os.Remove(p); err != nil {
			return 0, fmt.Errorf("remove old log %s: %w", p, err)
		}
	}
	return next, nil
}
