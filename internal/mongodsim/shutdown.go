package mongodsim

import (
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"go.mongodb.org/mongo-driver/bson"
)

// serveUntilShutdown is step 9 and the running server: listen, answer, shut down cleanly on
// SIGTERM/SIGINT or the shutdown command.
func (r *runner) serveUntilShutdown(segv <-chan time.Time) int {
	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, syscall.SIGTERM, syscall.SIGINT)
	if d := r.fail.duration(FailSlowStart); d > 0 {
		r.log.Log(Entry{Sev: 'I', Comp: "CONTROL", ID: 90000010, Msg: "mongodsim: slow-start switch on, waiting before listening", Attr: bsonAttr("delay", d.String())})
		select {
		case <-time.After(d):
		case <-segv:
			die(syscall.SIGSEGV)
		}
	}
	r.srv = newServer(r)
	if err := r.srv.listen(); err != nil {
		r.logListenFailure(err)
		return r.exitStartup(&startupExit{code: ExitNetError, clean: true})
	}
	r.srv.serve()
	r.logListening()
	var req shutdownRequest
	for req.reason == "" {
		select {
		case sig := <-sigs:
			if r.fail.has(FailHangShutdown) {
				r.log.Log(Entry{Sev: 'W', Comp: "CONTROL", ID: 90000002, Ctx: "signalProcessingThread", Msg: "mongodsim: hang-shutdown switch on, ignoring signal", Attr: bsonAttr("signal", sig.String())})
				continue
			}
			r.logSignal(sig.(syscall.Signal))
			req = shutdownRequest{reason: "signal", timeout: 10 * time.Second}
		case req = <-r.srv.shutdownCh:
		case <-segv:
			die(syscall.SIGSEGV)
		}
	}
	return r.shutdownCleanly(req)
}

func (r *runner) shutdownCleanly(req shutdownRequest) int {
	s := r.srv
	s.closeListeners()
	if !req.force { // let running commands finish (force cuts them off)
		deadline := time.Now().Add(req.timeout)
		for s.inflight.Load() > 0 && time.Now().Before(deadline) {
			time.Sleep(5 * time.Millisecond)
		}
	}
	s.closeConns()
	if d := r.fail.duration(FailSlowShutdown); d > 0 {
		r.log.Log(Entry{Sev: 'I', Comp: "CONTROL", ID: 90000011, Msg: "mongodsim: slow-shutdown switch on, waiting before the final checkpoint", Attr: bsonAttr("delay", d.String())})
		time.Sleep(d)
	}
	s.mu.Lock() // no command runs past this point
	if r.bin.JSONLog() {
		r.log.Info("STORAGE", 4795902, "Closing WiredTiger", bson.E{Key: "closeConfig", Value: "leak_memory=true,"})
	}
	r.closeEngine()
	r.logExit(ExitClean)
	r.log.close()
	return ExitClean
}

func (r *runner) logListenFailure(err error) {
	if r.bin.JSONLog() {
		r.log.Log(Entry{Sev: 'E', Comp: "NETWORK", ID: 23024, Msg: "Failed to set up listener", Attr: bsonAttr("error",
			bson.D{{Key: "code", Value: int32(9001)}, {Key: "codeName", Value: "SocketException"}, {Key: "errmsg", Value: err.Error()}})})
		return
	}
	r.log.Log(Entry{Sev: 'E', Comp: "NETWORK", Text: "listen(): bind() failed " + err.Error()})
	r.log.Log(Entry{Sev: 'E', Comp: "STORAGE", Text: "Failed to set up sockets during startup."})
}

func (r *runner) logListening() {
	if !r.bin.JSONLog() {
		r.log.Log(Entry{Sev: 'I', Comp: "NETWORK", Text: "waiting for connections on port " + itoa(r.opts.Port)})
		return
	}
	for _, l := range r.srv.listeners {
		r.log.Log(Entry{Sev: 'I', Comp: "NETWORK", ID: 23015, Ctx: "listener", Msg: "Listening on", Attr: bsonAttr("address", l.Addr().String())})
	}
	r.log.Log(Entry{Sev: 'I', Comp: "NETWORK", ID: 23016, Ctx: "listener", Msg: "Waiting for connections",
		Attr: bson.D{{Key: "port", Value: int32(r.opts.Port)}, {Key: "ssl", Value: "off"}}})
}

func (r *runner) logSignal(sig syscall.Signal) {
	if r.bin.JSONLog() {
		r.log.Log(Entry{Sev: 'I', Comp: "CONTROL", ID: 23377, Ctx: "SignalHandler", Msg: "Received signal",
			Attr: bson.D{{Key: "signal", Value: int32(sig)}, {Key: "error", Value: signalName(sig)}}})
		r.log.Log(Entry{Sev: 'I', Comp: "CONTROL", ID: 23381, Ctx: "SignalHandler", Msg: "will terminate after current cmd ends"})
		return
	}
	r.log.Log(Entry{Sev: 'I', Comp: "CONTROL", Ctx: "signalProcessingThread",
		Text: "got signal " + itoa(int(sig)) + " (" + signalName(sig) + "), will terminate after current cmd ends"})
}

// signalName is strsignal(3)'s capitalised form ("Terminated").
func signalName(sig syscall.Signal) string {
	n := sig.String()
	if n == "" {
		return n
	}
	return strings.ToUpper(n[:1]) + n[1:]
}
