package plan

import (
	"errors"
	"fmt"
)

// Source is what is known of the data before anything runs.
type Source struct {
	// LastRun is the release line of the mongod that last ran on the data
	// (from its FTDC files, or --from).
	LastRun Version
	// LastRunFull is the full version when known ("3.6.23").
	LastRunFull string
	// Clean is false when mongod.lock shows the last mongod did not shut down
	// cleanly: that same line must recover the data before any other runs.
	Clean bool
}

// Action says what a step does.
type Action string

const (
	// ActionRecover starts the line that last ran, lets it recover from an
	// unclean shutdown, and stops it cleanly (lines the driver cannot talk to).
	ActionRecover Action = "recover"
	// ActionSettle starts the line that last ran, takes the inventory, and
	// completes its FCV (a lagging or interrupted setFCV).
	ActionSettle Action = "settle"
	// ActionUpgrade starts the next line and raises the FCV to it.
	ActionUpgrade Action = "upgrade"
)

// Step is one mongod run on the copy.
type Step struct {
	Version Version `json:"version"`
	Image   string  `json:"image"`
	Action  Action  `json:"action"`
	// SetFCV is the FCV the step leaves the data at; zero for recover.
	SetFCV  Version `json:"set_fcv,omitempty"`
	Confirm bool    `json:"confirm,omitempty"`
	DryRun  bool    `json:"dry_run,omitempty"`
	Why     string  `json:"why"`
}

// Plan is the path from the data's state to the target.
type Plan struct {
	Source          Source   `json:"source"`
	Target          Target   `json:"target"`
	Steps           []Step   `json:"steps"`
	AlreadyAtTarget bool     `json:"already_at_target"`
	Notes           []string `json:"notes,omitempty"`
}

// Errors Make returns; the CLI explains them.
var (
	ErrDowngrade      = errors.New("downgrade refused")
	ErrUnknownLastRun = errors.New("the MongoDB version that last ran on the data is unknown")
	ErrUnsupported    = errors.New("unsupported source version")
)

// Make works out the steps from src to tgt. images overrides the default
// image of a line (--image MAJOR=IMAGE).
func Make(src Source, tgt Target, images map[Version]string) (*Plan, error) {
	if src.LastRun.IsZero() {
		return nil, ErrUnknownLastRun
	}
	from, ok := Lookup(src.LastRun)
	if !ok {
		return nil, fmt.Errorf("%w: the data was last run by MongoDB %s; mongostep starts from data last run by 3.4 (at FCV 3.4) or later", ErrUnsupported, src.LastRun)
	}
	p := &Plan{Source: src, Target: tgt}
	switch c := src.LastRun.Compare(tgt.Version); {
	case c > 0:
		return nil, fmt.Errorf("%w: the data was last run by MongoDB %s, newer than the target %s; mongostep only upgrades (restore a backup taken before the upgrade to go back)", ErrDowngrade, src.LastRun, tgt.Version)
	case c == 0:
		p.AlreadyAtTarget = true
		return p, nil
	}
	path, err := shortestPath(src.LastRun, tgt.Version)
	if err != nil {
		return nil, err
	}
	img := func(v Version) string { return imageFor(v, tgt, images) }
	if from.Wire >= MinDriverWire {
		p.Steps = append(p.Steps, Step{Version: src.LastRun, Image: img(src.LastRun), Action: ActionSettle, SetFCV: src.LastRun, Confirm: from.Confirm,
			Why: settleWhy(src)})
	} else if !src.Clean {
		p.Steps = append(p.Steps, Step{Version: src.LastRun, Image: img(src.LastRun), Action: ActionRecover,
			Why: fmt.Sprintf("mongod.lock shows an unclean shutdown: MongoDB %s, which last ran on the data, recovers it and shuts down cleanly first", src.LastRun)})
	}
	for _, v := range path[1:] {
		r, _ := Lookup(v)
		p.Steps = append(p.Steps, Step{Version: v, Image: img(v), Action: ActionUpgrade, SetFCV: v, Confirm: r.Confirm, DryRun: r.DryRun,
			Why: fmt.Sprintf("MongoDB %s opens data at FCV %s; raise the FCV to %s", v, prev(path, v), v)})
	}
	p.Notes = notes(p)
	return p, nil
}

func settleWhy(src Source) string {
	why := fmt.Sprintf("MongoDB %s last ran on the data: start it to count every collection before any change and to make sure the FCV is fully %s (a lagging FCV or an interrupted setFeatureCompatibilityVersion is completed here)", src.LastRun, src.LastRun)
	if !src.Clean {
		why += "; it also recovers the unclean shutdown that mongod.lock shows, as MongoDB requires before any other version runs"
	}
	return why
}

func prev(path []Version, v Version) Version {
	for i := 1; i < len(path); i++ {
		if path[i] == v {
			return path[i-1]
		}
	}
	return Version{}
}

func imageFor(v Version, tgt Target, images map[Version]string) string {
	if img, ok := images[v]; ok {
		return img
	}
	if v == tgt.Version && tgt.FinalImage != "" {
		return tgt.FinalImage
	}
	r, _ := Lookup(v)
	return r.Image
}

func notes(p *Plan) []string {
	var out []string
	for _, s := range p.Steps {
		if s.Action == ActionUpgrade && s.Confirm && s.Version == (Version{7, 0}) {
			out = append(out, "From FCV 7.0 on, MongoDB cannot go back to an older FCV and binary without MongoDB support: the backup is the way back.")
		}
		if s.Action == ActionUpgrade && (Version{8, 0}).Less(s.Version) {
			out = append(out, fmt.Sprintf("After the step to %s, MongoDB 8.0 refuses the data (exit 62): going back to 8.0 needs the backup.", s.Version))
		}
	}
	return out
}

// shortestPath finds the fewest documented hops from a to b (both included).
func shortestPath(a, b Version) ([]Version, error) {
	prevOf := map[Version]Version{a: a}
	queue := []Version{a}
	for len(queue) > 0 {
		cur := queue[0]
		queue = queue[1:]
		if cur == b {
			break
		}
		for _, h := range Hops {
			if h[0] != cur {
				continue
			}
			if _, seen := prevOf[h[1]]; !seen {
				prevOf[h[1]] = cur
				queue = append(queue, h[1])
			}
		}
	}
	if _, ok := prevOf[b]; !ok {
		return nil, fmt.Errorf("no documented upgrade path from MongoDB %s to %s", a, b)
	}
	var path []Version
	for v := b; ; v = prevOf[v] {
		path = append([]Version{v}, path...)
		if v == a {
			return path, nil
		}
	}
}
