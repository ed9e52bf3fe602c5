package migrate

import (
	"strconv"

	"github.com/mongostep/mongostep/internal/failpoint"
)

// fakeFreeBytes lets a failpoints build pretend a disk is nearly full
// (MONGOSTEP_FAKE_FREE_BYTES).
func fakeFreeBytes() (int64, bool) {
	v, ok := failpoint.Value("free_bytes")
	if !ok {
		return 0, false
	}
	n, err := strconv.ParseInt(v, 10, 64)
	return n, err == nil
}
