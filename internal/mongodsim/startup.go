package mongodsim

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"time"

	"go.mongodb.org/mongo-driver/bson"
)

func bsonAttr(k string, v any) bson.D { return bson.D{{Key: k, Value: v}} }

// main is the process after option parsing: start-up, serving, shutdown.
func (r *runner) main() int {
	if r.opts.LogPath != "" {
		if err := r.log.openLogPath(r.opts.LogPath, r.opts.LogAppend); err != nil {
			fmt.Fprintf(r.stderr, "mongodsim: %v\n", err)
			return ExitFail
		}
	}
	r.logIdentity()
	outcome, kernel := checkKernel(r.bin, r.getenv)
	if outcome == kernelGuardRefuses {
		r.log.Log(Entry{Sev: 'F', Comp: "CONTROL", ID: 12257600, Ctx: "main",
			Msg:  "MongoDB cannot start: Linux kernel versions 6.19 and newer has a known incompatibility with this version of MongoDB. See https://jira.mongodb.org/browse/SERVER-121912",
			Attr: bsonAttr("kernelVersion", kernel)})
		r.log.close()
		return ExitFail
	}
	var segv <-chan time.Time
	if outcome == kernelSegvLater {
		segv = time.After(segvAfter(r.getenv))
	}
	r.logBanner()
	if ex := r.startUp(); ex != nil {
		return r.exitStartup(ex)
	}
	return r.serveUntilShutdown(segv)
}

// exitStartup finishes a failed start-up: the clean path closes the engine and empties the lock;
// the abrupt path leaves everything as it is.
func (r *runner) exitStartup(ex *startupExit) int {
	if ex.clean {
		r.closeEngine()
	}
	r.logExit(ex.code)
	r.log.close()
	return ex.code
}

// startUp runs steps 1-8 of the start-up sequence (listening is step 9).
func (r *runner) startUp() *startupExit {
	steps := []func() *startupExit{
		r.checkDBPath,
		r.takeLock,
		r.openEngine,
		r.writeLockPid,
		r.checkFCV,
		r.finishRecovery,
		r.writeStartupFiles,
	}
	for _, step := range steps {
		if ex := step(); ex != nil {
			return ex
		}
	}
	return nil
}

func (r *runner) checkDBPath() *startupExit {
	fi, err := os.Stat(r.opts.DBPath)
	if err == nil && fi.IsDir() {
		return nil
	}
	msg := fmt.Sprintf("NonExistentPath: Data directory %s not found.", r.opts.DBPath)
	if r.bin.JSONLog() {
		msg += " Create the missing directory or specify another path using (1) the --dbpath command line option, or (2) by adding the 'storage.dbPath' option in the configuration file."
	}
	return r.uncaught(msg, true)
}

func (r *runner) takeLock() *startupExit {
	l, err := openLock(r.opts.DBPath)
	if errors.Is(err, errLockBusy) {
		path := filepath.Join(r.opts.DBPath, LockFileName)
		return r.uncaught(fmt.Sprintf("DBPathInUse: Unable to lock the lock file: %s (Resource temporarily unavailable). Another mongod instance is already running on the %s directory",
			path, r.opts.DBPath), true)
	}
	if err != nil {
		return r.uncaught("IllegalOperation: "+err.Error(), true)
	}
	r.lock = l
	if l.unclean {
		if r.bin.JSONLog() {
			r.log.Log(Entry{Sev: 'W', Comp: "STORAGE", ID: 22271, Msg: "Detected unclean shutdown - Lock file is not empty",
				Attr: bsonAttr("lockFile", l.path), StartupWarning: true})
		} else {
			r.log.Log(Entry{Sev: 'W', Text: "Detected unclean shutdown - " + l.path + " is not empty.", StartupWarning: true})
		}
	}
	return nil
}

func (r *runner) writeLockPid() *startupExit {
	if err := r.lock.writePid(); err != nil {
		return r.uncaught("IllegalOperation: "+err.Error(), true)
	}
	if r.fail.has(FailCrashStart) {
		// The storage engine is open: WiredTiger has already written with
		// this binary, so the data now counts as last written by it.
		if r.state != nil {
			r.state.LastVersion = r.bin.Version.String()
			_ = r.state.Save(r.opts.DBPath)
		}
		r.log.Log(Entry{Sev: 'F', Comp: "CONTROL", ID: 90000005, Msg: "mongodsim: crash-start switch on, exiting abruptly with mongod.lock held"})
		os.Exit(ExitAbrupt)
	}
	return nil
}

