package docker

import (
	"errors"
	"fmt"
	"testing"

	cerrdefs "github.com/containerd/errdefs"
)

func TestNameTaken(t *testing.T) {
	docker := fmt.Errorf("create: %w", cerrdefs.ErrConflict.WithMessage(`Conflict. The container name "/mongostep-ab-4.0" is already in use by container "f00"`))
	podman := errors.New(`Error response from daemon: container create: creating container storage: the container name "mongostep-ab-4.0" is already in use by 58e89365e44d. You have to remove that container to be able to reuse that name: that name is already in use`)
	for _, err := range []error{docker, podman} {
		if !nameTaken(err) {
			t.Errorf("nameTaken(%v) = false", err)
		}
	}
	for _, err := range []error{nil, errors.New("no such image: mongo:4.0.27"), errors.New("port is already allocated")} {
		if nameTaken(err) {
			t.Errorf("nameTaken(%v) = true", err)
		}
	}
}

func TestShortImage(t *testing.T) {
	for in, want := range map[string]string{
		"docker.io/library/mongo:4.4.9": "mongo:4.4.9",
		"localhost/mongo:4.0.27":        "mongo:4.0.27",
		"mongo:4.4.9":                   "mongo:4.4.9",
		"docker.io/allegroai/clearml:1": "docker.io/allegroai/clearml:1",
		"registry.local/mongo:4.0.28":   "registry.local/mongo:4.0.28",
	} {
		if got := shortImage(in); got != want {
			t.Errorf("shortImage(%q) = %q, want %q", in, got, want)
		}
	}
}
