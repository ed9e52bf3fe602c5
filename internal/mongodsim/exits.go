package mongodsim

import "go.mongodb.org/mongo-driver/bson"

// Exit codes (mongo's exit_code.h).
const (
	ExitClean         = 0
	ExitFail          = 1
	ExitBadOptions    = 2
	ExitNeedUpgrade   = 4
	ExitAbrupt        = 14
	ExitNetError      = 48
	ExitNeedDowngrade = 62
	ExitUncaught      = 100
)

// startupExit ends a start-up early. clean=true runs the clean-exit path (engine closed, turtle
// rewritten, mongod.lock truncated) like exitCleanly(); clean=false is quickExit() after an
// fassert: nothing is tidied and mongod.lock keeps whatever it held.
type startupExit struct {
	code  int
	clean bool
}

func (e *startupExit) Error() string { return "start-up failed" }

// fassert logs a fatal assertion the way the binary's version does and returns the abrupt exit.
func (r *runner) fassert(msgid int, file string) *startupExit {
	if r.bin.JSONLog() {
		r.log.Log(Entry{Sev: 'F', ID: 23091, Msg: "Fatal assertion",
			Attr: bson.D{{Key: "msgid", Value: int32(msgid)}, {Key: "file", Value: file}, {Key: "line", Value: int32(1)}}})
		r.log.Log(Entry{Sev: 'F', ID: 23092, Msg: "\n\n***aborting after fassert() failure\n\n"})
	} else {
		r.log.Log(Entry{Sev: 'F', Text: "Fatal Assertion " + itoa(msgid) + " at " + file + " 1"})
		r.log.Log(Entry{Sev: 'F', Text: "\n\n***aborting after fassert() failure\n\n"})
	}
	return &startupExit{code: ExitAbrupt}
}

// uncaught logs "exception in initAndListen ... terminating" (3.x-4.2) or id 20557 (4.4+) and
// returns exit 100 through the clean path when cleanPath is true.
func (r *runner) uncaught(status string, cleanPath bool) *startupExit {
	if r.bin.JSONLog() {
		r.log.Log(Entry{Sev: 'E', Comp: "STORAGE", ID: 20557, Msg: "DBException in initAndListen, terminating",
			Attr: bson.D{{Key: "error", Value: status}}})
	} else {
		r.log.Log(Entry{Sev: 'I', Comp: "STORAGE", Text: "exception in initAndListen: " + status + ", terminating"})
	}
	return &startupExit{code: ExitUncaught, clean: cleanPath}
}
