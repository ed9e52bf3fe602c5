package docker

import (
	"fmt"
	"net/netip"
	"path/filepath"
	"strings"
	"time"

	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/api/types/mount"
	"github.com/moby/moby/api/types/network"
	"github.com/moby/moby/client"

	"github.com/mongostep/mongostep/internal/runtime"
)

// Labels on every container mongostep creates.
const (
	LabelRun     = "mongostep.run"     // the run id (runtime.Spec.RunID)
	LabelStep    = "mongostep.step"    // "step 2: 4.2"
	LabelVersion = "mongostep.version" // "4.2"
	LabelDBPath  = "mongostep.dbpath"  // the host dbpath mounted at /data/db
)

// Paths inside the official image.
const (
	ContainerDBPath   = "/data/db"
	ContainerConfigDB = "/data/configdb"
	mongodPort        = "27017/tcp"
)

// containerName is "mongostep-<run id>-<version>", plus "-N" for the Nth
// container of the same step (after an unclean stop kept the first).
func containerName(spec runtime.Spec, n int) string {
	id := sanitize(spec.RunID)
	if len(id) > 12 {
		id = id[:12]
	}
	if id == "" {
		id = "run"
	}
	name := fmt.Sprintf("mongostep-%s-%s", id, sanitize(spec.Version.String()))
	if n > 1 {
		name += fmt.Sprintf("-%d", n)
	}
	return name
}

// sanitize keeps what container names allow: [a-zA-Z0-9_.-].
func sanitize(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '_', r == '.', r == '-':
			return r
		}
		return -1
	}, s)
}

// checkEnv refuses MONGO_INITDB_* variables: with the root pair set the
// official entrypoint adds --auth even on existing data (and with one of them
// it refuses to start).
func checkEnv(env []string) error {
	for _, kv := range env {
		k, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(k, "MONGO_INITDB_") {
			return fmt.Errorf("refusing to pass %s to the container: the image's entrypoint would start mongod with --auth", k)
		}
	}
	return nil
}

// createOptions is the container for one step: the image's own entrypoint
// and the command `mongod` (the entrypoint adds --bind_ip_all inside the
// container and, started as root, hands the files to uid 999); db/ at
// /data/db and configdb/ at /data/configdb (only for ClearML's layout);
// mongod's port published on 127.0.0.1 only, on a port the engine picks
// free; nothing else exposed; a long stop timeout for anyone's docker stop.
func createOptions(spec runtime.Spec, name string, grace time.Duration, jsonLog bool) (client.ContainerCreateOptions, error) {
	if spec.Image == "" {
		return client.ContainerCreateOptions{}, fmt.Errorf("no image for MongoDB %s", spec.Version)
	}
	if err := checkEnv(spec.Env); err != nil {
		return client.ContainerCreateOptions{}, err
	}
	mounts, err := dataMounts(spec)
	if err != nil {
		return client.ContainerCreateOptions{}, err
	}
	port := network.MustParsePort(mongodPort)
	stop := int(grace / time.Second)
	cfg := &container.Config{
		Image:        spec.Image,
		Cmd:          []string{"mongod"},
		Env:          append([]string(nil), spec.Env...),
		ExposedPorts: network.PortSet{port: {}},
		Labels: map[string]string{
			LabelRun:     spec.RunID,
			LabelStep:    spec.Name,
			LabelVersion: spec.Version.String(),
			LabelDBPath:  mounts[0].Source,
		},
		StopSignal:  "SIGTERM",
		StopTimeout: &stop,
	}
	host := &container.HostConfig{
		Mounts: mounts,
		PortBindings: network.PortMap{
			port: {{HostIP: netip.MustParseAddr("127.0.0.1"), HostPort: ""}},
		},
		RestartPolicy: container.RestartPolicy{Name: container.RestartPolicyDisabled},
	}
	if jsonLog {
		host.LogConfig = container.LogConfig{Type: "json-file"}
	}
	return client.ContainerCreateOptions{Name: name, Config: cfg, HostConfig: host}, nil
}

// dataMounts bind-mounts the data folders. A missing folder is an error
// (docker's -v would create an empty one).
func dataMounts(spec runtime.Spec) ([]mount.Mount, error) {
	db, err := absPath(spec.DBPath)
	if err != nil {
		return nil, err
	}
	out := []mount.Mount{{Type: mount.TypeBind, Source: db, Target: ContainerDBPath}}
	if spec.ConfigDB != "" {
		cfg, err := absPath(spec.ConfigDB)
		if err != nil {
			return nil, err
		}
		out = append(out, mount.Mount{Type: mount.TypeBind, Source: cfg, Target: ContainerConfigDB})
	}
	return out, nil
}

func absPath(p string) (string, error) {
	if p == "" {
		return "", fmt.Errorf("no dbpath given")
	}
	a, err := filepath.Abs(p)
	if err != nil {
		return "", fmt.Errorf("absolute path of %s: %w", p, err)
	}
	return a, nil
}
