package docker

import (
	"context"
	"fmt"
	"time"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/moby/moby/client"

	"github.com/mongostep/mongostep/internal/runtime"
)

// Stop shuts mongod down cleanly. The shutdown command cannot be used: over
// the published port the connection does not come from localhost inside the
// container, and mongod without auth refuses it (code 13). So Stop sends
// SIGTERM to the container (mongod is its PID 1 and shuts down cleanly on
// it) and waits, up to the grace period or ctx, whichever ends first. It
// never kills mongod: docker's 10-second default could kill it in the middle
// of a checkpoint.
//
// After a clean stop (exit 0, mongod.lock empty) the container is removed.
// Otherwise it is kept, and named in the *runtime.ExitError, for inspection.
func (in *instance) Stop(ctx context.Context) error {
	select {
	case <-in.done:
		return in.finish("the step")
	default:
	}
	if err := in.r.signal(ctx, in.id, "SIGTERM"); err != nil {
		select {
		case <-in.done:
			return in.finish("shutdown")
		default:
		}
		return fmt.Errorf("send SIGTERM to %s: %w", in.Describe(), err)
	}
	grace := time.NewTimer(in.r.grace)
	defer grace.Stop()
	select {
	case <-in.done:
		return in.finish("shutdown")
	case <-ctx.Done():
		return in.stillRunning(ctx.Err().Error())
	case <-grace.C:
		return in.stillRunning(fmt.Sprintf("no exit %s after SIGTERM", in.r.grace))
	}
}

func (in *instance) stillRunning(why string) error {
	cli := in.r.eng.CLI()
	return fmt.Errorf("%s did not finish shutting down (%s); it was not killed, so as not to interrupt a checkpoint, and the container still runs. Follow it with: %s logs -f %s. Running the same mongostep command again stops it cleanly first", in.Describe(), why, cli, in.name)
}

// finish reports how mongod ended and removes the container after a clean stop.
func (in *instance) finish(during string) error {
	e := in.Exit()
	if !e.Clean() {
		cli := in.r.eng.CLI()
		what := fmt.Sprintf("%s, kept for inspection: %s logs %s; remove it with: %s rm %s", in.Describe(), cli, in.name, cli, in.name)
		return &runtime.ExitError{Version: in.spec.Version, What: what, Exit: e, During: during}
	}
	if err := in.r.removeContainer(in.id); err != nil {
		in.appendLog(fmt.Sprintf("mongostep: mongod stopped cleanly but container %s could not be removed: %v", in.name, err))
	}
	return nil
}

// signal sends sig to a container; a container that is no longer running is
// reported as an error the caller checks against Done.
func (r *Runtime) signal(ctx context.Context, id, sig string) error {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	_, err := r.cli.ContainerKill(ctx, id, client.ContainerKillOptions{Signal: sig})
	return err
}

// removeContainer removes a stopped container and its anonymous volumes (the
// image declares VOLUME /data/db /data/configdb; a bare dbpath leaves
// /data/configdb to an anonymous volume).
func (r *Runtime) removeContainer(id string) error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	_, err := r.cli.ContainerRemove(ctx, id, client.ContainerRemoveOptions{RemoveVolumes: true})
	if cerrdefs.IsNotFound(err) {
		return nil
	}
	return err
}

// remove removes a container that never ran (best effort).
func (r *Runtime) remove(id string) { _ = r.removeContainer(id) }
