package docker

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io/fs"
	"reflect"
	"testing"
)

// fakeEnv is an OS as discovery sees it: env vars, existing sockets, files.
func fakeEnv(goos, home string, uid int, vars map[string]string, sockets []string, files map[string]string) Env {
	exists := map[string]bool{}
	for _, s := range sockets {
		exists[s] = true
	}
	return Env{
		GOOS: goos, Home: home, UID: uid,
		Getenv: func(k string) string { return vars[k] },
		Exists: func(p string) bool { return exists[p] },
		ReadFile: func(p string) ([]byte, error) {
			if b, ok := files[p]; ok {
				return []byte(b), nil
			}
			return nil, fs.ErrNotExist
		},
	}
}

func hosts(cs []Candidate) (all, present []string) {
	for _, c := range cs {
		all = append(all, c.Host)
		if !c.Missing {
			present = append(present, c.Host)
		}
	}
	return all, present
}

func TestCandidatesLinux(t *testing.T) {
	e := fakeEnv("linux", "/home/ann", 1000, map[string]string{"XDG_RUNTIME_DIR": "/run/user/1000"},
		[]string{"/run/user/1000/podman/podman.sock"}, nil)
	all, present := hosts(Candidates(e))
	want := []string{
		"unix:///var/run/docker.sock",
		"unix:///run/user/1000/docker.sock",
		"unix:///home/ann/.docker/desktop/docker.sock",
		"unix:///run/podman/podman.sock",
		"unix:///run/user/1000/podman/podman.sock",
	}
	if !reflect.DeepEqual(all, want) {
		t.Errorf("linux candidates = %q\nwant %q", all, want)
	}
	if !reflect.DeepEqual(present, []string{"unix:///run/user/1000/podman/podman.sock"}) {
		t.Errorf("present = %q, want only rootless podman", present)
	}
}

func TestCandidatesLinuxRootWithoutXDG(t *testing.T) {
	e := fakeEnv("linux", "/root", 0, nil, []string{"/var/run/docker.sock"}, nil)
	all, _ := hosts(Candidates(e))
	want := []string{"unix:///var/run/docker.sock", "unix:///root/.docker/desktop/docker.sock", "unix:///run/podman/podman.sock"}
	if !reflect.DeepEqual(all, want) {
		t.Errorf("root candidates = %q, want %q", all, want)
	}
}

func TestCandidatesLinuxUserWithoutXDG(t *testing.T) {
	e := fakeEnv("linux", "/home/bo", 1001, nil, nil, nil)
	all, _ := hosts(Candidates(e))
	if all[1] != "unix:///run/user/1001/docker.sock" || all[len(all)-1] != "unix:///run/user/1001/podman/podman.sock" {
		t.Errorf("candidates without XDG_RUNTIME_DIR = %q; want /run/user/1001 sockets", all)
	}
}

func TestCandidatesDarwin(t *testing.T) {
	e := fakeEnv("darwin", "/Users/ann", 501, nil, []string{"/Users/ann/.docker/run/docker.sock"}, nil)
	all, present := hosts(Candidates(e))
	want := []string{"unix:///Users/ann/.docker/run/docker.sock", "unix:///var/run/docker.sock", "unix:///Users/ann/.colima/default/docker.sock"}
	if !reflect.DeepEqual(all, want) {
		t.Errorf("darwin candidates = %q, want %q", all, want)
	}
	if !reflect.DeepEqual(present, want[:1]) {
		t.Errorf("present = %q", present)
	}
}

func TestCandidatesWindows(t *testing.T) {
	e := fakeEnv("windows", `C:\Users\Ann`, -1, nil, nil, nil)
	cs := Candidates(e)
	all, present := hosts(cs)
	want := []string{"npipe:////./pipe/docker_engine", "npipe:////./pipe/podman-machine-default"}
	if !reflect.DeepEqual(all, want) || !reflect.DeepEqual(present, want) {
		t.Errorf("windows candidates = %q (present %q), want %q, never marked missing", all, present, want)
	}
}

func TestDockerHostWins(t *testing.T) {
	for _, goos := range []string{"linux", "darwin", "windows"} {
		e := fakeEnv(goos, "/h", 1000, map[string]string{"DOCKER_HOST": "tcp://10.0.0.5:2376", "DOCKER_CONTEXT": "x"}, []string{"/var/run/docker.sock"}, nil)
		cs := Candidates(e)
		if len(cs) != 1 || cs[0].Host != "tcp://10.0.0.5:2376" || cs[0].From != "DOCKER_HOST" {
			t.Errorf("%s: DOCKER_HOST not used alone: %+v", goos, cs)
		}
	}
}

func metaPath(dir, name, sep string) string {
	sum := sha256.Sum256([]byte(name))
	return dir + sep + "contexts" + sep + "meta" + sep + hex.EncodeToString(sum[:]) + sep + "meta.json"
}

