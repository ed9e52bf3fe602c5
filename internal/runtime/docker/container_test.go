package docker

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/moby/moby/api/types/mount"
	"github.com/moby/moby/api/types/network"

	"github.com/mongostep/mongostep/internal/plan"
	"github.com/mongostep/mongostep/internal/runtime"
)

func contains(s, sub string) bool { return strings.Contains(s, sub) }

func testSpec() runtime.Spec {
	return runtime.Spec{
		Version: plan.Version{Major: 4, Minor: 2}, Image: "mongo:4.2.16",
		DBPath: "/opt/clearml/data/mongo_4/db", ConfigDB: "/opt/clearml/data/mongo_4/configdb",
		LogPath: "/tmp/x.log", RunID: "20260101-abcdef123456789", Name: "step 2: 4.2",
		Env: []string{"GLIBC_TUNABLES=glibc.pthread.rseq=0"},
	}
}

func TestCreateOptionsClearML(t *testing.T) {
	spec := testSpec()
	o, err := createOptions(spec, "n", 30*time.Minute, true)
	if err != nil {
		t.Fatal(err)
	}
	c, h := o.Config, o.HostConfig
	if c.Image != "mongo:4.2.16" || len(c.Cmd) != 1 || c.Cmd[0] != "mongod" || c.Entrypoint != nil {
		t.Errorf("image/cmd/entrypoint = %q %q %q; want the image's entrypoint with `mongod`", c.Image, c.Cmd, c.Entrypoint)
	}
	want := map[string]string{LabelRun: spec.RunID, LabelStep: "step 2: 4.2", LabelVersion: "4.2", LabelDBPath: spec.DBPath}
	for k, v := range want {
		if c.Labels[k] != v {
			t.Errorf("label %s = %q, want %q", k, c.Labels[k], v)
		}
	}
	if len(h.Mounts) != 2 || h.Mounts[0] != (mount.Mount{Type: mount.TypeBind, Source: spec.DBPath, Target: "/data/db"}) ||
		h.Mounts[1] != (mount.Mount{Type: mount.TypeBind, Source: spec.ConfigDB, Target: "/data/configdb"}) {
		t.Errorf("mounts = %+v", h.Mounts)
	}
	if len(h.Binds) != 0 || len(h.VolumesFrom) != 0 || h.PublishAllPorts || h.Privileged {
		t.Errorf("unexpected host config: binds %v volumesFrom %v publishAll %v privileged %v", h.Binds, h.VolumesFrom, h.PublishAllPorts, h.Privileged)
	}
	port := network.MustParsePort("27017/tcp")
	if len(c.ExposedPorts) != 1 {
		t.Errorf("exposed ports = %v, want only 27017/tcp", c.ExposedPorts)
	}
	if len(h.PortBindings) != 1 || len(h.PortBindings[port]) != 1 {
		t.Fatalf("port bindings = %v, want one for 27017/tcp", h.PortBindings)
	}
	b := h.PortBindings[port][0]
	if b.HostIP.String() != "127.0.0.1" || b.HostPort != "" {
		t.Errorf("binding = %s:%q, want 127.0.0.1 and an engine-chosen port", b.HostIP, b.HostPort)
	}
	if c.StopTimeout == nil || *c.StopTimeout != 1800 || c.StopSignal != "SIGTERM" {
		t.Errorf("stop = %v %v, want SIGTERM with 1800 s", c.StopSignal, c.StopTimeout)
	}
	if h.LogConfig.Type != "json-file" || h.AutoRemove || h.RestartPolicy.Name != "no" {
		t.Errorf("log %q autoremove %v restart %q", h.LogConfig.Type, h.AutoRemove, h.RestartPolicy.Name)
	}
	if len(c.Env) != 1 || c.Env[0] != spec.Env[0] {
		t.Errorf("env = %q, want the spec's env only", c.Env)
	}
	for _, kv := range c.Env {
		if strings.HasPrefix(kv, "MONGO_INITDB_") {
			t.Errorf("MONGO_INITDB variable passed: %s", kv)
		}
	}
}

