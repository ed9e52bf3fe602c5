package mongodsim

import (
	"errors"
	"fmt"
	"time"
)

// openEngine is steps 3-5: storage.bson and engine choice, fresh initialisation, loading the
// data, and the engine-open rules (WiredTiger version, unclean shutdown by another major).
func (r *runner) openEngine() *startupExit {
	dbpath := r.opts.DBPath
	engine, found, err := readStorageBSON(dbpath)
	if err != nil {
		r.logFatalText("STORAGE", 22292, "Unable to read the storage engine metadata file: "+err.Error())
		return r.fassert(28661, "src/mongo/db/storage/storage_engine_metadata.cpp")
	}
	hasData := dbpathHasData(dbpath)
	switch {
	case found:
		r.logDetectedEngine(engine)
		if r.opts.StorageEngine != "" && r.opts.StorageEngine != engine {
			return r.uncaught(fmt.Sprintf("Location28662: Cannot start server. Detected data files in %s created by the '%s' storage engine, but the specified storage engine was '%s'.",
				dbpath, engine, r.opts.StorageEngine), true)
		}
	case hasData && legacyMMAPv1Files(dbpath):
		engine = "mmapv1"
		r.logDetectedEngine(engine)
	default:
		engine = r.opts.StorageEngine
		if engine == "" {
			engine = "wiredTiger"
		}
	}
	if !r.engineSupported(engine) {
		return r.uncaught("Location18656: Cannot start server with an unknown storage engine: "+engine, true)
	}
	r.engine = engine
	r.fresh = !hasData
	if ex := r.loadOrInit(found); ex != nil {
		return ex
	}
	r.engineOpened = true
	return nil
}

func (r *runner) engineSupported(engine string) bool {
	return engine == "wiredTiger" || (engine == "mmapv1" && r.bin.SupportsMMAPv1())
}

func (r *runner) logDetectedEngine(engine string) {
	r.log.Log(Entry{Sev: 'I', Comp: "STORAGE", ID: 22270,
		Msg: fmt.Sprintf("Detected data files in %s created by the '%s' storage engine, so setting the active storage engine to '%s'.", r.opts.DBPath, engine, engine)})
}

// loadOrInit initialises a fresh dbpath or loads existing data and applies the engine rules.
func (r *runner) loadOrInit(storageBSONFound bool) *startupExit {
	dbpath := r.opts.DBPath
	if r.fresh {
		if err := writeStorageBSON(dbpath, r.engine); err != nil {
			return r.uncaught("InternalError: "+err.Error(), true)
		}
		if r.engine == "wiredTiger" {
			if err := initWiredTigerFiles(dbpath, r.bin.Release.WT); err != nil {
				return r.uncaught("InternalError: "+err.Error(), true)
			}
		}
		r.state = NewState()
		if err := r.state.Save(dbpath); err != nil { // a crash from here on still leaves readable data
			return r.uncaught("InternalError: "+err.Error(), true)
		}
		// WiredTiger writes its metadata and turtle as it creates the database.
		if err := r.checkpoint(time.Now()); err != nil {
			return r.uncaught("InternalError: "+err.Error(), true)
		}
		return nil
	}
	st, loadErr := LoadState(dbpath)
	open := engineOpen{unclean: r.lock.unclean}
	if st != nil {
		open.lastVersion = st.LastVersion
	}
	if r.engine == "wiredTiger" {
		v, ok, err := readTurtleVersion(dbpath)
		if err != nil {
			r.log.Log(Entry{Sev: 'E', Comp: "STORAGE", ID: 22435, Msg: "WiredTiger error", Attr: bsonAttr("message", err.Error())})
			return r.fassert(28595, "src/mongo/db/storage/wiredtiger/wiredtiger_kv_engine.cpp")
		}
		open.turtle, open.hasTurtle = v, ok
	}
	if ex := checkEngineRules(r, open); ex != nil {
		return ex
	}
	if errors.Is(loadErr, ErrNoState) {
		r.logFatalText("STORAGE", 90000008, fmt.Sprintf("mongodsim: %s holds data files the simulator did not write (no %s); a simulated mongod cannot read real data files", dbpath, StateFileName))
		return &startupExit{code: ExitUncaught}
	}
	if loadErr != nil {
		r.logFatalText("STORAGE", 90000009, "mongodsim: cannot read the simulated data: "+loadErr.Error())
		return r.fassert(28595, "src/mongo/db/storage/wiredtiger/wiredtiger_kv_engine.cpp")
	}
	if !storageBSONFound {
		if err := writeStorageBSON(dbpath, r.engine); err != nil {
			return r.uncaught("InternalError: "+err.Error(), true)
		}
	}
	r.state = st
	return nil
}
