package docker

import (
	"context"
	"fmt"
	goruntime "runtime"
	"strings"

	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/client"

	"github.com/mongostep/mongostep/internal/runtime"
)

// Compose's labels on the containers it creates.
const (
	composeProject     = "com.docker.compose.project"
	composeConfigFiles = "com.docker.compose.project.config_files"
	composeService     = "com.docker.compose.service"
)

// ClearML's compose files (../shared/spec/clearml.md).
const (
	clearMLCompose        = "/opt/clearml/docker-compose.yml"
	clearMLComposeWindows = `c:\opt\clearml\docker-compose-win10.yml`
)

// UsersOf names the running containers that bind-mount path or a folder
// inside it, with the command that stops each. Whether data is in use is
// told by the engine's containers and their mounts: inside the image,
// mongod.lock holds PID 1, which says nothing on the host.
func (r *Runtime) UsersOf(ctx context.Context, path string) ([]runtime.User, error) {
	res, err := r.cli.ContainerList(ctx, client.ContainerListOptions{})
	if err != nil {
		return nil, fmt.Errorf("list running containers on %s: %w", r.eng, err)
	}
	return usersOf(res.Items, path, r.eng.CLI(), goruntime.GOOS), nil
}

func usersOf(items []container.Summary, path, cli, goos string) []runtime.User {
	dirs := forms(path)
	var out []runtime.User
	for _, c := range items {
		for _, m := range c.Mounts {
			if m.Source == "" || !insideAny(m.Source, dirs, goos) {
				continue
			}
			out = append(out, runtime.User{
				What: "container " + displayName(c),
				Path: m.Source,
				Stop: stopCommand(c, cli, goos),
			})
			break
		}
	}
	return out
}

// displayName is the container's name without docker's leading slash.
func displayName(c container.Summary) string {
	for _, n := range c.Names {
		return strings.TrimPrefix(n, "/")
	}
	if len(c.ID) > 12 {
		return c.ID[:12]
	}
	return c.ID
}

// stopCommand is how the operator stops a container that holds the data:
// its compose project's `down` when compose made it (ClearML's compose file
// when it is ClearML's), else a stop with a long grace period.
func stopCommand(c container.Summary, cli, goos string) string {
	name := displayName(c)
	if files := c.Labels[composeConfigFiles]; files != "" {
		var args []string
		for _, f := range strings.Split(files, ",") {
			args = append(args, "-f "+quoteArg(strings.TrimSpace(f)))
		}
		return "docker-compose " + strings.Join(args, " ") + " down"
	}
	if isClearML(name, c.Labels) {
		if goos == "windows" {
			return "docker-compose -f " + clearMLComposeWindows + " down"
		}
		return "docker-compose -f " + clearMLCompose + " down"
	}
	if p := c.Labels[composeProject]; p != "" {
		return "docker compose -p " + quoteArg(p) + " down"
	}
	return fmt.Sprintf("%s stop --time 600 %s", cli, name)
}

func isClearML(name string, labels map[string]string) bool {
	return strings.HasPrefix(name, "clearml-mongo") || labels[composeProject] == "clearml" ||
		(strings.HasPrefix(name, "clearml") && labels[composeService] == "mongo")
}

func quoteArg(s string) string {
	if s != "" && !strings.ContainsAny(s, " \t'\"$`") {
		return s
	}
	return `"` + strings.ReplaceAll(s, `"`, `\"`) + `"`
}
