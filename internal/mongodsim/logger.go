package mongodsim

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"go.mongodb.org/mongo-driver/bson"
)

// Entry is one log event. Msg and Attr make the 4.4+ JSON line; Text (or, if empty, Msg followed
// by the attributes) makes the pre-4.4 text line.
type Entry struct {
	Sev  byte // 'I', 'W', 'E', 'F'
	Comp string
	ID   int
	Ctx  string
	Msg  string
	Text string
	Attr bson.D
	// StartupWarning also records the line for getLog "startupWarnings".
	StartupWarning bool
}

const ramLogLines = 1024

// Logger writes mongod-style log lines in the binary's format.
type Logger struct {
	mu       sync.Mutex
	w        io.Writer
	file     *os.File
	json     bool
	ring     []string
	total    int
	warnings []string
	now      func() time.Time
}

func newLogger(jsonFormat bool, w io.Writer) *Logger {
	return &Logger{w: w, json: jsonFormat, now: time.Now}
}

// openLogPath switches output to path. Without logappend an existing non-empty file is renamed
// to path.<UTC timestamp> first, as mongod's log rotation on start-up does.
func (l *Logger) openLogPath(path string, appendMode bool) error {
	flags := os.O_CREATE | os.O_WRONLY | os.O_APPEND
	if !appendMode {
		if fi, err := os.Stat(path); err == nil && fi.Size() > 0 {
			rotated := path + "." + l.now().UTC().Format("2006-01-02T15-04-05")
			if err := os.Rename(path, rotated); err != nil {
				return fmt.Errorf("rotate log file %s: %w", path, err)
			}
		}
	}
	f, err := os.OpenFile(path, flags, 0o644)
	if err != nil {
		return fmt.Errorf("open log file %s: %w", path, err)
	}
	l.mu.Lock()
	l.w, l.file = f, f
	l.mu.Unlock()
	return nil
}

func (l *Logger) close() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.file != nil {
		_ = l.file.Sync()
		_ = l.file.Close()
		l.file = nil
		l.w = io.Discard
	}
}

// Log writes one entry.
func (l *Logger) Log(e Entry) {
	if e.Ctx == "" {
		e.Ctx = "initandlisten"
	}
	if e.Comp == "" {
		e.Comp = "-"
	}
	now := l.now()
	var line string
	if l.json {
		line = formatJSONLine(now, e)
	} else {
		line = formatTextLine(now, e)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	_, _ = io.WriteString(l.w, line+"\n")
	l.total++
	l.ring = append(l.ring, line)
	if len(l.ring) > ramLogLines {
		l.ring = l.ring[len(l.ring)-ramLogLines:]
	}
	if e.StartupWarning {
		l.warnings = append(l.warnings, line)
	}
}

// Info, Warn, Error and Fatal are shorthands.
func (l *Logger) Info(comp string, id int, msg string, attr ...bson.E) {
	l.Log(Entry{Sev: 'I', Comp: comp, ID: id, Msg: msg, Attr: attr})
}

func (l *Logger) Warn(comp string, id int, msg string, attr ...bson.E) {
	l.Log(Entry{Sev: 'W', Comp: comp, ID: id, Msg: msg, Attr: attr})
}

func (l *Logger) snapshot(name string) ([]string, int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if name == "startupWarnings" {
		return append([]string(nil), l.warnings...), len(l.warnings)
	}
	return append([]string(nil), l.ring...), l.total
}

func formatTextLine(t time.Time, e Entry) string {
	text := e.Text
	if text == "" {
		text = e.Msg
		for _, a := range e.Attr {
			text += fmt.Sprintf(" %s: %s", a.Key, renderValue(a.Value))
		}
	}
	return fmt.Sprintf("%s %c %-8s [%s] %s", t.Format("2006-01-02T15:04:05.000-0700"), e.Sev, e.Comp, e.Ctx, text)
}

func formatJSONLine(t time.Time, e Entry) string {
	var b bytes.Buffer
	fmt.Fprintf(&b, `{"t":{"$date":"%s"},`, t.Format("2006-01-02T15:04:05.000-07:00"))
	b.WriteString(pad(fmt.Sprintf(`"s":"%c",`, e.Sev), 10))
	b.WriteString(pad(fmt.Sprintf(`"c":%s,`, jsonString(e.Comp)), 16))
	b.WriteString(pad(fmt.Sprintf(`"id":%d,`, e.ID), 14))
	fmt.Fprintf(&b, `"ctx":%s,"msg":%s`, jsonString(e.Ctx), jsonString(e.Msg))
	if len(e.Attr) > 0 {
		if ej, err := bson.MarshalExtJSON(e.Attr, false, false); err == nil {
			b.WriteString(`,"attr":`)
			b.Write(ej)
		}
	}
	b.WriteString("}")
	return b.String()
}

func pad(s string, width int) string {
	if len(s) >= width {
		return s
	}
	return s + strings.Repeat(" ", width-len(s))
}

func jsonString(s string) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)
	return strings.TrimSuffix(b.String(), "\n")
}

// renderValue prints a value in the shell-like style mongod uses in text logs.
func renderValue(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case bson.D:
		return renderDoc(x)
	default:
		return fmt.Sprint(x)
	}
}

// renderDoc prints `{ k: "v", n: 1 }` like BSONObj::toString.
func renderDoc(d bson.D) string {
	if len(d) == 0 {
		return "{}"
	}
	parts := make([]string, len(d))
	for i, e := range d {
		switch x := e.Value.(type) {
		case string:
			parts[i] = fmt.Sprintf("%s: %q", e.Key, x)
		case bson.D:
			parts[i] = fmt.Sprintf("%s: %s", e.Key, renderDoc(x))
		default:
			parts[i] = fmt.Sprintf("%s: %v", e.Key, x)
		}
	}
	return "{ " + strings.Join(parts, ", ") + " }"
}
