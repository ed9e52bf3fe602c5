package dockertest

import (
	"context"
	"testing"
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
