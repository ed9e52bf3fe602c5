package docker

import (
	"reflect"
	"strings"
	"testing"
)

const (
	dockerID = "ecb9ba79dce48cafaac6dae2b425e95ad2afaa151f55d07d78ca73e21afbb955"
	podmanID = "f45f1cd9aebc084f36b97bb6981f748260afa9d9fa7630bbcbf19f869f87fece"
)

// Lines as seen inside a Docker 20.10 and a Podman 4.3 container.
var (
	dockerMountinfo = "74 47 0:39 / / rw,nodev,noatime master:3 - fuse.fuse-overlayfs fuse-overlayfs rw\n" +
		"91 74 254:0 /opt/clearml/data /opt/clearml/data rw,relatime - ext4 /dev/vda rw\n" +
		"95 74 254:0 /var/lib/docker/containers/" + dockerID + "/hostname /etc/hostname rw,relatime - ext4 /dev/vda rw\n" +
		"96 74 254:0 /var/lib/docker/containers/" + dockerID + "/hosts /etc/hosts rw,relatime - ext4 /dev/vda rw\n"
	podmanMountinfo = "80 52 0:40 / / rw,relatime - overlay overlay rw\n" +
		"93 80 254:0 /run/containers/storage/overlay-containers/" + podmanID + "/userdata/hostname /etc/hostname rw - ext4 /dev/vda rw\n"
	podmanCgroup = "1:cpu:/libpod_parent/libpod-" + podmanID + "\n0::/libpod_parent/libpod-" + podmanID + "\n"
	dockerCgroup = "4:memory:/docker/" + dockerID + "\n0::/docker/" + dockerID + "\n"
	// A host running Podman sees each running container's shm among its own mounts.
	hostMountinfo = "22 27 0:21 / /proc rw,relatime - proc proc rw\n27 1 254:0 / / rw - ext4 /dev/vda rw\n" +
		"120 27 0:50 / /var/lib/containers/storage/overlay-containers/" + podmanID + "/userdata/shm rw - tmpfs shm rw\n"
)

func TestSelfIDs(t *testing.T) {
	cases := []struct {
		name                      string
		mountinfo, cgroup, ctrenv string
		want                      []string
	}{
		{"docker", dockerMountinfo, dockerCgroup, "", []string{dockerID}},
		{"podman", podmanMountinfo, podmanCgroup, "", []string{podmanID}},
		{"podman privileged containerenv first", podmanMountinfo, "", "engine=\"podman-4.3.1\"\nname=\"x\"\nid=\"" + dockerID + "\"\n", []string{dockerID, podmanID}},
		{"cgroup only (systemd scope)", "", "0::/system.slice/docker-" + dockerID + ".scope\n", "", []string{dockerID}},
		{"host", hostMountinfo, "0::/\n", "", nil},
	}
	for _, c := range cases {
		got := selfIDs([]byte(c.mountinfo), []byte(c.cgroup), []byte(c.ctrenv))
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: selfIDs = %q, want %q", c.name, got, c.want)
		}
	}
}

func clearMLSelf(mounts ...selfMount) *selfContainer {
	return &selfContainer{Name: "mongostep-tool", NetworkMode: "host", PidMode: "host", Mounts: append([]selfMount{
		{Type: "bind", Source: "/var/run/docker.sock", Destination: "/var/run/docker.sock"},
	}, mounts...)}
}

func TestCheckPathsSamePathPasses(t *testing.T) {
	sc := clearMLSelf(selfMount{Type: "bind", Source: "/opt/clearml/data", Destination: "/opt/clearml/data"})
	dirs := dataDirs([]string{"/opt/clearml/data/mongo", "/opt/clearml/data/mongo_4", "/opt/clearml/data/mongo-backup.tar.gz"})
	if err := sc.checkPaths(dirs, "docker"); err != nil {
		t.Fatalf("same-path mount refused: %v", err)
	}
	if err := sc.checkPaths(stepDirs("/opt/clearml/data/mongo_4.mongostep-4.4/data/db", "/opt/clearml/data/mongo_4.mongostep-4.4/data/configdb"), "docker"); err != nil {
		t.Fatalf("step folders refused: %v", err)
	}
	var none *selfContainer
	if err := none.checkPaths(dirs, "docker"); err != nil {
		t.Fatalf("not in a container, yet refused: %v", err)
	}
}

