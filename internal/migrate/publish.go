package migrate

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/mongostep/mongostep/internal/failpoint"
)

// publish moves the verified copy to its final place. In place, the old
// data first moves to a dated sibling. Each rename is checked against what
// is on disk, so a run interrupted between them finishes the swap.
func (r *run) publish() error {
	r.ev.phase("publish", "Moving the migrated data into place")
	r.j.Publish.State, r.j.Publish.Started = stateRunning, time.Now().UTC()
	if err := r.j.save(); err != nil {
		return err
	}
	if r.paths.InPlace {
		if exists(r.paths.Source) && !exists(r.paths.KeepOld) {
			if err := os.Rename(r.paths.Source, r.paths.KeepOld); err != nil {
				return r.publishFailed(fmt.Errorf("move the old data %s to %s: %w", r.paths.Source, r.paths.KeepOld, err))
			}
			r.ev.info(fmt.Sprintf("Moved the old data to %s", r.paths.KeepOld))
		}
		failpoint.Hit("publish-between-renames")
	} else if exists(r.paths.Final) {
		// preflight saw it empty or missing; an empty folder makes way
		if err := os.Remove(r.paths.Final); err != nil && exists(r.paths.Work) {
			return r.publishFailed(fmt.Errorf("the target %s is no longer empty: %w", r.paths.Final, err))
		}
	}
	if exists(r.paths.Work) {
		if err := os.Rename(r.paths.Work, r.paths.Final); err != nil {
			return r.publishFailed(fmt.Errorf("move the migrated data %s to %s: %w", r.paths.Work, r.paths.Final, err))
		}
	}
	if !exists(r.paths.Final) {
		return r.publishFailed(fmt.Errorf("neither the migrated copy %s nor the target %s exists", r.paths.Work, r.paths.Final))
	}
	_ = syncDir(filepath.Dir(r.paths.Final))
	r.ev.info(fmt.Sprintf("The migrated data is now in %s", r.paths.Final))
	r.j.Publish.State, r.j.Publish.Finished = stateDone, time.Now().UTC()
	return r.j.save()
}

func (r *run) publishFailed(err error) error {
	r.j.Publish.Error = err.Error()
	_ = r.j.save()
	return &Error{Kind: KindFailed, What: err.Error(),
		Fix: "Fix the cause and run the same command again: it finishes moving the data into place.", Err: err}
}

func exists(p string) bool {
	_, err := os.Lstat(p)
	return !errors.Is(err, os.ErrNotExist)
}
