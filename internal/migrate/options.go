package migrate

import (
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/mongostep/mongostep/internal/backup"
	"github.com/mongostep/mongostep/internal/plan"
	"github.com/mongostep/mongostep/internal/runtime"
)

// Options are what the user asked for, after the CLI resolved defaults.
type Options struct {
	Source string
	// Target is where the migrated data ends up. Equal to Source for an
	// in-place upgrade: the work happens in a sibling folder and the two are
	// swapped at the end, the old data kept as a dated sibling.
	Target string
	To     plan.Target
	// From overrides the detected version that last ran on the data.
	From   plan.Version
	Images map[plan.Version]string
	// Backup is the archive path; "" picks one beside the source.
	Backup       string
	NoBackup     bool
	BackupFormat backup.Format
	Runtime      runtime.Runtime
	// Confirm asks the operator to go on, showing the plan; nil means yes.
	Confirm func(summary string) (bool, error)
	Events  Emitter
	// Command is the command line, recorded in the lock file.
	Command string
	// StepTimeout bounds one mongod's start (recovery can be long) and stop.
	StepTimeout time.Duration
}

// ResolvePaths works out every path of a migration from the options.
// Paths are every folder and file a migration reads or writes.
type Paths struct {
	Source   string // the data root given
	Final    string // where the result ends up
	InPlace  bool
	RunDir   string // FINAL.mongostep-VERSION: journal, lock, logs, report
	Work     string // RunDir/data: the copy the mongods run on
	Backup   string // archive ("" with --no-backup)
	Manifest string // the manifest of every source file
	KeepOld  string // in place: where the old data is kept
	Logs     string
}

func ResolvePaths(o Options, stamp time.Time) (Paths, error) {
	src, err := filepath.Abs(o.Source)
	if err != nil {
		return Paths{}, fmt.Errorf("source %s: %w", o.Source, err)
	}
	final, err := filepath.Abs(o.Target)
	if err != nil {
		return Paths{}, fmt.Errorf("target %s: %w", o.Target, err)
	}
	p := Paths{Source: src, Final: final, InPlace: src == final}
	// One run folder per target version, so a later upgrade of the same
	// folder (ClearML 1.2, then 2.0) keeps the earlier run's record apart.
	p.RunDir = final + ".mongostep-" + o.To.Version.String()
	p.Work = filepath.Join(p.RunDir, "data")
	p.Logs = filepath.Join(p.RunDir, "logs")
	p.Manifest = filepath.Join(p.RunDir, "source.manifest.json")
	ts := stamp.UTC().Format("20060102-150405")
	if p.InPlace {
		p.KeepOld = fmt.Sprintf("%s.before-%s-%s", src, o.To.Version, ts)
	}
	if !o.NoBackup {
		p.Backup = o.Backup
		if p.Backup == "" {
			format := o.BackupFormat
			if format == "" {
				format = backup.DefaultFormat
			}
			p.Backup = fmt.Sprintf("%s-backup-%s.%s", src, ts, format)
		} else if p.Backup, err = filepath.Abs(p.Backup); err != nil {
			return Paths{}, fmt.Errorf("backup %s: %w", o.Backup, err)
		}
		p.Manifest = backup.ManifestPath(p.Backup)
	}
	if !p.InPlace && (inside(final, src) || inside(src, final)) {
		return Paths{}, preflight("Choose a --target outside the source folder.", "the target %s and the source %s contain one another", final, src)
	}
	if p.Backup != "" && inside(p.Backup, src) {
		return Paths{}, preflight("Choose a --backup path outside the source folder: mongostep never writes into the source.", "the backup %s would be written inside the source %s", p.Backup, src)
	}
	return p, nil
}

func inside(path, dir string) bool {
	rel, err := filepath.Rel(dir, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}
