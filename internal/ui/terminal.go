package ui

import (
	"fmt"
	"github.com/mongostep/mongostep/internal/units"
	"io"
	"time"

	"github.com/schollz/progressbar/v3"

	"github.com/mongostep/mongostep/internal/migrate"
)

// Terminal renders events for a person.
type Terminal struct {
	w        io.Writer
	tty      bool
	bar      *progressbar.ProgressBar
	barWhat  string
	lastLine time.Time
	lastPct  int64
}

// NewTerminal writes to w; tty turns on progress bars.
func NewTerminal(w io.Writer, tty bool) *Terminal { return &Terminal{w: w, tty: tty} }

func (t *Terminal) Handle(ev migrate.Event) {
	if ev.Kind != migrate.EventProgress {
		t.endBar()
	}
	switch ev.Kind {
	case migrate.EventPhase:
		fmt.Fprintf(t.w, "==> %s\n", ev.Message)
	case migrate.EventInfo:
		fmt.Fprintf(t.w, "    %s\n", ev.Message)
	case migrate.EventWarning:
		fmt.Fprintf(t.w, "WARNING: %s\n", ev.Message)
	case migrate.EventStep:
		fmt.Fprintf(t.w, "==> [%d/%d] %s\n", ev.Step, ev.Steps, ev.Message)
	case migrate.EventStepDone:
		fmt.Fprintf(t.w, "    done: %s\n", ev.Message)
	case migrate.EventProgress:
		t.progress(ev.Progress)
	case migrate.EventReport:
		t.report(ev.Report)
	}
}

func (t *Terminal) Close() { t.endBar() }

func (t *Terminal) progress(p *migrate.Progress) {
	if p == nil || p.TotalBytes == 0 {
		return
	}
	if t.tty {
		if t.bar == nil || t.barWhat != p.What {
			t.endBar()
			// The bar only draws; bytes, rate and ETA come from the engine,
			// which has measured since the phase began.
			t.bar = progressbar.NewOptions64(p.TotalBytes,
				progressbar.OptionSetWriter(t.w), progressbar.OptionSetWidth(30),
				progressbar.OptionSetPredictTime(false), progressbar.OptionThrottle(100*time.Millisecond))
			t.barWhat = p.What
		}
		t.bar.Describe(fmt.Sprintf("    %s %s / %s, %s/s, %s left", p.What, units.Bytes(p.Bytes), units.Bytes(p.TotalBytes), units.Bytes(int64(p.Rate)), eta(p.ETA)))
		_ = t.bar.Set64(p.Bytes)
		return
	}
	// Not a TTY: a plain line every 10% or 10 seconds.
	pct := int64(100)
	if p.TotalBytes > 0 {
		pct = p.Bytes * 100 / p.TotalBytes
	}
	if pct/10 == t.lastPct/10 && time.Since(t.lastLine) < 10*time.Second && pct != 100 {
		return
	}
	t.lastPct, t.lastLine = pct, time.Now()
	fmt.Fprintf(t.w, "    %s: %d%% (%s of %s, %s/s, %s left)\n", p.What, pct, units.Bytes(p.Bytes), units.Bytes(p.TotalBytes), units.Bytes(int64(p.Rate)), eta(p.ETA))
}

func (t *Terminal) endBar() {
	if t.bar != nil {
		_ = t.bar.Finish()
		fmt.Fprintln(t.w)
		t.bar, t.barWhat = nil, ""
	}
	t.lastPct, t.lastLine = -10, time.Time{}
}

func (t *Terminal) report(r *migrate.Report) {
	if r == nil {
		return
	}
	fmt.Fprintln(t.w)
	switch r.Result {
	case "migrated":
		fmt.Fprintf(t.w, "Done: %s now holds the data at MongoDB %s (took %s).\n", r.Target, r.To, time.Duration(r.Duration*float64(time.Second)).Round(time.Second))
	case "verification-failed":
		fmt.Fprintf(t.w, "Verification FAILED: the migrated copy was not moved into place.\n")
	case "already-done":
		fmt.Fprintf(t.w, "Nothing to do: this migration already finished (%s at MongoDB %s).\n", r.Target, r.To)
	case "already-at-target":
		fmt.Fprintf(t.w, "Nothing to do: the data is already at the target.\n")
	}
	if v := r.Verified; v != nil && v.OK {
		fmt.Fprintf(t.w, "Verified: %d databases, %d collections, %d documents unchanged.\n", v.Databases, v.Collections, v.Documents)
		if f := v.Files; f != nil && f.Ran {
			fmt.Fprintf(t.w, "Verified again from the files themselves: %d collections, %d documents.\n", f.Collections, f.Documents)
		} else if f != nil {
			fmt.Fprintf(t.w, "Second check from the files skipped: %s\n", f.Skipped)
		}
	}
	if r.Backup != "" && r.Result == "migrated" {
		fmt.Fprintf(t.w, "Backup: %s (manifest %s); restore with: mongostep restore %s\n", r.Backup, r.Manifest, r.Backup)
	}
	if r.KeptOld != "" && r.Result == "migrated" {
		fmt.Fprintf(t.w, "Old data kept in: %s\n", r.KeptOld)
	}
	if len(r.Next) > 0 {
		fmt.Fprintln(t.w, "Next:")
		for _, n := range r.Next {
			fmt.Fprintf(t.w, "  - %s\n", n)
		}
	}
}

func eta(sec float64) string {
	if sec <= 0 {
		return "0s"
	}
	return time.Duration(sec * float64(time.Second)).Round(time.Second).String()
}
