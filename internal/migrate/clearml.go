package migrate

import "github.com/mongostep/mongostep/internal/plan"

type clearMLName struct{ name, server string }

func clearMLNames() []clearMLName {
	var out []clearMLName
	for _, c := range plan.ClearMLReleases {
		out = append(out, clearMLName{c.Name, c.Server})
	}
	return out
}
