# shellcheck shell=bash
# Sourced by build and smoke. IMAGEBUILD_DIR holds image storage and logs
# (default: .imagebuild at the repository root; git-ignored). Point it at one
# shared folder to build the images once for several work trees.
images_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
export IMAGEBUILD_DIR=${IMAGEBUILD_DIR:-$images_dir/../../.imagebuild}
mkdir -p "$IMAGEBUILD_DIR"
IMAGEBUILD_DIR=$(cd "$IMAGEBUILD_DIR" && pwd)
# IMAGEBUILD_RUNROOT: the run-time state folder; a second IMAGEBUILD_DIR
# used at the same time needs its own.
printf '[storage]\ndriver = "overlay"\ngraphroot = "%s/storage"\nrunroot = "%s"\n' \
  "$IMAGEBUILD_DIR" "${IMAGEBUILD_RUNROOT:-/run/containers/dslim-imagebuild}" > "$IMAGEBUILD_DIR/storage.conf"
export CONTAINERS_STORAGE_CONF=$IMAGEBUILD_DIR/storage.conf
# Flags for a machine with no Docker daemon, as root, without cgroup control:
# chroot isolation; --layers so each RUN/COPY/ADD is one layer as in Docker.
BUILD_FLAGS=(--layers --pull=never --isolation chroot --network host --format oci)
# Where outbound HTTPS is re-signed by a local CA (/usr/local/share/ca-certificates),
# builds see that CA, and the stand-in images trust it (see README › Development).
LOCAL_CA=/usr/local/share/ca-certificates
if [ -n "$(ls -A "$LOCAL_CA" 2>/dev/null)" ]; then
  BUILD_FLAGS+=(-v "$LOCAL_CA:$LOCAL_CA:ro")
fi
# A working container's ID (buildah from ARGS…). Scripts remove their own
# containers by ID, never by name: buildah reuses a removed container's name
# (debian-working-container-1) for the next one, which may be another
# build's on the same storage.
container_from() {
  local name; name=$(buildah from "$@") || return 1
  buildah inspect --type container --format '{{.ContainerID}}' "$name"
}