// finishRecovery logs WiredTiger's recovery after an unclean shutdown.
func (r *runner) finishRecovery() *startupExit {
	if r.lock.unclean && r.engine == "wiredTiger" {
		r.log.Log(Entry{Sev: 'W', Comp: "STORAGE", ID: 22302, Msg: "Recovering data from the last clean checkpoint."})
	}
	return nil
}

// writeStartupFiles is step 8: FCV for a fresh dbpath, last-writer record, startup_log,
// turtle, journal, FTDC, pid file.
func (r *runner) writeStartupFiles() *startupExit {
	now := time.Now()
	if r.createFCV {
		r.state.SetFCVDocument(bson.D{{Key: "version", Value: r.bin.LatestFCV()}}, r.newCollectionsGetUUID())
	}
	r.state.LastVersion = r.bin.Version.String()
	if r.fail.has(FailLoseDocument) {
		r.loseDocument()
	}
	r.appendStartupLog(now)
	if err := r.state.Save(r.opts.DBPath); err != nil {
		return r.uncaught("InternalError: "+err.Error(), true)
	}
	if r.engine == "wiredTiger" {
		logNum, err := writeJournal(r.opts.DBPath, r.bin.Release.WTLogVersion)
		if err == nil {
			r.logNum = logNum
			err = r.checkpoint(now)
		}
		if err != nil {
			return r.uncaught("InternalError: "+err.Error(), true)
		}
	}
	path, err := r.writeFTDC(now)
	if err != nil {
		return r.uncaught("InternalError: "+err.Error(), true)
	}
	r.log.Info("FTDC", 20625, "Initializing full-time diagnostic data capture", bson.E{Key: "dataDirectory", Value: filepath.Dir(path)})
	if r.opts.PidFilePath != "" {
		if err := os.WriteFile(r.opts.PidFilePath, []byte(fmt.Sprintf("%d\n", os.Getpid())), 0o644); err != nil {
			return r.uncaught(fmt.Sprintf("FileNotOpen: Unable to write pid file %s: %v", r.opts.PidFilePath, err), true)
		}
	}
	return nil
}

// checkpoint writes the data as WiredTiger files (wtcheckpoint.go): at the end of a successful
// start-up, after setFeatureCompatibilityVersion and at a clean exit; not on every write.
func (r *runner) checkpoint(now time.Time) error {
	if r.engine != "wiredTiger" || r.state == nil {
		return nil
	}
	if r.ckpt == nil {
		r.ckpt = newCheckpointer(r.opts.DBPath, r.bin.Release)
	}
	return r.ckpt.checkpoint(r.state, max(r.logNum, 1), now)
}

func (r *runner) appendStartupLog(now time.Time) {
	col := r.state.Collection("local", "startup_log")
	if col == nil {
		col = r.createCollection("local", "startup_log", mustMarshal(bson.D{{Key: "capped", Value: true}, {Key: "size", Value: int32(10485760)}}))
	}
	host, _ := os.Hostname()
	doc := mustMarshal(bson.D{
		{Key: "_id", Value: fmt.Sprintf("%s-%d", host, now.UnixMilli())},
		{Key: "hostname", Value: host},
		{Key: "startTime", Value: now.Truncate(time.Second)},
		{Key: "startTimeLocal", Value: now.Format("Mon Jan  2 15:04:05.000")},
		{Key: "cmdLine", Value: r.opts.parsedOptions()},
		{Key: "pid", Value: int64(os.Getpid())},
		{Key: "buildinfo", Value: r.bin.buildInfo()},
	})
	_ = col.Insert(doc, false) // a same-millisecond duplicate start is simply not recorded
}

// closeEngine is the engine half of a clean exit: final checkpoint (data files and turtle
// written by this library) and mongod.lock emptied. Only when the engine was opened.
func (r *runner) closeEngine() {
	if r.lock == nil || !r.engineOpened {
		return
	}
	if err := r.checkpoint(time.Now()); err != nil {
		r.log.Log(Entry{Sev: 'E', Comp: "STORAGE", ID: 90000006, Msg: "mongodsim: final checkpoint failed", Attr: bsonAttr("error", err.Error())})
	}
	if r.bin.JSONLog() {
		r.log.Info("STORAGE", 22279, "shutdown: removing fs lock...")
	} else {
		r.log.Log(Entry{Sev: 'I', Comp: "STORAGE", Text: "shutdown: removing fs lock..."})
	}
	if err := r.lock.clearAndUnlock(); err != nil {
		r.log.Log(Entry{Sev: 'E', Comp: "STORAGE", ID: 90000007, Msg: "mongodsim: could not empty mongod.lock", Attr: bsonAttr("error", err.Error())})
	}
	r.lock = nil
}

