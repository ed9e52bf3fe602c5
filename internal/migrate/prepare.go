package migrate

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/mongostep/mongostep/internal/dbpath"
	"github.com/mongostep/mongostep/internal/plan"
	"github.com/mongostep/mongostep/internal/runtime"
)

// Prepared is what inspection and planning found; nothing has changed yet.
type Prepared struct {
	Info   *dbpath.Info
	Source plan.Source
	// SourceFrom says how the last version was learned: "ftdc", "--from", "wiredtiger".
	SourceFrom string
	Plan       *plan.Plan
	Host       runtime.Host
	// StepEnv is extra environment per step version (the kernel 6.19 workaround).
	StepEnv  map[plan.Version][]string
	Warnings []string
}

// Prepare inspects the source and makes the plan. It changes nothing.
func Prepare(ctx context.Context, o Options) (*Prepared, error) {
	info, err := inspectSource(o.Source)
	if err != nil {
		return nil, err
	}
	p := &Prepared{Info: info, Warnings: append([]string(nil), info.Warnings...)}
	if err := p.detect(o.From); err != nil {
		return nil, err
	}
	pl, err := plan.Make(p.Source, o.To, o.Images)
	if err != nil {
		return nil, planError(err, p)
	}
	p.Plan = pl
	if o.Runtime != nil {
		h, err := o.Runtime.Host(ctx)
		if err != nil {
			p.Warnings = append(p.Warnings, fmt.Sprintf("could not read the host's kernel and CPU: %v", err))
		}
		p.Host = h
		if err := p.hostChecks(); err != nil {
			return nil, err
		}
	}
	return p, nil
}

func inspectSource(dir string) (*dbpath.Info, error) {
	info, err := dbpath.Inspect(dir)
	switch {
	case errors.Is(err, dbpath.ErrNotExist):
		return nil, preflight("Check the path, or pass --source with the folder that holds your MongoDB data (for ClearML: /opt/clearml/data/mongo).", "the source %s does not exist", dir)
	case errors.Is(err, dbpath.ErrNotDataDir):
		return nil, preflight("Pass --source with a MongoDB data directory: either a folder with db/ and configdb/ (ClearML's layout) or a dbpath itself.", "%v", err)
	case err != nil:
		return nil, &Error{Kind: KindPreflight, What: fmt.Sprintf("cannot read the source: %v", err), Fix: "Run mongostep as a user who can read every file in the source (often: sudo).", Err: err}
	}
	if info.Engine == "mmapv1" {
		return nil, preflight("Convert it to WiredTiger on MongoDB 4.0 or older first (mongodump, then mongorestore into a new WiredTiger dbpath), then run mongostep on that.",
			"the source %s uses the MMAPv1 storage engine, which MongoDB 4.2 and later cannot open", info.DBPath)
	}
	return info, nil
}

// detect works out which release line last ran on the data.
func (p *Prepared) detect(from plan.Version) error {
	p.Source.Clean = p.Info.Clean
	if !from.IsZero() {
		p.Source.LastRun, p.SourceFrom = from, "--from"
		return nil
	}
	if p.Info.LastMongod != "" {
		v, err := plan.ParseVersion(p.Info.LastMongod)
		if err == nil {
			p.Source.LastRun, p.Source.LastRunFull, p.SourceFrom = v, p.Info.LastMongod, "ftdc"
			p.crossCheck(v)
			return nil
		}
	}
	if p.Info.WTVersion == nil {
		return nil
	}
	cands := plan.MajorsForWiredTiger(p.Info.WTVersion.Major, p.Info.WTVersion.Minor)
	if len(cands) == 1 {
		p.Source.LastRun, p.SourceFrom = cands[0], "wiredtiger"
		p.Warnings = append(p.Warnings, fmt.Sprintf("no FTDC files (diagnostic.data) tell which mongod last ran; WiredTiger %d.%d.%d points to MongoDB %s", p.Info.WTVersion.Major, p.Info.WTVersion.Minor, p.Info.WTVersion.Patch, cands[0]))
	}
	return nil
}

func (p *Prepared) crossCheck(v plan.Version) {
	w := p.Info.WTVersion
	if w == nil {
		return
	}
	cands := plan.MajorsForWiredTiger(w.Major, w.Minor)
	for _, c := range cands {
		if c == v {
			return
		}
	}
	if len(cands) > 0 {
		p.Warnings = append(p.Warnings, fmt.Sprintf("FTDC says mongod %s last ran, but WiredTiger.turtle's version %s belongs to MongoDB %v; mongostep trusts FTDC (pass --from to override)", p.Info.LastMongod, w.String, cands))
	}
}

func planError(err error, p *Prepared) error {
	switch {
	case errors.Is(err, plan.ErrUnknownLastRun):
		hint := "no diagnostic.data (FTDC) files and no WiredTiger.turtle"
		if w := p.Info.WTVersion; w != nil {
			hint = fmt.Sprintf("no diagnostic.data (FTDC) files, and WiredTiger %d.%d.%d was shipped by MongoDB %v", w.Major, w.Minor, w.Patch, plan.MajorsForWiredTiger(w.Major, w.Minor))
		}
		return preflight("Pass --from X.Y with the MongoDB version your server ran on this data (for ClearML v1.1 or older: --from 3.6).",
			"cannot tell which MongoDB version last ran on %s: %s", p.Info.DBPath, hint)
	case errors.Is(err, plan.ErrDowngrade), errors.Is(err, plan.ErrUnsupported):
		return &Error{Kind: KindPreflight, What: err.Error(), Err: err}
	}
	return err
}

// hostChecks stops early when a step cannot run on this host, and applies
// the kernel 6.19 workaround to 8.x steps.
func (p *Prepared) hostChecks() error {
	p.StepEnv = map[plan.Version][]string{}
	for _, s := range p.Plan.Steps {
		r, _ := plan.Lookup(s.Version)
		if r.NeedsAVX && p.Host.AVXKnown && !p.Host.AVX {
			fix := "Run this migration on a machine whose CPU has AVX (copy the data there)."
			if p.Source.LastRun.Less(plan.MustVersion("4.4")) {
				fix = "Upgrade as far as MongoDB 4.4 here (--to 4.4), then run the rest on a machine whose CPU has AVX."
			}
			return preflight(fix, "MongoDB %s needs a CPU with AVX, and this host's CPU has none: mongod %s would die at once with an illegal instruction (exit 132)", s.Version, s.Version)
		}
		if r.TCMallocRseq && kernelAtLeast(p.Host.Kernel, 6, 19) {
			p.StepEnv[s.Version] = []string{"GLIBC_TUNABLES=glibc.pthread.rseq=1"}
		}
	}
	if len(p.StepEnv) > 0 {
		var vs []string
		for _, s := range p.Plan.Steps {
			if _, ok := p.StepEnv[s.Version]; ok {
				vs = append(vs, s.Version.String())
			}
		}
		p.Warnings = append(p.Warnings, fmt.Sprintf("Linux kernel %s is 6.19 or newer, where MongoDB 8.x crashes or refuses to start (SERVER-121912): the %s steps run with GLIBC_TUNABLES=glibc.pthread.rseq=1, which avoids it. Your own server needs the same setting on this kernel.", p.Host.Kernel, strings.Join(vs, ", ")))
	}
	return nil
}

// kernelAtLeast compares the major.minor of a kernel release like "6.19.0-1-amd64".
func kernelAtLeast(release string, major, minor int) bool {
	var a, b int
	if n, _ := fmt.Sscanf(release, "%d.%d", &a, &b); n < 2 {
		return false
	}
	return a > major || (a == major && b >= minor)
}
