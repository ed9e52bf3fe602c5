package docker

import (
	"context"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"github.com/moby/moby/client"
)

// When mongostep itself runs in a container (its own image, with the host's
// engine socket mounted), every path it gives the engine as a bind-mount
// source is read by the engine as a path on the host. So each data folder
// must be mounted into mongostep's container at the same path; the mongod
// containers' published ports (on the host's 127.0.0.1) are only reachable
// with the host's network; and the PIDs in mongod.lock and in mongostep's run
// lock are the host's. The engine's view of mongostep's own container tells
// all three. New checks the paths a run names (Options.Paths); Check and
// Start check the namespaces and each step's folders.

// selfMount is one mount of mongostep's own container, as the engine reports it.
type selfMount struct {
	Type        string // "bind", "volume", "tmpfs"
	Source      string // the host path (bind) or the volume's folder
	Destination string // the path inside the container
}

// selfContainer is the container mongostep runs in.
type selfContainer struct {
	Name        string
	NetworkMode string // "host" when it shares the host's network
	PidMode     string // "host" when it shares the host's process IDs
	Mounts      []selfMount
}

// findSelf asks the engine about the container this process runs in. It
// returns nil when there is none the engine knows: not in a container, or
// in one another engine runs (then no path of ours is that engine's).
func (r *Runtime) findSelf(ctx context.Context) *selfContainer {
	mountinfo, _ := os.ReadFile("/proc/self/mountinfo")
	cgroup, _ := os.ReadFile("/proc/self/cgroup")
	containerenv, _ := os.ReadFile("/run/.containerenv")
	for _, id := range selfIDs(mountinfo, cgroup, containerenv) {
		if sc := r.inspectSelf(ctx, id); sc != nil {
			return sc
		}
	}
	return nil
}

// inspectSelf inspects a running container by id.
func (r *Runtime) inspectSelf(ctx context.Context, id string) *selfContainer {
	res, err := r.cli.ContainerInspect(ctx, id, client.ContainerInspectOptions{})
	if err != nil {
		return nil
	}
	c := res.Container
	if c.State == nil || !c.State.Running {
		return nil
	}
	sc := &selfContainer{Name: strings.TrimPrefix(c.Name, "/")}
	if c.HostConfig != nil {
		sc.NetworkMode = string(c.HostConfig.NetworkMode)
		sc.PidMode = string(c.HostConfig.PidMode)
	}
	for _, m := range c.Mounts {
		sc.Mounts = append(sc.Mounts, selfMount{Type: string(m.Type), Source: m.Source, Destination: m.Destination})
	}
	return sc
}

var (
	// The source of /etc/hostname, /etc/hosts, /etc/resolv.conf inside a
	// container: /var/lib/docker/containers/<id>/hostname,
	// .../overlay-containers/<id>/userdata/hosts.
	mountinfoID = regexp.MustCompile(`containers/([0-9a-f]{64})/`)
	// cgroup v1: 4:memory:/docker/<id>; systemd: docker-<id>.scope, libpod-<id>.scope
	cgroupID = regexp.MustCompile(`(?:/docker/|/libpod-|docker-|libpod-)([0-9a-f]{64})`)
	// Podman's /run/.containerenv: id="<id>"
	containerenvID = regexp.MustCompile(`(?m)^id="([0-9a-f]{64})"`)
)

// selfIDs lists the container ids this process's mounts, cgroups and
// Podman's /run/.containerenv name, most reliable first, without repeats.
func selfIDs(mountinfo, cgroup, containerenv []byte) []string {
	var out []string
	seen := map[string]bool{}
	add := func(re *regexp.Regexp, b []byte) {
		for _, m := range re.FindAllSubmatch(b, -1) {
			if id := string(m[1]); !seen[id] {
				seen[id] = true
				out = append(out, id)
			}
		}
	}
	add(containerenvID, containerenv)
	add(mountinfoID, containerFileRoots(mountinfo))
	add(cgroupID, cgroup)
	return out
}

// containerFileRoots keeps, from /proc/self/mountinfo, the sources (the
// "root" field) of the files an engine mounts into each container. Other
// lines may name containers too: on a host running Podman, each running
// container's shm shows up in the host's own mounts.
func containerFileRoots(mountinfo []byte) []byte {
	var out []byte
	for _, line := range strings.Split(string(mountinfo), "\n") {
		f := strings.Fields(line)
		if len(f) < 5 {
			continue
		}
		switch f[4] {
		case "/etc/hostname", "/etc/hosts", "/etc/resolv.conf", "/run/.containerenv":
			out = append(out, f[3]+"\n"...)
		}
	}
	return out
}

// checkNamespaces refuses a container without the host's network and
// process IDs: the step containers publish mongod's port on the host's
// 127.0.0.1, and the PIDs in a mongod.lock and in mongostep's own run lock
// are the host's.
func (sc *selfContainer) checkNamespaces(cli string) error {
	if sc == nil {
		return nil
	}
	var why, flags []string
	if sc.NetworkMode != "host" {
		why = append(why, fmt.Sprintf("its network is not the host's (network mode %q), so it cannot reach the port each step's mongod publishes on the host's 127.0.0.1", sc.NetworkMode))
		flags = append(flags, "--network host")
	}
	if sc.PidMode != "host" {
		why = append(why, "it does not see the host's processes, so it cannot tell whether a mongod (or an earlier mongostep run) still uses the data")
		flags = append(flags, "--pid host")
	}
	if len(flags) == 0 {
		return nil
	}
	return fmt.Errorf("mongostep runs inside container %s: %s. Add %s to the %s run command and run it again; nothing was changed", sc.Name, strings.Join(why, "; and "), strings.Join(flags, " "), cli)
}

