package local

import "github.com/mongostep/mongostep/internal/runtime"

func hostInfo() runtime.Host { return runtime.LocalHost() }