func (r *runner) logExit(code int) {
	if r.bin.JSONLog() {
		r.log.Info("CONTROL", 20565, "Now exiting")
		r.log.Info("CONTROL", 23138, "Shutting down", bson.E{Key: "exitCode", Value: int32(code)})
		return
	}
	r.log.Log(Entry{Sev: 'I', Comp: "CONTROL", Text: "now exiting"})
	r.log.Log(Entry{Sev: 'I', Comp: "CONTROL", Text: fmt.Sprintf("shutting down with code:%d", code)})
}

func (r *runner) logIdentity() {
	r.log.Log(Entry{Sev: 'I', Comp: "CONTROL", ID: 90000000, Ctx: "main",
		Msg:  "mongodsim: simulated mongod (a test double, not MongoDB)",
		Text: fmt.Sprintf("mongodsim: simulated mongod %s (a test double, not MongoDB); version from %s", r.bin.Version, r.versionFrom),
		Attr: bson.D{{Key: "version", Value: r.bin.Version.String()}, {Key: "versionFrom", Value: r.versionFrom}}})
}

func (r *runner) logBanner() {
	host, _ := os.Hostname()
	o := r.opts
	if !r.bin.JSONLog() {
		r.log.Log(Entry{Sev: 'I', Comp: "CONTROL", Text: fmt.Sprintf("MongoDB starting : pid=%d port=%d dbpath=%s 64-bit host=%s", os.Getpid(), o.Port, o.DBPath, host)})
		r.log.Log(Entry{Sev: 'I', Comp: "CONTROL", Text: "db version v" + r.bin.Version.String()})
		r.log.Log(Entry{Sev: 'I', Comp: "CONTROL", Text: "git version: " + r.bin.gitVersion()})
		r.log.Log(Entry{Sev: 'I', Comp: "CONTROL", Text: "allocator: " + r.bin.Allocator()})
		r.log.Log(Entry{Sev: 'I', Comp: "CONTROL", Text: "options: " + renderDoc(o.parsedOptions())})
		return
	}
	w := int32(r.bin.Release.Wire)
	if r.bin.atLeast("5.0") {
		r.log.Log(Entry{Sev: 'I', Comp: "NETWORK", ID: 4915701, Ctx: "main", Msg: "Initialized wire specification",
			Attr: bsonAttr("spec", bson.D{
				{Key: "incomingExternalClient", Value: bson.D{{Key: "minWireVersion", Value: int32(0)}, {Key: "maxWireVersion", Value: w}}},
				{Key: "incomingInternalClient", Value: bson.D{{Key: "minWireVersion", Value: int32(0)}, {Key: "maxWireVersion", Value: w}}},
				{Key: "outgoing", Value: bson.D{{Key: "minWireVersion", Value: int32(0)}, {Key: "maxWireVersion", Value: w}}},
				{Key: "isInternalClient", Value: true}})})
	}
	r.log.Info("CONTROL", 4615611, "MongoDB starting", bson.E{Key: "pid", Value: int32(os.Getpid())}, bson.E{Key: "port", Value: int32(o.Port)},
		bson.E{Key: "dbPath", Value: o.DBPath}, bson.E{Key: "architecture", Value: "64-bit"}, bson.E{Key: "host", Value: host})
	r.log.Info("CONTROL", 23403, "Build Info", bson.E{Key: "buildInfo", Value: bson.D{
		{Key: "version", Value: r.bin.Version.String()}, {Key: "gitVersion", Value: r.bin.gitVersion()},
		{Key: "openSSLVersion", Value: r.bin.Release.OpenSSL}, {Key: "modules", Value: bson.A{}},
		{Key: "allocator", Value: r.bin.Allocator()},
		{Key: "environment", Value: bson.D{{Key: "distmod", Value: r.bin.Release.DistMod}, {Key: "distarch", Value: distArch()}, {Key: "target_arch", Value: distArch()}}},
	}})
	r.log.Info("CONTROL", 21951, "Options set by command line", bson.E{Key: "options", Value: o.parsedOptions()})
}

// die kills the process by a signal (used for the kernel-6.19 SIGSEGV).
func die(sig syscall.Signal) { dieBySignal(sig) }

// loseDocument drops the last document of the first user collection that
// has one: the data loss mongostep's verification must catch.
func (r *runner) loseDocument() {
	for _, c := range r.state.Collections() {
		if c.DB == "admin" || c.DB == "local" || c.DB == "config" || c.Count() == 0 {
			continue
		}
		c.dropLast()
		r.log.Log(Entry{Sev: 'W', Comp: "STORAGE", ID: 90000020, Msg: "mongodsim: lose-document switch on, dropped the last document of " + nsOf(c.DB, c.Name)})
		return
	}
}
