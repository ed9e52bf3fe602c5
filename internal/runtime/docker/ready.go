package docker

import (
	"context"
	"fmt"
	"strings"

	"github.com/mongostep/mongostep/internal/plan"
)

// Ready is Check without pulling, for `mongostep plan`, which changes
// nothing: it says which images are on the engine and which migrate would
// have to pull.
func (r *Runtime) Ready(ctx context.Context, steps []plan.Step, progress func(string)) error {
	say := func(s string) {
		if progress != nil {
			progress(s)
		}
	}
	var absent []string
	for _, im := range imagesOf(steps) {
		present, err := r.imagePresent(ctx, im, say)
		if err != nil {
			return err
		}
		if !present {
			absent = append(absent, fmt.Sprintf("%s (MongoDB %s)", im.Ref, im.versions()))
		}
	}
	if len(absent) > 0 {
		return fmt.Errorf("not on this machine yet: %s; migrate pulls them first (on a machine without internet: docker pull elsewhere, docker save, docker load here; or --image MAJOR=IMAGE for a local mirror)", strings.Join(absent, ", "))
	}
	return nil
}
