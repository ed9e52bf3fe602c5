// Package cli is mongostep's command line: flags to options, options to the
// engine, errors to exit codes. cmd/mongostep only calls Main.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"
)

// Build information, stamped in with -ldflags at release time.
var (
	Version = "dev"
	Commit  = "unknown"
	Date    = "unknown"
)

// env is what a command needs from the process.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	stdinTTY       bool
	stdoutTTY      bool
	args           []string
}

// Main runs mongostep with args (without the program name) and returns the
// exit code.
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	e := &env{stdin: stdin, stdout: stdout, stderr: stderr, stdinTTY: isTTY(stdin), stdoutTTY: isTTY(stdout), args: args}
	ctx, stop := interruptContext(stderr)
	defer stop()
	root := newRoot(e)
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return ExitOK
	}
	var shown *shownError
	if !errors.As(err, &shown) {
		if code := exitCode(err); code == ExitFailed && isCobraUsage(err) {
			fmt.Fprintf(stderr, "mongostep: %v\nRun 'mongostep --help' for usage.\n", err)
			return ExitUsage
		}
		printError(stderr, err)
	}
	return exitCode(err)
}

// shownError is an error already reported (as a JSON event).
type shownError struct{ error }

func (s *shownError) Unwrap() error { return s.error }

func printError(w io.Writer, err error) {
	msg := strings.TrimSpace(err.Error())
	fmt.Fprintf(w, "mongostep: %s\n", msg)
}

// isCobraUsage recognises cobra's own flag and argument errors.
func isCobraUsage(err error) bool {
	msg := err.Error()
	for _, s := range []string{"unknown flag", "unknown shorthand", "unknown command", "flag needs an argument", "invalid argument", "accepts ", "requires at least", "requires at most", "required flag"} {
		if strings.Contains(msg, s) {
			return true
		}
	}
	return false
}

func newRoot(e *env) *cobra.Command {
	root := &cobra.Command{
		Use:   "mongostep",
		Short: "Upgrade a MongoDB data directory across major versions, safely, in one command",
		Long: `mongostep upgrades a standalone MongoDB data directory from 3.6 (or later) to a newer
release: it backs the data up, copies it, runs each intermediate mongod on the copy
and raises featureCompatibilityVersion one step at a time, verifies that every
collection survived, and moves the result into place. The source is never written.
An interrupted run resumes when the same command is run again.

With no flags, 'mongostep migrate' performs ClearML Server's documented migration
from MongoDB 3.6 (/opt/clearml/data/mongo) to 4.4 (/opt/clearml/data/mongo_4).`,
		SilenceUsage:  true,
		SilenceErrors: true,
		Version:       Version,
	}
	root.SetVersionTemplate(versionLine() + "\n")
	root.AddCommand(newMigrate(e), newPlan(e), newInspect(e), newDump(e), newRestore(e), newVersion(e))
	return root
}

func isTTY(x any) bool {
	f, ok := x.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

var _ = context.Background
