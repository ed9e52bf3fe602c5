package mongodsim

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/mongostep/mongostep/internal/wiredtiger/wttest"
)

// checkpointer writes the simulated data as real WiredTiger files (mongodsim.state stays the
// source of truth; the files are an output for offline readers). One per process: it remembers
// where its last checkpoint put each file's blocks, so the next one can reuse the space in
// front of them and skip collections that did not change.
//
// A checkpoint is crash-safe the way WiredTiger's is: new blocks go where the current
// checkpoint has none, are fsynced, then WiredTiger.wt gets new blocks the same way, and
// WiredTiger.turtle is replaced last by an atomic rename. Killed at any point, the dbpath
// reads as the previous checkpoint; only after the switch are freed blocks trimmed and files
// of dropped tables removed.
type checkpointer struct {
	dbpath string
	rel    Release
	era    wtEra
	idents *identSource
	files  map[string]*liveFile // file name -> this process's last checkpoint of it

	// beforeSwitch, when set (tests), runs once the new blocks are durable and before the
	// turtle is replaced; an error abandons the checkpoint there.
	beforeSwitch func() error
}

func newCheckpointer(dbpath string, rel Release) *checkpointer {
	return &checkpointer{dbpath: dbpath, rel: rel, era: wtEra{rel.WT}, idents: newIdentSource(rel), files: map[string]*liveFile{}}
}

// ckptRun is one checkpoint in progress.
type ckptRun struct {
	c       *checkpointer
	ck      ckptInfo             // order, time and log file shared by the files it writes
	meta    map[string]string    // WiredTiger.wt entries
	written map[string]*liveFile // files given new blocks
	kept    map[string]*liveFile // files whose previous checkpoint stays
}

// checkpoint writes st as WiredTiger files. logFile is the journal file the checkpoint LSN
// names. It fails before the switch (the previous checkpoint stays readable) or, rarely, while
// tidying up after it (the new checkpoint is in place).
func (c *checkpointer) checkpoint(st *State, logFile int, now time.Time) error {
	if assignPlacement(st, c.rel, c.idents) {
		if err := st.Save(c.dbpath); err != nil {
			return fmt.Errorf("record the WiredTiger idents: %w", err)
		}
	}
	run := &ckptRun{c: c, meta: map[string]string{}, written: map[string]*liveFile{}, kept: map[string]*liveFile{},
		ck: ckptInfo{order: nextCheckpointOrder(c.dbpath), time: now.Unix(), logFile: logFile}}
	for _, t := range planTables(st, c.rel, c.era) {
		if err := run.table(t); err != nil {
			return fmt.Errorf("checkpoint %s: %w", t.file, err)
		}
	}
	for k, v := range systemEntries(c.era, run.ck.order, run.ck.time) {
		run.meta[k] = v
	}
	metaConfig, err := run.metadata()
	if err != nil {
		return fmt.Errorf("checkpoint WiredTiger.wt: %w", err)
	}
	if err := syncDir(c.dbpath); err != nil {
		return err
	}
	if c.beforeSwitch != nil {
		if err := c.beforeSwitch(); err != nil {
			return err
		}
	}
	if err := writeTurtle(c.dbpath, c.rel.WT, metaConfig); err != nil {
		return err
	}
	return run.finish()
}

// table writes (or keeps) one table and records its metadata entries.
func (r *ckptRun) table(t wtTable) error {
	if t.name != "" {
		r.meta["table:"+t.name] = tableConfig(r.c.era, t.params, t.formats[0], t.formats[1])
		r.meta["colgroup:"+t.name] = colgroupConfig(r.c.era, t.params, t.file)
	}
	prev := r.c.files[t.file]
	if t.coll != nil && prev != nil && prev.coll == t.coll && prev.version == t.coll.version {
		r.kept[t.file] = prev
		r.meta["file:"+t.file] = fileConfig(r.c.era, t.params, &prev.ck)
		return nil
	}
	var kvs []wttest.KV
	if t.records != nil {
		kvs = t.records()
	}
	lf, err := writeTree(filepath.Join(r.c.dbpath, t.file), tableSpec(r.c.era, t.params.kind), kvs, prev)
	if err != nil {
		return err
	}
	r.stamp(lf)
	if t.coll != nil {
		lf.coll, lf.version = t.coll, t.coll.version
	}
	r.written[t.file] = lf
	ck := &lf.ck
	if t.params.kind == kindHistory && !r.c.era.wt10() {
		ck = nil // the lookaside table is never checkpointed
	}
	r.meta["file:"+t.file] = fileConfig(r.c.era, t.params, ck)
	return nil
}

func (r *ckptRun) stamp(lf *liveFile) {
	lf.ck.order, lf.ck.time, lf.ck.logFile = r.ck.order, r.ck.time, r.ck.logFile
}

// metadata writes WiredTiger.wt (keys and values NUL-terminated, in key order) and returns
// its configuration for the turtle.
func (r *ckptRun) metadata() (string, error) {
	keys := make([]string, 0, len(r.meta))
	for k := range r.meta {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	kvs := make([]wttest.KV, len(keys))
	for i, k := range keys {
		kvs[i] = wttest.KV{Key: []byte(k + "\x00"), Value: []byte(r.meta[k] + "\x00")}
	}
	const name = "WiredTiger.wt"
	lf, err := writeTree(filepath.Join(r.c.dbpath, name), tableSpec(r.c.era, kindMetadata), kvs, r.c.files[name])
	if err != nil {
		return "", err
	}
	r.stamp(lf)
	r.written[name] = lf
	return fileConfig(r.c.era, tableParams{kind: kindMetadata}, &lf.ck), nil
}

// finish runs after the switch: trim the blocks the previous checkpoint used, forget and
// remove the files of tables the new checkpoint does not name.
func (r *ckptRun) finish() error {
	var errs []string
	files := map[string]*liveFile{}
	for name, lf := range r.kept {
		files[name] = lf
	}
	for name, lf := range r.written {
		files[name] = lf
		if err := trimFile(r.c.dbpath, name, lf); err != nil {
			errs = append(errs, err.Error())
		}
	}
	r.c.files = files
	stale, _ := filepath.Glob(filepath.Join(r.c.dbpath, "*.wt"))
	for _, p := range stale {
		name := filepath.Base(p)
		if files[name] == nil && ownedTableFile(name) {
			if err := os.Remove(p); err != nil {
				errs = append(errs, err.Error())
			}
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("checkpoint %d is in place, but tidying up after it failed: %s", r.ck.order, strings.Join(errs, "; "))
	}
	return nil
}

// ownedTableFile: files a checkpoint removes once no table uses them (dropped collections and
// indexes, the lookaside file replaced by the history store).
func ownedTableFile(name string) bool {
	return strings.HasPrefix(name, "collection-") || strings.HasPrefix(name, "index-") ||
		name == "WiredTigerLAS.wt" || name == "WiredTigerHS.wt"
}

var checkpointOrderRE = regexp.MustCompile(`WiredTigerCheckpoint\.(\d+)=`)

// nextCheckpointOrder is one more than the checkpoint the turtle names (1 without a turtle).
func nextCheckpointOrder(dbpath string) int {
	old, err := os.ReadFile(filepath.Join(dbpath, TurtleName))
	if err != nil {
		return 1
	}
	m := checkpointOrderRE.FindSubmatch(old)
	if m == nil {
		return 1
	}
	n := 0
	fmt.Sscanf(string(m[1]), "%d", &n)
	return n + 1
}
