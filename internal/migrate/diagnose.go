package migrate

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/mongostep/mongostep/internal/mongo"
	"github.com/mongostep/mongostep/internal/plan"
	"github.com/mongostep/mongostep/internal/runtime"
)

// stepFailed records a failed step and explains it.
func (r *run) stepFailed(ctx context.Context, i int, err error) error {
	rec := &r.j.Steps[i]
	rec.Error = err.Error()
	if ctx.Err() != nil {
		_ = r.j.save()
		return &Error{Kind: KindInterrupted,
			What: fmt.Sprintf("Interrupted during step %d (MongoDB %s); its mongod was stopped. The source is untouched.", i+1, rec.Version),
			Fix:  fmt.Sprintf("Run the same command again to resume at step %d.", i+1), Err: err}
	}
	rec.State = stateFailed
	_ = r.j.save()
	what, fix := explain(err, r.j.Plan[i], r.host)
	if tail := logTail(err); tail != "" {
		what += "\nmongod's last log lines:\n" + tail
	}
	return &Error{Kind: KindStep,
		What: fmt.Sprintf("Step %d (MongoDB %s) failed: %s", i+1, rec.Version, what),
		Fix:  fix + fmt.Sprintf("\nThe source %s is untouched; the work copy is in %s and mongod's log in %s. Once the cause is fixed, run the same command again: it resumes at step %d.", r.paths.Source, r.paths.Work, rec.Log, i+1),
		Err:  err}
}

// explain turns a mongod exit or refusal into what happened and what to do,
// using the exit codes and log messages in the MongoDB facts.
func explain(err error, s plan.Step, host runtime.Host) (what, fix string) {
	var ee *runtime.ExitError
	if !errors.As(err, &ee) {
		return err.Error(), "Read mongod's log for the cause."
	}
	log := strings.Join(ee.Exit.LogTail, "\n")
	has := func(s string) bool { return strings.Contains(log, s) }
	code := ee.Exit.ShellCode()
	switch {
	case code == 62:
		return fmt.Sprintf("MongoDB %s refused the data's featureCompatibilityVersion (exit 62, %s).", s.Version, ee.Exit),
			"The data is not at an FCV this version opens: an earlier setFeatureCompatibilityVersion did not complete, or a version was skipped. Check --from (the version that last ran on the data)."
	case code == 14 && has("4671205"):
		return fmt.Sprintf("MongoDB %s is too recent for these data files (fatal assertion 4671205, exit 14): they were last written by MongoDB 4.0 or older.", s.Version),
			"A version was skipped: pass --from with the version that really last ran on the data."
	case code == 14:
		return fmt.Sprintf("mongod %s stopped on a fatal assertion (exit 14).", s.Version), "The log lines above name the assertion."
	case code == 100 && has("DBPathInUse"):
		return "another mongod holds the work copy's dbpath (DBPathInUse, exit 100).", "Stop that mongod (see its pid in the work copy's mongod.lock)."
	case code == 4:
		return "MongoDB 4.0+ refuses users stored with MONGODB-CR (exit 4).", "Upgrade the auth schema on 3.6 first: start mongod 3.6 on the data and run db.adminCommand({authSchemaUpgrade: 1})."
	case ee.Exit.Signal == 4 || code == 132:
		return fmt.Sprintf("mongod %s died with an illegal instruction (SIGILL, exit 132).", s.Version), "This CPU lacks AVX, which MongoDB 5.0 and later need on x86-64: run the later steps on another machine."
	case has("12257600") || ((ee.Exit.Signal == 11 || code == 139) && kernelAtLeast(host.Kernel, 6, 19)):
		return fmt.Sprintf("mongod %s cannot run on Linux kernel %s (SERVER-121912: %s).", s.Version, host.Kernel, ee.Exit),
			"Set GLIBC_TUNABLES=glibc.pthread.rseq=1 for this mongod (mongostep does so on kernels it recognises as 6.19+), or run this step on a host with an older kernel or 7.0.14+."
	case ee.Exit.Signal == 9 || code == 137:
		return fmt.Sprintf("mongod %s was killed (SIGKILL): out of memory, or killed by someone.", s.Version), "Check the system log for the OOM killer; free memory and retry."
	case ee.Exit.Signal == 11 || code == 139:
		return fmt.Sprintf("mongod %s crashed (SIGSEGV, exit 139).", s.Version), "Read the log lines above; a newer patch of this version may help (--image or --mongod-dir)."
	case code == 0 && !ee.Exit.LockEmpty:
		return fmt.Sprintf("mongod %s exited but left mongod.lock non-empty: the shutdown was not clean.", s.Version), "Run the same command again: the same version recovers the data first."
	}
	return fmt.Sprintf("mongod %s ended (%s).", s.Version, ee.Exit), "Read the log lines above for the cause."
}

// fcvRefused explains a refused setFeatureCompatibilityVersion.
func fcvRefused(s plan.Step, err error) error {
	var ce *mongo.CommandError
	code, name := 0, ""
	if errors.As(err, &ce) {
		code, name = ce.Code(), ce.Name()
	}
	msg := fmt.Sprintf("MongoDB %s refused to raise the featureCompatibilityVersion to %s: %v", s.Version, s.SetFCV, err)
	switch {
	case name == "CannotUpgrade":
		msg += fmt.Sprintf(" — the data uses something MongoDB %s removed, so the FCV is unchanged and nothing was lost. Fix what the server names while the data still runs on the previous version (its step's mongod, or your own server on the source), then run the same command again", s.Version)
	case code == 7369100:
		msg += " — the server wants confirm: true (mongostep sends it from 7.0 on; check that --image really runs " + s.Version.String() + ")"
	}
	return errors.New(msg)
}

// logTail is the end of mongod's log when err is a mongod exit.
func logTail(err error) string {
	var ee *runtime.ExitError
	if !errors.As(err, &ee) || len(ee.Exit.LogTail) == 0 {
		return ""
	}
	lines := ee.Exit.LogTail
	if len(lines) > 8 {
		lines = lines[len(lines)-8:]
	}
	return "  " + strings.Join(lines, "\n  ")
}
