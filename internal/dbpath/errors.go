package dbpath

import (
	"errors"
	"fmt"
	"io/fs"
)

// Sentinels for errors.Is. Every error this package returns for a condition
// an operator must act on is an *Error whose Kind is one of them.
var (
	// ErrNotExist: the directory given does not exist.
	ErrNotExist = errors.New("directory does not exist")
	// ErrNotDataDir: the path exists but is not a MongoDB data directory.
	ErrNotDataDir = errors.New("not a MongoDB data directory")
	// ErrPermission: a file or folder could not be read; the command may need sudo.
	ErrPermission = errors.New("permission denied")
	// ErrInUseUnknown: InUse could not test the lock and the lock file is not
	// empty, so a running mongod cannot be ruled out.
	ErrInUseUnknown = errors.New("cannot tell whether a mongod is using the data directory")
	// ErrCorruptFTDC: an FTDC metrics file is truncated or is not valid BSON.
	ErrCorruptFTDC = errors.New("corrupt FTDC metrics file")
	// ErrNoFTDCMetadata: an FTDC metrics file holds no usable metadata
	// document (type 0 with buildInfo.version).
	ErrNoFTDCMetadata = errors.New("no FTDC metadata document")
	// ErrCorruptTurtle: WiredTiger.turtle cannot be parsed.
	ErrCorruptTurtle = errors.New("corrupt WiredTiger.turtle")
)

// Error is an operator-facing error: Msg is complete and says what to do.
// errors.Is matches Kind and the underlying Err (e.g. fs.ErrPermission).
type Error struct {
	Kind error  // one of the sentinels above
	Path string // the file or folder concerned
	Msg  string // full explanation for the operator
	Err  error  // underlying cause, may be nil
}

func (e *Error) Error() string { return e.Msg }

// Unwrap returns Kind and the cause, so errors.Is works on both.
func (e *Error) Unwrap() []error {
	if e.Err == nil {
		return []error{e.Kind}
	}
	return []error{e.Kind, e.Err}
}

// layoutHelp describes both accepted layouts; it ends every ErrNotDataDir.
const layoutHelp = "give either a dbpath (the folder mongod's --dbpath names, holding " +
	"storage.bson, WiredTiger and mongod.lock) or a ClearML data root holding db/ and configdb/ " +
	"(e.g. /opt/clearml/data/mongo_4)"

func notExistError(path string, err error) error {
	return &Error{Kind: ErrNotExist, Path: path, Err: err,
		Msg: fmt.Sprintf("%s does not exist: check the path; %s", path, layoutHelp)}
}

func notDataDirError(path, why string) error {
	return &Error{Kind: ErrNotDataDir, Path: path,
		Msg: fmt.Sprintf("%s is not a MongoDB data directory: %s; %s", path, why, layoutHelp)}
}

func permissionError(path string, err error) error {
	return &Error{Kind: ErrPermission, Path: path, Err: err,
		Msg: fmt.Sprintf("cannot read %s: permission denied; MongoDB's files are usually owned by "+
			"the mongodb user (uid 999), so run the command again with sudo", path)}
}

// fsError turns an error from reading path into an operator-facing error:
// permission problems become *Error (ErrPermission); others are wrapped.
func fsError(path string, err error) error {
	if errors.Is(err, fs.ErrPermission) {
		return permissionError(path, err)
	}
	return fmt.Errorf("read %s: %w", path, err)
}
