//go:build !failpoints

package failpoint

// Enabled reports whether failpoints are compiled in.
const Enabled = false

// Hit is where a test may interrupt the run; without the build tag it does nothing.
func Hit(name string) {}

// Value returns a faked host fact; without the build tag there are none.
func Value(name string) (string, bool) { return "", false }
