package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/mongostep/mongostep/internal/cli"
)

const committed = "../../../docs/man"

// thDate reads the date of the committed pages from mongostep.1's .TH line.
func thDate(t *testing.T) time.Time {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(committed, "mongostep.1"))
	if err != nil {
		t.Fatalf("read the committed man page: %v (run `make man` and commit docs/man)", err)
	}
	m := regexp.MustCompile(`(?m)^\.TH "MONGOSTEP" "1" "([A-Z][a-z]{2} \d{4})"`).FindSubmatch(b)
	if m == nil {
		t.Fatalf("docs/man/mongostep.1 has no .TH line with a date:\n%.300s", b)
	}
	d, err := time.Parse("Jan 2006", string(m[1]))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// TestCommittedPagesAreCurrent regenerates the pages with the date the
// committed ones carry: any other difference is a command, flag or text
// that changed without `make man`.
func TestCommittedPagesAreCurrent(t *testing.T) {
	fresh := t.TempDir()
	names, err := Write(fresh, thDate(t))
	if err != nil {
		t.Fatal(err)
	}
	old, _ := filepath.Glob(filepath.Join(committed, "*.1"))
	var oldNames []string
	for _, p := range old {
		oldNames = append(oldNames, filepath.Base(p))
	}
	if !reflect.DeepEqual(names, oldNames) {
		t.Fatalf("docs/man holds %q, the command tree gives %q: run `make man` and commit docs/man", oldNames, names)
	}
	for _, n := range names {
		want, _ := os.ReadFile(filepath.Join(fresh, n))
		got, _ := os.ReadFile(filepath.Join(committed, n))
		if !bytes.Equal(got, want) {
			t.Errorf("docs/man/%s is out of date (first difference: %s): run `make man` and commit docs/man", n, firstDiff(string(got), string(want)))
		}
	}
}

// TestEveryFlagHasItsPage walks the command tree: every command has a page
// that names each of its flags.
func TestEveryFlagHasItsPage(t *testing.T) {
	dir := t.TempDir()
	if _, err := Write(dir, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	var visit func(c *cobra.Command)
	checked := 0
	visit = func(c *cobra.Command) {
		if !c.IsAvailableCommand() && c.HasParent() {
			return
		}
		page := strings.ReplaceAll(c.CommandPath(), " ", "-") + ".1"
		b, err := os.ReadFile(filepath.Join(dir, page))
		if err != nil {
			t.Errorf("command %q has no page: %v", c.CommandPath(), err)
			return
		}
		c.NonInheritedFlags().VisitAll(func(f *pflag.Flag) {
			if f.Hidden || f.Name == "help" {
				return
			}
			checked++
			if roff := `\fB--` + f.Name + `\fP`; !strings.Contains(string(b), roff) {
				t.Errorf("%s does not document --%s", page, f.Name)
			}
		})
		for _, sub := range c.Commands() {
			visit(sub)
		}
	}
	visit(cli.Command())
	if checked < 10 {
		t.Fatalf("only %d flags checked: the walk missed the tree", checked)
	}
}

func firstDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < len(al) || i < len(bl); i++ {
		var x, y string
		if i < len(al) {
			x = al[i]
		}
		if i < len(bl) {
			y = bl[i]
		}
		if x != y {
			return fmt.Sprintf("line %d: committed %q, generated %q", i+1, x, y)
		}
	}
	return "none"
}
