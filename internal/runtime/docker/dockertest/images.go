package dockertest

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	cerrdefs "github.com/containerd/errdefs"
	"github.com/moby/moby/client"

	"github.com/mongostep/mongostep/internal/plan"
)

// Labels on the images this package builds.
const (
	LabelTest   = "mongostep.test"       // "sim" (cached, kept) or "variant" (removed after the test)
	LabelDigest = "mongostep.sim.digest" // digest of the binaries and layout inside
)

// AllTags are every image tag mongostep may ask for: each release line's
// default image (plan.Releases) and each ClearML release's image.
func AllTags() []string {
	var out []string
	seen := map[string]bool{}
	add := func(t string) {
		if t != "" && !seen[t] {
			seen[t] = true
			out = append(out, t)
		}
	}
	for _, r := range plan.Releases {
		add(r.Image)
	}
	for _, c := range plan.ClearMLReleases {
		add(c.Image)
	}
	return out
}

// MigrationTags are the tags a migration from one release line to another
// may use: the default image of every line from..to and the ClearML images
// of those lines. MigrationTags("3.6", "8.0") covers 3.6 -> 8.0.
func MigrationTags(from, to string) []string {
	f, t := plan.MustVersion(from), plan.MustVersion(to)
	in := func(v plan.Version) bool { return !v.Less(f) && !t.Less(v) }
	var out []string
	seen := map[string]bool{}
	for _, r := range plan.Releases {
		if in(r.Version) && !seen[r.Image] {
			seen[r.Image] = true
			out = append(out, r.Image)
		}
	}
	for _, c := range plan.ClearMLReleases {
		if in(c.Version) && !seen[c.Image] {
			seen[c.Image] = true
			out = append(out, c.Image)
		}
	}
	return out
}

// versionOf is the full version a tag simulates: "mongo:4.0.27" -> 4.0.27,
// "mongo:9.0" -> 9.0.0. A bare version ("4.0.27") names the tag mongo:4.0.27.
func versionOf(tag string) (ref, version string, err error) {
	ref = tag
	if !strings.Contains(tag, ":") {
		ref = "mongo:" + tag
	}
	v := ref[strings.LastIndex(ref, ":")+1:]
	switch strings.Count(v, ".") {
	case 1:
		v += ".0"
	case 2:
	default:
		return "", "", fmt.Errorf("dockertest: tag %q: want IMAGE:X.Y[.Z]", tag)
	}
	if _, err := plan.ParseVersion(v); err != nil {
		return "", "", fmt.Errorf("dockertest: tag %q: %w", tag, err)
	}
	return ref, v, nil
}

// Ensure makes sure a simulator image exists for each tag (all of AllTags
// when none is given) and returns the tags. The simulator is compiled once
// per process; an image already carrying the same binaries (its digest
// label) is kept as it is.
func Ensure(ctx context.Context, tags ...string) ([]string, error) {
	cli, arch, err := engine(ctx)
	if err != nil {
		return nil, err
	}
	if len(tags) == 0 {
		tags = AllTags()
	}
	l, err := buildLayer(ctx, goArch(arch))
	if err != nil {
		return nil, err
	}
	unlock, err := lockImages()
	if err != nil {
		return nil, err
	}
	defer unlock()
	defer pruneDangling(ctx, cli)
	var out []string
	for _, tag := range tags {
		ref, version, err := versionOf(tag)
		if err != nil {
			return nil, err
		}
		if err := ensureOne(ctx, cli, l, ref, version); err != nil {
			return nil, err
		}
		out = append(out, ref)
	}
	return out, nil
}

func ensureOne(ctx context.Context, cli *client.Client, l *layer, ref, version string) error {
	old, err := cli.ImageInspect(ctx, ref)
	if err == nil && old.Config != nil && old.Config.Labels[LabelDigest] == l.digest {
		return nil
	}
	if err != nil && !cerrdefs.IsNotFound(err) {
		return fmt.Errorf("dockertest: inspect %s: %w", ref, err)
	}
	if err == nil && (old.Config == nil || old.Config.Labels[LabelTest] == "") {
		return fmt.Errorf("dockertest: %s exists and is not a simulator image (no %s label); refusing to replace it", ref, LabelTest)
	}
	return importImage(ctx, cli, l, ref, changes(version, l.digest, nil, false))
}

// pruneDangling removes simulator images no tag names any more (replaced by
// a newer simulator). One a container still uses stays.
func pruneDangling(ctx context.Context, cli *client.Client) {
	res, err := cli.ImageList(ctx, client.ImageListOptions{Filters: make(client.Filters).Add("dangling", "true").Add("label", LabelTest+"=sim")})
	if err != nil {
		return
	}
	for _, im := range res.Items {
		_, _ = cli.ImageRemove(ctx, im.ID, client.ImageRemoveOptions{})
	}
}

func importImage(ctx context.Context, cli *client.Client, l *layer, ref string, chg []string) error {
	rc, err := cli.ImageImport(ctx, client.ImageImportSource{Source: bytes.NewReader(l.tar), SourceName: "-"}, ref,
		client.ImageImportOptions{Changes: chg, Message: "mongostep test image: mongod simulator"})
	if err != nil {
		return fmt.Errorf("dockertest: import %s: %w", ref, err)
	}
	defer rc.Close()
	return streamError(rc, "import "+ref)
}

// streamError reads an engine JSON message stream and returns its error, if any.
func streamError(r io.Reader, what string) error {
	dec := json.NewDecoder(r)
	for {
		var m struct {
			Error       string `json:"error"`
			ErrorDetail *struct {
				Message string `json:"message"`
			} `json:"errorDetail"`
		}
		if err := dec.Decode(&m); err != nil {
			if errors.Is(err, io.EOF) {
				return nil
			}
			return fmt.Errorf("dockertest: %s: %w", what, err)
		}
		if m.ErrorDetail != nil {
			return fmt.Errorf("dockertest: %s: %s", what, m.ErrorDetail.Message)
		}
		if m.Error != "" {
			return fmt.Errorf("dockertest: %s: %s", what, m.Error)
		}
	}
}

// BuildImages is Ensure for tests: it fails the test when an image cannot be
// built. With no tags it builds AllTags.
func BuildImages(t testing.TB, tags ...string) []string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	out, err := Ensure(ctx, tags...)
	if err != nil {
		t.Fatalf("%v", err)
	}
	return out
}

// BuildMigration builds the images of a migration between two release lines
// (see MigrationTags) and returns their tags.
func BuildMigration(t testing.TB, from, to string) []string {
	t.Helper()
	return BuildImages(t, MigrationTags(from, to)...)
}

// Variant builds an image like base (a simulator tag) with extra environment,
// typically a failure switch (MONGODSIM_FAIL=crash-start), tags it
// mongostep-variant:<random> and removes it when the test ends. Pass the tag
// with --image MAJOR=TAG.
func Variant(t testing.TB, base string, env ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	ref, version, err := versionOf(base)
	if err != nil {
		t.Fatal(err)
	}
	BuildImages(t, ref)
	cli, arch, err := engine(ctx)
	if err != nil {
		t.Fatal(err)
	}
	l, err := buildLayer(ctx, goArch(arch))
	if err != nil {
		t.Fatal(err)
	}
	tag := "mongostep-variant:" + randomHex(6)
	if err := importImage(ctx, cli, l, tag, changes(version, l.digest, env, true)); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if _, err := cli.ImageRemove(ctx, tag, client.ImageRemoveOptions{Force: true}); err != nil && !cerrdefs.IsNotFound(err) {
			t.Errorf("remove test image %s: %v", tag, err)
		}
	})
	return tag
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
