package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// interruptContext is cancelled by the first Ctrl-C (or SIGTERM): the engine
// then stops the running mongod cleanly and records where it stopped. A
// second Ctrl-C exits at once.
func interruptContext(stderr io.Writer) (context.Context, func()) {
	ctx, cancel := context.WithCancel(context.Background())
	ch := make(chan os.Signal, 2)
	signal.Notify(ch, os.Interrupt, syscall.SIGTERM)
	go func() {
		n := 0
		for range ch {
			n++
			if n == 1 {
				fmt.Fprintln(stderr, "\nmongostep: stopping cleanly (the running mongod is shut down and the journal saved). Press Ctrl-C again to abort at once.")
				cancel()
				continue
			}
			fmt.Fprintln(stderr, "mongostep: aborted. A mongod may still be running on the copy; run the same command again: it stops it cleanly and resumes.")
			os.Exit(ExitInterrupted)
		}
	}()
	return ctx, func() { signal.Stop(ch); cancel() }
}
