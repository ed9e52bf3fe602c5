package migrate

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/mongostep/mongostep/internal/dbpath"
	"github.com/mongostep/mongostep/internal/runtime"
)

// run is one invocation of Run: a fresh migration or the resumption of one.
type run struct {
	o            Options
	paths        Paths
	j            *Journal
	ev           Emitter
	rt           runtime.Runtime
	started      time.Time
	lock         *runLock
	host         runtime.Host
	verification *Verification
}

// Run migrates o.Source to o.Target, or resumes the migration recorded in
// the target's run folder. Running it again after any interruption resumes
// where the journal says the work stopped.
func Run(ctx context.Context, o Options) (*Report, error) {
	if o.StepTimeout == 0 {
		o.StepTimeout = 30 * time.Minute
	}
	started := time.Now()
	paths, err := ResolvePaths(o, started)
	if err != nil {
		return nil, err
	}
	r := &run{o: o, paths: paths, ev: o.Events, rt: o.Runtime, started: started}
	j, err := loadJournal(paths.RunDir)
	if err != nil {
		return nil, &Error{Kind: KindPreflight, What: err.Error(), Err: err}
	}
	if j != nil {
		return r.resume(ctx, j)
	}
	return r.fresh(ctx)
}

func (r *run) fresh(ctx context.Context) (*Report, error) {
	r.ev.phase("inspect", "Inspecting "+r.paths.Source)
	p, err := Prepare(ctx, r.o)
	if err != nil {
		return nil, err
	}
	describe(r.ev, p)
	if p.Plan.AlreadyAtTarget {
		return r.atTarget(p), nil
	}
	r.host = p.Host
	r.ev.phase("preflight", "Checking that the migration can run")
	r.ev.info("Runtime: " + r.rt.Describe())
	if err := r.preflight(ctx, p); err != nil {
		return nil, err
	}
	if err := r.rt.Check(ctx, p.Plan.Steps, r.ev.info); err != nil {
		return nil, &Error{Kind: KindPreflight, What: err.Error(), Fix: "Nothing was changed.", Err: err}
	}
	if r.o.Confirm != nil {
		ok, err := r.o.Confirm(Summary(p, r.paths, r.rt))
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, &Error{Kind: KindDeclined, What: "Not confirmed: nothing was changed."}
		}
	}
	if err := r.begin(p); err != nil {
		return nil, err
	}
	return r.execute(ctx)
}

// begin creates the run folder, takes the lock and writes the journal.
func (r *run) begin(p *Prepared) error {
	if err := os.MkdirAll(r.paths.Logs, 0o755); err != nil {
		return &Error{Kind: KindPreflight, What: fmt.Sprintf("cannot create the run folder %s: %v", r.paths.RunDir, err), Fix: "Run mongostep as a user who may write next to the target (often: sudo).", Err: err}
	}
	lock, notes, err := acquireLock(r.paths.RunDir, r.o.Command)
	if err != nil {
		return lockError(err)
	}
	r.lock = lock
	for _, n := range notes {
		r.ev.info(n)
	}
	r.j = newJournal(r.o, r.paths, p, r.rt.Name())
	r.j.path = journalPath(r.paths.RunDir)
	if err := r.j.save(); err != nil {
		r.lock.release()
		return err
	}
	r.ev.info(fmt.Sprintf("Run %s: journal, logs and report are in %s", r.j.RunID, r.paths.RunDir))
	return nil
}

func lockError(err error) error {
	var le *LockedError
	if errors.As(err, &le) {
		return &Error{Kind: KindLocked, What: le.Error(), Err: err}
	}
	return err
}

func newJournal(o Options, paths Paths, p *Prepared, rtName string) *Journal {
	j := &Journal{
		Format: journalFormat, RunID: newRunID(), Started: time.Now().UTC(),
		Source: paths.Source, Target: paths.Final, To: o.To.Name, ToVersion: o.To.Version.String(), InPlace: paths.InPlace,
		Layout: string(p.Info.Layout), Backup: paths.Backup, KeepOld: paths.KeepOld,
		Runtime: rtName, LastRun: p.Source.LastRun.String(), Plan: p.Plan.Steps,
	}
	for _, s := range p.Plan.Steps {
		j.Steps = append(j.Steps, StepRecord{Version: s.Version.String(), Image: s.Image, Action: string(s.Action)})
	}
	return j
}

func newRunID() string {
	var b [4]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// execute runs every phase the journal does not record as done.
func (r *run) execute(ctx context.Context) (*Report, error) {
	defer r.lock.release()
	if r.j.Copy.State != stateDone {
		if err := r.copyPhase(ctx); err != nil {
			return nil, err
		}
	}
	for i := range r.j.Steps {
		if r.j.Steps[i].State == stateDone {
			continue
		}
		if err := r.step(ctx, i); err != nil {
			return nil, err
		}
	}
	if r.j.Verify.State != stateDone {
		if err := r.verify(); err != nil {
			return nil, err
		}
	} else if err := r.loadVerification(); err != nil {
		return nil, err
	}
	if r.j.Publish.State != stateDone {
		if err := r.publish(); err != nil {
			return nil, err
		}
	}
	r.j.Done = true
	if err := r.j.save(); err != nil {
		return nil, err
	}
	rep := r.report("migrated")
	if err := r.saveReport(rep); err != nil {
		return nil, err
	}
	r.ev.emit(Event{Kind: EventReport, Report: rep})
	return rep, nil
}

func (r *run) atTarget(p *Prepared) *Report {
	rep := &Report{Result: "already-at-target", Source: r.paths.Source, Target: r.paths.Source,
		From: p.Source.LastRun.String(), To: r.o.To.Version.String(), ToName: r.o.To.Name, Duration: time.Since(r.started).Seconds()}
	rep.Next = []string{fmt.Sprintf("The data in %s was last run by MongoDB %s, which is the target: nothing to do.", r.paths.Source, p.Source.LastRun)}
	r.ev.emit(Event{Kind: EventReport, Report: rep})
	return rep
}

// workDBPath is the dbpath inside the work copy, and its configdb folder.
func (r *run) workDBPath() (db, configdb string) {
	if r.j.Layout == string(dbpath.LayoutClearML) {
		return filepath.Join(r.paths.Work, "db"), filepath.Join(r.paths.Work, "configdb")
	}
	return r.paths.Work, ""
}
