package cli

import (
	"encoding/json"
	"fmt"
	"github.com/mongostep/mongostep/internal/units"
	"io"

	"github.com/spf13/cobra"

	"github.com/mongostep/mongostep/internal/dbpath"
	"github.com/mongostep/mongostep/internal/migrate"
)

func newInspect(e *env) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "inspect DIR",
		Short: "Show offline facts about a MongoDB data directory and its collections (no server needed, nothing written)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			info, err := dbpath.Inspect(args[0])
			if err != nil {
				return &migrate.Error{Kind: migrate.KindPreflight, What: err.Error(), Err: err}
			}
			rows, warnings, cerr := collectionsFromFiles(info.DBPath)
			if asJSON {
				out := struct {
					*dbpath.Info
					Collections      []collectionRow `json:"collections"`
					CollectionsError string          `json:"collections_error,omitempty"`
					ReaderWarnings   []string        `json:"reader_warnings,omitempty"`
				}{Info: info, Collections: rows, ReaderWarnings: warnings}
				if cerr != nil {
					out.CollectionsError = cerr.Error()
				}
				enc := json.NewEncoder(e.stdout)
				enc.SetIndent("", "  ")
				return enc.Encode(out)
			}
			writeInfo(e.stdout, info)
			writeCollections(e.stdout, rows, warnings, cerr)
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print as JSON")
	return cmd
}

func writeInfo(w io.Writer, i *dbpath.Info) {
	row := func(k, v string) { fmt.Fprintf(w, "%-22s %s\n", k+":", v) }
	row("Directory", i.Root)
	if i.Layout == dbpath.LayoutClearML {
		row("Layout", "ClearML data root (db/ and configdb/)")
		row("dbpath", i.DBPath)
		row("configdb", i.ConfigDB)
	} else {
		row("Layout", "bare dbpath")
	}
	row("Storage engine", orUnknown(i.Engine))
	if i.WTVersion != nil {
		row("WiredTiger (last)", i.WTVersion.String)
	}
	if i.WTCreatedBy != "" {
		row("WiredTiger (created)", i.WTCreatedBy)
	}
	if i.LastMongod != "" {
		row("Last mongod", fmt.Sprintf("%s (%s, %s)", i.LastMongod, i.LastMongodAt.Format("2006-01-02 15:04:05 MST"), i.LastMongodFile))
	} else {
		row("Last mongod", "unknown (no FTDC metadata in diagnostic.data)")
	}
	switch {
	case !i.Lock.Present:
		row("Shutdown", "no mongod.lock")
	case i.Clean:
		row("Shutdown", "clean (mongod.lock empty)")
	default:
		row("Shutdown", fmt.Sprintf("NOT clean: mongod.lock holds pid %d; writes after the last checkpoint are in the journal", i.Lock.PID))
	}
	row("Size", fmt.Sprintf("%s in %d files (%s on disk)", units.Bytes(i.Bytes), i.Files, units.Bytes(i.DiskBytes)))
	for _, warn := range i.Warnings {
		fmt.Fprintf(w, "WARNING: %s\n", warn)
	}
}

func orUnknown(s string) string {
	if s == "" {
		return "unknown"
	}
	return s
}
