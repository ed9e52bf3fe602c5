// Package mongodsim is a TEST DOUBLE: a program that behaves like `mongod` of a chosen version
// (3.4 to 9.0) as far as mongostep can see — command line, start-up checks and exit codes, log
// lines, files in the dbpath, the wire protocol and the commands mongostep and the official Go
// driver use. It is not MongoDB: it keeps its data in its own state file (mongodsim.state) and,
// at each checkpoint, also writes it as real WiredTiger files (WiredTiger.wt, _mdb_catalog.wt,
// sizeStorer.wt, collection-*.wt, ...) for offline readers. Only tests may use it: it
// must never be imported by cmd/mongostep or by non-test code of other packages (tests use it
// through internal/mongodsim/simtest, which builds cmd/mongodsim).
//
// # Version
//
// One binary serves every version. The full version (e.g. 4.0.28) comes from MONGODSIM_VERSION,
// else from the first line of mongodsim.version in the directory of argv[0] (when it contains a
// slash, so a symlink works) or of os.Executable(). Neither: exit 2 with a message.
//
// # Environment switches
//
//	MONGODSIM_VERSION=X.Y.Z   version to simulate (wins over mongodsim.version)
//	MONGODSIM_FAIL=list       failure switches, comma separated, each name[=arg][@major]; with
//	                          @major it applies only when the simulated major is that one:
//	    crash-start           exit 14 abruptly right after writing the pid to mongod.lock
//	                          (the lock stays non-empty: an unclean shutdown)
//	    crash-setfcv          setFeatureCompatibilityVersion persists the transitional FCV
//	                          document, then the process SIGKILLs itself
//	    hang                  accept TCP connections, never answer
//	    hang-shutdown         ignore SIGTERM/SIGINT and the shutdown command (SIGKILL still works)
//	    slow-start=DUR        wait DUR before listening (the lock is already held)
//	    slow-shutdown=DUR     wait DUR during a clean shutdown, before the final checkpoint
//	MONGODSIM_NO_AVX=1        5.0+ dies by SIGILL before printing anything (shell exit 132)
//	MONGODSIM_KERNEL=R        kernel release for the 8.x/9.0 rseq check (else uname -r); with
//	                          R >= 6.19 and GLIBC_TUNABLES lacking glibc.pthread.rseq=1, guarded
//	                          builds (8.0.28+, 8.3.9+, 9.0) log fatal 12257600 and exit 1, others
//	                          (8.0.<28, 8.2, 8.3.<9) start and die by SIGSEGV later
//	MONGODSIM_SEGV_AFTER=DUR  when that SIGSEGV comes (default 30s)
//	MONGODSIM_FSYNC=0         no fsync (speed; process crashes lose nothing either way)
//
// See README.md for the files written and what is and is not modelled.
package mongodsim
