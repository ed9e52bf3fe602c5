package docker

import (
	"context"
	"errors"
	"fmt"
	"strings"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/moby/moby/client"

	"github.com/mongostep/mongostep/internal/plan"
)

// stepImage is an image and the release lines that need it.
type stepImage struct {
	Ref      string
	Versions []plan.Version
}

func (s stepImage) versions() string {
	var out []string
	for _, v := range s.Versions {
		out = append(out, v.String())
	}
	return strings.Join(out, ", ")
}

// imagesOf lists each step's image once, in step order.
func imagesOf(steps []plan.Step) []stepImage {
	var out []stepImage
	at := map[string]int{}
	for _, s := range steps {
		i, ok := at[s.Image]
		if !ok {
			at[s.Image] = len(out)
			out = append(out, stepImage{Ref: s.Image})
			i = len(out) - 1
		}
		if !containsVersion(out[i].Versions, s.Version) {
			out[i].Versions = append(out[i].Versions, s.Version)
		}
	}
	return out
}

func containsVersion(vs []plan.Version, v plan.Version) bool {
	for _, x := range vs {
		if x == v {
			return true
		}
	}
	return false
}

// Check makes sure every step's image is on the engine, pulling the missing
// ones, before anything changes. An image that cannot be had is reported,
// with how to provide it, as a *MissingImageError.
func (r *Runtime) Check(ctx context.Context, steps []plan.Step, progress func(string)) error {
	say := func(s string) {
		if progress != nil {
			progress(s)
		}
	}
	if err := r.checkSelf(nil); err != nil {
		return err
	}
	var missing []missingImage
	for _, im := range imagesOf(steps) {
		if im.Ref == "" {
			return fmt.Errorf("no image is set for MongoDB %s; pass --image %s=IMAGE", im.versions(), im.versions())
		}
		present, err := r.imagePresent(ctx, im, say)
		if err != nil {
			return err
		}
		if present {
			continue
		}
		say(fmt.Sprintf("MongoDB %s: image %s is not on this machine; pulling it", im.versions(), im.Ref))
		if err := r.pull(ctx, im.Ref, r.pullProgress(say)); err != nil {
			if ctx.Err() != nil {
				return fmt.Errorf("pull %s: %w", im.Ref, ctx.Err())
			}
			missing = append(missing, missingImage{stepImage: im, Err: err})
			continue
		}
		if _, err := r.imagePresent(ctx, im, say); err != nil {
			return err
		}
	}
	if len(missing) > 0 {
		return &MissingImageError{Images: missing, CLI: r.eng.CLI()}
	}
	return nil
}

// imagePresent inspects an image; absent is not an error.
func (r *Runtime) imagePresent(ctx context.Context, im stepImage, say func(string)) (bool, error) {
	res, err := r.cli.ImageInspect(ctx, im.Ref)
	if cerrdefs.IsNotFound(err) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("inspect image %s on %s: %w", im.Ref, r.eng, err)
	}
	var env []string
	if res.Config != nil {
		env = res.Config.Env
	}
	if err := refuseInitEnv(im.Ref, env); err != nil {
		return false, err
	}
	id := res.ID
	if len(id) > 19 {
		id = id[:19]
	}
	say(fmt.Sprintf("MongoDB %s: image %s is present (%s)", im.versions(), im.Ref, id))
	if r.eng.Arch != "" && res.Architecture != "" && goArch(r.eng.Arch) != goArch(res.Architecture) {
		say(fmt.Sprintf("warning: image %s is built for %s but the engine runs on %s; it may not start, or run slowly under emulation", im.Ref, res.Architecture, r.eng.Arch))
	}
	return true, nil
}

// refuseInitEnv refuses an image that sets MONGO_INITDB_ROOT_* itself: with
// both set, the official entrypoint starts mongod with --auth even on
// existing data, and mongostep's steps run without credentials.
func refuseInitEnv(ref string, env []string) error {
	var set []string
	for _, kv := range env {
		k, v, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(k, "MONGO_INITDB_ROOT_") && v != "" {
			set = append(set, k)
		}
	}
	if len(set) == 0 {
		return nil
	}
	return fmt.Errorf("image %s sets %s: its entrypoint would start mongod with --auth (or refuse to start), and mongostep's steps run without credentials; use the official image, or an image built without these variables", ref, strings.Join(set, " and "))
}

// pull pulls ref, sending progress lines to say.
func (r *Runtime) pull(ctx context.Context, ref string, say func(string)) error {
	resp, err := r.cli.ImagePull(ctx, ref, client.ImagePullOptions{})
	if err != nil {
		return err
	}
	rep := newPullReporter(ref, say)
	for msg, err := range resp.JSONMessages(ctx) {
		if err != nil {
			return err
		}
		if msg.Error != nil {
			return errors.New(msg.Error.Message)
		}
		rep.report(msg)
	}
	rep.done()
	return nil
}

func (r *Runtime) pullProgress(say func(string)) func(string) {
	if r.opts.Progress != nil {
		return r.opts.Progress
	}
	return say
}
