package backup

import (
	"sync"
	"sync/atomic"
	"time"
)

// Progress phases.
const (
	PhaseScan    = "scan"    // listing the source
	PhaseBackup  = "backup"  // reading the source into the archive and the copy
	PhaseSync    = "sync"    // flushing the copy and the archive to disk
	PhaseVerify  = "verify"  // checking a copy or an archive against a manifest
	PhaseRestore = "restore" // extracting an archive
)

// Progress is a snapshot handed to Options.Progress.
type Progress struct {
	Phase      string
	Bytes      int64
	TotalBytes int64
	Files      int
	TotalFiles int
}

const progressEvery = 100 * time.Millisecond

// meter counts work done in one phase and reports it from a single goroutine
// at most every progressEvery, plus once when stopped.
type meter struct {
	bytes, files atomic.Int64
	snap         Progress
	fn           func(Progress)
	stopc        chan struct{}
	wg           sync.WaitGroup
}

func startMeter(fn func(Progress), phase string, totalBytes int64, totalFiles int) *meter {
	m := &meter{fn: fn, snap: Progress{Phase: phase, TotalBytes: totalBytes, TotalFiles: totalFiles}}
	if fn == nil {
		return m
	}
	m.stopc = make(chan struct{})
	m.wg.Add(1)
	go m.loop(m.stopc)
	return m
}

func (m *meter) add(n int64) { m.bytes.Add(n) }

func (m *meter) fileDone() { m.files.Add(1) }

func (m *meter) report() {
	p := m.snap
	p.Bytes, p.Files = m.bytes.Load(), int(m.files.Load())
	m.fn(p)
}

// stop reports the final figures and waits for the reporting goroutine.
// It must be called once, by the goroutine that started the meter.
func (m *meter) stop() {
	if m.stopc != nil {
		close(m.stopc)
		m.stopc = nil
	}
	m.wg.Wait()
}

func (m *meter) loop(stop <-chan struct{}) {
	defer m.wg.Done()
	t := time.NewTicker(progressEvery)
	defer t.Stop()
	m.report()
	for {
		select {
		case <-t.C:
			m.report()
		case <-stop:
			m.report()
			return
		}
	}
}
