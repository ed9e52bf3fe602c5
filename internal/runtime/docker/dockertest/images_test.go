package dockertest

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/moby/moby/api/pkg/stdcopy"
	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/client"
)

func TestVersionOf(t *testing.T) {
	cases := []struct{ in, ref, version string }{
		{"mongo:4.0.27", "mongo:4.0.27", "4.0.27"},
		{"mongo:9.0", "mongo:9.0", "9.0.0"},
		{"4.4.9", "mongo:4.4.9", "4.4.9"},
		{"localhost:5000/mongo:6.0.26", "localhost:5000/mongo:6.0.26", "6.0.26"},
	}
	for _, c := range cases {
		ref, v, err := versionOf(c.in)
		if err != nil || ref != c.ref || v != c.version {
			t.Errorf("versionOf(%q) = %q, %q, %v; want %q, %q", c.in, ref, v, err, c.ref, c.version)
		}
	}
	if _, _, err := versionOf("mongo:latest"); err == nil {
		t.Error("versionOf(mongo:latest) gave no error")
	}
}

func TestMigrationTags(t *testing.T) {
	got := MigrationTags("3.6", "4.4")
	want := map[string]bool{"mongo:3.6.23": true, "mongo:4.0.27": true, "mongo:4.2.16": true, "mongo:4.4.9": true}
	if len(got) != len(want) {
		t.Fatalf("MigrationTags(3.6, 4.4) = %q, want %d tags", got, len(want))
	}
	for _, g := range got {
		if !want[g] {
			t.Errorf("unexpected tag %s", g)
		}
	}
}

func TestEnsureBuildsRunnableImage(t *testing.T) {
	tags := BuildImages(t, "mongo:4.0.27")
	cli := Client(t)
	img, err := cli.ImageInspect(context.Background(), tags[0])
	if err != nil {
		t.Fatal(err)
	}
	if img.Config.Labels[LabelTest] != "sim" || img.Config.Labels[LabelDigest] == "" {
		t.Fatalf("labels = %v", img.Config.Labels)
	}
	// A second Ensure keeps the same image (digest unchanged).
	again := BuildImages(t, "mongo:4.0.27")
	img2, err := cli.ImageInspect(context.Background(), again[0])
	if err != nil || img2.ID != img.ID {
		t.Fatalf("image rebuilt: %s -> %s (%v)", img.ID, img2.ID, err)
	}
}

// Every tag mongostep may ask for runs as the version its tag names: the
// entrypoint turns `--version` into `mongod --version`.
func TestAllTagsReportTheirVersion(t *testing.T) {
	tags := BuildImages(t)
	if len(tags) != len(AllTags()) {
		t.Fatalf("built %d images, want %d", len(tags), len(AllTags()))
	}
	cli := Client(t)
	owner := "mongostep.testowner=alltags" + randomHex(3)
	t.Cleanup(func() { RemoveContainers(t, cli, owner) })
	for _, tag := range tags {
		_, version, _ := versionOf(tag)
		out := runOnce(t, cli, tag, owner, "--version")
		if !strings.Contains(out, "db version v"+version+"\n") {
			t.Errorf("%s --version printed %q, want db version v%s", tag, out, version)
		}
	}
}

func runOnce(t *testing.T, cli *client.Client, image, label string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	k, v, _ := strings.Cut(label, "=")
	res, err := cli.ContainerCreate(ctx, client.ContainerCreateOptions{Config: &container.Config{Image: image, Cmd: args, Labels: map[string]string{k: v}}})
	if err != nil {
		t.Fatalf("create %s: %v", image, err)
	}
	w := cli.ContainerWait(ctx, res.ID, client.ContainerWaitOptions{Condition: container.WaitConditionNextExit})
	if _, err := cli.ContainerStart(ctx, res.ID, client.ContainerStartOptions{}); err != nil {
		t.Fatalf("start %s: %v", image, err)
	}
	select {
	case <-w.Result:
	case err := <-w.Error:
		t.Fatalf("wait %s: %v", image, err)
	}
	rc, err := cli.ContainerLogs(ctx, res.ID, client.ContainerLogsOptions{ShowStdout: true, ShowStderr: true})
	if err != nil {
		t.Fatalf("logs %s: %v", image, err)
	}
	defer rc.Close()
	var out bytes.Buffer
	if _, err := stdcopy.StdCopy(&out, &out, rc); err != nil {
		t.Fatalf("read logs of %s: %v", image, err)
	}
	if _, err := cli.ContainerRemove(ctx, res.ID, client.ContainerRemoveOptions{RemoveVolumes: true}); err != nil {
		t.Errorf("remove: %v", err)
	}
	return out.String()
}