func TestCreateOptionsBareDBPath(t *testing.T) {
	spec := testSpec()
	spec.ConfigDB = ""
	o, err := createOptions(spec, "n", time.Hour, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(o.HostConfig.Mounts) != 1 || o.HostConfig.Mounts[0].Target != "/data/db" {
		t.Errorf("bare dbpath mounts = %+v, want only /data/db", o.HostConfig.Mounts)
	}
	if o.HostConfig.LogConfig.Type != "" {
		t.Errorf("podman: log driver forced to %q", o.HostConfig.LogConfig.Type)
	}
}

func TestCreateOptionsRefusesInitDBEnv(t *testing.T) {
	spec := testSpec()
	spec.Env = append(spec.Env, "MONGO_INITDB_ROOT_USERNAME=admin")
	_, err := createOptions(spec, "n", time.Hour, true)
	if err == nil || !contains(err.Error(), "MONGO_INITDB_ROOT_USERNAME") || !contains(err.Error(), "--auth") {
		t.Fatalf("err = %v, want a refusal naming the variable and --auth", err)
	}
	spec.Env, spec.Image = nil, ""
	if _, err := createOptions(spec, "n", time.Hour, true); err == nil {
		t.Fatal("no error without an image")
	}
}

func TestContainerName(t *testing.T) {
	spec := testSpec()
	if got := containerName(spec, 1); got != "mongostep-20260101-abc-4.2" {
		t.Errorf("name = %q", got)
	}
	if got := containerName(spec, 3); got != "mongostep-20260101-abc-4.2-3" {
		t.Errorf("third name = %q", got)
	}
	spec.RunID = "a/b c:d"
	if got := containerName(spec, 1); got != "mongostep-abcd-4.2" {
		t.Errorf("sanitised name = %q", got)
	}
}

func TestExitOf(t *testing.T) {
	cases := []struct {
		code         int
		wantCode     int
		wantSignal   int
		wantShellish int
	}{
		{0, 0, 0, 0}, {14, 14, 0, 14}, {62, 62, 0, 62}, {100, 100, 0, 100},
		{137, -1, 9, 137}, {139, -1, 11, 139}, {132, -1, 4, 132}, {143, -1, 15, 143},
	}
	for _, c := range cases {
		e := exitOf(c.code)
		if e.Code != c.wantCode || e.Signal != c.wantSignal || e.ShellCode() != c.wantShellish {
			t.Errorf("exitOf(%d) = %+v", c.code, e)
		}
	}
}

func TestImagesOf(t *testing.T) {
	steps := []plan.Step{
		{Version: plan.MustVersion("3.6"), Image: "mongo:3.6.23"},
		{Version: plan.MustVersion("4.0"), Image: "mongo:4.0.27"},
		{Version: plan.MustVersion("4.0"), Image: "mongo:4.0.27"},
		{Version: plan.MustVersion("4.2"), Image: "mirror/mongo:4.2"},
	}
	got := imagesOf(steps)
	if len(got) != 3 || got[1].Ref != "mongo:4.0.27" || len(got[1].Versions) != 1 || got[2].versions() != "4.2" {
		t.Fatalf("imagesOf = %+v", got)
	}
}

func TestMissingImageMessage(t *testing.T) {
	e := &MissingImageError{CLI: "docker", Images: []missingImage{
		{stepImage: stepImage{Ref: "mongo:4.0.27", Versions: []plan.Version{{Major: 4, Minor: 0}}}, Err: errors.New("lookup registry-1.docker.io: no such host")},
		{stepImage: stepImage{Ref: "registry.local:5000/mongo:4.2.16", Versions: []plan.Version{{Major: 4, Minor: 2}}}, Err: errors.New("connection refused")},
	}}
	msg := e.Error()
	for _, want := range []string{
		"mongo:4.0.27 (MongoDB 4.0): lookup registry-1.docker.io: no such host",
		"Nothing was changed",
		"docker pull mongo:4.0.27; docker pull registry.local:5000/mongo:4.2.16;",
		"docker save -o mongo-images.tar mongo:4.0.27 registry.local:5000/mongo:4.2.16",
		"docker load -i mongo-images.tar",
		"--image 4.0=MIRROR/mongo:4.0.27",
		"--image 4.2=MIRROR/mongo:4.2.16",
	} {
		if !contains(msg, want) {
			t.Errorf("missing-image message lacks %q:\n%s", want, msg)
		}
	}
}

func TestRefuseInitEnv(t *testing.T) {
	if err := refuseInitEnv("x", []string{"PATH=/bin", "MONGO_INITDB_DATABASE=test", "MONGO_INITDB_ROOT_USERNAME="}); err != nil {
		t.Errorf("harmless env refused: %v", err)
	}
	err := refuseInitEnv("corp/mongo:4.4", []string{"MONGO_INITDB_ROOT_USERNAME=a", "MONGO_INITDB_ROOT_PASSWORD_FILE=/run/secrets/p"})
	if err == nil || !contains(err.Error(), "corp/mongo:4.4") || !contains(err.Error(), "MONGO_INITDB_ROOT_PASSWORD_FILE") {
		t.Errorf("err = %v", err)
	}
}
