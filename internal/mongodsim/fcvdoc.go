package mongodsim

import (
	"fmt"
	"strings"

	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/bson/bsontype"
)

// fcvDoc is a parsed FCV document.
type fcvDoc struct {
	Version, Target, Previous string
	raw                       bson.Raw
}

func (d fcvDoc) upgrading() bool   { return d.Target != "" && d.Target != d.Version }
func (d fcvDoc) downgrading() bool { return d.Target != "" && d.Target == d.Version }

// fcvProblem says why a binary rejects an FCV document.
type fcvProblem struct {
	kind  string // "value", "field", "missing", "order", "previous"
	field string
	found string
}

// parseFCVDoc validates raw against what binary b knows (spec §1.1): each version in it must be
// one of b's start-up FCVs; targetVersion is >= version; previousVersion only on 5.0+ downgrading docs.
func parseFCVDoc(b Binary, raw bson.Raw) (fcvDoc, *fcvProblem) {
	d := fcvDoc{raw: raw}
	elems, err := raw.Elements()
	if err != nil {
		return d, &fcvProblem{kind: "field", field: "<corrupt>"}
	}
	for _, e := range elems {
		k, v := e.Key(), e.Value()
		var dst *string
		switch {
		case k == "_id":
			continue
		case k == "version":
			dst = &d.Version
		case k == "targetVersion" && b.atLeast("3.6"):
			dst = &d.Target
		case k == "previousVersion" && b.HasPreviousVersion():
			dst = &d.Previous
		default:
			return d, &fcvProblem{kind: "field", field: k}
		}
		if v.Type != bsontype.String {
			return d, &fcvProblem{kind: "value", field: k, found: v.String()}
		}
		*dst = v.StringValue()
		if !b.KnowsFCV(*dst) {
			return d, &fcvProblem{kind: "value", field: k, found: *dst}
		}
	}
	switch {
	case d.Version == "":
		return d, &fcvProblem{kind: "missing", field: "version"}
	case d.Target != "" && !majorAtLeast(d.Target, d.Version):
		return d, &fcvProblem{kind: "order", field: "targetVersion", found: d.Target}
	case d.Previous != "" && !d.downgrading():
		return d, &fcvProblem{kind: "previous", field: "previousVersion", found: d.Previous}
	}
	return d, nil
}

// renderRaw prints a document like BSONObj::toString (FCV documents hold strings only).
func renderRaw(raw bson.Raw) string {
	elems, _ := raw.Elements()
	var d bson.D
	for _, e := range elems {
		v := e.Value()
		if s, ok := v.StringValueOK(); ok {
			d = append(d, bson.E{Key: e.Key(), Value: s})
		} else {
			d = append(d, bson.E{Key: e.Key(), Value: v.String()})
		}
	}
	return renderDoc(d)
}

// quotedList renders values as "'a' or 'b'".
func quotedList(vals []string, sep string) string {
	q := make([]string, len(vals))
	for i, v := range vals {
		q[i] = "'" + v + "'"
	}
	return strings.Join(q, sep)
}

func reversed(vals []string) []string {
	out := make([]string, len(vals))
	for i, v := range vals {
		out[len(vals)-1-i] = v
	}
	return out
}

// legacyStatus is the BadValue status of the 3.4-4.4 parser.
func legacyStatus(b Binary, raw bson.Raw, p *fcvProblem) string {
	contents := fmt.Sprintf("Contents of featureCompatibilityVersion document in admin.system.version: %s. See http://dochub.mongodb.org/core/%s-feature-compatibility.",
		renderRaw(raw), b.Release.Major)
	switch p.kind {
	case "field":
		return fmt.Sprintf("BadValue: Unrecognized field '%s'. %s", p.field, contents)
	case "missing":
		return fmt.Sprintf("BadValue: Missing required field '%s'. %s", p.field, contents)
	case "order":
		return fmt.Sprintf("BadValue: Invalid featureCompatibilityVersion document: targetVersion %s is lower than version. %s", p.found, contents)
	}
	return fmt.Sprintf("BadValue: Invalid value for %s, found %s, expected %s. %s",
		p.field, p.found, quotedList(reversed(b.Release.StartupFCVs), " or "), contents)
}

