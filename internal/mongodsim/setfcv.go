package mongodsim

import (
	"fmt"
	"os"
	"syscall"
	"time"

	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/bson/bsontype"
)

// setFCVRequest is a validated setFeatureCompatibilityVersion command.
type setFCVRequest struct {
	target  string
	confirm bool
	dryRun  bool
}

func parseSetFCV(c *cmdCtx) (setFCVRequest, error) {
	b := c.bin()
	var req setFCVRequest
	elems, _ := c.body.Elements()
	for _, e := range elems {
		k, v := e.Key(), e.Value()
		switch {
		case k == "setFeatureCompatibilityVersion":
			s, ok := v.StringValueOK()
			if !ok {
				return req, errf(codeTypeMismatch, "Command argument must be of type String, but was of type %s in: %s", v.Type, c.body.String())
			}
			req.target = s
		case k == "confirm" && b.Release.Confirm == ConfirmRequired:
			req.confirm = truthy(v)
		case k == "dryRun" && b.Release.DryRun:
			req.dryRun = truthy(v)
		case genericFields[k] || (k == "fromConfigServer" && b.atLeast("4.0")):
		default:
			return req, errf(codeUnknownField, "BSON field 'setFeatureCompatibilityVersion.%s' is an unknown field.", k)
		}
	}
	if !contains(b.Release.SetFCVTargets, req.target) {
		return req, errf(codeBadValue, "Invalid command argument. Expected %s, found %s in: %s. See http://dochub.mongodb.org/core/%s-feature-compatibility.",
			quotedList(reversed(b.Release.SetFCVTargets), " or "), req.target, c.body.String(), b.Release.Major)
	}
	return req, nil
}

func truthy(v bson.RawValue) bool {
	if v.Type == bsontype.Boolean {
		return v.Boolean()
	}
	n, ok := v.AsInt64OK()
	return ok && n != 0
}

// fcvTransition is the document sequence a setFCV writes: the transitional one, then the final one.
type fcvTransition struct {
	noop         bool
	direction    string // "upgrade" / "downgrade"
	transitional bson.D
	final        bson.D
}

// planSetFCV works out what setFCV to target does from the current FCV document.
func planSetFCV(b Binary, cur fcvDoc, target string) (fcvTransition, error) {
	t := fcvTransition{final: bson.D{{Key: "version", Value: target}}}
	switch {
	case cur.Target == "" && cur.Version == target:
		t.noop = true
		return t, nil
	case cur.downgrading() && target != cur.Version:
		return t, errf(codeIllegalOperation, "cannot initiate setting featureCompatibilityVersion to %s while a previous featureCompatibilityVersion downgrade to %s has not completed. Finish downgrade to %s, then upgrade to %s.",
			target, cur.Version, cur.Version, target)
	case cur.upgrading() && target != cur.Target && target != cur.Version:
		return t, errf(codeIllegalOperation, "cannot initiate setting featureCompatibilityVersion to %s while a previous featureCompatibilityVersion upgrade to %s has not completed.",
			target, cur.Target)
	}
	if majorAtLeast(target, cur.Version) && target != cur.Version {
		t.direction = "upgrade"
		t.transitional = bson.D{{Key: "version", Value: cur.Version}, {Key: "targetVersion", Value: target}}
		return t, nil
	}
	t.direction = "downgrade"
	from := cur.Version
	if cur.upgrading() {
		from = cur.Target
	}
	if cur.downgrading() && cur.Previous != "" {
		from = cur.Previous
	}
	t.transitional = bson.D{{Key: "version", Value: target}, {Key: "targetVersion", Value: target}}
	if b.HasPreviousVersion() && from != target {
		t.transitional = append(t.transitional, bson.E{Key: "previousVersion", Value: from})
	}
	return t, nil
}

func confirmMessage(direction, target string) string {
	if direction == "downgrade" {
		return "Once you have downgraded the FCV, if you choose to downgrade the binary version, it will require support assistance. Please re-run this command with 'confirm: true' to acknowledge this and continue with the FCV downgrade."
	}
	return fmt.Sprintf("Once you have upgraded to %s, you will not be able to downgrade FCV and binary version without support assistance. Please re-run this command with 'confirm: true' to acknowledge this and continue with the FCV upgrade.", target)
}

func cmdSetFCV(c *cmdCtx) (bson.D, error) {
	r := c.s.r
	req, err := parseSetFCV(c)
	if err != nil {
		return nil, err
	}
	cur := r.currentFCV()
	plan, err := planSetFCV(r.bin, cur, req.target)
	if err != nil {
		return nil, err
	}
	if r.fail.has(FailCannotUpgrd) && plan.direction == "upgrade" && !plan.noop {
		return nil, errf(codeCannotUpgrade, "Cannot upgrade featureCompatibilityVersion to %s: collection app.legacy uses a feature that MongoDB %s removed (simulated by mongodsim); fix it on the current version first", req.target, req.target)
	}
	if req.dryRun {
		return bson.D{{Key: "dryRun", Value: true}}, nil
	}
	if plan.noop {
		return bson.D{}, nil
	}
	if r.bin.Release.Confirm == ConfirmRequired && !req.confirm {
		return nil, errf(codeFCVConfirm, "%s", confirmMessage(plan.direction, req.target))
	}
	r.logSetFCV(req.target)
	if r.bin.Release.Major != "3.4" {
		r.state.SetFCVDocument(plan.transitional, r.newCollectionsGetUUID())
		if err := r.persist(); err != nil {
			return nil, err
		}
		if r.fail.has(FailCrashSetFCV) {
			r.log.Log(Entry{Sev: 'W', Comp: "CONTROL", ID: 90000003, Msg: "mongodsim: crash-setfcv switch on, killing myself after writing the transitional FCV document"})
			_ = syscall.Kill(os.Getpid(), syscall.SIGKILL)
			select {}
		}
	}
	if r.bin.Release.Major == "3.6" {
		if req.target == "3.6" {
			r.state.AssignUUIDs()
		} else {
			r.state.StripUUIDs()
		}
	}
	r.state.SetFCVDocument(plan.final, r.newCollectionsGetUUID())
	if err := r.persist(); err != nil {
		return nil, err
	}
	if err := r.checkpoint(time.Now()); err != nil {
		r.log.Log(Entry{Sev: 'E', Comp: "STORAGE", ID: 90000012, Msg: "mongodsim: checkpoint after setFeatureCompatibilityVersion failed", Attr: bsonAttr("error", err.Error())})
		return nil, errf(1, "mongodsim: the featureCompatibilityVersion change is saved, but writing the WiredTiger checkpoint failed: %v", err)
	}
	return bson.D{}, nil
}

// currentFCV is the FCV document in effect (a missing one reads as the 3.4-era "3.2").
func (r *runner) currentFCV() fcvDoc {
	raw := r.state.FCVDocument()
	if raw == nil {
		return fcvDoc{Version: "3.2"}
	}
	d, _ := parseFCVDoc(r.bin, raw)
	return d
}

func (r *runner) logSetFCV(target string) {
	if r.bin.JSONLog() {
		r.log.Log(Entry{Sev: 'I', Comp: "COMMAND", ID: 6744302, Ctx: "conn", Msg: "setting featureCompatibilityVersion",
			Attr: bson.D{{Key: "newVersion", Value: target}}})
		return
	}
	r.log.Log(Entry{Sev: 'I', Comp: "COMMAND", Ctx: "conn", Text: "setting featureCompatibilityVersion to " + target})
}
