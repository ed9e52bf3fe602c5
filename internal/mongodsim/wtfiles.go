package mongodsim

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// WiredTiger-like files the simulator writes (never *.wt files).
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

var checkpointOrderRE = regexp.MustCompile(`WiredTigerCheckpoint\.(\d+)=`)

// writeTurtle rewrites WiredTiger.turtle for a checkpoint taken by library wt.
func writeTurtle(dbpath string, wt WTVersion, logFile int, now time.Time) error {
	path := filepath.Join(dbpath, TurtleName)
	order := 1
	if old, err := os.ReadFile(path); err == nil {
		if m := checkpointOrderRE.FindSubmatch(old); m != nil {
			n, _ := strconv.Atoi(string(m[1]))
			order = n + 1
		}
	}
	meta := turtleMetadata(wt, order, logFile, now)
	content := fmt.Sprintf("WiredTiger version string\n%s\nWiredTiger version\nmajor=%d,minor=%d,patch=%d\nfile:WiredTiger.wt\n%s\n",
		wt.String(), wt.Major, wt.Minor, wt.Patch, meta)
	return writeFileAtomic(path, func(w *bufio.Writer) error {
		_, err := w.WriteString(content)
		return err
	})
}

func turtleMetadata(wt WTVersion, order, logFile int, now time.Time) string {
	base := "access_pattern_hint=none,allocation_size=4KB,app_metadata=,block_allocation=best,block_compressor=," +
		"cache_resident=false,checksum=on,collator=,columns=,dictionary=0,encryption=(keyid=,name=),format=btree," +
		"huffman_key=,huffman_value=,id=0,ignore_in_memory_cache_size=false,internal_item_max=0,internal_key_max=0," +
		"internal_key_truncate=true,internal_page_max=4KB,key_format=S,key_gap=10,leaf_item_max=0,leaf_key_max=0," +
		"leaf_page_max=32KB,leaf_value_max=0,log=(enabled=true),memory_page_image_max=0,memory_page_max=5MB," +
		"os_cache_dirty_max=0,os_cache_max=0,prefix_compression=false,prefix_compression_min=4,split_deepen_min_child=0," +
		"split_deepen_per_child=0,split_pct=90,value_format=S,version=(major=1,minor=1)"
	addr := fmt.Sprintf("01%02x81e4%08x%08x808080e2efc0e22fc0", order%256, uint32(now.Unix()), uint32(order)*2654435761)
	ckpt := fmt.Sprintf("checkpoint=(WiredTigerCheckpoint.%d=(addr=\"%s\",order=%d,time=%d,size=24576,write_gen=%d))",
		order, addr, order, now.Unix(), order*3)
	if wt.Major >= 10 {
		ckpt = fmt.Sprintf("checkpoint=(WiredTigerCheckpoint.%d=(addr=\"%s\",order=%d,time=%d,size=24576,"+
			"newest_start_durable_ts=0,oldest_start_ts=0,newest_txn=%d,newest_stop_durable_ts=0,newest_stop_ts=-1,"+
			"newest_stop_txn=-11,prepare=0,write_gen=%d,run_write_gen=1)),checkpoint_backup_info=",
			order, addr, order, now.Unix(), order*2, order*3)
	}
	return fmt.Sprintf("%s,%s,checkpoint_lsn=(%d,%d)", base, ckpt, logFile, wtLogAlign)
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
