package mongodsim

import (
	"fmt"
	"strconv"

	"go.mongodb.org/mongo-driver/bson"
)

// Server error codes used by the simulator.
const (
	codeBadValue             = 2
	codeFailedToParse        = 9
	codeUnauthorized         = 13
	codeTypeMismatch         = 14
	codeAuthenticationFailed = 18
	codeIllegalOperation     = 20
	codeNamespaceNotFound    = 26
	codeCursorNotFound       = 43
	codeNamespaceExists      = 48
	codeCommandNotFound      = 59
	codeInvalidOptions       = 72
	codeInvalidNamespace     = 73
	codeIndexOptionsConflict = 85
	codeIndexKeySpecsConflct = 86
	codeUnsupportedOpQuery   = 352
	codeDuplicateKey         = 11000
	codeUnknownField         = 40415
	codeMissingDollarDB      = 40571
	codeFCVConfirm           = 7369100
	// codeCannotUpgrade: the code number is the simulator's own (the
	// codeName "CannotUpgrade" is what clients match).
	codeCannotUpgrade = 90000100
)

var codeNames = map[int32]string{
	codeBadValue: "BadValue", codeFailedToParse: "FailedToParse", codeUnauthorized: "Unauthorized",
	codeTypeMismatch: "TypeMismatch", codeAuthenticationFailed: "AuthenticationFailed",
	codeIllegalOperation: "IllegalOperation", codeNamespaceNotFound: "NamespaceNotFound",
	codeCursorNotFound: "CursorNotFound", codeNamespaceExists: "NamespaceExists",
	codeCommandNotFound: "CommandNotFound", codeInvalidOptions: "InvalidOptions",
	codeInvalidNamespace: "InvalidNamespace", codeIndexOptionsConflict: "IndexOptionsConflict",
	codeIndexKeySpecsConflct: "IndexKeySpecsConflict", codeUnsupportedOpQuery: "UnsupportedOpQueryCommand",
	codeDuplicateKey: "DuplicateKey", codeCannotUpgrade: "CannotUpgrade",
}

// cmdError is a failed command: {ok: 0, errmsg, code, codeName}.
type cmdError struct {
	code int32
	msg  string
}

func (e *cmdError) Error() string { return e.msg }

func errf(code int32, format string, a ...any) *cmdError {
	return &cmdError{code: code, msg: fmt.Sprintf(format, a...)}
}

func codeName(code int32) string {
	if n, ok := codeNames[code]; ok {
		return n
	}
	return "Location" + strconv.Itoa(int(code))
}

func (e *cmdError) reply() bson.D {
	return bson.D{{Key: "ok", Value: 0.0}, {Key: "errmsg", Value: e.msg}, {Key: "code", Value: e.code},
		{Key: "codeName", Value: codeName(e.code)}}
}

func itoa(n int) string { return strconv.Itoa(n) }
