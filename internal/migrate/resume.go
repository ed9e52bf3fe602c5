package migrate

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/mongostep/mongostep/internal/backup"
	"github.com/mongostep/mongostep/internal/dbpath"
	"github.com/mongostep/mongostep/internal/plan"
)

// resume continues the migration recorded in the journal.
func (r *run) resume(ctx context.Context, j *Journal) (*Report, error) {
	if err := r.sameMigration(j); err != nil {
		return nil, err
	}
	r.j = j
	r.paths.Backup, r.paths.KeepOld = j.Backup, j.KeepOld
	if j.Backup != "" {
		r.paths.Manifest = backup.ManifestPath(j.Backup)
	}
	if j.Done {
		return r.alreadyDone()
	}
	lock, notes, err := acquireLock(r.paths.RunDir, r.o.Command)
	if err != nil {
		return nil, lockError(err)
	}
	r.lock = lock
	for _, n := range notes {
		r.ev.info(n)
	}
	r.ev.phase("resume", fmt.Sprintf("Resuming the migration started %s (run %s): %s", j.Started.Local().Format(time.DateTime), j.RunID, r.progressSummary()))
	if j.Runtime != r.rt.Name() {
		r.ev.warn(fmt.Sprintf("this run was started with --runtime %s and now continues with --runtime %s", j.Runtime, r.rt.Name()))
	}
	if j.Publish.State != stateRunning {
		if err := r.resumeChecks(ctx); err != nil {
			r.lock.release()
			return nil, err
		}
	}
	return r.execute(ctx)
}

// sameMigration refuses to resume a journal written for other options.
func (r *run) sameMigration(j *Journal) error {
	var diffs []string
	if j.Source != r.paths.Source {
		diffs = append(diffs, fmt.Sprintf("source %s (now %s)", j.Source, r.paths.Source))
	}
	if j.To != r.o.To.Name {
		diffs = append(diffs, fmt.Sprintf("--to %s (now %s)", j.To, r.o.To.Name))
	}
	if len(diffs) == 0 {
		return nil
	}
	if j.Done {
		return &Error{Kind: KindPreflight,
			What: fmt.Sprintf("%s records a finished migration with other options (%s): %s already holds data migrated to MongoDB %s.", r.paths.RunDir, strings.Join(diffs, ", "), j.Target, j.ToVersion),
			Fix:  fmt.Sprintf("To upgrade that data further, use it as the source (--source %s) with a newer --to. To redo this migration, move %s and that run folder aside first.", j.Target, j.Target)}
	}
	return &Error{Kind: KindPreflight,
		What: fmt.Sprintf("%s holds an unfinished migration with other options: %s.", r.paths.RunDir, strings.Join(diffs, ", ")),
		Fix:  fmt.Sprintf("Finish it with the same options it was started with, or, to start over, delete that run folder (rm -rf %s); the source is untouched either way.", r.paths.RunDir)}
}

func (r *run) alreadyDone() (*Report, error) {
	rep, err := loadReport(r.paths.RunDir)
	if err != nil {
		rep = &Report{Source: r.j.Source, Target: r.j.Target, To: r.j.ToVersion, ToName: r.j.To, RunDir: r.paths.RunDir}
	}
	rep.Result = "already-done"
	r.ev.info(fmt.Sprintf("This migration already finished: %s holds the data at MongoDB %s. Nothing to do.", r.j.Target, r.j.ToVersion))
	r.ev.emit(Event{Kind: EventReport, Report: rep})
	return rep, nil
}

func (r *run) progressSummary() string {
	done := 0
	for _, s := range r.j.Steps {
		if s.State == stateDone {
			done++
		}
	}
	switch {
	case r.j.Copy.State != stateDone:
		return "the backup and copy start over"
	case done < len(r.j.Steps):
		return fmt.Sprintf("backup and copy done, %d of %d steps done", done, len(r.j.Steps))
	default:
		return "every step done; verification and the final swap remain"
	}
}

// resumeChecks makes sure the source is still there, unused and unchanged,
// and stops anything the interrupted run left running.
func (r *run) resumeChecks(ctx context.Context) error {
	info, err := inspectSource(r.paths.Source)
	if err != nil {
		return err
	}
	if err := r.notInUse(ctx, info); err != nil {
		return err
	}
	if r.j.Copy.State == stateDone {
		if err := r.sourceUnchanged(); err != nil {
			return err
		}
	}
	r.host, _ = r.rt.Host(ctx)
	db, _ := r.workDBPath()
	if _, err := os.Stat(db); err == nil {
		found, err := r.rt.Leftovers(ctx, r.j.RunID, db)
		for _, f := range found {
			r.ev.info("Stopped " + f)
		}
		if err != nil {
			return &Error{Kind: KindStep, What: err.Error(), Fix: "Stop it yourself, then run the same command again.", Err: err}
		}
	}
	return nil
}

// sourceUnchanged compares the source's files with the manifest taken
// during the copy (sizes and times; no second read).
func (r *run) sourceUnchanged() error {
	m, err := backup.ReadManifest(r.paths.Manifest)
	if err != nil {
		return &Error{Kind: KindPreflight, What: fmt.Sprintf("cannot read the manifest of the copy: %v", err),
			Fix: fmt.Sprintf("To start over, delete the run folder %s and run the command again.", r.paths.RunDir), Err: err}
	}
	if diff := changedSince(r.paths.Source, m); diff != "" {
		return &Error{Kind: KindPreflight,
			What: fmt.Sprintf("the source changed after it was copied (%s): a server must have run on it since.", diff),
			Fix:  fmt.Sprintf("The copy is stale. Stop whatever uses %s, delete the run folder %s, and run the command again to start over.", r.paths.Source, r.paths.RunDir)}
	}
	return nil
}

// stepEnv is the extra environment of a step on this host.
func (r *run) stepEnv(v plan.Version) []string {
	p := &Prepared{Host: r.host, Plan: &plan.Plan{Steps: r.j.Plan}}
	_ = p.hostChecks()
	return p.StepEnv[v]
}

var _ = dbpath.LayoutClearML
