package migrate

import (
	"context"
	"errors"
	"fmt"
	"net"
	"path/filepath"
	"time"

	"github.com/mongostep/mongostep/internal/failpoint"
	"github.com/mongostep/mongostep/internal/mongo"
	"github.com/mongostep/mongostep/internal/plan"
	"github.com/mongostep/mongostep/internal/runtime"
)

// step runs mongod step i on the work copy: start it, wait until it
// answers, complete or raise the FCV, and shut it down cleanly. The journal
// marks the step running before anything starts and done only after the
// clean shutdown was confirmed, so an interrupted step runs again (the same
// version first recovers the data if the stop was unclean).
func (r *run) step(ctx context.Context, i int) error {
	s, rec := r.j.Plan[i], &r.j.Steps[i]
	rec.State, rec.Started, rec.Error = stateRunning, time.Now().UTC(), ""
	rec.Attempts++
	rec.Log = filepath.Join(r.paths.Logs, fmt.Sprintf("step-%d-mongod-%s.log", i+1, s.Version))
	if err := r.j.save(); err != nil {
		return err
	}
	r.ev.emit(Event{Kind: EventStep, Step: i + 1, Steps: len(r.j.Plan), Version: s.Version.String(), Message: stepTitle(s)})
	failpoint.Hit(fmt.Sprintf("step-%d-start", i+1))
	db, configdb := r.workDBPath()
	spec := runtime.Spec{Version: s.Version, Image: s.Image, DBPath: db, ConfigDB: configdb, LogPath: rec.Log,
		RunID: r.j.RunID, Name: fmt.Sprintf("step %d: %s", i+1, s.Version), Env: r.stepEnv(s.Version)}
	inst, err := r.startMongod(ctx, spec)
	if err != nil {
		return r.stepFailed(ctx, i, err)
	}
	rec.Instance = inst.Describe()
	_ = r.j.save()
	werr := r.work(ctx, i, inst)
	if werr != nil && ctx.Err() == nil {
		if _, exited := isExit(werr); exited {
			return r.stepFailed(ctx, i, werr)
		}
	}
	// Stop cleanly even after Ctrl-C or a failed command: never leave a
	// mongod running on the copy, and never kill it mid-checkpoint.
	stopCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), r.o.StepTimeout)
	defer cancel()
	r.ev.info(fmt.Sprintf("Stopping %s cleanly", inst.Describe()))
	serr := inst.Stop(stopCtx)
	if err := errors.Join(werr, serr); err != nil {
		return r.stepFailed(ctx, i, err)
	}
	rec.State, rec.Finished = stateDone, time.Now().UTC()
	if err := r.j.save(); err != nil {
		return err
	}
	r.ev.emit(Event{Kind: EventStepDone, Step: i + 1, Steps: len(r.j.Plan), Version: s.Version.String(),
		Message: fmt.Sprintf("MongoDB %s: FCV %s, clean shutdown (%s)", rec.Mongod, rec.FCVAfter, time.Since(rec.Started).Round(time.Second))})
	failpoint.Hit(fmt.Sprintf("step-%d-done", i+1))
	return nil
}

func stepTitle(s plan.Step) string {
	switch s.Action {
	case plan.ActionRecover:
		return fmt.Sprintf("MongoDB %s (%s): recover the unclean shutdown", s.Version, s.Image)
	case plan.ActionSettle:
		return fmt.Sprintf("MongoDB %s (%s): count the data and make sure FCV is %s", s.Version, s.Image, s.SetFCV)
	}
	return fmt.Sprintf("MongoDB %s (%s): raise FCV to %s", s.Version, s.Image, s.SetFCV)
}

// startMongod starts the step's mongod, retrying once if its port was
// taken between choosing it and binding it (exit 48).
func (r *run) startMongod(ctx context.Context, spec runtime.Spec) (runtime.Instance, error) {
	for attempt := 0; ; attempt++ {
		inst, err := r.rt.Start(ctx, spec)
		if err != nil {
			return nil, err
		}
		r.ev.info(fmt.Sprintf("Started %s on %s; its log: %s", inst.Describe(), inst.Addr(), spec.LogPath))
		if attempt == 0 {
			select {
			case <-inst.Done():
				if inst.Exit().Code == 48 {
					continue
				}
			case <-time.After(200 * time.Millisecond):
			}
		}
		return inst, nil
	}
}

