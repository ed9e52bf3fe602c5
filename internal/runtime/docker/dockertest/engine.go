// Package dockertest builds, from the mongod simulator, images that behave
// like the official mongo images as far as mongostep can see, and helps tests
// that run them on the real Docker Engine. Test code only.
//
// The images are FROM-scratch imports of one layer: /usr/bin/mongod (the
// simulator), /usr/local/bin/docker-entrypoint.sh (simentrypoint), /etc/passwd
// and /etc/group with mongodb 999, /data/db and /data/configdb (999:999),
// /tmp; ENTRYPOINT ["docker-entrypoint.sh"], CMD ["mongod"], VOLUME
// /data/db /data/configdb, ENV MONGODSIM_VERSION=<the tag's version>. They
// carry the label mongostep.test=sim and are kept between runs (rebuilt only
// when the simulator changes).
//
// When no engine answers, the helpers fail the test loudly: Docker tests
// never skip silently.
package dockertest

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/moby/moby/client"
)

var (
	engMu   sync.Mutex
	engCli  *client.Client
	engArch string
)

// engine connects once per process to DOCKER_HOST or the default socket.
func engine(ctx context.Context) (*client.Client, string, error) {
	engMu.Lock()
	defer engMu.Unlock()
	if engCli != nil {
		return engCli, engArch, nil
	}
	cli, err := client.New(client.FromEnv)
	if err != nil {
		return nil, "", fmt.Errorf("dockertest: docker client: %w", err)
	}
	ctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	info, err := cli.Info(ctx, client.InfoOptions{})
	if err != nil {
		cli.Close()
		return nil, "", fmt.Errorf("dockertest: the Docker tests need a running Docker Engine (docker info failed: %v); start it, or set DOCKER_HOST. These tests fail instead of skipping", err)
	}
	engCli, engArch = cli, info.Info.Architecture
	return engCli, engArch, nil
}

// Client returns a client of the engine the tests use, failing the test when
// none answers.
func Client(t testing.TB) *client.Client {
	t.Helper()
	cli, _, err := engine(context.Background())
	if err != nil {
		t.Fatalf("%v", err)
	}
	return cli
}

// RunID returns a fresh run id for a test and removes, when the test ends,
// every container labelled with it (forcibly, with its anonymous volumes).
func RunID(t testing.TB) string {
	t.Helper()
	id := "test" + randomHex(5)
	cli := Client(t)
	t.Cleanup(func() { RemoveContainers(t, cli, "mongostep.run="+id) })
	return id
}

// RemoveContainers force-removes the containers carrying label (key=value).
func RemoveContainers(t testing.TB, cli *client.Client, label string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	res, err := cli.ContainerList(ctx, client.ContainerListOptions{All: true, Filters: make(client.Filters).Add("label", label)})
	if err != nil {
		t.Errorf("list containers labelled %s: %v", label, err)
		return
	}
	for _, c := range res.Items {
		if _, err := cli.ContainerRemove(ctx, c.ID, client.ContainerRemoveOptions{Force: true, RemoveVolumes: true}); err != nil {
			t.Errorf("remove container %s: %v", c.ID[:12], err)
		}
	}
}
