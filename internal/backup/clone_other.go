//go:build !linux && !darwin

package backup

import "os"

func cloneFile(*os.File, string) error { return errNoClone }
