package docker

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/api/types/jsonstream"
)

func TestHostKeyWindows(t *testing.T) {
	cases := map[string]string{
		`C:\opt\clearml\data\mongo_4\db`:                   "c:/opt/clearml/data/mongo_4/db",
		`c:/opt/clearml/data/mongo_4/db/`:                  "c:/opt/clearml/data/mongo_4/db",
		"/run/desktop/mnt/host/c/opt/clearml/data/mongo_4": "c:/opt/clearml/data/mongo_4",
		"/host_mnt/c/opt/clearml":                          "c:/opt/clearml",
		"/mnt/d/data":                                      "d:/data",
		`C:\`:                                              "c:",
		"/var/lib/docker/volumes/x/_data":                  "/var/lib/docker/volumes/x/_data",
	}
	for in, want := range cases {
		if got := hostKey(in, "windows"); got != want {
			t.Errorf("hostKey(%q, windows) = %q, want %q", in, got, want)
		}
	}
}

func TestInsideAcrossOSes(t *testing.T) {
	cases := []struct {
		p, dir, goos string
		want         bool
	}{
		{"/opt/clearml/data/mongo/db", "/opt/clearml/data/mongo", "linux", true},
		{"/opt/clearml/data/mongo", "/opt/clearml/data/mongo", "linux", true},
		{"/opt/clearml/data/mongo_4/db", "/opt/clearml/data/mongo", "linux", false},
		{"/opt/clearml/data", "/opt/clearml/data/mongo", "linux", false},
		{"/OPT/clearml", "/opt/clearml", "linux", false},
		{"/run/desktop/mnt/host/c/opt/clearml/data/mongo/db", `C:\opt\clearml\data\mongo`, "windows", true},
		{`C:\opt\clearml\data\mongo\configdb`, `c:\OPT\ClearML\data\mongo`, "windows", true},
		{"/run/desktop/mnt/host/d/opt/clearml/data/mongo/db", `C:\opt\clearml\data\mongo`, "windows", false},
		{"/host_mnt/Users/ann/clearml/mongo/db", "/Users/ann/clearml/mongo", "darwin", true},
	}
	for _, c := range cases {
		if got := inside(c.p, c.dir, c.goos); got != c.want {
			t.Errorf("inside(%q, %q, %s) = %v, want %v", c.p, c.dir, c.goos, got, c.want)
		}
	}
}

func summary(name string, labels map[string]string, sources ...string) container.Summary {
	c := container.Summary{ID: "0123456789abcdef", Names: []string{"/" + name}, Labels: labels, Image: "mongo:3.6.23", State: container.StateRunning}
	for _, s := range sources {
		c.Mounts = append(c.Mounts, container.MountPoint{Type: "bind", Source: s, Destination: "/data/db"})
	}
	return c
}

func TestUsersOfAndStopCommands(t *testing.T) {
	items := []container.Summary{
		summary("clearml-mongo", map[string]string{composeProject: "clearml", composeConfigFiles: "/opt/clearml/docker-compose.yml", composeService: "mongo"}, "/opt/clearml/data/mongo/db", "/opt/clearml/data/mongo/configdb"),
		summary("clearml-mongo-old", nil, "/opt/clearml/data/mongo/configdb"),
		summary("web", nil, "/srv/www"),
		summary("backup", map[string]string{composeProject: "ops"}, "/opt/clearml/data/mongo"),
		summary("mydb", nil, "/opt/clearml/data/mongo/db"),
	}
	users := usersOf(items, "/opt/clearml/data/mongo", "docker", "linux")
	if len(users) != 4 {
		t.Fatalf("users = %+v, want 4 (not the unrelated web container)", users)
	}
	want := []struct{ what, stop string }{
		{"container clearml-mongo", "docker-compose -f /opt/clearml/docker-compose.yml down"},
		{"container clearml-mongo-old", "docker-compose -f /opt/clearml/docker-compose.yml down"},
		{"container backup", "docker compose -p ops down"},
		{"container mydb", "docker stop --time 600 mydb"},
	}
	for i, w := range want {
		if users[i].What != w.what || users[i].Stop != w.stop {
			t.Errorf("user %d = %+v, want %s / %s", i, users[i], w.what, w.stop)
		}
	}
	if users[0].Path != "/opt/clearml/data/mongo/db" {
		t.Errorf("path = %q", users[0].Path)
	}
	win := stopCommand(summary("clearml-mongo", nil), "docker", "windows")
	if win != `docker-compose -f c:\opt\clearml\docker-compose-win10.yml down` {
		t.Errorf("windows ClearML stop = %q", win)
	}
	pod := stopCommand(summary("db", nil), "podman", "linux")
	if pod != "podman stop --time 600 db" {
		t.Errorf("podman stop = %q", pod)
	}
	spaced := stopCommand(summary("x", map[string]string{composeConfigFiles: "/srv/my app/compose.yml,/srv/my app/override.yml"}), "docker", "linux")
	if spaced != `docker-compose -f "/srv/my app/compose.yml" -f "/srv/my app/override.yml" down` {
		t.Errorf("multi-file compose stop = %q", spaced)
	}
}

func TestUsersOfThroughSymlink(t *testing.T) {
	dir := t.TempDir()
	real := filepath.Join(dir, "real")
	if err := os.MkdirAll(filepath.Join(real, "db"), 0o755); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link")
	if err := os.Symlink(real, link); err != nil {
		t.Fatal(err)
	}
	items := []container.Summary{summary("m", nil, filepath.Join(real, "db"))}
	if got := usersOf(items, link, "docker", "linux"); len(got) != 1 {
		t.Fatalf("a container mounting the symlink's target was not found: %+v", got)
	}
}

func TestPickLeftovers(t *testing.T) {
	mine := summary("mongostep-r1-4.0", map[string]string{LabelRun: "r1"}, "/work/run/db")
	mine.State = container.StateExited
	otherRun := summary("mongostep-r0-4.0", map[string]string{LabelRun: "r0"}, "/work/run/db")
	unrelatedRun := summary("mongostep-r9-4.0", map[string]string{LabelRun: "r9"}, "/elsewhere/db")
	foreign := summary("someone", nil, "/work/run/db")
	foreignStopped := summary("old", nil, "/work/run/db")
	foreignStopped.State = container.StateExited
	ours, others := pickLeftovers([]container.Summary{mine, otherRun, unrelatedRun, foreign, foreignStopped}, "r1", "/work/run/db", "linux")
	if len(ours) != 2 || displayName(ours[0]) != "mongostep-r1-4.0" || displayName(ours[1]) != "mongostep-r0-4.0" {
		t.Errorf("ours = %v", names(ours))
	}
	if len(others) != 1 || displayName(others[0]) != "someone" {
		t.Errorf("foreign = %v, want only the running one", names(others))
	}
	if ours, _ := pickLeftovers([]container.Summary{unrelatedRun}, "", "/work/run/db", "linux"); len(ours) != 0 {
		t.Errorf("an empty run id matched %v", names(ours))
	}
}

func names(cs []container.Summary) []string {
	var out []string
	for _, c := range cs {
		out = append(out, displayName(c))
	}
	return out
}

func TestPullReporterIsQuiet(t *testing.T) {
	var lines []string
	p := newPullReporter("mongo:4.0.27", func(s string) { lines = append(lines, s) })
	msgs := []jsonstream.Message{
		{Status: "Pulling from library/mongo", ID: "4.0.27"},
		{Status: "Pulling fs layer", ID: "a1"},
		{Status: "Waiting", ID: "a1"},
		{Status: "Downloading", ID: "a1", Progress: &jsonstream.Progress{Current: 1e6, Total: 5e6}},
		{Status: "Downloading", ID: "a1", Progress: &jsonstream.Progress{Current: 2e6, Total: 5e6}},
		{Status: "Download complete", ID: "a1"},
		{Status: "Pull complete", ID: "a1"},
		{Status: "Digest: sha256:00"},
	}
	for _, m := range msgs {
		p.report(m)
	}
	p.done()
	want := []string{
		"pull mongo:4.0.27: Pulling from library/mongo",
		"pull mongo:4.0.27: layer a1 downloading 1.0 MB of 5.0 MB",
		"pull mongo:4.0.27: layer a1 pull complete",
		"pull mongo:4.0.27: Digest: sha256:00",
		"pull mongo:4.0.27: done",
	}
	if strings.Join(lines, "\n") != strings.Join(want, "\n") {
		t.Errorf("lines = %q\nwant %q", lines, want)
	}
}
