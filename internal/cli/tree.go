package cli

import (
	"io"
	"strings"

	"github.com/spf13/cobra"
)

// Command is mongostep's command tree as the command line builds it, with
// cobra's completion command and --version flag added as a run adds them,
// for generating documentation (the man pages of `make man`) outside a run.
// It is not meant to be executed.
func Command() *cobra.Command {
	e := &env{stdin: strings.NewReader(""), stdout: io.Discard, stderr: io.Discard}
	root := newRoot(e)
	root.DisableAutoGenTag = true // no generation date in the output
	root.InitDefaultCompletionCmd()
	root.InitDefaultVersionFlag()
	return root
}
