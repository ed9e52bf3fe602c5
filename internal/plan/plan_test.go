package plan

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

func stepVersions(p *Plan) []string {
	var out []string
	for _, s := range p.Steps {
		out = append(out, string(s.Action)+":"+s.Version.String()+"@"+s.Image)
	}
	return out
}

func TestClearMLDefaultPath(t *testing.T) {
	tgt, err := ParseTarget(DefaultTarget)
	if err != nil {
		t.Fatal(err)
	}
	p, err := Make(Source{LastRun: MustVersion("3.6"), Clean: true}, tgt, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"settle:3.6@mongo:3.6.23", "upgrade:4.0@mongo:4.0.27", "upgrade:4.2@mongo:4.2.16", "upgrade:4.4@mongo:4.4.9"}
	if got := stepVersions(p); !reflect.DeepEqual(got, want) {
		t.Fatalf("steps = %v, want %v", got, want)
	}
	for _, s := range p.Steps {
		if s.Confirm {
			t.Errorf("step %s must not send confirm (rejected before 7.0)", s.Version)
		}
	}
}

func TestPathTo80ConfirmFrom70(t *testing.T) {
	tgt, _ := ParseTarget("8.0")
	p, err := Make(Source{LastRun: MustVersion("3.6"), Clean: true}, tgt, map[Version]string{MustVersion("5.0"): "local/mongo:5"})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Steps) != 8 {
		t.Fatalf("want 8 steps (3.6 settle + 7 upgrades), got %v", stepVersions(p))
	}
	for _, s := range p.Steps {
		want := !s.Version.Less(MustVersion("7.0"))
		if s.Confirm != want {
			t.Errorf("step %s confirm=%v, want %v", s.Version, s.Confirm, want)
		}
		if s.Version == MustVersion("5.0") && s.Image != "local/mongo:5" {
			t.Errorf("--image override ignored: %s", s.Image)
		}
	}
}

func TestShortestPathAfter80(t *testing.T) {
	cases := map[string][]string{
		"8.2>9.0": {"8.2", "8.3", "9.0"},
		"8.0>9.0": {"8.0", "9.0"},
		"7.0>8.3": {"7.0", "8.0", "8.3"},
		"8.0>8.2": {"8.0", "8.2"},
	}
	for k, want := range cases {
		a, b, _ := strings.Cut(k, ">")
		path, err := shortestPath(MustVersion(a), MustVersion(b))
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, v := range path {
			got = append(got, v.String())
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: path %v, want %v", k, got, want)
		}
	}
}

func TestClearMLFinalImageAndLagSettle(t *testing.T) {
	tgt, _ := ParseTarget("clearml-2.0")
	p, err := Make(Source{LastRun: MustVersion("4.4"), Clean: false}, tgt, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"settle:4.4@mongo:4.4.9", "upgrade:5.0@mongo:5.0.31", "upgrade:6.0@mongo:6.0.19"}
	if got := stepVersions(p); !reflect.DeepEqual(got, want) {
		t.Fatalf("steps = %v, want %v (the last step runs ClearML's own image)", got, want)
	}
	if !strings.Contains(p.Steps[0].Why, "unclean") {
		t.Errorf("settle step must say it recovers the unclean shutdown: %q", p.Steps[0].Why)
	}
}

func TestRefusals(t *testing.T) {
	tgt, _ := ParseTarget("4.4")
	if _, err := Make(Source{LastRun: MustVersion("5.0"), Clean: true}, tgt, nil); !errors.Is(err, ErrDowngrade) {
		t.Errorf("downgrade: err = %v", err)
	}
	if _, err := Make(Source{}, tgt, nil); !errors.Is(err, ErrUnknownLastRun) {
		t.Errorf("unknown: err = %v", err)
	}
	if _, err := Make(Source{LastRun: MustVersion("3.2"), Clean: true}, tgt, nil); !errors.Is(err, ErrUnsupported) {
		t.Errorf("3.2: err = %v", err)
	}
	p, err := Make(Source{LastRun: MustVersion("4.4"), Clean: true}, tgt, nil)
	if err != nil || !p.AlreadyAtTarget || len(p.Steps) != 0 {
		t.Errorf("at target: %+v %v", p, err)
	}
	for _, bad := range []string{"3.6", "4.1", "clearml-9", "x"} {
		if _, err := ParseTarget(bad); err == nil {
			t.Errorf("ParseTarget(%q) accepted", bad)
		}
	}
}

func Test34RecoverThenStartAt36(t *testing.T) {
	tgt, _ := ParseTarget("4.0")
	p, err := Make(Source{LastRun: MustVersion("3.4"), Clean: false}, tgt, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"recover:3.4@mongo:3.4.24", "upgrade:3.6@mongo:3.6.23", "upgrade:4.0@mongo:4.0.27"}
	if got := stepVersions(p); !reflect.DeepEqual(got, want) {
		t.Fatalf("steps = %v, want %v", got, want)
	}
}

func TestCanRaise(t *testing.T) {
	ok := []struct {
		bin string
		f   FCV
	}{
		{"4.0", FCV{Version: "3.6"}},
		{"4.4", FCV{Version: "4.2", TargetVersion: "4.4"}},
		{"7.0", FCV{Version: "6.0", TargetVersion: "6.0", PreviousVersion: "7.0"}},
	}
	for _, c := range ok {
		if err := CanRaise(MustVersion(c.bin), c.f); err != nil {
			t.Errorf("%s on %v: %v", c.bin, c.f, err)
		}
	}
	if err := CanRaise(MustVersion("5.0"), FCV{Version: "4.2", TargetVersion: "4.4"}); err == nil {
		t.Error("5.0 must refuse an interrupted 4.2->4.4 transition")
	}
}

func TestMajorsForWiredTiger(t *testing.T) {
	got := MajorsForWiredTiger(10, 0)
	if len(got) != 3 || got[0] != MustVersion("4.4") || got[2] != MustVersion("6.0") {
		t.Errorf("10.0 -> %v", got)
	}
	if got := MajorsForWiredTiger(11, 3); len(got) != 1 || got[0] != MustVersion("8.0") {
		t.Errorf("11.3 -> %v", got)
	}
}
