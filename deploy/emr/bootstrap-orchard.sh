#!/usr/bin/env bash
# EMR bootstrap action: installs the Orchard bundle (scripts/package-linux.sh) on this node.
# EMR runs bootstrap actions on every node, as the hadoop user (which has passwordless sudo),
# before Spark is installed. Safe to run again: an install of the same tarball is a no-op.
#
#   bootstrap-orchard.sh s3://YOUR-BUCKET/YOUR-ARTIFACTS-PREFIX/orchard-0.1.0-linux-x86_64.tar.gz [SHA256]
#
# The first argument may also be a local path (tests, or a tarball baked into a custom AMI).
# With SHA256 (the hex digest package-linux.sh prints and writes to <tarball>.sha256) the download
# is refused unless it matches. The bundle goes to /opt/orchard and `orchard` is linked into
# /usr/local/bin; ORCHARD_PREFIX and ORCHARD_LINK change those two paths.
set -euo pipefail

source_uri=${1:-}
expected_sha=${2:-}
prefix=${ORCHARD_PREFIX:-/opt/orchard}
link=${ORCHARD_LINK:-/usr/local/bin/orchard}

log() { echo "bootstrap-orchard: $*"; }
die() { echo "bootstrap-orchard: error: $*" >&2; exit 1; }
# Root work through sudo only when not already root (EMR: hadoop + sudo; containers: root).
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

[ -n "$source_uri" ] || die "usage: $0 s3://bucket/path/orchard-<version>-linux-<arch>.tar.gz [sha256]"
if [ -n "$expected_sha" ] && ! [[ "$expected_sha" =~ ^[0-9a-fA-F]{64}$ ]]; then
  die "the second argument must be a 64-digit hex sha256, got '$expected_sha'"
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
tarball="$work/orchard.tar.gz"
case "$source_uri" in
s3://*)
  command -v aws >/dev/null || die "the aws CLI is missing (EMR nodes have it; elsewhere install awscli)"
  # Credentials come from the node's instance profile; the role needs s3:GetObject on this key.
  aws s3 cp --only-show-errors "$source_uri" "$tarball" || die "cannot download $source_uri (instance profile allowed s3:GetObject on it?)"
  ;;
*://*) die "only s3:// URIs and local paths are supported, not $source_uri" ;;
*) cp "$source_uri" "$tarball" || die "cannot read $source_uri" ;;
esac

actual_sha=$(sha256sum "$tarball" | cut -d' ' -f1)
if [ -n "$expected_sha" ] && [ "${actual_sha,,}" != "${expected_sha,,}" ]; then
  die "sha256 mismatch for $source_uri: expected $expected_sha, got $actual_sha"
fi

if [ -f "$prefix/.tarball-sha256" ] && [ "$(cat "$prefix/.tarball-sha256")" = "$actual_sha" ] &&
  [ -x "$prefix/libexec/orchard" ]; then
  log "$prefix already holds this bundle ($actual_sha)"
else
  # Unpack beside the target, check the layout, then swap folders so a failed install never
  # leaves a half-written /opt/orchard behind.
  parent=$(dirname "$prefix")
  as_root mkdir -p "$parent"
  staging=$(as_root mktemp -d "$parent/.orchard-new.XXXXXX")
  as_root tar -xzf "$tarball" -C "$staging" --strip-components=1 --no-same-owner
  for required in bin/orchard libexec/orchard lib; do
    as_root test -e "$staging/$required" || { as_root rm -rf "$staging"; die "the tarball has no $required: not an Orchard bundle"; }
  done
  echo "$actual_sha" | as_root tee "$staging/.tarball-sha256" >/dev/null
  as_root chmod -R a+rX "$staging"
  if [ -e "$prefix" ]; then
    old="$parent/.orchard-old.$$"
    as_root mv "$prefix" "$old"
    as_root mv "$staging" "$prefix"
    as_root rm -rf "$old"
  else
    as_root mv "$staging" "$prefix"
  fi
  log "installed $source_uri into $prefix"
fi

as_root mkdir -p "$(dirname "$link")"
as_root ln -sfn "$prefix/bin/orchard" "$link"

if ! version=$("$link" --version 2>&1); then
  echo "$version" >&2
  echo "bootstrap-orchard: shared libraries the binary cannot find here:" >&2
  (LD_LIBRARY_PATH="$prefix/lib" ldd "$prefix/libexec/orchard" | grep 'not found' >&2) || true
  echo "bootstrap-orchard: this node's glibc: $(ldd --version 2>&1 | head -n 1)" >&2
  [ -f "$prefix/BUILD-INFO" ] && sed -n '1,4p' "$prefix/BUILD-INFO" >&2
  die "$link --version failed (see docs/emr.md, Troubleshooting: glibc mismatch)"
fi
log "$link --version: $version"
