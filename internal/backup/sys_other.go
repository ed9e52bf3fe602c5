//go:build !unix

package backup

import (
	"io/fs"
	"time"
)

// modesReliable: Windows keeps only a read-only bit, so modes are not compared.
const modesReliable = false

func ownerOf(fs.FileInfo) (uid, gid int) { return 0, 0 }

func canChown() bool { return false }

func lchown(string, int, int) error { return nil }

func setSymlinkTime(string, time.Time) error { return nil }

// syncDir is a no-op: directories cannot be fsync'd on Windows; NTFS journals
// its metadata.
func syncDir(string) error { return nil }
