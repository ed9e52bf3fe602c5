package docker

import (
	"fmt"
	"strings"
	"time"

	"github.com/moby/moby/api/types/jsonstream"
)

// missingImage is an image that is not on the engine and could not be pulled.
type missingImage struct {
	stepImage
	Err error
}

// MissingImageError: some steps' images are absent and could not be pulled
// (servers are often offline). Nothing was changed.
type MissingImageError struct {
	Images []missingImage
	CLI    string // "docker" or "podman"
}

// Refs are the missing images.
func (e *MissingImageError) Refs() []string {
	var out []string
	for _, m := range e.Images {
		out = append(out, m.Ref)
	}
	return out
}

func (e *MissingImageError) Error() string {
	var b strings.Builder
	if len(e.Images) == 1 {
		b.WriteString("a container image mongostep needs is not on this machine and could not be pulled:")
	} else {
		b.WriteString("container images mongostep needs are not on this machine and could not be pulled:")
	}
	for _, m := range e.Images {
		fmt.Fprintf(&b, "\n  %s (MongoDB %s): %v", m.Ref, m.versions(), m.Err)
	}
	cli, refs := e.CLI, strings.Join(e.Refs(), " ")
	if cli == "" {
		cli = "docker"
	}
	b.WriteString("\nNothing was changed. Provide the image(s), then run the same command again:")
	b.WriteString("\n  - on a machine with internet access:")
	for _, m := range e.Images {
		fmt.Fprintf(&b, " %s pull %s;", cli, m.Ref)
	}
	fmt.Fprintf(&b, " %s save -o mongo-images.tar %s", cli, refs)
	fmt.Fprintf(&b, "\n    then copy mongo-images.tar to this machine and run: %s load -i mongo-images.tar", cli)
	b.WriteString("\n  - or, from a local registry mirror: ")
	for i, m := range e.Images {
		if i > 0 {
			b.WriteString(" ")
		}
		fmt.Fprintf(&b, "--image %s=MIRROR/%s", m.Versions[0], mirrorPath(m.Ref))
	}
	return b.String()
}

// mirrorPath is the image's repository:tag without a registry host, for the
// --image example ("mongo:4.0.27" stays "mongo:4.0.27").
func mirrorPath(ref string) string {
	first, rest, ok := strings.Cut(ref, "/")
	if ok && (strings.ContainsAny(first, ".:") || first == "localhost") {
		return rest
	}
	return ref
}

// pullReporter turns the engine's pull messages into a few lines: the
// overall status, each layer when it is complete, and download or extract
// progress at most every 2 seconds.
type pullReporter struct {
	ref  string
	say  func(string)
	last time.Time
}

func newPullReporter(ref string, say func(string)) *pullReporter {
	return &pullReporter{ref: ref, say: say}
}

func (p *pullReporter) report(m jsonstream.Message) {
	switch {
	case p.say == nil || m.Status == "":
	case m.Progress != nil && m.Progress.Total > 0:
		if time.Since(p.last) < 2*time.Second {
			return
		}
		p.last = time.Now()
		p.say(fmt.Sprintf("pull %s: layer %s %s %s of %s", p.ref, m.ID, strings.ToLower(m.Status), mb(m.Progress.Current), mb(m.Progress.Total)))
	case m.ID == "" || strings.HasPrefix(m.Status, "Pulling from"):
		p.say(fmt.Sprintf("pull %s: %s", p.ref, m.Status))
	case m.Status == "Pull complete" || m.Status == "Already exists":
		p.say(fmt.Sprintf("pull %s: layer %s %s", p.ref, m.ID, strings.ToLower(m.Status)))
	}
}

func (p *pullReporter) done() {
	if p.say != nil {
		p.say(fmt.Sprintf("pull %s: done", p.ref))
	}
}

func mb(n int64) string { return fmt.Sprintf("%.1f MB", float64(n)/1e6) }
