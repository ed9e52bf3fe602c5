// Package ui renders the engine's events: for a person at a terminal
// (progress bars on a TTY, plain lines otherwise) or as JSON, one event per
// line. Both consume the same channel; the engine never prints.
package ui

import (
	"encoding/json"
	"io"

	"github.com/mongostep/mongostep/internal/migrate"
)

// Writer renders events.
type Writer interface {
	Handle(migrate.Event)
	// Close finishes any open progress display.
	Close()
}

// Pump feeds every event from ch to w until ch is closed; the returned
// channel is closed when all were rendered.
func Pump(ch <-chan migrate.Event, w Writer) <-chan struct{} {
	done := make(chan struct{})
	go func() {
		defer close(done)
		for ev := range ch {
			w.Handle(ev)
		}
		w.Close()
	}()
	return done
}

// JSON writes one JSON object per event and per line.
type JSON struct {
	enc *json.Encoder
}

// NewJSON writes to w.
func NewJSON(w io.Writer) *JSON { return &JSON{enc: json.NewEncoder(w)} }

func (j *JSON) Handle(ev migrate.Event) { _ = j.enc.Encode(ev) }

func (j *JSON) Close() {}
