#!/usr/bin/env bash
# Runs inside a debian:<release> container (./build's distroless recipe) and
# lays out a distroless root file system in /work/out the way distroless does:
# the .deb files are only extracted (dpkg-deb -x: no maintainer scripts, no
# dpkg database, no shell unless a package ships one), with a status.d entry
# per package, the CA bundle (and the Java trust store), /etc/passwd and /etc/group (root, nobody,
# nonroot 65532), /home/nonroot and /tmp 1777.
#   PACKAGES  packages taken as they are
#   CLOSURE   packages taken with everything they depend on (recursively),
#             less EXCLUDE (maintainer-script machinery a distroless image lacks)
set -euo pipefail
EXCLUDE=(debconf debconf-2.0 cdebconf perl-base perl dpkg install-info adduser passwd
  login libpam-modules libpam-modules-bin libpam-runtime libpam0g init-system-helpers
  sensible-utils ucf lsb-base sysvinit-utils coreutils bash dash debianutils
  libc-bin mount util-linux grep sed findutils tar gzip diffutils hostname)
out=/work/out; debs=/work/debs
rm -rf "$out" "$debs"; mkdir -p "$out" "$debs"
apt-get update -qq
read -r -a pkgs <<< "${PACKAGES:-}"
if [ -n "${CLOSURE:-}" ]; then
  read -r -a roots <<< "$CLOSURE"
  mapfile -t more < <(apt-cache depends --recurse --no-recommends --no-suggests --no-conflicts \
      --no-breaks --no-replaces --no-enhances "${roots[@]}" | grep -E '^[a-z0-9]' | sort -u \
    | grep -vxF -f <(printf '%s\n' "${EXCLUDE[@]}"))
  pkgs+=("${more[@]}")
fi
mapfile -t pkgs < <(printf '%s\n' "${pkgs[@]}" | sort -u)
# Virtual packages (no candidate) drop out here; real ones must all download.
mapfile -t real < <(for p in "${pkgs[@]}"; do
  if apt-cache show --no-all-versions "$p" >/dev/null 2>&1; then echo "$p"; fi; done)
(cd "$debs" && apt-get download -qq "${real[@]}")
mkdir -p "$out/var/lib/dpkg/status.d"
for d in "$debs"/*.deb; do
  dpkg-deb -x "$d" "$out"
  dpkg-deb -f "$d" > "$out/var/lib/dpkg/status.d/$(dpkg-deb -f "$d" Package)"
done
# Debian 13 packages ship /usr only; the aliases (/lib64 for the ELF
# interpreter) come from base-files or are made here.
for l in bin sbin lib lib64; do
  if [ ! -e "$out/$l" ] && [ ! -L "$out/$l" ] && [ -d "$out/usr/$l" ]; then ln -s "usr/$l" "$out/$l"; fi
done
# What distroless leaves out of the packages.
find "$out/usr/share/doc" -mindepth 2 ! -name copyright ! -type d -delete 2>/dev/null || true
rm -rf "$out/usr/share/man" "$out/usr/share/info" "$out/usr/share/lintian" "$out/usr/share/locale"
# Entry points distroless has where Debian would make an alternative or a link.
for j in "$out"/usr/lib/jvm/java-*/bin/java; do
  [ -e "$j" ] && ln -sf "${j#"$out"}" "$out/usr/bin/java"
done
if [ -e "$out/usr/bin/node" ]; then mkdir -p "$out/nodejs/bin"; ln -s /usr/bin/node "$out/nodejs/bin/node"; fi
# The CA bundle (update-ca-certificates' output, made without running it); a
# local CA this machine re-signs HTTPS with is trusted too, as in the other
# stand-ins.
if [ -d "$out/usr/share/ca-certificates" ]; then
  mkdir -p "$out/etc/ssl/certs"
  cat "$out"/usr/share/ca-certificates/mozilla/*.crt /usr/local/share/ca-certificates/*.crt \
    > "$out/etc/ssl/certs/ca-certificates.crt" 2>/dev/null || true
fi
# The Java trust store, where the JRE's lib/security/cacerts points
# (/etc/ssl/certs/java/cacerts): ca-certificates-java makes it from the CA
# bundle in a maintainer script, which dpkg-deb -x does not run; so the same
# .deb files are installed in this container (where maintainer scripts run,
# and the local CA is trusted as above) and the store it made is copied.
# distroless generates the same file from ca-certificates at build time.
if compgen -G "$debs/ca-certificates-java_*.deb" >/dev/null; then
  mapfile -t jres < <(printf '%s\n' "${real[@]}" | grep -E '^openjdk-[0-9]+-jre-headless$')
  mkdir -p /var/cache/apt/archives/partial; cp "$debs"/*.deb /var/cache/apt/archives/
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    ca-certificates ca-certificates-java "${jres[@]}" >/dev/null
  [ -s /etc/ssl/certs/java/cacerts ] || { echo "distroless: ca-certificates-java made no trust store" >&2; exit 1; }
  install -D -m 0644 /etc/ssl/certs/java/cacerts "$out/etc/ssl/certs/java/cacerts"
  echo "distroless: Java trust store $(keytool -list -cacerts -storepass changeit 2>/dev/null | grep -c trustedCertEntry) CA certificates"
fi
cat > "$out/etc/passwd" <<'P'
root:x:0:0:root:/root:/sbin/nologin
nobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin
nonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin
P
cat > "$out/etc/group" <<'G'
root:x:0:
tty:x:5:
staff:x:50:
nogroup:x:65534:
nonroot:x:65532:
G
printf 'hosts: files dns\n' > "$out/etc/nsswitch.conf"
install -d -m 0700 "$out/root"
install -d -m 0700 -o 65532 -g 65532 "$out/home/nonroot"
install -d -m 1777 "$out/tmp"
echo "distroless: ${#real[@]} packages: ${real[*]}"