// mountOf is the mount that holds p inside the container (the one with the
// longest destination that is p or a parent of p); ok is false when p is in
// the container's own filesystem.
func (sc *selfContainer) mountOf(p string) (selfMount, bool) {
	var best selfMount
	found := false
	for _, m := range sc.Mounts {
		if m.Destination == "" || !inside(p, m.Destination, "linux") {
			continue
		}
		if !found || len(path.Clean(m.Destination)) > len(path.Clean(best.Destination)) {
			best, found = m, true
		}
	}
	return best, found
}

// pathProblem says what is wrong with p, a folder mongostep hands to the
// engine, and the -v that fixes it; "" when p is bind-mounted from the same
// host path. mountDir is the folder to suggest mounting when p is not
// mounted at all.
func (sc *selfContainer) pathProblem(p, mountDir string) (problem, fix string) {
	p = path.Clean(filepath.ToSlash(p))
	m, ok := sc.mountOf(p)
	if !ok {
		return fmt.Sprintf("%s is not mounted from the host (it would be inside mongostep's own container)", p),
			fmt.Sprintf("-v %s:%s", mountDir, mountDir)
	}
	if m.Type != "bind" {
		return fmt.Sprintf("%s is in a %s mount (%s), which the engine cannot mount by path", p, m.Type, m.Destination),
			fmt.Sprintf("-v %s:%s instead of the %s", mountDir, mountDir, m.Type)
	}
	src, dst := path.Clean(m.Source), path.Clean(m.Destination)
	if src == dst {
		return "", ""
	}
	hostPath := path.Join(src, strings.TrimPrefix(p, dst))
	return fmt.Sprintf("%s is the host's %s (mounted with -v %s:%s), so the engine would mount the host's %s instead", p, hostPath, src, dst, p),
		fmt.Sprintf("-v %s:%s instead of -v %s:%s (and name the data by its host path, under %s)", src, src, src, dst, src)
}

// MountError: mongostep runs in a container and a data folder is not
// bind-mounted into it at the same path as on the host.
type MountError struct {
	Container string
	CLI       string // "docker" or "podman"
	Problems  []string
	Fixes     []string
}

func (e *MountError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "mongostep runs inside container %s, and the engine mounts data folders by their path on the host: each must be mounted into this container at the same path.", e.Container)
	for _, p := range e.Problems {
		b.WriteString("\n  ")
		b.WriteString(p)
	}
	fmt.Fprintf(&b, "\n  Fix: add %s to the %s run command and run it again.", strings.Join(e.Fixes, " and "), e.CLI)
	return b.String()
}

// checkPaths checks each folder against the container's mounts. dirs maps
// each folder to the one to suggest mounting when it is not mounted at all.
// A nil container (not running in one) passes.
func (sc *selfContainer) checkPaths(dirs map[string]string, cli string) error {
	if sc == nil {
		return nil
	}
	keys := make([]string, 0, len(dirs))
	for p := range dirs {
		keys = append(keys, p)
	}
	sort.Strings(keys)
	e := &MountError{Container: sc.Name, CLI: cli}
	seenFix := map[string]bool{}
	for _, p := range keys {
		problem, fix := sc.pathProblem(p, dirs[p])
		if problem == "" {
			continue
		}
		e.Problems = append(e.Problems, problem)
		if !seenFix[fix] {
			seenFix[fix] = true
			e.Fixes = append(e.Fixes, fix)
		}
	}
	if len(e.Problems) == 0 {
		return nil
	}
	return e
}

// dataDirs turns the paths a run names (source, target, backup file) into
// the folders to check: each path's parent, where mongostep writes its
// siblings (the target beside the source, the run folder beside the target,
// the backup beside the source). Each parent is also the folder to mount.
func dataDirs(paths []string) map[string]string {
	out := map[string]string{}
	for _, p := range paths {
		if p == "" {
			continue
		}
		a, err := filepath.Abs(p)
		if err != nil {
			continue
		}
		parent := filepath.Dir(a)
		out[parent] = parent
	}
	return out
}

// stepDirs are the folders one step bind-mounts. The folder to suggest
// mounting is the one holding the run folder (TARGET.mongostep-VERSION).
func stepDirs(dbpath, configdb string) map[string]string {
	out := map[string]string{}
	for _, p := range []string{dbpath, configdb} {
		if p == "" {
			continue
		}
		a, err := filepath.Abs(p)
		if err != nil {
			continue
		}
		out[a] = runFolderParent(a)
	}
	return out
}

// runFolderParent is the parent of the run folder p is in (a path element
// holding ".mongostep-"), else p's parent.
func runFolderParent(p string) string {
	for d := p; d != filepath.Dir(d); d = filepath.Dir(d) {
		if strings.Contains(filepath.Base(d), ".mongostep-") {
			return filepath.Dir(d)
		}
	}
	return filepath.Dir(p)
}

// checkSelf, when mongostep runs in a container, checks that it shares the
// host's network and PIDs, and that dirs are mounted at the same path as on
// the host.
func (r *Runtime) checkSelf(dirs map[string]string) error {
	if err := r.self.checkNamespaces(r.eng.CLI()); err != nil {
		return err
	}
	return r.self.checkPaths(dirs, r.eng.CLI())
}
