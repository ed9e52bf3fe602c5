package cli

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/mongostep/mongostep/internal/backup"
	"github.com/mongostep/mongostep/internal/dbpath"
	"github.com/mongostep/mongostep/internal/migrate"
	"github.com/mongostep/mongostep/internal/units"
)

func newRestore(e *env) *cobra.Command {
	var to string
	var replace, yes, asJSON bool
	cmd := &cobra.Command{
		Use:   "restore ARCHIVE",
		Short: "Put data back from a mongostep backup archive, after checking the archive against its manifest",
		Long: `restore checks every file of ARCHIVE against the manifest written beside it
(ARCHIVE.manifest.json), then extracts it into the folder it was taken from (or --to DIR).
The destination must be missing or empty; --replace first moves an existing one aside
to DIR.replaced-DATE. Entries that would escape the destination are refused.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			r := restoreRun{e: e, archive: args[0], to: to, replace: replace, yes: yes, json: asJSON}
			return r.run(cmd)
		},
	}
	cmd.Flags().StringVar(&to, "to", "", "where to restore (default: the folder the backup was taken from, as recorded in its manifest)")
	cmd.Flags().BoolVar(&replace, "replace", false, "move an existing, non-empty destination aside to DIR.replaced-DATE first")
	cmd.Flags().BoolVarP(&yes, "yes", "y", false, "do not ask for confirmation")
	cmd.Flags().BoolVar(&asJSON, "json", false, "write one JSON event per line instead of text")
	return cmd
}

type restoreRun struct {
	e                  *env
	archive, to        string
	replace, yes, json bool
}

func (r restoreRun) run(cmd *cobra.Command) error {
	ctx := cmd.Context()
	archive, err := filepath.Abs(r.archive)
	if err != nil {
		return err
	}
	manifestPath := backup.ManifestPath(archive)
	m, err := backup.ReadManifest(manifestPath)
	if err != nil {
		return &migrate.Error{Kind: migrate.KindRestore, What: fmt.Sprintf("cannot read the manifest %s: %v", manifestPath, err),
			Fix: "mongostep restores only archives with their manifest beside them. The archive itself is a plain tar file: tar -xzf ARCHIVE -C DIR restores it without checks.", Err: err}
	}
	dest := r.to
	if dest == "" {
		dest = m.Source
	}
	if dest, err = filepath.Abs(dest); err != nil {
		return err
	}
	if err := r.checkDest(dest); err != nil {
		return err
	}
	if !r.yes && r.e.stdinTTY && !r.json {
		fmt.Fprintf(r.e.stdout, "Restore %s (%d files, %s, taken %s) into %s?\nProceed? [y/N] ", archive, len(m.Files), units.Bytes(m.TotalBytes), m.Created.Local().Format(time.DateTime), dest)
		line, _ := bufio.NewReader(r.e.stdin).ReadString('\n')
		if a := strings.ToLower(strings.TrimSpace(line)); a != "y" && a != "yes" {
			return &migrate.Error{Kind: migrate.KindDeclined, What: "Not confirmed: nothing was changed."}
		}
	}
	out := newOutput(r.e, r.json)
	ev := out.emitter()
	progress := func(p backup.Progress) {
		ev(migrate.Event{Kind: migrate.EventProgress, Progress: &migrate.Progress{What: p.Phase, Bytes: p.Bytes, TotalBytes: p.TotalBytes, Files: p.Files, TotalFiles: p.TotalFiles}})
	}
	ev(migrate.Event{Kind: migrate.EventPhase, Message: "Checking " + archive + " against " + manifestPath})
	if err := backup.VerifyArchive(ctx, archive, m, progress); err != nil {
		return out.finish(&migrate.Error{Kind: migrate.KindRestore, What: fmt.Sprintf("the archive does not match its manifest: %v", err),
			Fix: "Nothing was restored. The archive is damaged or not the one the manifest describes; use another copy of the backup.", Err: err})
	}
	if r.replace && !isEmptyDir(dest) {
		aside := fmt.Sprintf("%s.replaced-%s", dest, time.Now().UTC().Format("20060102-150405"))
		if err := os.Rename(dest, aside); err != nil {
			return out.finish(fmt.Errorf("move %s aside to %s: %w", dest, aside, err))
		}
		ev(migrate.Event{Kind: migrate.EventInfo, Message: "Moved the existing " + dest + " to " + aside})
	}
	ev(migrate.Event{Kind: migrate.EventPhase, Message: "Restoring into " + dest})
	if err := backup.Restore(ctx, archive, manifestPath, dest, progress); err != nil {
		return out.finish(fmt.Errorf("restore into %s: %w", dest, err))
	}
	ev(migrate.Event{Kind: migrate.EventInfo, Message: fmt.Sprintf("Restored %d files (%s) into %s; every file matches the manifest.", len(m.Files), units.Bytes(m.TotalBytes), dest)})
	return out.finish(nil)
}

// checkDest refuses a destination in use, or non-empty without --replace.
func (r restoreRun) checkDest(dest string) error {
	for _, p := range []string{dest, filepath.Join(dest, "db")} {
		if inUse, _ := dbpath.InUse(p); inUse {
			return &migrate.Error{Kind: migrate.KindPreflight, What: fmt.Sprintf("a running mongod holds %s", filepath.Join(p, "mongod.lock")),
				Fix: "Stop the server that uses it (for ClearML: docker-compose -f /opt/clearml/docker-compose.yml down), then run the same command again."}
		}
	}
	empty, err := dbpath.Empty(dest)
	if err != nil {
		return &migrate.Error{Kind: migrate.KindPreflight, What: fmt.Sprintf("cannot read %s: %v", dest, err), Err: err}
	}
	if !empty && !r.replace {
		return &migrate.Error{Kind: migrate.KindPreflight, What: fmt.Sprintf("%s is not empty; mongostep never restores over existing data", dest),
			Fix: fmt.Sprintf("Add --replace to move it aside to %s.replaced-DATE first, or move it yourself (mv %s %s.aside), or restore elsewhere with --to DIR.", dest, dest, dest)}
	}
	return nil
}

func isEmptyDir(p string) bool {
	empty, err := dbpath.Empty(p)
	return err == nil && empty
}

var _ = errors.New
