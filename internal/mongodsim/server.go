package mongodsim

import (
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"go.mongodb.org/mongo-driver/bson"
)

// shutdownRequest asks the main loop for a clean shutdown.
type shutdownRequest struct {
	reason  string
	force   bool
	timeout time.Duration
}

// server is the network side: listeners, connections, commands.
type server struct {
	r         *runner
	mu        sync.Mutex // guards state and cursors; commands run one at a time
	cursors   map[int64]*cursor
	listeners []net.Listener
	sockPath  string

	connMu     sync.Mutex
	conns      map[net.Conn]bool
	nextConnID int64
	inflight   atomic.Int64 // commands being executed (the shutdown command excluded)
	shutdownCh chan shutdownRequest
	started    time.Time
}

func newServer(r *runner) *server {
	return &server{r: r, cursors: map[int64]*cursor{}, conns: map[net.Conn]bool{},
		shutdownCh: make(chan shutdownRequest, 1), started: time.Now()}
}

// listenAddrs turns --bind_ip values into host:port addresses.
func listenAddrs(o *Options) []string {
	var out []string
	for _, ip := range o.BindIPs {
		switch ip {
		case "localhost":
			ip = "127.0.0.1"
		case "*":
			ip = "0.0.0.0"
		}
		out = append(out, net.JoinHostPort(ip, strconv.Itoa(o.Port)))
	}
	return out
}

// listen binds every address (and the unix socket unless --nounixsocket).
func (s *server) listen() error {
	for _, addr := range listenAddrs(s.r.opts) {
		l, err := net.Listen("tcp", addr)
		if err != nil {
			s.closeListeners()
			return fmt.Errorf("listen on %s: %w", addr, err)
		}
		s.listeners = append(s.listeners, l)
	}
	if !s.r.opts.NoUnixSocket {
		path := filepath.Join(s.r.opts.UnixSocketPrefix, fmt.Sprintf("mongodb-%d.sock", s.r.opts.Port))
		_ = os.Remove(path)
		l, err := net.Listen("unix", path)
		if err != nil {
			s.closeListeners()
			return fmt.Errorf("listen on unix socket %s: %w", path, err)
		}
		_ = os.Chmod(path, 0o700)
		s.listeners = append(s.listeners, l)
		s.sockPath = path
	}
	return nil
}

func (s *server) closeListeners() {
	for _, l := range s.listeners {
		_ = l.Close()
	}
	if s.sockPath != "" {
		_ = os.Remove(s.sockPath)
	}
}

func (s *server) serve() {
	for _, l := range s.listeners {
		go s.acceptLoop(l)
	}
}

func (s *server) acceptLoop(l net.Listener) {
	for {
		c, err := l.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			time.Sleep(10 * time.Millisecond)
			continue
		}
		s.connMu.Lock()
		if s.conns == nil { // shutting down
			s.connMu.Unlock()
			_ = c.Close()
			continue
		}
		s.conns[c] = true
		s.nextConnID++
		id := s.nextConnID
		s.connMu.Unlock()
		go s.serveConn(c, id)
	}
}

// closeConns closes every client connection and refuses new ones.
func (s *server) closeConns() {
	s.connMu.Lock()
	defer s.connMu.Unlock()
	for c := range s.conns {
		_ = c.Close()
	}
	s.conns = nil
}

func (s *server) dropConn(c net.Conn) {
	_ = c.Close()
	s.connMu.Lock()
	if s.conns != nil {
		delete(s.conns, c)
	}
	s.connMu.Unlock()
}

// connStats returns the open and the total accepted connections.
func (s *server) connStats() (current, total int) {
	s.connMu.Lock()
	defer s.connMu.Unlock()
	return len(s.conns), int(s.nextConnID)
}

// connState is per-connection information commands need.
type connState struct {
	id     int64
	remote net.Addr
	local  bool // peer is loopback or the unix socket
}

// isLoopbackPeer: what mongod calls a localhost connection (127.0.0.0/8, ::1, unix socket).
func isLoopbackPeer(a net.Addr) bool {
	switch x := a.(type) {
	case *net.UnixAddr:
		return true
	case *net.TCPAddr:
		return x.IP.IsLoopback()
	}
	host, _, err := net.SplitHostPort(a.String())
	if err != nil {
		return false
	}
	if ip := net.ParseIP(host); ip != nil {
		return ip.IsLoopback()
	}
	return strings.EqualFold(host, "localhost")
}

