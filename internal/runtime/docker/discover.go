package docker

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"os/user"
	"path"
	goruntime "runtime"
	"strconv"
	"strings"
)

// Env is what engine discovery looks at. SystemEnv describes this machine;
// tests pass fakes to check every OS's rules from any OS.
type Env struct {
	GOOS   string
	Getenv func(string) string
	Home   string // the user's home folder ("" when unknown)
	UID    int    // -1 when unknown (Windows)
	// Exists reports whether a socket file exists (named pipes are not checked).
	Exists func(path string) bool
	// ReadFile reads docker's config.json and context metadata.
	ReadFile func(path string) ([]byte, error)
}

// SystemEnv is this machine's environment.
func SystemEnv() Env {
	home, _ := os.UserHomeDir()
	if home == "" {
		if u, err := user.Current(); err == nil {
			home = u.HomeDir
		}
	}
	return Env{
		GOOS:   goruntime.GOOS,
		Getenv: os.Getenv,
		Home:   home,
		UID:    os.Getuid(),
		Exists: func(p string) bool {
			_, err := os.Stat(p)
			return err == nil
		},
		ReadFile: os.ReadFile,
	}
}

// Candidate is one place an engine may answer.
type Candidate struct {
	Host string // "unix:///var/run/docker.sock", "npipe:////./pipe/docker_engine", "tcp://..."
	From string // why it is tried: "DOCKER_HOST", "Docker's standard socket", ...
	// Missing: a unix socket file that does not exist (kept only for the
	// "nothing answers" message).
	Missing bool
}

// Candidates lists, in order, where to look for an engine:
//  1. DOCKER_HOST when set (only it: the user chose);
//  2. else the current docker context (DOCKER_CONTEXT, or currentContext in
//     docker's config.json) when it is not "default" (only it, as the docker
//     CLI does);
//  3. else the usual sockets of this OS: Docker, rootless Docker, Docker
//     Desktop, and Podman rootful and rootless.
func Candidates(e Env) []Candidate {
	if h := strings.TrimSpace(e.getenv("DOCKER_HOST")); h != "" {
		return []Candidate{{Host: h, From: "DOCKER_HOST"}}
	}
	if c, ok := contextCandidate(e); ok {
		return []Candidate{c}
	}
	var out []Candidate
	for _, c := range osCandidates(e) {
		if p, ok := strings.CutPrefix(c.Host, "unix://"); ok && e.Exists != nil && !e.Exists(p) {
			c.Missing = true
		}
		out = append(out, c)
	}
	return out
}

func osCandidates(e Env) []Candidate {
	switch e.GOOS {
	case "windows":
		return []Candidate{
			{Host: "npipe:////./pipe/docker_engine", From: "Docker Desktop's named pipe"},
			{Host: "npipe:////./pipe/podman-machine-default", From: "Podman machine's named pipe"},
		}
	case "darwin":
		var out []Candidate
		if e.Home != "" {
			out = append(out, unixCandidate(path.Join(e.Home, ".docker/run/docker.sock"), "Docker Desktop's per-user socket"))
		}
		out = append(out, unixCandidate("/var/run/docker.sock", "Docker's standard socket"))
		if e.Home != "" {
			out = append(out, unixCandidate(path.Join(e.Home, ".colima/default/docker.sock"), "Colima's socket"))
		}
		return out
	}
	out := []Candidate{unixCandidate("/var/run/docker.sock", "Docker's standard socket")}
	run := e.runtimeDir()
	if run != "" {
		out = append(out, unixCandidate(path.Join(run, "docker.sock"), "rootless Docker's socket"))
	}
	if e.Home != "" {
		out = append(out, unixCandidate(path.Join(e.Home, ".docker/desktop/docker.sock"), "Docker Desktop's socket"))
	}
	out = append(out, unixCandidate("/run/podman/podman.sock", "Podman's rootful socket"))
	if run != "" {
		out = append(out, unixCandidate(path.Join(run, "podman/podman.sock"), "Podman's rootless socket"))
	}
	return out
}

func unixCandidate(p, from string) Candidate { return Candidate{Host: "unix://" + p, From: from} }

// runtimeDir is $XDG_RUNTIME_DIR, or /run/user/UID for a non-root user.
func (e Env) runtimeDir() string {
	if d := e.getenv("XDG_RUNTIME_DIR"); d != "" {
		return d
	}
	if e.UID > 0 {
		return "/run/user/" + strconv.Itoa(e.UID)
	}
	return ""
}

func (e Env) getenv(k string) string {
	if e.Getenv == nil {
		return ""
	}
	return e.Getenv(k)
}

// configDir is docker's client configuration folder ($DOCKER_CONFIG or ~/.docker).
func (e Env) configDir() string {
	if d := e.getenv("DOCKER_CONFIG"); d != "" {
		return d
	}
	if e.Home == "" {
		return ""
	}
	return e.join(e.Home, ".docker")
}

// join joins with the separator of e.GOOS (Windows paths are tested on Linux).
func (e Env) join(elem ...string) string {
	if e.GOOS != "windows" {
		return path.Join(elem...)
	}
	for i := range elem {
		elem[i] = strings.TrimRight(elem[i], `\/`)
	}
	return strings.Join(elem, `\`)
}

// contextCandidate resolves the current docker context, as the docker CLI
// does: DOCKER_CONTEXT, else currentContext in config.json; its endpoint is in
// contexts/meta/<sha256 of the name>/meta.json.
func contextCandidate(e Env) (Candidate, bool) {
	dir := e.configDir()
	if dir == "" || e.ReadFile == nil {
		return Candidate{}, false
	}
	name, from := e.getenv("DOCKER_CONTEXT"), "DOCKER_CONTEXT"
	if name == "" {
		var cfg struct {
			CurrentContext string `json:"currentContext"`
		}
		if b, err := e.ReadFile(e.join(dir, "config.json")); err == nil && json.Unmarshal(b, &cfg) == nil {
			name, from = cfg.CurrentContext, e.join(dir, "config.json")
		}
	}
	if name == "" || name == "default" {
		return Candidate{}, false
	}
	sum := sha256.Sum256([]byte(name))
	b, err := e.ReadFile(e.join(dir, "contexts", "meta", hex.EncodeToString(sum[:]), "meta.json"))
	if err != nil {
		return Candidate{}, false
	}
	var meta struct {
		Endpoints map[string]struct {
			Host string `json:"Host"`
		} `json:"Endpoints"`
	}
	if json.Unmarshal(b, &meta) != nil || meta.Endpoints["docker"].Host == "" {
		return Candidate{}, false
	}
	return Candidate{Host: meta.Endpoints["docker"].Host, From: "docker context " + strconv.Quote(name) + " (from " + from + ")"}, true
}