// modernStatus is the Location4926900 status of the 5.0+ parser.
func modernStatus(b Binary, raw bson.Raw, p *fcvProblem) string {
	see := fmt.Sprintf("See https://docs.mongodb.com/master/release-notes/%s-compatibility/#feature-compatibility.", b.Release.Major)
	var cause string
	switch p.kind {
	case "field":
		cause = fmt.Sprintf("Location40415: BSON field 'FeatureCompatibilityVersionDocument.%s' is an unknown field.", p.field)
	case "missing":
		cause = fmt.Sprintf("Location40414: BSON field 'FeatureCompatibilityVersionDocument.%s' is missing but a required field", p.field)
	case "previous":
		cause = "Location4926903: Non-downgrading FCV must not have a \"previousVersion\" field."
	case "order":
		cause = fmt.Sprintf("Invalid feature compatibility version value '%s'; targetVersion is lower than version", p.found)
	default:
		cause = fcvValueError(b, p.found) + ". " + see
	}
	return fmt.Sprintf("Location4926900: Invalid featureCompatibilityVersion document in admin.system.version: %s. %s :: caused by :: %s",
		renderRaw(raw), see, cause)
}

// fcvValueError is the per-version wording of "unknown FCV value" (spec §1.1 and after-8.0 §3).
func fcvValueError(b Binary, found string) string {
	fcvs := b.Release.StartupFCVs
	switch {
	case b.atLeast("8.2"):
		return fmt.Sprintf("Invalid feature compatibility version value '%s'. Expected one of: %s", found, quotedList(reversed(fcvs), ", "))
	case b.atLeast("7.0"):
		return fmt.Sprintf("Invalid feature compatibility version value '%s'; expected %s", found, quotedList(fcvs, " or "))
	default:
		return fmt.Sprintf("Invalid feature compatibility version value, expected %s", quotedList(fcvs, " or "))
	}
}

// upgradeProblem is the "UPGRADE PROBLEM: ..." reason for a rejected FCV document.
func upgradeProblem(b Binary, raw bson.Raw, p *fcvProblem) (preface, reason string) {
	maj := b.Release.Major
	switch {
	case maj == "3.6" || maj == "4.0":
		prev := b.LowestFCV()
		return legacyStatus(b, raw, p), fmt.Sprintf("UPGRADE PROBLEM: Unable to parse the featureCompatibilityVersion document. The data files need to be fully upgraded to version %s before attempting an upgrade to %s. If you are upgrading to %s, see http://dochub.mongodb.org/core/%s-upgrade-fcv.",
			prev, maj, maj, maj)
	case b.atLeast("5.0"):
		return "", fmt.Sprintf("UPGRADE PROBLEM: Found an invalid featureCompatibilityVersion document (ERROR: %s). If the current featureCompatibilityVersion is below %s, see the documentation on upgrading at https://docs.mongodb.com/master/release-notes/%s/#upgrade-procedures.",
			modernStatus(b, raw, p), b.LowestFCV(), maj)
	default:
		return "", fmt.Sprintf("UPGRADE PROBLEM: Found an invalid featureCompatibilityVersion document (ERROR: %s). If the current featureCompatibilityVersion is below %s, see the documentation on upgrading at http://dochub.mongodb.org/core/%s-upgrade-fcv.",
			legacyStatus(b, raw, p), b.LowestFCV(), maj)
	}
}

// fcvParameter is getParameter's featureCompatibilityVersion value: a string on 3.4, the
// document without _id from 3.6 on.
func fcvParameter(b Binary, s *State) any {
	raw := s.FCVDocument()
	if !b.HasFCVDocumentParameter() {
		if raw == nil {
			return "3.2"
		}
		v, _ := raw.Lookup("version").StringValueOK()
		return v
	}
	out := bson.D{}
	if raw == nil {
		return out
	}
	elems, _ := raw.Elements()
	for _, e := range elems {
		if e.Key() != "_id" {
			out = append(out, bson.E{Key: e.Key(), Value: e.Value()})
		}
	}
	return out
}
