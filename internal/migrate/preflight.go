package migrate

import (
	"context"
	"errors"
	"fmt"
	"github.com/mongostep/mongostep/internal/units"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/mongostep/mongostep/internal/backup"
	"github.com/mongostep/mongostep/internal/dbpath"
)

// preflight checks everything that can be checked before anything changes.
func (r *run) preflight(ctx context.Context, p *Prepared) error {
	if err := r.notInUse(ctx, p.Info); err != nil {
		return err
	}
	if err := r.targetUnused(ctx); err != nil {
		return err
	}
	if err := r.targetFree(); err != nil {
		return err
	}
	if r.paths.Backup != "" {
		if _, err := os.Lstat(r.paths.Backup); err == nil {
			return preflight("Choose another --backup path, or move that file away.", "the backup file %s already exists; mongostep never overwrites a backup", r.paths.Backup)
		}
		if err := writable(filepath.Dir(r.paths.Backup)); err != nil {
			return preflight("Choose a --backup path in a folder you may write to, or run with sudo.", "cannot write the backup into %s: %v", filepath.Dir(r.paths.Backup), err)
		}
	}
	if err := writable(filepath.Dir(r.paths.RunDir)); err != nil {
		return preflight("Run mongostep as a user who may write there (often: sudo), or choose another --target.", "cannot write next to the target, in %s: %v", filepath.Dir(r.paths.RunDir), err)
	}
	return r.space(p.Info)
}

// notInUse refuses a source that a running mongod (process or container) uses.
func (r *run) notInUse(ctx context.Context, info *dbpath.Info) error {
	users, err := r.rt.UsersOf(ctx, info.Root)
	if err != nil {
		r.ev.warn(fmt.Sprintf("could not list what uses %s: %v", info.Root, err))
	}
	if len(users) > 0 {
		var lines []string
		for _, u := range users {
			lines = append(lines, fmt.Sprintf("  %s uses %s; stop it with: %s", u.What, u.Path, u.Stop))
		}
		return preflight(strings.Join(lines, "\n")+"\n"+stopHint(info)+"\nThen run the same command again; nothing was changed.",
			"a running MongoDB server is using the source %s; migrating live data would corrupt the copy", info.Root)
	}
	inUse, err := dbpath.InUse(info.DBPath)
	if err != nil {
		r.ev.warn(fmt.Sprintf("could not check whether a mongod holds %s: %v", filepath.Join(info.DBPath, "mongod.lock"), err))
	}
	if inUse {
		return preflight(stopHint(info)+"\nThen run the same command again; nothing was changed.",
			"a running mongod holds %s: the source is in use", filepath.Join(info.DBPath, "mongod.lock"))
	}
	return nil
}

// targetUnused refuses a target that a running mongod or container already
// uses (a new server started before the migration).
func (r *run) targetUnused(ctx context.Context) error {
	if r.paths.InPlace || !exists(r.paths.Final) {
		return nil
	}
	users, _ := r.rt.UsersOf(ctx, r.paths.Final)
	if len(users) == 0 {
		return nil
	}
	var lines []string
	for _, u := range users {
		lines = append(lines, fmt.Sprintf("  %s uses %s; stop it with: %s", u.What, u.Path, u.Stop))
	}
	return preflight(strings.Join(lines, "\n")+"\nThen run the same command again; nothing was changed.",
		"a running MongoDB server is using the target %s", r.paths.Final)
}

func stopHint(info *dbpath.Info) string {
	if info.Layout == dbpath.LayoutClearML {
		return "For ClearML, stop the server first: docker-compose -f /opt/clearml/docker-compose.yml down (Windows: docker-compose -f c:\\opt\\clearml\\docker-compose-win10.yml down)."
	}
	return "Stop the server that uses it first (for a container: docker stop --time 300 NAME)."
}

