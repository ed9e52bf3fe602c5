package mongodsim

import (
	"fmt"

	"go.mongodb.org/mongo-driver/bson"
)

// engineOpen is what the storage-engine open rules look at.
type engineOpen struct {
	turtle      WTVersion
	hasTurtle   bool
	unclean     bool   // mongod.lock was not empty
	lastVersion string // binary that last started successfully on the data ("" if unknown)
}

// engineRule is one reason the storage engine refuses to open the data files.
type engineRule struct {
	name    string
	refuses func(b Binary, e engineOpen) bool
	report  func(r *runner, e engineOpen) *startupExit
}

// engineRules are checked in order; the first that refuses ends the start. Add rules here.
var engineRules = []engineRule{
	{
		// WiredTiger >= 10 (MongoDB 4.4+) refuses a turtle older than WT_MIN_STARTUP_VERSION 3.2.0,
		// i.e. data last run by MongoDB <= 4.0; mongod then fasserts 4671205 (exit 14).
		name: "turtle older than 3.2.0",
		refuses: func(b Binary, e engineOpen) bool {
			return b.Release.WT.Major >= 10 && e.hasTurtle && e.turtle.less(3, 2, 0)
		},
		report: reportTurtleTooOld,
	},
	{
		// Simulated: a mongod.lock left non-empty by another major. Models WiredTiger refusing
		// or mis-recovering an unclean shutdown of a different release (WT-8395, SERVER-54725):
		// the tool must recover with the version that last ran.
		name: "unclean shutdown by another major",
		refuses: func(b Binary, e engineOpen) bool {
			if !e.unclean || e.lastVersion == "" {
				return false
			}
			last, err := ParseVersion(e.lastVersion)
			return err == nil && last.MajorString() != b.Release.Major
		},
		report: reportUncleanOtherMajor,
	},
}

func checkEngineRules(r *runner, e engineOpen) *startupExit {
	for _, rule := range engineRules {
		if rule.refuses(r.bin, e) {
			return rule.report(r, e)
		}
	}
	return nil
}

func reportTurtleTooOld(r *runner, e engineOpen) *startupExit {
	detected := fmt.Sprintf("%d.%d.%d", e.turtle.Major, e.turtle.Minor, e.turtle.Patch)
	r.log.Log(Entry{Sev: 'E', Comp: "STORAGE", ID: 22435, Msg: "WiredTiger error", Attr: bson.D{
		{Key: "error", Value: int32(-31802)},
		{Key: "message", Value: "__wt_turtle_validate_version: WiredTiger version incompatible with current binary: " +
			"Detected version " + detected + ", Minimum version 3.2.0: WT_ERROR: non-specific WiredTiger error"},
	}})
	r.log.Log(Entry{Sev: 'F', Comp: "STORAGE", ID: 4671205,
		Msg: "This version of MongoDB is too recent to start up on the existing data files. Try MongoDB 4.2 or earlier."})
	return r.fassert(4671205, "src/mongo/db/storage/wiredtiger/wiredtiger_kv_engine.cpp")
}

func reportUncleanOtherMajor(r *runner, e engineOpen) *startupExit {
	last, _ := ParseVersion(e.lastVersion)
	msg := fmt.Sprintf("data not shut down cleanly by mongod %s; recover it with %s first (simulated): start mongod %s on this dbpath, let it recover, shut it down cleanly, then start %s",
		e.lastVersion, last.MajorString(), last.MajorString(), r.bin.Version)
	r.log.Log(Entry{Sev: 'F', Comp: "STORAGE", ID: 90000001, Msg: msg,
		Attr: bson.D{{Key: "lastVersion", Value: e.lastVersion}, {Key: "thisVersion", Value: r.bin.Version.String()}}})
	return r.fassert(90000001, "src/mongo/db/storage/wiredtiger/wiredtiger_kv_engine.cpp (mongodsim)")
}
