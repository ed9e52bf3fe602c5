package cli

import (
	"errors"

	"github.com/mongostep/mongostep/internal/migrate"
)

// Exit codes, documented in the README. This is the one place that maps
// errors to them.
const (
	ExitOK           = 0   // done, or nothing to do
	ExitFailed       = 1   // an unexpected failure, or the operator said no
	ExitUsage        = 2   // bad flags or arguments
	ExitPreflight    = 3   // refused before anything changed
	ExitVerification = 4   // the migrated data differs from the source; nothing published
	ExitStep         = 5   // a mongod step failed; fix the cause and run the same command again
	ExitLocked       = 6   // another mongostep run holds this migration's lock
	ExitRestore      = 7   // a backup archive does not match its manifest
	ExitInterrupted  = 130 // Ctrl-C; run the same command again to resume
)

// usageError marks bad command-line input.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func exitCode(err error) int {
	if err == nil {
		return ExitOK
	}
	var ue *usageError
	if errors.As(err, &ue) {
		return ExitUsage
	}
	var me *migrate.Error
	if errors.As(err, &me) {
		switch me.Kind {
		case migrate.KindPreflight:
			return ExitPreflight
		case migrate.KindVerification:
			return ExitVerification
		case migrate.KindStep:
			return ExitStep
		case migrate.KindLocked:
			return ExitLocked
		case migrate.KindRestore:
			return ExitRestore
		case migrate.KindInterrupted:
			return ExitInterrupted
		}
	}
	return ExitFailed
}
