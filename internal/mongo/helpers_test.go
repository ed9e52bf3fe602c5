package mongo

import (
	"strings"

	"github.com/mongostep/mongostep/internal/inventory"
)

func diffInventories(a, b *inventory.Inventory) string {
	return strings.Join(inventory.Diff(a, b), "; ")
}