// targetFree refuses a target that holds anything but a resumable run.
func (r *run) targetFree() error {
	if r.paths.InPlace {
		return nil
	}
	empty, err := dbpath.Empty(r.paths.Final)
	if err != nil {
		return preflight("Check the permissions of the target folder.", "cannot read the target %s: %v", r.paths.Final, err)
	}
	if empty {
		return nil
	}
	if info, err := dbpath.Inspect(r.paths.Final); err == nil {
		last := "an unknown version"
		if info.LastMongod != "" {
			last = "mongod " + info.LastMongod
		}
		return preflight(fmt.Sprintf("mongostep never merges two data directories. If you do not need what is there, move it aside (mv %s %s.aside) and run the command again; or choose another --target.", r.paths.Final, r.paths.Final),
			"the target %s already holds a MongoDB data directory (last run by %s) that is not a run of this migration; a server was probably started on it before migrating", r.paths.Final, last)
	}
	return preflight("Choose an empty or missing --target folder, or move that folder aside.", "the target %s is not empty", r.paths.Final)
}

func writable(dir string) error {
	f, err := os.CreateTemp(dir, ".mongostep-write-test-*")
	if err != nil {
		return err
	}
	name := f.Name()
	f.Close()
	return os.Remove(name)
}

// space checks free space from the real sizes: the copy needs what the
// source occupies plus room for the journal files and logs each mongod
// writes; the backup needs at most the source's size (already-compressed
// WiredTiger files barely shrink).
func (r *run) space(info *dbpath.Info) error {
	const headroom = 512 << 20
	copyNeed := info.DiskBytes + info.DiskBytes/10 + headroom
	needs := map[string]int64{}
	where := map[string]string{}
	targetFS := existingParent(r.paths.RunDir)
	needs[fsKey(targetFS)] += copyNeed
	where[fsKey(targetFS)] = targetFS
	if r.paths.Backup != "" {
		b := existingParent(r.paths.Backup)
		needs[fsKey(b)] += info.Bytes
		where[fsKey(b)] = b
	}
	for k, need := range needs {
		free, err := freeBytes(where[k])
		if err != nil {
			r.ev.warn(fmt.Sprintf("could not read the free space of %s: %v", where[k], err))
			continue
		}
		if free < need {
			return preflight("Free some space there, or put the backup on another disk with --backup PATH.",
				"not enough free space on the filesystem of %s: the migration needs %s (copy %s with room for mongod's journal%s), and %s is free",
				where[k], units.Bytes(need), units.Bytes(copyNeed), backupPart(r.paths.Backup, info.Bytes, k == fsKey(targetFS)), units.Bytes(free))
		}
	}
	return nil
}

func backupPart(backup string, n int64, sameFS bool) string {
	if backup == "" || !sameFS {
		return ""
	}
	return ", backup up to " + units.Bytes(n)
}

func existingParent(p string) string {
	for {
		if _, err := os.Stat(p); err == nil {
			return p
		}
		parent := filepath.Dir(p)
		if parent == p {
			return p
		}
		p = parent
	}
}

// changedSince reports the first difference between the files under dir
// and the manifest taken when they were copied ("" when none).
func changedSince(dir string, m *backup.Manifest) string {
	want := map[string]backup.Entry{}
	for _, e := range m.Files {
		if e.Type == "file" {
			want[e.Path] = e
		}
	}
	var diff string
	seen := 0
	stop := errors.New("stop")
	_ = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !d.Type().IsRegular() {
			return nil
		}
		rel, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		if isScratch(rel) {
			return nil
		}
		e, ok := want[rel]
		st, serr := d.Info()
		switch {
		case !ok:
			diff = rel + " is new"
		case serr != nil:
			diff = rel + ": " + serr.Error()
		case st.Size() != e.Size || !st.ModTime().Equal(e.ModTime.Truncate(time.Nanosecond)):
			diff = rel + " was modified"
		}
		seen++
		if diff != "" {
			return stop
		}
		return nil
	})
	if diff == "" && seen != len(want) {
		diff = "files were removed"
	}
	return diff
}

// isScratch: 8.2's _tmp/spilldb is a scratch area mongod wipes at start.
func isScratch(rel string) bool {
	return rel == "_tmp/spilldb" || strings.HasPrefix(rel, "_tmp/spilldb/") || strings.Contains(rel, "/_tmp/spilldb/") || strings.HasSuffix(rel, "/_tmp/spilldb")
}