// work is what the step does while mongod runs.
func (r *run) work(ctx context.Context, i int, inst runtime.Instance) error {
	s, rec := r.j.Plan[i], &r.j.Steps[i]
	cctx, cancel := context.WithTimeout(ctx, r.o.StepTimeout)
	defer cancel()
	if s.Action == plan.ActionRecover {
		return waitPort(cctx, inst, s.Version)
	}
	c, err := mongo.Connect(cctx, inst.Addr(), inst.Done())
	if err != nil {
		if errors.Is(err, mongo.ErrExited) {
			return exitedError(inst, s.Version, "start-up")
		}
		return fmt.Errorf("MongoDB %s did not answer on %s: %w", s.Version, inst.Addr(), err)
	}
	defer c.Close()
	if rec.Mongod, err = c.Version(ctx); err != nil {
		return r.whileRunning(inst, s.Version, err)
	}
	if v, _ := plan.ParseVersion(rec.Mongod); v != s.Version {
		return fmt.Errorf("the mongod started for MongoDB %s reports version %s; check --image / --mongod-dir", s.Version, rec.Mongod)
	}
	fcv, err := c.FCV(ctx)
	if err != nil {
		return r.whileRunning(inst, s.Version, err)
	}
	rec.FCVBefore = fcv.String()
	r.ev.info(fmt.Sprintf("mongod %s answers; featureCompatibilityVersion is %s", rec.Mongod, fcv))
	if err := r.inventoryBefore(ctx, c); err != nil {
		return r.whileRunning(inst, s.Version, err)
	}
	if err := r.raiseFCV(ctx, c, s, fcv); err != nil {
		return r.whileRunning(inst, s.Version, err)
	}
	if i == len(r.j.Plan)-1 {
		if err := r.inventoryAfter(ctx, c); err != nil {
			return r.whileRunning(inst, s.Version, err)
		}
	}
	return nil
}

// raiseFCV completes or raises the FCV to the step's version and reads it back.
func (r *run) raiseFCV(ctx context.Context, c *mongo.Client, s plan.Step, fcv plan.FCV) error {
	rec := r.stepRecord(s)
	if fcv.At(s.SetFCV) {
		rec.FCVAfter = fcv.String()
		return nil
	}
	if err := plan.CanRaise(s.Version, fcv); err != nil {
		return err
	}
	if s.DryRun {
		r.ev.info(fmt.Sprintf("Dry run of setFeatureCompatibilityVersion %s", s.SetFCV))
		if err := c.SetFCV(ctx, s.SetFCV, false, true); err != nil {
			return fcvRefused(s, err)
		}
	}
	failpoint.Hit(fmt.Sprintf("step-%d-setfcv", r.stepIndex(s)+1))
	r.ev.info(fmt.Sprintf("setFeatureCompatibilityVersion %q%s", s.SetFCV.String(), map[bool]string{true: " with confirm: true", false: ""}[s.Confirm]))
	if err := c.SetFCV(ctx, s.SetFCV, s.Confirm, false); err != nil {
		return fcvRefused(s, err)
	}
	after, err := c.FCV(ctx)
	if err != nil {
		return err
	}
	rec.FCVAfter = after.String()
	if !after.At(s.SetFCV) {
		return fmt.Errorf("after setFeatureCompatibilityVersion %s the server reports FCV %s", s.SetFCV, after)
	}
	return nil
}

func (r *run) stepIndex(s plan.Step) int {
	for i := range r.j.Plan {
		if r.j.Plan[i] == s {
			return i
		}
	}
	return -1
}

func (r *run) stepRecord(s plan.Step) *StepRecord { return &r.j.Steps[r.stepIndex(s)] }

// waitPort waits until mongod accepts connections (for lines the driver
// cannot talk to, which only need to recover and stop).
func waitPort(ctx context.Context, inst runtime.Instance, v plan.Version) error {
	for {
		conn, err := net.DialTimeout("tcp", inst.Addr(), time.Second)
		if err == nil {
			conn.Close()
			return nil
		}
		select {
		case <-inst.Done():
			return exitedError(inst, v, "start-up")
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(300 * time.Millisecond):
		}
	}
}

// whileRunning turns a command error into the exit of mongod when mongod
// died under it.
func (r *run) whileRunning(inst runtime.Instance, v plan.Version, err error) error {
	select {
	case <-inst.Done():
		return exitedError(inst, v, "the step")
	case <-time.After(500 * time.Millisecond):
		return err
	}
}

func exitedError(inst runtime.Instance, v plan.Version, during string) error {
	<-inst.Done()
	return &runtime.ExitError{Version: v, What: inst.Describe(), Exit: inst.Exit(), During: during}
}

func isExit(err error) (*runtime.ExitError, bool) {
	var ee *runtime.ExitError
	return ee, errors.As(err, &ee)
}
