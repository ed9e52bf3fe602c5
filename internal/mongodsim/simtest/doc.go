// Package simtest helps other packages' tests run the mongod simulator (internal/mongodsim):
// build it once per test process, install it per version as bin/<major>/mongod, start and stop
// it on a dbpath, talk to it over the wire protocol at any version, and seed it with a
// deterministic ClearML-like data set. Test code only; never import it from non-test code.
package simtest
