package migrate

import (
	"context"
	"errors"
	"fmt"
	"github.com/mongostep/mongostep/internal/units"
	"io/fs"
	"os"
	"sync"
	"time"

	"github.com/mongostep/mongostep/internal/backup"
	"github.com/mongostep/mongostep/internal/dbpath"
	"github.com/mongostep/mongostep/internal/failpoint"
)

// copyPhase reads the source once into the backup archive, the work copy
// and the manifest, then checks the copy and the archive against the
// manifest before anything runs on the copy. An interrupted copy starts over.
func (r *run) copyPhase(ctx context.Context) error {
	if err := r.clearPartialCopy(); err != nil {
		return err
	}
	r.j.Copy.State, r.j.Copy.Started, r.j.Copy.Error = stateRunning, time.Now().UTC(), ""
	r.j.Copy.Attempts++
	if err := r.j.save(); err != nil {
		return err
	}
	what := "Copying " + r.paths.Source + " to " + r.paths.Work
	if r.paths.Backup != "" {
		what = fmt.Sprintf("Backing up %s to %s and copying it to %s in one pass", r.paths.Source, r.paths.Backup, r.paths.Work)
	}
	r.ev.phase("copy", what)
	m, err := backup.Run(ctx, backup.Options{
		Source: r.paths.Source, Archive: r.paths.Backup, Format: r.o.BackupFormat, CopyTo: r.paths.Work,
		Skip:     func(rel string, _ fs.DirEntry) bool { return isScratch(rel) },
		Progress: r.progress("backup and copy", true),
	})
	if err != nil {
		return r.copyFailed(ctx, err)
	}
	if r.paths.Backup == "" { // with an archive, Run wrote the manifest beside it
		if err := backup.WriteManifest(r.paths.Manifest, m); err != nil {
			return r.copyFailed(ctx, err)
		}
	}
	r.ev.phase("check-copy", "Checking the copy against the manifest")
	if err := backup.VerifyTree(ctx, r.paths.Work, m, r.progress("check copy", false)); err != nil {
		return r.copyFailed(ctx, err)
	}
	if r.paths.Backup != "" {
		r.ev.phase("check-backup", "Checking the backup archive against the manifest")
		if err := backup.VerifyArchive(ctx, r.paths.Backup, m, r.progress("check backup", false)); err != nil {
			return r.copyFailed(ctx, err)
		}
	}
	r.ev.info(fmt.Sprintf("Copied %d files (%s); copy and backup match the manifest %s", len(m.Files), units.Bytes(m.TotalBytes), r.paths.Manifest))
	if err := r.prepareCopy(ctx); err != nil {
		return r.copyFailed(ctx, err)
	}
	r.j.Copy.State, r.j.Copy.Finished = stateDone, time.Now().UTC()
	return r.j.save()
}

// clearPartialCopy removes what an interrupted copy left: the work folder
// and the archive of this run (its path is in the journal, and preflight
// made sure it did not exist before this run).
func (r *run) clearPartialCopy() error {
	if r.j.Copy.Attempts == 0 {
		return nil
	}
	if err := os.RemoveAll(r.paths.Work); err != nil {
		return fmt.Errorf("remove the partial copy %s: %w", r.paths.Work, err)
	}
	if r.paths.Backup != "" {
		if err := os.Remove(r.paths.Backup); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("remove the partial backup %s: %w", r.paths.Backup, err)
		}
	}
	r.ev.info("Removed the partial copy of the interrupted run; copying again from the start")
	return nil
}

func (r *run) copyFailed(ctx context.Context, err error) error {
	r.j.Copy.Error = err.Error()
	if ctx.Err() != nil {
		_ = r.j.save()
		return &Error{Kind: KindInterrupted, What: "Interrupted during the backup and copy. The source is untouched.",
			Fix: "Run the same command again: the copy starts over.", Err: err}
	}
	r.j.Copy.State = stateFailed
	_ = r.j.save()
	return &Error{Kind: KindFailed, What: fmt.Sprintf("The backup and copy failed: %v", err),
		Fix: "The source is untouched. Fix the cause (space, permissions, a failing disk) and run the same command again: the copy starts over.", Err: err}
}

// progress turns the backup package's reports into throttled events with
// rate and ETA. With halfway set, the "copy-half" failpoint fires once half
// the bytes are done (tests kill the run there).
func (r *run) progress(what string, halfway bool) func(backup.Progress) {
	start := time.Now()
	var once sync.Once
	return func(p backup.Progress) {
		ev := &Progress{What: what, Bytes: p.Bytes, TotalBytes: p.TotalBytes, Files: p.Files, TotalFiles: p.TotalFiles}
		if el := time.Since(start).Seconds(); el > 0 && p.Bytes > 0 {
			ev.Rate = float64(p.Bytes) / el
			ev.ETA = float64(p.TotalBytes-p.Bytes) / ev.Rate
		}
		r.ev.emit(Event{Kind: EventProgress, Progress: ev})
		if halfway && p.TotalBytes > 0 && p.Bytes*2 >= p.TotalBytes {
			once.Do(func() { failpoint.Hit("copy-half") })
		}
	}
}

// copyPreparer is implemented by runtimes that adjust the copy before the
// first mongod runs on it (docker: the ownership ClearML's procedure sets).
type copyPreparer interface {
	PrepareCopy(ctx context.Context, root string, clearml bool) ([]string, error)
}

func (r *run) prepareCopy(ctx context.Context) error {
	p, ok := r.rt.(copyPreparer)
	if !ok {
		return nil
	}
	notes, err := p.PrepareCopy(ctx, r.paths.Work, r.j.Layout == string(dbpath.LayoutClearML))
	for _, n := range notes {
		r.ev.info(n)
	}
	return err
}
