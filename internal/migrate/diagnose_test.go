package migrate

import (
	"strings"
	"testing"

	"github.com/mongostep/mongostep/internal/plan"
	"github.com/mongostep/mongostep/internal/runtime"
)

func TestExplainExits(t *testing.T) {
	step := plan.Step{Version: plan.MustVersion("8.0"), Action: plan.ActionUpgrade, SetFCV: plan.MustVersion("8.0")}
	cases := []struct {
		exit runtime.Exit
		host runtime.Host
		want string
	}{
		{runtime.Exit{Code: 62}, runtime.Host{}, "refused the data's featureCompatibilityVersion"},
		{runtime.Exit{Code: 14, LogTail: []string{`{"msg":"Fatal assertion","attr":{"msgid":4671205}}`}}, runtime.Host{}, "too recent"},
		{runtime.Exit{Code: -1, Signal: 4}, runtime.Host{}, "illegal instruction"},
		{runtime.Exit{Code: 1, LogTail: []string{`"id":12257600`}}, runtime.Host{Kernel: "6.19.1"}, "cannot run on Linux kernel 6.19.1"},
		{runtime.Exit{Code: -1, Signal: 11}, runtime.Host{Kernel: "6.19.1"}, "cannot run on Linux kernel"},
		{runtime.Exit{Code: -1, Signal: 11}, runtime.Host{Kernel: "6.1.0"}, "crashed (SIGSEGV"},
		{runtime.Exit{Code: 100, LogTail: []string{"DBPathInUse: Unable to lock"}}, runtime.Host{}, "another mongod holds"},
		{runtime.Exit{Code: 4}, runtime.Host{}, "MONGODB-CR"},
		{runtime.Exit{Code: 0, LockEmpty: false}, runtime.Host{}, "left mongod.lock non-empty"},
	}
	for _, c := range cases {
		err := &runtime.ExitError{Version: step.Version, Exit: c.exit, During: "start-up"}
		what, fix := explain(err, step, c.host)
		if !strings.Contains(what, c.want) || fix == "" {
			t.Errorf("exit %+v: %q / %q, want %q", c.exit, what, fix, c.want)
		}
	}
}
