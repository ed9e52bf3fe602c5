package backup

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// TestCancel cancels Run after a number of chunks and checks that no final
// name exists, during the run or after it.
func TestCancel(t *testing.T) {
	for _, after := range []int{0, 1, 3} {
		t.Run("", func(t *testing.T) {
			dir := t.TempDir()
			src := filepath.Join(dir, "src")
			makeTree(t, src)
			archive, copyDir := filepath.Join(dir, "b.tar.gz"), filepath.Join(dir, "copy")
			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			chunks := 0
			testHookChunk = func() {
				for _, p := range []string{archive, ManifestPath(archive), copyDir} {
					if _, err := os.Lstat(p); err == nil {
						t.Errorf("%s exists while the backup is running", p)
					}
				}
				if chunks++; chunks == after {
					cancel()
				}
			}
			defer func() { testHookChunk = nil }()
			if after == 0 {
				cancel()
			}
			_, err := Run(ctx, Options{Source: src, Archive: archive, CopyTo: copyDir})
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("Run after cancel: %v, want context.Canceled", err)
			}
			for _, p := range []string{archive, ManifestPath(archive), copyDir} {
				if _, err := os.Lstat(p); err == nil {
					t.Errorf("%s exists after a cancelled backup", p)
				}
			}
			assertNoPartial(t, dir)
		})
	}
}
