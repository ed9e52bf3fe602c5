package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"runtime/pprof"
	"strings"
	"time"

	"github.com/mongostep/mongostep/internal/backup"
)

// childArg makes the program run one backup.Run and exit, so that the parent
// can read the peak RSS of exactly that from the process's rusage.
const childArg = "-child-backup"

type childResult struct {
	Files        int    `json:"files"`
	TotalBytes   int64  `json:"total_bytes"`
	ArchiveBytes int64  `json:"archive_bytes"`
	Phases       string `json:"phases"`
}

// phaseClock notes when each progress phase was first seen. Progress
// reporting is part of default use (the CLI shows it), so it stays on.
type phaseClock struct {
	start time.Time
	names []string
	at    []time.Duration
}

func (c *phaseClock) see(p backup.Progress) {
	if n := len(c.names); n == 0 || c.names[n-1] != p.Phase {
		c.names = append(c.names, p.Phase)
		c.at = append(c.at, time.Since(c.start))
	}
}

func (c *phaseClock) summary() string {
	var b strings.Builder
	end := time.Since(c.start)
	for i, n := range c.names {
		next := end
		if i+1 < len(c.at) {
			next = c.at[i+1]
		}
		fmt.Fprintf(&b, "%s %.2fs  ", n, (next - c.at[i]).Seconds())
	}
	return strings.TrimSpace(b.String())
}

func childMain(args []string) int {
	fs := flag.NewFlagSet("child", flag.ContinueOnError)
	src := fs.String("src", "", "")
	archive := fs.String("archive", "", "")
	dst := fs.String("copy", "", "")
	format := fs.String("format", "", "")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if p := os.Getenv("COPYBENCH_CPUPROFILE"); p != "" {
		f, err := os.Create(p)
		if err == nil {
			pprof.StartCPUProfile(f)
			defer pprof.StopCPUProfile()
		}
	}
	phases := &phaseClock{start: time.Now()}
	m, err := backup.Run(context.Background(), backup.Options{Source: *src, Archive: *archive, CopyTo: *dst,
		Format: backup.Format(*format), Progress: phases.see})
	if err != nil {
		fmt.Fprintln(os.Stderr, "backup:", err)
		pprof.StopCPUProfile()
		return 1
	}
	json.NewEncoder(os.Stdout).Encode(childResult{Files: len(m.Files), TotalBytes: m.TotalBytes,
		ArchiveBytes: m.ArchiveBytes, Phases: phases.summary()})
	return 0
}
