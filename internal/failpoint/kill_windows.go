//go:build failpoints && windows

package failpoint

import "os"

func killSelf() { os.Exit(137) }
