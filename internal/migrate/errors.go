package migrate

import "fmt"

// Kind sorts failures; the CLI maps each to a documented exit code.
type Kind int

const (
	KindFailed       Kind = iota + 1 // anything unexpected
	KindPreflight                    // refused before anything changed
	KindVerification                 // the migrated data differs from the source
	KindStep                         // a mongod step failed; resumable once fixed
	KindInterrupted                  // Ctrl-C; resumable
	KindRestore                      // a backup archive does not match its manifest
	KindLocked                       // another run holds the lock
	KindDeclined                     // the operator answered no
)

// Error is a failure an operator can act on: what happened, and what to do.
type Error struct {
	Kind Kind
	// What happened, in one or a few sentences.
	What string
	// Fix is what to do next.
	Fix string
	Err error
}

func (e *Error) Error() string {
	s := e.What
	if e.Fix != "" {
		s += "\n" + e.Fix
	}
	return s
}

func (e *Error) Unwrap() error { return e.Err }

func preflight(fix, format string, args ...any) *Error {
	return &Error{Kind: KindPreflight, What: fmt.Sprintf(format, args...), Fix: fix}
}
