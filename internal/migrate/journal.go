package migrate

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/mongostep/mongostep/internal/plan"
)

// Phase states in the journal. A phase is marked running ("dirty") before
// it acts and done after, so an interrupted run knows what to redo.
const (
	statePending = ""
	stateRunning = "running"
	stateDone    = "done"
	stateFailed  = "failed"
)

// Journal is the record of one migration, kept in its run folder. It is
// rewritten atomically (temp file, fsync, rename, fsync of the folder) at
// every change of state.
type Journal struct {
	Format  int       `json:"format"`
	RunID   string    `json:"run_id"`
	Started time.Time `json:"started"`
	// What the migration is: the same command again must name the same.
	Source    string      `json:"source"`
	Target    string      `json:"target"`
	To        string      `json:"to"`         // what --to said
	ToVersion string      `json:"to_version"` // the MongoDB version it means
	InPlace   bool        `json:"in_place"`
	Layout    string      `json:"layout"`
	Backup    string      `json:"backup,omitempty"` // archive path; "" with --no-backup
	KeepOld   string      `json:"keep_old,omitempty"`
	Runtime   string      `json:"runtime"`
	LastRun   string      `json:"last_run"`
	Plan      []plan.Step `json:"plan"`

	Copy    PhaseRecord  `json:"copy"`
	Steps   []StepRecord `json:"steps"`
	Verify  PhaseRecord  `json:"verify"`
	Publish PhaseRecord  `json:"publish"`
	Done    bool         `json:"done"`
	path    string
}

// PhaseRecord is the state of one phase.
type PhaseRecord struct {
	State    string    `json:"state"`
	Started  time.Time `json:"started,omitempty"`
	Finished time.Time `json:"finished,omitempty"`
	Error    string    `json:"error,omitempty"`
	Attempts int       `json:"attempts,omitempty"`
}

// StepRecord is the state of one mongod step.
type StepRecord struct {
	PhaseRecord
	Version   string   `json:"version"`
	Image     string   `json:"image,omitempty"`
	Action    string   `json:"action"`
	Mongod    string   `json:"mongod,omitempty"` // full version the server reported
	Instance  string   `json:"instance,omitempty"`
	FCVBefore string   `json:"fcv_before,omitempty"`
	FCVAfter  string   `json:"fcv_after,omitempty"`
	Log       string   `json:"log,omitempty"`
	Notes     []string `json:"notes,omitempty"`
}

const journalFormat = 1

func journalPath(runDir string) string { return filepath.Join(runDir, "journal.json") }

// loadJournal reads the journal in runDir; it returns (nil, nil) when there is none.
func loadJournal(runDir string) (*Journal, error) {
	p := journalPath(runDir)
	b, err := os.ReadFile(p)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read journal %s: %w", p, err)
	}
	var j Journal
	if err := json.Unmarshal(b, &j); err != nil {
		return nil, fmt.Errorf("journal %s is damaged (%v); it is the record of an earlier run: move the folder %s aside to start over", p, err, runDir)
	}
	if j.Format != journalFormat {
		return nil, fmt.Errorf("journal %s was written by another mongostep (format %d); finish that run with the mongostep that started it", p, j.Format)
	}
	j.path = p
	return &j, nil
}

// save writes the journal atomically.
func (j *Journal) save() error {
	b, err := json.MarshalIndent(j, "", "  ")
	if err != nil {
		return err
	}
	return writeFileAtomic(j.path, append(b, '\n'))
}

// writeFileAtomic replaces path with data so that a crash leaves either the
// old or the new content, never a mix.
func writeFileAtomic(path string, data []byte) error {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	tmp := f.Name()
	_, werr := f.Write(data)
	serr := f.Sync()
	cerr := f.Close()
	if err := errors.Join(werr, serr, cerr); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("write %s: %w", path, err)
	}
	return syncDir(dir)
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return nil // not every OS can open a directory (Windows)
	}
	defer d.Close()
	_ = d.Sync() // some filesystems refuse fsync on directories; the rename stands
	return nil
}
