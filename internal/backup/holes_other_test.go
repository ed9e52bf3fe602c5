//go:build !unix

package backup

import "testing"

func checkHoles(*testing.T, string) {}
