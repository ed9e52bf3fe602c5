package mongodsim

import (
	"strings"
	"testing"

	"go.mongodb.org/mongo-driver/bson"
)

func fcvRaw(kv ...string) bson.Raw {
	d := bson.D{{Key: "_id", Value: FCVDocumentID}}
	for i := 0; i+1 < len(kv); i += 2 {
		d = append(d, bson.E{Key: kv[i], Value: kv[i+1]})
	}
	return mustMarshal(d)
}

func TestParseFCVDoc(t *testing.T) {
	for _, tc := range []struct {
		bin  string
		doc  bson.Raw
		kind string // "" = accepted
	}{
		{"4.0.28", fcvRaw("version", "3.6"), ""},
		{"4.0.28", fcvRaw("version", "3.6", "targetVersion", "4.0"), ""},
		{"4.0.28", fcvRaw("version", "3.4"), "value"},
		{"4.4.29", fcvRaw("version", "4.2", "targetVersion", "4.2"), ""},
		{"4.4.29", fcvRaw("version", "4.2", "previousVersion", "4.4"), "field"},
		{"5.0.31", fcvRaw("version", "4.2", "targetVersion", "4.4"), "value"}, // 4.4's unfinished setFCV
		{"5.0.31", fcvRaw("version", "4.4", "targetVersion", "4.4", "previousVersion", "5.0"), ""},
		{"5.0.31", fcvRaw("version", "4.4", "targetVersion", "5.0", "previousVersion", "5.0"), "previous"},
		{"5.0.31", fcvRaw("version", "5.0", "targetVersion", "4.4"), "order"},
		{"6.0.26", fcvRaw("version", "5.3"), ""},
		{"8.3.9", fcvRaw("version", "8.2", "targetVersion", "8.3"), ""},
		{"8.3.9", fcvRaw("version", "8.1"), "value"},
		{"8.0.26", fcvRaw("targetVersion", "8.0"), "missing"},
		{"8.0.26", fcvRaw("version", "8.0", "color", "red"), "field"},
	} {
		_, p := parseFCVDoc(mustBinary(t, tc.bin), tc.doc)
		got := ""
		if p != nil {
			got = p.kind
		}
		if got != tc.kind {
			t.Errorf("%s on %s: problem %q, want %q", tc.bin, tc.doc, got, tc.kind)
		}
	}
}

func TestUpgradeProblemTexts(t *testing.T) {
	b := mustBinary(t, "4.2.24")
	doc := fcvRaw("version", "3.6")
	_, p := parseFCVDoc(b, doc)
	_, reason := upgradeProblem(b, doc, p)
	want := `UPGRADE PROBLEM: Found an invalid featureCompatibilityVersion document (ERROR: BadValue: Invalid value for version, found 3.6, expected '4.2' or '4.0'. Contents of featureCompatibilityVersion document in admin.system.version: { _id: "featureCompatibilityVersion", version: "3.6" }. See http://dochub.mongodb.org/core/4.2-feature-compatibility.). If the current featureCompatibilityVersion is below 4.0`
	if !strings.HasPrefix(reason, want) {
		t.Fatalf("4.2 reason:\n%s\nwant prefix\n%s", reason, want)
	}
	b = mustBinary(t, "3.6.23")
	doc = fcvRaw("version", "3.2")
	_, p = parseFCVDoc(b, doc)
	preface, reason := upgradeProblem(b, doc, p)
	if !strings.HasPrefix(preface, "BadValue: Invalid value for version, found 3.2, expected '3.6' or '3.4'") ||
		!strings.HasPrefix(reason, "UPGRADE PROBLEM: Unable to parse the featureCompatibilityVersion document. The data files need to be fully upgraded to version 3.4 before attempting an upgrade to 3.6.") {
		t.Fatalf("3.6 texts:\n%s\n%s", preface, reason)
	}
}

func TestPlanSetFCV(t *testing.T) {
	b5 := mustBinary(t, "5.0.31")
	up, err := planSetFCV(b5, fcvDoc{Version: "4.4"}, "5.0")
	if err != nil || up.direction != "upgrade" || renderDoc(up.transitional) != `{ version: "4.4", targetVersion: "5.0" }` {
		t.Fatalf("upgrade plan %+v %v", up, err)
	}
	down, err := planSetFCV(b5, fcvDoc{Version: "5.0"}, "4.4")
	if err != nil || down.direction != "downgrade" || renderDoc(down.transitional) != `{ version: "4.4", targetVersion: "4.4", previousVersion: "5.0" }` {
		t.Fatalf("downgrade plan %+v %v", down, err)
	}
	down4, _ := planSetFCV(mustBinary(t, "4.4.29"), fcvDoc{Version: "4.4"}, "4.2")
	if renderDoc(down4.transitional) != `{ version: "4.2", targetVersion: "4.2" }` {
		t.Fatalf("4.4 downgrade has no previousVersion: %v", down4.transitional)
	}
	if p, _ := planSetFCV(b5, fcvDoc{Version: "5.0"}, "5.0"); !p.noop {
		t.Fatal("same FCV must be a no-op")
	}
	if _, err := planSetFCV(b5, fcvDoc{Version: "4.4", Target: "4.4", Previous: "5.0"}, "5.0"); err == nil || !strings.Contains(err.Error(), "Finish downgrade to 4.4") {
		t.Fatalf("upgrade during downgrade: %v", err)
	}
	if p, err := planSetFCV(b5, fcvDoc{Version: "4.4", Target: "5.0"}, "5.0"); err != nil || p.noop || renderDoc(p.final) != `{ version: "5.0" }` {
		t.Fatalf("resume: %+v %v", p, err)
	}
	if confirmMessage("upgrade", "8.0") != "Once you have upgraded to 8.0, you will not be able to downgrade FCV and binary version without support assistance. Please re-run this command with 'confirm: true' to acknowledge this and continue with the FCV upgrade." {
		t.Fatal("confirm text changed")
	}
}