func TestCheckPathsNotMounted(t *testing.T) {
	sc := clearMLSelf()
	err := sc.checkPaths(dataDirs([]string{"/opt/clearml/data/mongo", "/opt/clearml/data/mongo_4"}), "docker")
	if err == nil {
		t.Fatal("data in the container's own filesystem accepted")
	}
	msg := err.Error()
	for _, want := range []string{
		"mongostep runs inside container mongostep-tool",
		"/opt/clearml/data is not mounted from the host",
		"Fix: add -v /opt/clearml/data:/opt/clearml/data to the docker run command",
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("message lacks %q:\n%s", want, msg)
		}
	}
	if strings.Count(msg, "-v /opt/clearml/data:/opt/clearml/data") != 1 {
		t.Errorf("the same -v is suggested more than once:\n%s", msg)
	}
}

func TestCheckPathsMountedElsewhere(t *testing.T) {
	sc := clearMLSelf(selfMount{Type: "bind", Source: "/srv/clearml", Destination: "/opt/clearml"})
	err := sc.checkPaths(stepDirs("/opt/clearml/data/mongo_4.mongostep-4.4/data/db", "/opt/clearml/data/mongo_4.mongostep-4.4/data/configdb"), "podman")
	if err == nil {
		t.Fatal("a mount at another path accepted")
	}
	msg := err.Error()
	for _, want := range []string{
		"/opt/clearml/data/mongo_4.mongostep-4.4/data/db is the host's /srv/clearml/data/mongo_4.mongostep-4.4/data/db (mounted with -v /srv/clearml:/opt/clearml)",
		"add -v /srv/clearml:/srv/clearml instead of -v /srv/clearml:/opt/clearml (and name the data by its host path, under /srv/clearml) to the podman run command",
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("message lacks %q:\n%s", want, msg)
		}
	}
	if strings.Count(msg, "Fix:") != 1 || strings.Count(msg, "instead of") != 1 {
		t.Errorf("one fix expected for two folders under the same mount:\n%s", msg)
	}
}

func TestCheckPathsLongestMountWins(t *testing.T) {
	// /opt is mounted elsewhere, but /opt/clearml/data at its own path.
	sc := clearMLSelf(
		selfMount{Type: "bind", Source: "/somewhere", Destination: "/opt"},
		selfMount{Type: "bind", Source: "/opt/clearml/data", Destination: "/opt/clearml/data"},
	)
	if err := sc.checkPaths(dataDirs([]string{"/opt/clearml/data/mongo"}), "docker"); err != nil {
		t.Fatalf("the deeper same-path mount was not used: %v", err)
	}
	// A named volume at the right place is still not the host's folder.
	sc = clearMLSelf(selfMount{Type: "volume", Source: "/var/lib/docker/volumes/data/_data", Destination: "/opt/clearml/data"})
	err := sc.checkPaths(dataDirs([]string{"/opt/clearml/data/mongo"}), "docker")
	if err == nil || !strings.Contains(err.Error(), "volume mount") || !strings.Contains(err.Error(), "-v /opt/clearml/data:/opt/clearml/data") {
		t.Fatalf("volume mount: %v", err)
	}
}

func TestCheckNamespaces(t *testing.T) {
	sc := clearMLSelf()
	if err := sc.checkNamespaces("docker"); err != nil {
		t.Fatalf("host network and PIDs refused: %v", err)
	}
	sc.NetworkMode = "bridge"
	err := sc.checkNamespaces("docker")
	if err == nil || !strings.Contains(err.Error(), "Add --network host to the docker run command") || strings.Contains(err.Error(), "--pid") {
		t.Fatalf("bridge network: %v", err)
	}
	sc.PidMode = ""
	err = sc.checkNamespaces("podman")
	if err == nil || !strings.Contains(err.Error(), "Add --network host --pid host to the podman run command") {
		t.Fatalf("bridge network, own PIDs: %v", err)
	}
	sc.NetworkMode = "host"
	err = sc.checkNamespaces("docker")
	if err == nil || !strings.Contains(err.Error(), "Add --pid host to the docker run command") || !strings.Contains(err.Error(), "host's processes") {
		t.Fatalf("own PIDs: %v", err)
	}
	var none *selfContainer
	if err := none.checkNamespaces("docker"); err != nil {
		t.Fatalf("not in a container: %v", err)
	}
}

func TestRunFolderParent(t *testing.T) {
	for in, want := range map[string]string{
		"/opt/clearml/data/mongo_4.mongostep-4.4/data/db": "/opt/clearml/data",
		"/srv/db.mongostep-6.0/data":                      "/srv",
		"/plain/db":                                       "/plain",
	} {
		if got := runFolderParent(in); got != want {
			t.Errorf("runFolderParent(%s) = %s, want %s", in, got, want)
		}
	}
}