func TestCurrentContextLinux(t *testing.T) {
	files := map[string]string{
		"/home/ann/.docker/config.json":                     `{"currentContext":"desktop-linux"}`,
		metaPath("/home/ann/.docker", "desktop-linux", "/"): `{"Name":"desktop-linux","Endpoints":{"docker":{"Host":"unix:///home/ann/.docker/desktop/docker.sock"}}}`,
	}
	cs := Candidates(fakeEnv("linux", "/home/ann", 1000, nil, nil, files))
	if len(cs) != 1 || cs[0].Host != "unix:///home/ann/.docker/desktop/docker.sock" {
		t.Fatalf("context not followed: %+v", cs)
	}
	if cs[0].From != `docker context "desktop-linux" (from /home/ann/.docker/config.json)` {
		t.Errorf("From = %q", cs[0].From)
	}
}

func TestContextOnWindowsPaths(t *testing.T) {
	dir := `C:\Users\Ann\.docker`
	files := map[string]string{
		dir + `\config.json`:             `{"currentContext":"remote"}`,
		metaPath(dir, "remote", `\`):     `{"Endpoints":{"docker":{"Host":"tcp://build:2375"}}}`,
		metaPath(`D:\cfg`, "other", `\`): `{"Endpoints":{"docker":{"Host":"npipe:////./pipe/other"}}}`,
	}
	cs := Candidates(fakeEnv("windows", `C:\Users\Ann\`, -1, nil, nil, files))
	if len(cs) != 1 || cs[0].Host != "tcp://build:2375" {
		t.Fatalf("windows context not followed: %+v", cs)
	}
	// DOCKER_CONFIG and DOCKER_CONTEXT override, with backslash paths.
	cs = Candidates(fakeEnv("windows", `C:\Users\Ann`, -1, map[string]string{"DOCKER_CONFIG": `D:\cfg\`, "DOCKER_CONTEXT": "other"}, nil, files))
	if len(cs) != 1 || cs[0].Host != "npipe:////./pipe/other" || cs[0].From != `docker context "other" (from DOCKER_CONTEXT)` {
		t.Fatalf("DOCKER_CONFIG/DOCKER_CONTEXT not followed: %+v", cs)
	}
}

func TestDefaultContextFallsBackToSockets(t *testing.T) {
	files := map[string]string{"/home/ann/.docker/config.json": `{"currentContext":"default"}`}
	cs := Candidates(fakeEnv("linux", "/home/ann", 1000, nil, nil, files))
	if len(cs) < 2 || cs[0].Host != "unix:///var/run/docker.sock" {
		t.Fatalf("default context should use the socket list: %+v", cs)
	}
	// A context whose metadata is missing is ignored too.
	files["/home/ann/.docker/config.json"] = `{"currentContext":"gone"}`
	cs = Candidates(fakeEnv("linux", "/home/ann", 1000, nil, nil, files))
	if cs[0].Host != "unix:///var/run/docker.sock" {
		t.Fatalf("missing context metadata: %+v", cs)
	}
}

func TestEngineErrorMessages(t *testing.T) {
	none := &EngineError{GOOS: "linux", User: "ann", Attempts: []Attempt{
		{Candidate: Candidate{Host: "unix:///var/run/docker.sock", From: "Docker's standard socket", Missing: true}},
		{Candidate: Candidate{Host: "unix:///run/podman/podman.sock", From: "Podman's rootful socket"}, Err: errors.New("the socket exists but nothing listens on it (the engine is stopped)")},
	}}
	msg := none.Error()
	for _, want := range []string{"no Docker or Podman engine answers", "unix:///var/run/docker.sock (Docker's standard socket): no such socket", "nothing listens", "sudo systemctl start docker", "DOCKER_HOST"} {
		if !contains(msg, want) {
			t.Errorf("nothing-answers message lacks %q:\n%s", want, msg)
		}
	}
	denied := &EngineError{GOOS: "linux", User: "ann", Attempts: []Attempt{
		{Candidate: Candidate{Host: "unix:///var/run/docker.sock", From: "Docker's standard socket"}, Err: &deniedError{path: "/var/run/docker.sock"}, Denied: true},
	}}
	msg = denied.Error()
	for _, want := range []string{"permission denied", "user ann may not talk to it", "sudo", "usermod -aG docker ann"} {
		if !contains(msg, want) {
			t.Errorf("permission message lacks %q:\n%s", want, msg)
		}
	}
	denied.GOOS = "windows"
	if msg = denied.Error(); !contains(msg, "docker-users") {
		t.Errorf("windows permission message lacks docker-users:\n%s", msg)
	}
	mac := &EngineError{GOOS: "darwin", Attempts: none.Attempts}
	if msg = mac.Error(); !contains(msg, "start Docker Desktop") {
		t.Errorf("macOS message lacks Docker Desktop:\n%s", msg)
	}
}

func TestIsDenied(t *testing.T) {
	if !isDenied(&deniedError{path: "/x"}) {
		t.Error("deniedError not recognised")
	}
	if !isDenied(errors.New("permission denied while trying to connect to the docker API at unix:///var/run/docker.sock")) {
		t.Error("the client's permission message not recognised")
	}
	if isDenied(errors.New("connection refused")) {
		t.Error("connection refused taken for permission denied")
	}
}
