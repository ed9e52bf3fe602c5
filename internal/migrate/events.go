package migrate

import "time"

// Kinds of event.
const (
	EventPhase    = "phase"    // a phase begins: Phase, Message
	EventInfo     = "info"     // something the operator should read
	EventWarning  = "warning"  // something that may need action
	EventProgress = "progress" // bytes or files done in a long phase
	EventStep     = "step"     // a mongod step begins: Step, Steps, Version, Message
	EventStepDone = "step_done"
	EventReport   = "report" // the final report
)

// Event is everything the engine tells the user. The engine never prints:
// the terminal and JSON writers in package ui render these.
type Event struct {
	Time     time.Time `json:"time"`
	Kind     string    `json:"event"`
	Phase    string    `json:"phase,omitempty"`
	Step     int       `json:"step,omitempty"`
	Steps    int       `json:"steps,omitempty"`
	Version  string    `json:"version,omitempty"`
	Message  string    `json:"message,omitempty"`
	Progress *Progress `json:"progress,omitempty"`
	Report   *Report   `json:"report,omitempty"`
}

// Progress of a long phase.
type Progress struct {
	What       string  `json:"what"`
	Bytes      int64   `json:"bytes"`
	TotalBytes int64   `json:"total_bytes"`
	Files      int     `json:"files,omitempty"`
	TotalFiles int     `json:"total_files,omitempty"`
	Rate       float64 `json:"bytes_per_second,omitempty"`
	ETA        float64 `json:"eta_seconds,omitempty"`
}

// Emitter receives events; it must not block for long.
type Emitter func(Event)

func (e Emitter) emit(ev Event) {
	if e == nil {
		return
	}
	if ev.Time.IsZero() {
		ev.Time = time.Now().UTC()
	}
	e(ev)
}

func (e Emitter) phase(name, msg string) { e.emit(Event{Kind: EventPhase, Phase: name, Message: msg}) }
func (e Emitter) info(msg string)        { e.emit(Event{Kind: EventInfo, Message: msg}) }
func (e Emitter) warn(msg string)        { e.emit(Event{Kind: EventWarning, Message: msg}) }
