package cli

import (
	"bytes"
	"strings"
	"testing"

	"github.com/spf13/pflag"
)

func run(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = Main(args, strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

// TestCompletionScripts: `mongostep completion SHELL` prints each shell's
// script, registered for the mongostep command.
func TestCompletionScripts(t *testing.T) {
	for shell, marker := range map[string]string{
		"bash":       "complete -o default -F __start_mongostep mongostep",
		"zsh":        "#compdef mongostep",
		"fish":       "complete -c mongostep",
		"powershell": "Register-ArgumentCompleter -CommandName 'mongostep'",
	} {
		code, out, errb := run(t, "completion", shell)
		if code != 0 || !strings.Contains(out, marker) {
			t.Errorf("completion %s: exit %d, output lacks %q (stderr %q)", shell, code, marker, errb)
		}
	}
}

// TestCompletionFollowsFlags: the scripts ask mongostep itself (the hidden
// __complete command), so what they offer is the command tree's flags: for
// every command, each of its flags is offered after "--".
func TestCompletionFollowsFlags(t *testing.T) {
	root := Command()
	offered := 0
	for _, c := range root.Commands() {
		if !c.IsAvailableCommand() || c.Name() == "completion" {
			continue
		}
		_, out, _ := run(t, "__complete", c.Name(), "--")
		c.NonInheritedFlags().VisitAll(func(f *pflag.Flag) {
			if f.Hidden {
				return
			}
			offered++
			if !hasLine(out, "--"+f.Name) {
				t.Errorf("mongostep %s --<TAB> does not offer --%s:\n%s", c.Name(), f.Name, out)
			}
		})
	}
	if offered < 10 {
		t.Fatalf("only %d flags checked", offered)
	}
	_, out, _ := run(t, "__complete", "")
	for _, c := range root.Commands() {
		if c.IsAvailableCommand() && !hasLine(out, c.Name()) {
			t.Errorf("mongostep <TAB> does not offer %s:\n%s", c.Name(), out)
		}
	}
}

// hasLine reports whether a __complete answer offers word (lines are
// "word<TAB>description").
func hasLine(out, word string) bool {
	for _, l := range strings.Split(out, "\n") {
		if w, _, _ := strings.Cut(l, "\t"); w == word {
			return true
		}
	}
	return false
}
