package migrate

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/mongostep/mongostep/internal/inventory"
)

// Report is the outcome of a run, printed at the end and kept as
// report.json in the run folder.
type Report struct {
	Result   string        `json:"result"` // migrated, already-at-target, already-done
	Source   string        `json:"source"`
	Target   string        `json:"target"`
	KeptOld  string        `json:"kept_old,omitempty"`
	From     string        `json:"from"`
	To       string        `json:"to"`      // the MongoDB version reached
	ToName   string        `json:"to_name"` // what --to said: "4.4" or "clearml-1.2"
	Backup   string        `json:"backup,omitempty"`
	Manifest string        `json:"manifest,omitempty"`
	RunDir   string        `json:"run_dir,omitempty"`
	Steps    []StepRecord  `json:"steps,omitempty"`
	Verified *Verification `json:"verification,omitempty"`
	Duration float64       `json:"duration_seconds"`
	Next     []string      `json:"next,omitempty"`
}

// Verification compares the data before the first FCV change with the data
// after the last step.
type Verification struct {
	OK          bool     `json:"ok"`
	Differences []string `json:"differences,omitempty"`
	Databases   int      `json:"databases"`
	Collections int      `json:"collections"`
	Documents   int64    `json:"documents"`
	// Files is the second check, from the WiredTiger files themselves.
	Files  *FilesCheck          `json:"files,omitempty"`
	Before *inventory.Inventory `json:"before,omitempty"`
	After  *inventory.Inventory `json:"after,omitempty"`
}

func (r *run) report(result string) *Report {
	rep := &Report{
		Result: result, Source: r.paths.Source, Target: r.paths.Final, From: r.j.LastRun, To: r.j.ToVersion, ToName: r.j.To,
		Backup: r.paths.Backup, Manifest: r.paths.Manifest, RunDir: r.paths.RunDir, Steps: r.j.Steps,
		Duration: time.Since(r.started).Seconds(),
	}
	if r.paths.InPlace {
		rep.KeptOld = r.paths.KeepOld
	}
	rep.Verified = r.verification
	rep.Next = r.nextSteps()
	return rep
}

func (r *run) saveReport(rep *Report) error {
	b, err := json.MarshalIndent(rep, "", "  ")
	if err != nil {
		return err
	}
	return writeFileAtomic(filepath.Join(r.paths.RunDir, "report.json"), append(b, '\n'))
}

func loadReport(runDir string) (*Report, error) {
	b, err := os.ReadFile(filepath.Join(runDir, "report.json"))
	if err != nil {
		return nil, err
	}
	var rep Report
	if err := json.Unmarshal(b, &rep); err != nil {
		return nil, fmt.Errorf("read %s: %w", filepath.Join(runDir, "report.json"), err)
	}
	return &rep, nil
}

// nextSteps tells the operator what to do after a successful migration.
func (r *run) nextSteps() []string {
	var out []string
	if r.j.Layout == "clearml" {
		out = append(out, clearMLNext(r.j.To, r.j.ToVersion, r.paths.Final)...)
	} else {
		out = append(out, fmt.Sprintf("Start your MongoDB %s server on %s (the dbpath inside it: %s).", r.j.ToVersion, r.paths.Final, dbpathIn(r.paths.Final, r.j.Layout)))
	}
	var old []string
	if r.paths.InPlace {
		old = append(old, "the old data kept in "+r.paths.KeepOld)
	} else {
		old = append(old, "the old folder "+r.paths.Source)
	}
	if r.paths.Backup != "" {
		old = append(old, "the backup "+r.paths.Backup+" (and its manifest)")
	}
	out = append(out, fmt.Sprintf("Once the server runs well and your data looks right, you can delete %s, and the run folder %s.", joinAnd(old), r.paths.RunDir))
	return out
}

func clearMLNext(name, version, final string) []string {
	release := clearMLReleaseFor(name, version)
	return []string{
		fmt.Sprintf("Upgrade ClearML Server to %s with its own docker-compose file (Linux/macOS: /opt/clearml/docker-compose.yml; Windows: c:\\opt\\clearml\\docker-compose-win10.yml); it reads the migrated data from %s.", release, final),
		"Start it: docker-compose -f /opt/clearml/docker-compose.yml up -d",
	}
}

func dbpathIn(root, layout string) string {
	if layout == "clearml" {
		return filepath.Join(root, "db")
	}
	return root
}

func joinAnd(items []string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	s := items[0]
	for _, it := range items[1 : len(items)-1] {
		s += ", " + it
	}
	return s + " and " + items[len(items)-1]
}

func clearMLReleaseFor(name, to string) string {
	byVersion := map[string]string{"4.4": "v1.2 (through v1.16)", "5.0": "v1.17", "6.0": "v2.0 (through v2.2)", "7.0": "v2.3", "8.0": "v2.4"}
	for _, c := range clearMLNames() {
		if c.name == name {
			return "v" + c.server
		}
	}
	if r, ok := byVersion[to]; ok {
		return r
	}
	return "the release that runs MongoDB " + to
}
