package cli

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/mongostep/mongostep/internal/backup"
	"github.com/mongostep/mongostep/internal/migrate"
	"github.com/mongostep/mongostep/internal/plan"
	"github.com/mongostep/mongostep/internal/runtime"
	"github.com/mongostep/mongostep/internal/runtime/docker"
	"github.com/mongostep/mongostep/internal/runtime/local"
)

// migrateFlags are the flags migrate and plan share.
type migrateFlags struct {
	source, target, to, from string
	runtime                  string
	mongodDirs, images       []string
	backup, backupFormat     string
	noBackup, yes, json      bool
	stepTimeout              time.Duration
}

func (f *migrateFlags) bind(cmd *cobra.Command, withRun bool) {
	fl := cmd.Flags()
	fl.StringVar(&f.source, "source", "", "the data to upgrade: a dbpath, or a folder holding db/ and configdb/ (default: ClearML's /opt/clearml/data/mongo, or data/mongo_4 when only that exists)")
	fl.StringVar(&f.target, "target", "", "where the upgraded data ends up (default: mongo_4 beside ClearML's data/mongo; otherwise the source itself, upgraded in place with the old data kept beside it)")
	fl.StringVar(&f.to, "to", plan.DefaultTarget, "the version to reach: 4.0, 4.2, 4.4, 5.0, 6.0, 7.0, 8.0, 8.2, 8.3, 9.0, or a ClearML release: clearml-1.2 (4.4), clearml-1.17 (5.0), clearml-2.0 (6.0), clearml-2.3 (7.0), clearml-2.4 (8.0)")
	fl.StringVar(&f.from, "from", "", "the MongoDB version that last ran on the data, when its diagnostic.data folder cannot tell (e.g. 3.6)")
	fl.StringVar(&f.runtime, "runtime", "docker", "how each mongod runs: docker (the official images) or local (mongod binaries on this host)")
	fl.StringArrayVar(&f.mongodDirs, "mongod-dir", nil, "a folder to search (three levels deep) for mongod binaries, for --runtime local (repeatable; PATH is searched too)")
	fl.StringArrayVar(&f.images, "image", nil, "the image for one version, MAJOR=IMAGE, e.g. 4.0=registry.local/mongo:4.0.28 (repeatable)")
	fl.StringVar(&f.backup, "backup", "", "the backup archive to write (default: beside the source, named SOURCE-backup-DATE.tar.gz)")
	fl.BoolVar(&f.noBackup, "no-backup", false, "skip the backup archive (the source is still never written)")
	fl.StringVar(&f.backupFormat, "backup-format", string(backup.DefaultFormat), "tar.gz (restores anywhere with tar -xzf), tar.zst (faster) or tar")
	fl.BoolVar(&f.json, "json", false, "write one JSON event per line instead of text")
	if withRun {
		fl.DurationVar(&f.stepTimeout, "step-timeout", 30*time.Minute, "how long one mongod may take to start (recovery of a large journal is slow) and, separately, to shut down")
		fl.BoolVarP(&f.yes, "yes", "y", false, "do not ask for confirmation")
	}
}

// options turns the flags into the engine's options; progress receives
// the runtime's messages (image pulls).
func (f *migrateFlags) options(ctx context.Context, e *env, progress func(string)) (migrate.Options, error) {
	var o migrate.Options
	var err error
	if o.To, err = plan.ParseTarget(f.to); err != nil {
		return o, &usageError{err.Error()}
	}
	if f.from != "" {
		if o.From, err = plan.ParseVersion(f.from); err != nil {
			return o, &usageError{"--from: " + err.Error()}
		}
	}
	if o.Images, err = plan.ParseImageOverrides(f.images); err != nil {
		return o, &usageError{err.Error()}
	}
	if o.BackupFormat, err = backup.ParseFormat(f.backupFormat); err != nil {
		return o, &usageError{"--backup-format: " + err.Error()}
	}
	if f.noBackup && f.backup != "" {
		return o, &usageError{"--backup and --no-backup contradict each other: choose one"}
	}
	o.Source = f.source
	if o.Source == "" {
		o.Source = defaultSource()
	}
	o.Target = f.target
	if o.Target == "" {
		o.Target = defaultTarget(o.Source)
	}
	o.Backup, o.NoBackup = f.backup, f.noBackup
	o.StepTimeout = f.stepTimeout
	o.Command = "mongostep " + strings.Join(e.args, " ")
	paths := []string{o.Source, o.Target}
	if o.Backup != "" {
		paths = append(paths, o.Backup)
	}
	if o.Runtime, err = newRuntime(ctx, f.runtime, f.mongodDirs, paths, progress); err != nil {
		return o, err
	}
	return o, nil
}

// newRuntime makes the runtime; paths are the folders the run names, which
// must be visible to the engine at the same place (mongostep in a container).
func newRuntime(ctx context.Context, name string, dirs, paths []string, progress func(string)) (runtime.Runtime, error) {
	switch name {
	case "local":
		return local.New(ctx, dirs), nil
	case "docker":
		if len(dirs) > 0 {
			return nil, &usageError{"--mongod-dir is for --runtime local; with Docker each step runs the official image (--image MAJOR=IMAGE to choose another)"}
		}
		rt, err := docker.New(ctx, docker.Options{Progress: progress, Paths: paths})
		if err != nil {
			return nil, &migrate.Error{Kind: migrate.KindPreflight, What: err.Error(), Fix: "Nothing was changed.", Err: err}
		}
		return rt, nil
	}
	return nil, &usageError{fmt.Sprintf("--runtime %q: use docker or local", name)}
}