func (s *server) serveConn(c net.Conn, id int64) {
	defer s.dropConn(c)
	cs := &connState{id: id, remote: c.RemoteAddr(), local: isLoopbackPeer(c.RemoteAddr())}
	if s.r.fail.has(FailHang) {
		buf := make([]byte, 4096)
		for {
			if _, err := c.Read(buf); err != nil {
				return
			}
		}
	}
	for {
		m, err := readMessage(c)
		if err != nil {
			return
		}
		out, keep := s.handleMessage(cs, m)
		if out != nil {
			if _, err := c.Write(out); err != nil {
				return
			}
		}
		if !keep {
			return
		}
	}
}

// handleMessage answers one message; keep=false closes the connection.
func (s *server) handleMessage(cs *connState, m *message) (out []byte, keep bool) {
	switch m.opCode {
	case opMsg:
		if !s.r.bin.HasOpMsg() {
			s.r.log.Log(Entry{Sev: 'I', Comp: "NETWORK", Ctx: "conn" + itoa(int(cs.id)), Text: "Unsupported opcode 2013 (OP_MSG); closing connection"})
			return nil, false
		}
		return s.handleOpMsg(cs, m)
	case opQuery:
		return s.handleOpQuery(cs, m)
	default:
		s.r.log.Log(Entry{Sev: 'I', Comp: "NETWORK", ID: 22988, Ctx: "conn" + itoa(int(cs.id)),
			Msg: "Error receiving request from client. Ending connection from remote", Attr: bson.D{{Key: "opCode", Value: m.opCode}}})
		return nil, false
	}
}

func (s *server) handleOpMsg(cs *connState, m *message) ([]byte, bool) {
	req, err := parseOpMsg(m)
	if err != nil {
		s.r.log.Log(Entry{Sev: 'I', Comp: "NETWORK", Ctx: "conn" + itoa(int(cs.id)), Msg: "bad OP_MSG: " + err.Error()})
		return nil, false
	}
	db, ok := req.body.Lookup("$db").StringValueOK()
	var reply bson.Raw
	var act cmdAction
	if !ok {
		reply = mustMarshal(errf(codeMissingDollarDB, "OP_MSG requests require a $db argument").reply())
	} else {
		reply, act = s.runCommand(&cmdCtx{s: s, conn: cs, db: db, body: req.body, seqs: req.seqs})
	}
	if act == actNoReply {
		return nil, false
	}
	if req.flags&msgMoreToCome != 0 {
		return nil, true
	}
	return encodeOpMsg(s.r.nextRequestID(), m.requestID, reply), true
}

func (s *server) handleOpQuery(cs *connState, m *message) ([]byte, bool) {
	q, err := parseOpQuery(m)
	if err != nil {
		return nil, false
	}
	db, coll, _ := strings.Cut(q.fullCollection, ".")
	if coll != "$cmd" {
		doc := mustMarshal(bson.D{{Key: "$err", Value: "mongodsim: legacy OP_QUERY on a collection is not simulated; use the find command"},
			{Key: "code", Value: int32(codeUnsupportedOpQuery)}})
		return encodeOpReply(s.r.nextRequestID(), m.requestID, replyQueryFailure, doc), true
	}
	body := q.query
	if inner, ok := body.Lookup("$query").DocumentOK(); ok {
		body = inner
	} else if inner, ok := body.Lookup("query").DocumentOK(); ok && firstKey(body) == "query" {
		body = inner
	}
	ctx := &cmdCtx{s: s, conn: cs, db: db, body: body, legacy: true}
	if s.r.bin.OpQueryHandshakeOnly() && !isHandshakeCommand(firstKey(body)) {
		reply := mustMarshal(errf(codeUnsupportedOpQuery, "Unsupported OP_QUERY command: %s. The client driver may require an upgrade. For more details see https://dochub.mongodb.org/core/legacy-opcode-removal", firstKey(body)).reply())
		return encodeOpReply(s.r.nextRequestID(), m.requestID, 0, reply), true
	}
	reply, act := s.runCommand(ctx)
	if act == actNoReply {
		return nil, false
	}
	return encodeOpReply(s.r.nextRequestID(), m.requestID, 0, reply), true
}

func firstKey(d bson.Raw) string {
	e, err := d.IndexErr(0)
	if err != nil {
		return ""
	}
	return e.Key()
}

func isHandshakeCommand(name string) bool {
	switch name {
	case "hello", "isMaster", "ismaster":
		return true
	}
	return false
}
