package mongodsim

import (
	"fmt"
	"strings"

	"go.mongodb.org/mongo-driver/bson"
)

// checkFCV is start-up step 6 (spec §1.1/§1.2) plus the MONGODB-CR check. It may set r.createFCV
// for a clean start-up (only the local database).
func (r *runner) checkFCV() *startupExit {
	b, s := r.bin, r.state
	raw := s.FCVDocument()
	if b.Release.Major == "3.4" {
		return r.checkFCV34(raw)
	}
	noUUID := s.CollectionsWithoutUUID()
	if raw == nil {
		switch {
		case !s.HasNonLocalData():
			r.createFCV = true
			return nil
		case len(noUUID) > 0:
			return r.needsUUIDs(noUUID)
		}
		r.logFatalText("CONTROL", 21021, "Unable to start up mongod due to missing featureCompatibilityVersion document.")
		r.logFatalText("CONTROL", 21022, "Please run with --repair to restore the document.")
		return r.fassert(40652, "src/mongo/db/repair_database_and_check_version.cpp")
	}
	if b.RequiresUUIDs() && len(noUUID) > 0 {
		return r.needsUUIDs(noUUID)
	}
	doc, problem := parseFCVDoc(b, raw)
	if problem != nil {
		preface, reason := upgradeProblem(b, raw, problem)
		if preface != "" {
			r.log.Log(Entry{Sev: 'F', Comp: "CONTROL", Text: preface})
		}
		return r.wrongVersion(reason)
	}
	if b.atLeast("4.0") {
		if v, ok := s.AuthSchemaVersion(); ok && v <= 3 {
			r.logFatalText("ACCESS", 20254, "This server is using MONGODB-CR, an authentication mechanism which has been removed from MongoDB 4.0. In order to upgrade the auth schema, first downgrade MongoDB binaries to version 3.6 and then run the authSchemaUpgrade command.")
			return &startupExit{code: ExitNeedUpgrade, clean: true}
		}
	}
	if doc.Target != "" {
		r.warnTransitional(doc)
	}
	return nil
}

func (r *runner) checkFCV34(raw bson.Raw) *startupExit {
	if raw == nil {
		r.createFCV = !r.state.HasNonLocalData()
		return nil
	}
	if _, problem := parseFCVDoc(r.bin, raw); problem != nil {
		return r.uncaught(legacyStatus(r.bin, raw, problem), true)
	}
	return nil
}

// needsUUIDs: 3.6 on 3.2-era data (no FCV document, no UUIDs), or 4.0+ on data whose FCV 3.6 was
// never set on 3.6.
func (r *runner) needsUUIDs(ns []string) *startupExit {
	maj := r.bin.Release.Major
	need := "3.6"
	if maj == "3.6" {
		need = "3.4"
	}
	r.log.Log(Entry{Sev: 'I', Comp: "STORAGE", ID: 21025, Msg: "Collections without UUIDs",
		Attr: bson.D{{Key: "namespaces", Value: strings.Join(ns, ", ")}}})
	return r.wrongVersion(fmt.Sprintf("UPGRADE PROBLEM: The data files need to be fully upgraded to version %s before attempting an upgrade to %s; see http://dochub.mongodb.org/core/%s-upgrade-fcv for more details.",
		need, maj, maj))
}

// wrongVersion logs the reason and returns exit 62 through the clean path.
func (r *runner) wrongVersion(reason string) *startupExit {
	if r.bin.JSONLog() {
		r.log.Log(Entry{Sev: 'F', Comp: "CONTROL", ID: 20573, Msg: "Wrong mongod version", Attr: bson.D{{Key: "error", Value: reason}}})
	} else {
		r.log.Log(Entry{Sev: 'F', Comp: "CONTROL", Text: "** IMPORTANT: " + reason})
	}
	return &startupExit{code: ExitNeedDowngrade, clean: true}
}

func (r *runner) logFatalText(comp string, id int, msg string) {
	r.log.Log(Entry{Sev: 'F', Comp: comp, ID: id, Msg: msg})
}

// warnTransitional logs the "setFCV did not complete" start-up warning.
func (r *runner) warnTransitional(d fcvDoc) {
	dir, to := "upgrade", d.Target
	if d.downgrading() {
		dir = "downgrade"
	}
	if r.bin.atLeast("5.0") {
		cur := fmt.Sprintf("upgrading from %s to %s", d.Version, d.Target)
		if d.downgrading() {
			cur = fmt.Sprintf("downgrading from %s to %s", d.Previous, d.Target)
		}
		r.log.Log(Entry{Sev: 'W', Comp: "CONTROL", ID: 21011, StartupWarning: true,
			Msg:  "A featureCompatibilityVersion upgrade/downgrade did not complete. To fix this, use the setFeatureCompatibilityVersion command to resume the upgrade/downgrade",
			Attr: bson.D{{Key: "currentfeatureCompatibilityVersion", Value: cur}}})
		return
	}
	text := fmt.Sprintf("** WARNING: A featureCompatibilityVersion %s did not complete. The current featureCompatibilityVersion is %s. To fix this, use the setFeatureCompatibilityVersion command to resume %s to %s.",
		dir, d.Version, dir, to)
	r.log.Log(Entry{Sev: 'W', Comp: "CONTROL", ID: 21014, Msg: text, Text: text, StartupWarning: true})
}
