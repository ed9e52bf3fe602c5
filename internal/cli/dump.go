package cli

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/mongostep/mongostep/internal/dbpath"
	"github.com/mongostep/mongostep/internal/mdbfiles"
	"github.com/mongostep/mongostep/internal/migrate"
	"github.com/mongostep/mongostep/internal/units"
)

func newDump(e *env) *cobra.Command {
	var out, db, coll string
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "dump DIR --out OUT",
		Short: "Write every collection of a data directory in mongodump's layout, read from the files without any server",
		Long: `dump reads the WiredTiger files of DIR (a dbpath, or a folder holding db/) as of their last
checkpoint, without starting any mongod, and writes OUT/<db>/<collection>.bson (the stored
documents byte for byte, in RecordId order) and <collection>.metadata.json (options and
indexes), which mongorestore loads into any MongoDB version. Every namespace is written,
local, config and admin included, unless --db/--collection narrow it. Nothing under DIR is
written. When mongod.lock is not empty, writes after the last checkpoint are only in the
journal, which is not read: dump says so.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if out == "" {
				return &usageError{"dump needs --out DIR: where to write the mongodump-style files"}
			}
			info, err := dbpath.Inspect(args[0])
			if err != nil {
				return &migrate.Error{Kind: migrate.KindPreflight, What: err.Error(), Err: err}
			}
			res, err := mdbfiles.Dump(info.DBPath, out, mdbfiles.Filter{DB: db, Collection: coll})
			if res != nil {
				if asJSON {
					_ = json.NewEncoder(e.stdout).Encode(dumpJSON(res))
				} else {
					writeDump(e, res)
				}
			}
			if errors.Is(err, mdbfiles.ErrNoMatch) {
				return &migrate.Error{Kind: migrate.KindPreflight, What: fmt.Sprintf("no collection in %s matches --db %q --collection %q", info.DBPath, db, coll), Fix: "Run mongostep inspect on it to list the collections."}
			}
			return err
		},
	}
	cmd.Flags().StringVar(&out, "out", "", "the folder to write (created if missing)")
	cmd.Flags().StringVar(&db, "db", "", "only this database")
	cmd.Flags().StringVar(&coll, "collection", "", "only this collection (name within the database)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the result as JSON")
	return cmd
}

func writeDump(e *env, res *mdbfiles.DumpResult) {
	var docs, bytes int64
	for _, c := range res.Collections {
		if c.Err != nil {
			fmt.Fprintf(e.stderr, "FAILED %s: %v\n", c.NS, c.Err)
			continue
		}
		fmt.Fprintf(e.stdout, "%-50s %10d documents  %s\n", c.NS, c.Documents, c.BSONFile)
		docs += c.Documents
		bytes += c.Bytes
	}
	for _, w := range res.Warnings {
		fmt.Fprintf(e.stderr, "WARNING: %s\n", w)
	}
	fmt.Fprintf(e.stdout, "Wrote %d collections, %d documents (%s) to %s; load them with: mongorestore --dir %s\n", len(res.Collections), docs, units.Bytes(bytes), res.Out, res.Out)
}

func dumpJSON(res *mdbfiles.DumpResult) any {
	type coll struct {
		NS        string `json:"ns"`
		BSONFile  string `json:"bson_file"`
		Documents int64  `json:"documents"`
		Bytes     int64  `json:"bytes"`
		Hash      string `json:"hash"`
		Error     string `json:"error,omitempty"`
	}
	out := struct {
		Out         string   `json:"out"`
		Unclean     bool     `json:"unclean"`
		Warnings    []string `json:"warnings,omitempty"`
		Collections []coll   `json:"collections"`
	}{Out: res.Out, Unclean: res.Unclean, Warnings: res.Warnings}
	for _, c := range res.Collections {
		x := coll{NS: c.NS, BSONFile: c.BSONFile, Documents: c.Documents, Bytes: c.Bytes, Hash: c.Hash}
		if c.Err != nil {
			x.Error = c.Err.Error()
		}
		out.Collections = append(out.Collections, x)
	}
	return out
}
