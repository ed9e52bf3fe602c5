// Package docker runs each mongod step in a container of the official mongo
// image, through the Docker Engine API (Docker, Docker Desktop or Podman's
// Docker-compatible API).
//
// What it does, in the terms of runtime.Runtime:
//   - New finds the engine: DOCKER_HOST, else the current docker context, else
//     the usual sockets of Docker, Docker Desktop and Podman for this OS.
//   - Check makes sure every step's image is present, pulling a missing one,
//     and says how to provide an image that cannot be pulled, before anything
//     changes.
//   - Start creates one container per step, labelled with the run id: the
//     data's db/ at /data/db (and configdb/ at /data/configdb for ClearML's
//     layout), mongod's port published on 127.0.0.1 only, the command
//     `mongod` (the image's entrypoint adds --bind_ip_all and, started as
//     root, gives the files to the image's mongodb user, uid 999).
//   - Stop sends SIGTERM and waits (never docker's 10-second default), then
//     requires exit status 0 and an empty mongod.lock; the container is
//     removed after a clean stop and kept, and named, otherwise.
//   - Leftovers and UsersOf ask the engine which containers hold a path:
//     inside the image mongod.lock holds PID 1, so the PID tells nothing.
package docker
