package ui

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/mongostep/mongostep/internal/migrate"
)

func TestTerminalPlainLines(t *testing.T) {
	var b bytes.Buffer
	term := NewTerminal(&b, false)
	events := []migrate.Event{
		{Kind: migrate.EventPhase, Message: "Backing up"},
		{Kind: migrate.EventProgress, Progress: &migrate.Progress{What: "copy", Bytes: 5, TotalBytes: 100}},
		{Kind: migrate.EventProgress, Progress: &migrate.Progress{What: "copy", Bytes: 7, TotalBytes: 100}},
		{Kind: migrate.EventProgress, Progress: &migrate.Progress{What: "copy", Bytes: 55, TotalBytes: 100}},
		{Kind: migrate.EventProgress, Progress: &migrate.Progress{What: "copy", Bytes: 100, TotalBytes: 100}},
		{Kind: migrate.EventWarning, Message: "careful"},
		{Kind: migrate.EventStep, Step: 2, Steps: 4, Message: "MongoDB 4.0"},
		{Kind: migrate.EventReport, Report: &migrate.Report{Result: "migrated", Target: "/t", To: "4.4", Next: []string{"start it"},
			Verified: &migrate.Verification{OK: true, Databases: 2, Collections: 3, Documents: 9, Files: &migrate.FilesCheck{Skipped: "unclean source"}}}},
	}
	for _, ev := range events {
		term.Handle(ev)
	}
	term.Close()
	out := b.String()
	for _, want := range []string{"==> Backing up\n", "copy: 5%", "copy: 55%", "copy: 100%", "WARNING: careful\n", "==> [2/4] MongoDB 4.0\n",
		"Done: /t now holds the data at MongoDB 4.4", "Verified: 2 databases, 3 collections, 9 documents", "skipped: unclean source", "  - start it\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "copy: 7%") {
		t.Errorf("a progress line every event is too many for a log:\n%s", out)
	}
}

func TestJSONOneEventPerLine(t *testing.T) {
	var b bytes.Buffer
	j := NewJSON(&b)
	ch := make(chan migrate.Event, 3)
	ch <- migrate.Event{Kind: migrate.EventInfo, Message: "one"}
	ch <- migrate.Event{Kind: migrate.EventStep, Step: 1, Steps: 2, Version: "4.0"}
	close(ch)
	<-Pump(ch, j)
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	if len(lines) != 2 {
		t.Fatalf("want 2 lines, got %q", b.String())
	}
	var ev map[string]any
	if err := json.Unmarshal([]byte(lines[1]), &ev); err != nil || ev["event"] != "step" || ev["version"] != "4.0" {
		t.Fatalf("line 2 = %s (%v)", lines[1], err)
	}
}
