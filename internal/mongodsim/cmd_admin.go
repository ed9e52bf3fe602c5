package mongodsim

import (
	"strconv"
	"time"

	"go.mongodb.org/mongo-driver/bson"
	"go.mongodb.org/mongo-driver/bson/bsontype"
)

func cmdGetParameter(c *cmdCtx) (bson.D, error) {
	all := false
	if v, _ := c.arg("getParameter"); v.Type == bsontype.String && v.StringValue() == "*" {
		all = true
	}
	params := c.s.r.parameters()
	out := bson.D{}
	if all {
		for _, p := range params {
			out = append(out, bson.E{Key: p.Key, Value: p.Value})
		}
		return out, nil
	}
	elems, _ := c.body.Elements()
	for _, e := range elems {
		k := e.Key()
		if k == "getParameter" || genericFields[k] {
			continue
		}
		found := false
		for _, p := range params {
			if p.Key == k {
				out = append(out, bson.E{Key: k, Value: p.Value})
				found = true
			}
		}
		if !found {
			return nil, errf(codeInvalidOptions, "no option found to get")
		}
	}
	if len(out) == 0 {
		return nil, errf(codeInvalidOptions, "no option found to get")
	}
	return out, nil
}

// parameters are the server parameters getParameter knows: the FCV and every --setParameter.
func (r *runner) parameters() bson.D {
	out := bson.D{{Key: "featureCompatibilityVersion", Value: fcvParameter(r.bin, r.state)}}
	for _, kv := range r.opts.SetParameters {
		var v any = kv[1]
		if n, err := strconv.ParseInt(kv[1], 10, 64); err == nil {
			v = n
		} else if bv, err := strconv.ParseBool(kv[1]); err == nil {
			v = bv
		}
		out = append(out, bson.E{Key: kv[0], Value: v})
	}
	return out
}

func cmdGetCmdLineOpts(c *cmdCtx) (bson.D, error) {
	o := c.s.r.opts
	return bson.D{{Key: "argv", Value: o.Argv}, {Key: "parsed", Value: o.parsedOptions()}}, nil
}

func cmdGetLog(c *cmdCtx) (bson.D, error) {
	v, _ := c.arg("getLog")
	name, ok := v.StringValueOK()
	if !ok {
		return nil, errf(codeTypeMismatch, "Argument to getLog must be of type String; found %s of type %s", v.String(), v.Type)
	}
	switch name {
	case "*":
		return bson.D{{Key: "names", Value: bson.A{"global", "startupWarnings"}}}, nil
	case "global", "startupWarnings":
		lines, total := c.s.r.log.snapshot(name)
		if lines == nil {
			lines = []string{}
		}
		return bson.D{{Key: "totalLinesWritten", Value: int32(total)}, {Key: "log", Value: lines}}, nil
	}
	return nil, errf(codeBadValue, "No log named '%s'", name)
}

func cmdShutdown(c *cmdCtx) (bson.D, error) {
	r := c.s.r
	if !r.opts.Auth && !c.conn.local {
		return nil, errf(codeUnauthorized, "shutdown must run from localhost when running db without auth")
	}
	force := false
	if v, ok := c.arg("force"); ok {
		force = truthy(v)
	}
	timeout := 10 * time.Second
	if v, ok := c.arg("timeoutSecs"); ok {
		if n, ok := v.AsInt64OK(); ok {
			timeout = time.Duration(n) * time.Second
		}
	}
	attr := bson.D{{Key: "force", Value: force}, {Key: "timeoutSecs", Value: int64(timeout / time.Second)}}
	if r.bin.JSONLog() {
		r.log.Log(Entry{Sev: 'I', Comp: "COMMAND", ID: 4695400, Ctx: "conn" + itoa(int(c.conn.id)), Msg: "Terminating via shutdown command", Attr: attr})
	} else {
		r.log.Log(Entry{Sev: 'I', Comp: "COMMAND", Ctx: "conn" + itoa(int(c.conn.id)), Text: "terminating, shutdown command received " + renderDoc(attr)})
	}
	if r.fail.has(FailHangShutdown) {
		r.log.Log(Entry{Sev: 'W', Comp: "CONTROL", ID: 90000002, Ctx: "conn" + itoa(int(c.conn.id)), Msg: "mongodsim: hang-shutdown switch on, ignoring the shutdown command"})
		select {} // never answers, never exits
	}
	select {
	case c.s.shutdownCh <- shutdownRequest{reason: "shutdown command", force: force, timeout: timeout}:
	default: // a shutdown is already under way
	}
	return nil, errNoReply
}
