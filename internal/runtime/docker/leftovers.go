package docker

import (
	"context"
	"fmt"
	goruntime "runtime"
	"strings"
	"time"

	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/client"
)

// Leftovers finds the containers an interrupted run left: those labelled
// with runID, and mongostep containers of any run that mount dbpath. A
// running one is stopped with SIGTERM (never killed) and waited for; then
// each is removed. A container mongostep did not create that mounts dbpath is
// not touched: it is reported as an error, with how to stop it.
func (r *Runtime) Leftovers(ctx context.Context, runID, dbpath string) ([]string, error) {
	res, err := r.cli.ContainerList(ctx, client.ContainerListOptions{All: true})
	if err != nil {
		return nil, fmt.Errorf("list containers on %s: %w", r.eng, err)
	}
	ours, foreign := pickLeftovers(res.Items, runID, dbpath, goruntime.GOOS)
	if len(foreign) > 0 {
		var lines []string
		for _, c := range foreign {
			lines = append(lines, fmt.Sprintf("container %s (%s) uses %s; stop it with: %s", displayName(c), shortImage(c.Image), dbpath, stopCommand(c, r.eng.CLI(), goruntime.GOOS)))
		}
		return nil, fmt.Errorf("a container mongostep did not start mounts its working copy:\n  %s", strings.Join(lines, "\n  "))
	}
	var found []string
	for _, c := range ours {
		line, err := r.clearLeftover(ctx, c, dbpath)
		found = append(found, line)
		if err != nil {
			return found, err
		}
	}
	return found, nil
}

// pickLeftovers splits the containers that concern dbpath into mongostep's
// (labelled with runID, or with any run id and mounting dbpath) and others
// that mount dbpath.
func pickLeftovers(items []container.Summary, runID, dbpath, goos string) (ours, foreign []container.Summary) {
	dirs := forms(dbpath)
	for _, c := range items {
		label, labelled := c.Labels[LabelRun]
		if labelled && runID != "" && label == runID {
			ours = append(ours, c)
			continue
		}
		if !mounts(c, dirs, goos) {
			continue
		}
		if labelled {
			ours = append(ours, c)
		} else if c.State == container.StateRunning || c.State == container.StateRestarting {
			foreign = append(foreign, c)
		}
	}
	return ours, foreign
}

func mounts(c container.Summary, dirs []string, goos string) bool {
	for _, m := range c.Mounts {
		if m.Source != "" && insideAny(m.Source, dirs, goos) {
			return true
		}
	}
	return false
}

// clearLeftover stops (if it runs) and removes one container, and says what
// it did, in words that read after "Stopped ".
func (r *Runtime) clearLeftover(ctx context.Context, c container.Summary, dbpath string) (string, error) {
	what := fmt.Sprintf("container %s (%s)", displayName(c), shortImage(c.Image))
	running := c.State == container.StateRunning || c.State == container.StateRestarting || c.State == container.StatePaused
	if running {
		what += " left running by an interrupted run"
		code, err := r.stopLeftover(ctx, c.ID)
		if err != nil {
			return what, fmt.Errorf("stop %s: %w", what, err)
		}
		e := exitOf(code)
		e.LockEmpty = lockEmpty(dbpath)
		if e.Clean() {
			what += "; mongod shut down cleanly"
		} else {
			what += fmt.Sprintf("; mongod did not shut down cleanly (%s), so the next step recovers the data first", e)
		}
	} else {
		what += fmt.Sprintf(" left by an earlier attempt (%s)", c.Status)
	}
	if err := r.removeContainer(c.ID); err != nil {
		return what, fmt.Errorf("remove %s: %w", what, err)
	}
	return what + "; container removed", nil
}

// stopLeftover sends SIGTERM and waits up to the grace period for the
// container to stop; it returns the exit code.
func (r *Runtime) stopLeftover(ctx context.Context, id string) (int, error) {
	if res, err := r.cli.ContainerInspect(ctx, id, client.ContainerInspectOptions{}); err == nil && res.Container.State != nil && res.Container.State.Paused {
		if _, err := r.cli.ContainerUnpause(ctx, id, client.ContainerUnpauseOptions{}); err != nil {
			return 0, fmt.Errorf("unpause: %w", err)
		}
	}
	wctx, cancel := context.WithTimeout(ctx, r.grace)
	defer cancel()
	w := r.cli.ContainerWait(wctx, id, client.ContainerWaitOptions{Condition: container.WaitConditionNextExit})
	if err := r.signal(ctx, id, "SIGTERM"); err != nil {
		if st, ierr := r.cli.ContainerInspect(ctx, id, client.ContainerInspectOptions{}); ierr == nil && st.Container.State != nil && !st.Container.State.Running {
			return st.Container.State.ExitCode, nil
		}
		return 0, fmt.Errorf("send SIGTERM: %w", err)
	}
	select {
	case res := <-w.Result:
		return int(res.StatusCode), nil
	case err := <-w.Error:
		if wctx.Err() != nil {
			return 0, fmt.Errorf("mongod did not exit within %s after SIGTERM (%v); it was not killed: follow it with %s logs -f %s", r.grace, wctx.Err(), r.eng.CLI(), id[:12])
		}
		return r.exitCodeAfter(ctx, id, err)
	}
}

// exitCodeAfter polls a container whose wait call broke until it stops.
func (r *Runtime) exitCodeAfter(ctx context.Context, id string, cause error) (int, error) {
	for {
		st, err := r.cli.ContainerInspect(ctx, id, client.ContainerInspectOptions{})
		if err != nil {
			return 0, fmt.Errorf("wait for the container to stop: %v; then: %w", cause, err)
		}
		if st.Container.State != nil && !st.Container.State.Running {
			return st.Container.State.ExitCode, nil
		}
		select {
		case <-ctx.Done():
			return 0, fmt.Errorf("wait for the container to stop: %w", ctx.Err())
		case <-time.After(time.Second):
		}
	}
}
