// Command mongodsim is the mongod simulator used by mongostep's tests. It is a test double,
// not MongoDB: see internal/mongodsim/README.md. Install it as "mongod" next to a
// mongodsim.version file, or set MONGODSIM_VERSION.
package main

import (
	"os"

	"github.com/mongostep/mongostep/internal/mongodsim"
)

func main() {
	os.Exit(mongodsim.Main(os.Args))
}
