package mongodsim_test

import (
	"os"
	"testing"

	"github.com/mongostep/mongostep/internal/mongodsim/simtest"
)

func TestMain(m *testing.M) { os.Exit(simtest.RunMain(m)) }
