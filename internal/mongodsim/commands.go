package mongodsim

import (
	"errors"

	"go.mongodb.org/mongo-driver/bson"
)

type cmdAction int

const (
	actReply cmdAction = iota
	actNoReply
)

// errNoReply: the command closes the connection instead of answering (successful shutdown).
var errNoReply = errors.New("no reply")

// cmdCtx is one command invocation.
type cmdCtx struct {
	s      *server
	conn   *connState
	db     string
	name   string
	body   bson.Raw
	seqs   map[string][]bson.Raw
	legacy bool // arrived as OP_QUERY
}

func (c *cmdCtx) bin() Binary { return c.s.r.bin }

// arg returns a body field.
func (c *cmdCtx) arg(name string) (bson.RawValue, bool) {
	v, err := c.body.LookupErr(name)
	return v, err == nil
}

// collectionArg is the command's first value as a collection name.
func (c *cmdCtx) collectionArg() (string, error) {
	v, _ := c.arg(c.name)
	s, ok := v.StringValueOK()
	if !ok || s == "" {
		return "", errf(codeInvalidNamespace, "collection name has invalid type %s", v.Type)
	}
	return s, nil
}

type handlerFunc func(c *cmdCtx) (bson.D, error)

// command is one row of the command table.
type command struct {
	fn        handlerFunc
	adminOnly bool
	locked    bool   // runs holding the data lock
	minMajor  string // first major that has the command
	// noAuthBefore: allowed without authentication on majors below this ("" = never, "99" = always).
	noAuthBefore string
}

var commandTable map[string]command

func init() {
	always := "99.0"
	commandTable = map[string]command{
		"hello":                          {fn: cmdHello, minMajor: "4.4", noAuthBefore: always},
		"isMaster":                       {fn: cmdHello, noAuthBefore: always},
		"ismaster":                       {fn: cmdHello, noAuthBefore: always},
		"ping":                           {fn: cmdPing, noAuthBefore: always},
		"buildInfo":                      {fn: cmdBuildInfo, noAuthBefore: "8.1"},
		"buildinfo":                      {fn: cmdBuildInfo, noAuthBefore: "8.1"},
		"whatsmyuri":                     {fn: cmdWhatsMyURI, noAuthBefore: always},
		"saslStart":                      {fn: cmdAuthFails, noAuthBefore: always},
		"saslContinue":                   {fn: cmdAuthFails, noAuthBefore: always},
		"authenticate":                   {fn: cmdAuthFails, noAuthBefore: always},
		"endSessions":                    {fn: cmdPing, minMajor: "3.6", noAuthBefore: always},
		"getParameter":                   {fn: cmdGetParameter, adminOnly: true, locked: true},
		"setFeatureCompatibilityVersion": {fn: cmdSetFCV, adminOnly: true, locked: true},
		"shutdown":                       {fn: cmdShutdown, adminOnly: true},
		"serverStatus":                   {fn: cmdServerStatus},
		"getCmdLineOpts":                 {fn: cmdGetCmdLineOpts, adminOnly: true},
		"getLog":                         {fn: cmdGetLog, adminOnly: true},
		"listDatabases":                  {fn: cmdListDatabases, adminOnly: true, locked: true},
		"listCollections":                {fn: cmdListCollections, locked: true},
		"listIndexes":                    {fn: cmdListIndexes, locked: true},
		"create":                         {fn: cmdCreate, locked: true},
		"drop":                           {fn: cmdDrop, locked: true},
		"dropDatabase":                   {fn: cmdDropDatabase, locked: true},
		"createIndexes":                  {fn: cmdCreateIndexes, locked: true},
		"find":                           {fn: cmdFind, locked: true},
		"getMore":                        {fn: cmdGetMore, locked: true},
		"killCursors":                    {fn: cmdKillCursors, locked: true},
		"count":                          {fn: cmdCount, locked: true},
		"insert":                         {fn: cmdInsert, locked: true},
		"aggregate":                      {fn: cmdAggregate, locked: true},
	}
}

func lookupCommand(name string, b Binary) (command, bool) {
	c, ok := commandTable[name]
	if !ok || (c.minMajor != "" && !b.atLeast(c.minMajor)) {
		return command{}, false
	}
	return c, true
}

// runCommand executes a command and returns the reply document.
func (s *server) runCommand(c *cmdCtx) (bson.Raw, cmdAction) {
	c.name = firstKey(c.body)
	d, err := s.dispatch(c)
	if errors.Is(err, errNoReply) {
		return nil, actNoReply
	}
	if err != nil {
		var ce *cmdError
		if !errors.As(err, &ce) {
			ce = errf(1, "%s", err.Error())
		}
		return mustMarshal(ce.reply()), actReply
	}
	return mustMarshal(append(d, bson.E{Key: "ok", Value: 1.0})), actReply
}

func (s *server) dispatch(c *cmdCtx) (d bson.D, err error) {
	defer func() { // a malformed request must not take the server down
		if p := recover(); p != nil {
			d, err = nil, errf(codeBadValue, "mongodsim: cannot process %s: %v", c.name, p)
		}
	}()
	b := s.r.bin
	cmd, ok := lookupCommand(c.name, b)
	if !ok {
		return nil, errf(codeCommandNotFound, "no such command: '%s'", c.name)
	}
	if s.r.opts.Auth && (cmd.noAuthBefore == "" || b.atLeast(cmd.noAuthBefore)) {
		return nil, errf(codeUnauthorized, "command %s requires authentication", c.name)
	}
	if cmd.adminOnly && c.db != "admin" {
		return nil, errf(codeUnauthorized, "%s may only be run against the admin database.", c.name)
	}
	if c.name != "shutdown" {
		s.inflight.Add(1)
		defer s.inflight.Add(-1)
	}
	if cmd.locked {
		s.mu.Lock()
		defer s.mu.Unlock()
	}
	return cmd.fn(c)
}

// genericFields are command fields every command accepts (drivers add them).
var genericFields = map[string]bool{
	"$db": true, "lsid": true, "$clusterTime": true, "$readPreference": true, "txnNumber": true,
	"autocommit": true, "startTransaction": true, "writeConcern": true, "readConcern": true,
	"apiVersion": true, "apiStrict": true, "apiDeprecationErrors": true, "comment": true,
	"maxTimeMS": true, "$client": true, "$configServerState": true, "$audit": true,
}
