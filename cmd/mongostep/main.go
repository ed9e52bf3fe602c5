// Command mongostep upgrades a MongoDB data directory across major versions.
package main

import (
	"os"

	"github.com/mongostep/mongostep/internal/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
