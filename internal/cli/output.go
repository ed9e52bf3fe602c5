package cli

import (
	"bufio"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/mongostep/mongostep/internal/migrate"
	"github.com/mongostep/mongostep/internal/ui"
)

// output connects the engine's events to the terminal or JSON writer.
type output struct {
	e       *env
	json    bool
	ch      chan migrate.Event
	done    chan struct{}
	flushed chan struct{}
}

// flushEvent asks the pump to confirm that everything before it was shown.
const flushEvent = "flush"

func newOutput(e *env, asJSON bool) *output {
	o := &output{e: e, json: asJSON, ch: make(chan migrate.Event, 256), done: make(chan struct{}), flushed: make(chan struct{})}
	var w ui.Writer
	if asJSON {
		w = ui.NewJSON(e.stdout)
	} else {
		w = ui.NewTerminal(e.stdout, e.stdoutTTY)
	}
	go func() {
		defer close(o.done)
		for ev := range o.ch {
			if ev.Kind == flushEvent {
				w.Close()
				o.flushed <- struct{}{}
				continue
			}
			w.Handle(ev)
		}
		w.Close()
	}()
	return o
}

func (o *output) flush() {
	o.ch <- migrate.Event{Kind: flushEvent}
	<-o.flushed
}

func (o *output) emitter() migrate.Emitter { return func(ev migrate.Event) { o.ch <- ev } }

// info reports a message from outside the engine (the runtime's image pulls).
func (o *output) info(msg string) { o.ch <- migrate.Event{Kind: migrate.EventInfo, Message: msg} }

// finish flushes the events and reports err; the returned error is what
// the command returns.
func (o *output) finish(err error) error {
	close(o.ch)
	<-o.done
	if err == nil {
		return nil
	}
	if o.json {
		ev := map[string]any{"event": "error", "message": err.Error(), "exit_code": exitCode(err)}
		_ = json.NewEncoder(o.e.stdout).Encode(ev)
		return &shownError{err}
	}
	return err
}

// confirm asks on a terminal before anything changes.
func (o *output) confirm(yes bool) func(string) (bool, error) {
	if yes || !o.e.stdinTTY || o.json {
		return nil
	}
	return func(summary string) (bool, error) {
		o.flush() // the question comes after everything already reported
		fmt.Fprintf(o.e.stdout, "\n%s\nProceed? [y/N] ", summary)
		line, err := bufio.NewReader(o.e.stdin).ReadString('\n')
		if err != nil && line == "" {
			return false, nil
		}
		ans := strings.ToLower(strings.TrimSpace(line))
		return ans == "y" || ans == "yes", nil
	}
}
