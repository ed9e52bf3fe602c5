package migrate

import (
	"fmt"
	"github.com/mongostep/mongostep/internal/units"
	"strings"

	"github.com/mongostep/mongostep/internal/plan"
	"github.com/mongostep/mongostep/internal/runtime"
)

// describe emits what inspection found.
func describe(ev Emitter, p *Prepared) {
	for _, line := range Facts(p) {
		ev.info(line)
	}
	for _, w := range p.Warnings {
		ev.warn(w)
	}
}

// Facts are the inspection results worth showing, one line each.
func Facts(p *Prepared) []string {
	i := p.Info
	var out []string
	layout := "a bare dbpath"
	if i.Layout == "clearml" {
		layout = fmt.Sprintf("ClearML's layout: dbpath %s, configdb %s", i.DBPath, i.ConfigDB)
	}
	out = append(out, fmt.Sprintf("Source %s: %s; %s in %d files", i.Root, layout, units.Bytes(i.Bytes), i.Files))
	last := "unknown"
	switch p.SourceFrom {
	case "ftdc":
		last = fmt.Sprintf("mongod %s (diagnostic.data, %s)", p.Source.LastRunFull, i.LastMongodAt.Format("2006-01-02 15:04 MST"))
	case "--from":
		last = fmt.Sprintf("MongoDB %s (given with --from)", p.Source.LastRun)
	case "wiredtiger":
		last = fmt.Sprintf("MongoDB %s (guessed from the WiredTiger version)", p.Source.LastRun)
	}
	out = append(out, "Last run by: "+last)
	engine := i.Engine
	if i.WTVersion != nil {
		engine += ", " + i.WTVersion.String
	}
	out = append(out, "Storage engine: "+engine)
	if i.Clean {
		out = append(out, "Shutdown: clean (mongod.lock is empty)")
	} else {
		out = append(out, fmt.Sprintf("Shutdown: NOT clean (mongod.lock holds pid %d): MongoDB %s will recover the data on the copy first", i.Lock.PID, p.Source.LastRun))
	}
	return out
}

// Summary is the plan shown before the operator confirms.
func Summary(p *Prepared, paths Paths, rt runtime.Runtime) string {
	var b strings.Builder
	fmt.Fprintf(&b, "mongostep will upgrade the data in %s from MongoDB %s to %s.\n", paths.Source, p.Source.LastRun, p.Plan.Target.Version)
	if paths.Backup != "" {
		fmt.Fprintf(&b, "  1. Back it up to %s\n", paths.Backup)
	} else {
		fmt.Fprintf(&b, "  1. No backup (--no-backup)\n")
	}
	fmt.Fprintf(&b, "  2. Copy it to %s (the source is never written)\n", paths.Work)
	for i, s := range p.Plan.Steps {
		fmt.Fprintf(&b, "  %d. %s\n", i+3, stepTitle(s))
	}
	n := len(p.Plan.Steps) + 3
	fmt.Fprintf(&b, "  %d. Verify every collection, then move the result to %s", n, paths.Final)
	if paths.InPlace {
		fmt.Fprintf(&b, " (the old data is kept as %s)", paths.KeepOld)
	}
	fmt.Fprintf(&b, "\nRuntime: %s\n", rt.Describe())
	for _, note := range p.Plan.Notes {
		fmt.Fprintf(&b, "Note: %s\n", note)
	}
	return b.String()
}

// ManualCommands are the docker commands an operator would type for a
// step, as ClearML's page does them (corrected: the shell per image, a long
// stop timeout, confirm from 7.0).
func ManualCommands(s plan.Step, dbpath, configdb string) []string {
	mounts := fmt.Sprintf("-v %s:/data/db", dbpath)
	if configdb != "" {
		mounts += fmt.Sprintf(" -v %s:/data/configdb", configdb)
	}
	shell := "mongo"
	if !s.Version.Less(plan.MustVersion("6.0")) {
		shell = "mongosh"
	}
	out := []string{fmt.Sprintf("docker run -d --name mongodb_upgrade %s %s", mounts, s.Image)}
	if s.Action != plan.ActionRecover {
		cmd := fmt.Sprintf(`setFeatureCompatibilityVersion:"%s"`, s.SetFCV)
		if s.Confirm {
			cmd += ", confirm:true"
		}
		out = append(out, fmt.Sprintf(`docker exec mongodb_upgrade %s --quiet --eval 'db.adminCommand({%s})'`, shell, cmd))
		out = append(out, fmt.Sprintf(`docker exec mongodb_upgrade %s --quiet --eval 'db.adminCommand({getParameter:1, featureCompatibilityVersion:1})'`, shell))
	}
	out = append(out, "docker stop --time 600 mongodb_upgrade && docker wait mongodb_upgrade && docker rm mongodb_upgrade")
	return out
}
