package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"

	"github.com/mongostep/mongostep/internal/migrate"
	"github.com/mongostep/mongostep/internal/plan"
	"github.com/mongostep/mongostep/internal/runtime"
)

func newPlan(e *env) *cobra.Command {
	f := &migrateFlags{}
	cmd := &cobra.Command{
		Use:   "plan",
		Short: "Show what migrate would find and do, with the equivalent manual commands; changes nothing",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			o, err := f.options(cmd.Context(), e, func(msg string) { fmt.Fprintln(e.stderr, msg) })
			if err != nil {
				return err
			}
			defer o.Runtime.Close()
			p, err := migrate.Prepare(cmd.Context(), o)
			if err != nil {
				return err
			}
			paths, err := migrate.ResolvePaths(o, time.Now())
			if err != nil {
				return err
			}
			avail := ready(cmd.Context(), o.Runtime, p.Plan.Steps)
			if f.json {
				return writePlanJSON(e.stdout, p, paths, o.Runtime, avail)
			}
			writePlanText(e.stdout, p, paths, o.Runtime, avail)
			return nil
		},
	}
	f.bind(cmd, false)
	return cmd
}

func writePlanText(w io.Writer, p *migrate.Prepared, paths migrate.Paths, rt runtime.Runtime, avail error) {
	for _, line := range migrate.Facts(p) {
		fmt.Fprintln(w, line)
	}
	for _, warn := range p.Warnings {
		fmt.Fprintf(w, "WARNING: %s\n", warn)
	}
	fmt.Fprintln(w)
	if p.Plan.AlreadyAtTarget {
		fmt.Fprintf(w, "Nothing to do: the data was last run by MongoDB %s, the target.\n", p.Source.LastRun)
		return
	}
	fmt.Fprint(w, migrate.Summary(p, paths, rt))
	if avail != nil {
		fmt.Fprintf(w, "\nNOT READY: %v\n", avail)
	}
	fmt.Fprintf(w, "\nThe same by hand (Docker; run each block in turn, after the backup and copy):\n")
	db, configdb := paths.Work, ""
	if p.Info.Layout == "clearml" {
		db, configdb = paths.Work+"/db", paths.Work+"/configdb"
	}
	for i, s := range p.Plan.Steps {
		fmt.Fprintf(w, "  # step %d: %s\n", i+1, s.Why)
		for _, c := range migrate.ManualCommands(s, db, configdb) {
			fmt.Fprintf(w, "  %s\n", c)
		}
	}
}

func writePlanJSON(w io.Writer, p *migrate.Prepared, paths migrate.Paths, rt runtime.Runtime, avail error) error {
	out := struct {
		Facts    []string      `json:"facts"`
		Warnings []string      `json:"warnings,omitempty"`
		Info     any           `json:"source_info"`
		Plan     *plan.Plan    `json:"plan"`
		Paths    migrate.Paths `json:"paths"`
		Runtime  string        `json:"runtime"`
		Ready    bool          `json:"ready"`
		Problem  string        `json:"problem,omitempty"`
	}{Facts: migrate.Facts(p), Warnings: p.Warnings, Info: p.Info, Plan: p.Plan, Paths: paths, Runtime: rt.Describe(), Ready: avail == nil}
	if avail != nil {
		out.Problem = avail.Error()
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

// ready checks that every step's mongod is at hand without changing
// anything (the docker runtime would otherwise pull missing images).
func ready(ctx context.Context, rt runtime.Runtime, steps []plan.Step) error {
	if r, ok := rt.(interface {
		Ready(context.Context, []plan.Step, func(string)) error
	}); ok {
		return r.Ready(ctx, steps, nil)
	}
	return rt.Check(ctx, steps, nil)
}
