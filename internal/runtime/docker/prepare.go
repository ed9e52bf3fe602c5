package docker

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	goruntime "runtime"
)

// ClearML's page gives the copied data root to 1000:1000 on Linux
// ("permissions are required on Linux"); the image's entrypoint then gives
// the files to its mongodb user (uid 999) at each start, owner only.
const (
	clearMLUID = 1000
	clearMLGID = 1000
	mongodbUID = 999
)

// PrepareCopy runs right after the copy and before the first step. For
// ClearML's layout on Linux, run as root, it does what ClearML's migration
// page does after its copy: chown -R 1000:1000 of the copied data root
// (symlinks themselves, never their targets). Otherwise it changes nothing.
// The notes say what it did, or why it did nothing, and what ownership
// results.
func (r *Runtime) PrepareCopy(ctx context.Context, root string, clearml bool) ([]string, error) {
	return prepareCopy(ctx, root, clearml, goruntime.GOOS, os.Geteuid())
}

func prepareCopy(ctx context.Context, root string, clearml bool, goos string, euid int) ([]string, error) {
	after := fmt.Sprintf("each step's entrypoint then gives the files to the image's mongodb user (uid %d), owner only, as the production container does", mongodbUID)
	switch {
	case goos != "linux":
		return []string{fmt.Sprintf("ownership of %s left as copied: on %s, Docker Desktop's file sharing decides the owner containers see; %s", root, goos, after)}, nil
	case !clearml:
		return []string{fmt.Sprintf("ownership of %s left as copied (not ClearML's layout); %s", root, after)}, nil
	case euid != 0:
		return []string{fmt.Sprintf("not running as root, so ClearML's chown -R %d:%d of %s was skipped; %s (the entrypoint runs as root inside the container, so the steps run the same)", clearMLUID, clearMLGID, root, after)}, nil
	}
	n, err := chownTree(ctx, root, clearMLUID, clearMLGID)
	if err != nil {
		return nil, err
	}
	return []string{
		fmt.Sprintf("chown -R %d:%d %s (%d entries), as ClearML's migration page does after its copy", clearMLUID, clearMLGID, root, n),
		fmt.Sprintf("%s: copied files end up owned by %d with group %d, files mongod creates by %d:%d", after, mongodbUID, clearMLGID, mongodbUID, mongodbUID),
	}, nil
}

// chownTree changes the owner of root and everything below it, without
// following symlinks, and returns how many entries it changed.
func chownTree(ctx context.Context, root string, uid, gid int) (int, error) {
	n := 0
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return fmt.Errorf("walk %s: %w", p, err)
		}
		if n%1024 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		if err := os.Lchown(p, uid, gid); err != nil {
			return fmt.Errorf("chown %d:%d %s: %w", uid, gid, p, err)
		}
		n++
		return nil
	})
	return n, err
}
