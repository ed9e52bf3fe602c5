package docker

import (
	"strings"

	cerrdefs "github.com/containerd/errdefs"
)

// Podman's Docker-compatible API (4.x) answers a few calls differently from
// Docker; the fallbacks are here.

// nameTaken reports that a container name is in use: Docker answers 409
// Conflict, Podman 4.3 answers 500 "... the container name "x" is already in
// use by <id> ...".
func nameTaken(err error) bool {
	if err == nil {
		return false
	}
	return cerrdefs.IsConflict(err) || strings.Contains(err.Error(), "is already in use")
}

// shortImage is an image name as the user wrote it: Podman lists images
// fully qualified (docker.io/library/mongo:4.4.9, localhost/x:1), Docker as
// pulled (mongo:4.4.9).
func shortImage(ref string) string {
	for _, p := range []string{"docker.io/library/", "localhost/"} {
		if s, ok := strings.CutPrefix(ref, p); ok && s != "" {
			return s
		}
	}
	return ref
}
