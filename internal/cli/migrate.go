package cli

import (
	"github.com/spf13/cobra"

	"github.com/mongostep/mongostep/internal/migrate"
)

func newMigrate(e *env) *cobra.Command {
	f := &migrateFlags{}
	cmd := &cobra.Command{
		Use:   "migrate",
		Short: "Back up, copy and upgrade a MongoDB data directory step by step, verify it, and move it into place",
		Long: `migrate runs inspect, plan, backup, copy, one mongod per release line with
setFeatureCompatibilityVersion, verification and the final move. It asks for
confirmation on a terminal unless --yes. Interrupted (Ctrl-C, kill, power cut)?
Run the same command again: it resumes from the last completed step.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			out := newOutput(e, f.json)
			o, err := f.options(cmd.Context(), e, out.info)
			if err != nil {
				return out.finish(err)
			}
			defer o.Runtime.Close()
			o.Events = out.emitter()
			o.Confirm = out.confirm(f.yes)
			_, err = migrate.Run(cmd.Context(), o)
			return out.finish(err)
		},
	}
	f.bind(cmd, true)
	return cmd
}
