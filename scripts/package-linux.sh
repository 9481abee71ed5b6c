#!/usr/bin/env bash
# Builds the `orchard` release binary and packs it, with every shared library it needs that glibc
# does not provide, into dist/orchard-<version>-linux-<arch>.tar.gz — the bundle that
# deploy/emr/bootstrap-orchard.sh installs on every EMR node (see docs/emr.md).
#
#   scripts/package-linux.sh                       # swift build -c release --static-swift-stdlib, then pack
#   scripts/package-linux.sh --binary PATH         # pack an existing binary (no build)
#   scripts/package-linux.sh --binary PATH --version 0.1.0-test --out /tmp/dist
#
# Bundle layout (one top-level folder, orchard-<version>-linux-<arch>/):
#   bin/orchard       wrapper: puts ../lib first on LD_LIBRARY_PATH and execs ../libexec/orchard
#   libexec/orchard   the real binary; its DT_RPATH is $ORIGIN/../lib:/opt/orchard/lib, so it also
#                     runs without the wrapper, and a copy shipped elsewhere (Spark addArtifacts puts
#                     it in a per-session folder on executors) still finds the libraries installed
#                     in /opt/orchard by the bootstrap action
#   lib/              the non-glibc shared libraries, transitively, as `ldd` resolves them here
#   BUILD-INFO        version, build host, glibc/libstdc++ requirements, each library's origin
#
# Which libraries stay out, and why:
# - glibc's own objects (ld-linux, libc, libm, libpthread, libdl, librt, libutil, libresolv, libanl,
#   libmvec, libnsl, libBrokenLocale, libnss_*, libthread_db, libc_malloc_debug). They are one unit
#   with the host's dynamic loader and kernel interface; a bundled libc next to the host's ld-linux
#   crashes at start-up. The target supplies them; the glibc check below says whether it can.
# - GCC's base runtime, libstdc++ and libgcc_s, unless --bundle-cxx-runtime. Measured on Debian 12:
#   its libstdc++ needs GLIBC_2.36 (arc4random) and its libgcc_s GLIBC_2.35 (_dl_find_object), while
#   every other library Orchard pulls in needs at most GLIBC_2.34 — so bundling them would be the
#   one thing that stops the bundle from starting on Amazon Linux 2023 (glibc 2.34). Every AL2023
#   system has GCC 11's libstdc++ (up to GLIBCXX_3.4.29, CXXABI_1.3.13) and libgcc_s (up to
#   GCC_7.0.0); the script prints the highest versions the binary and its libraries ask for and
#   warns when they are above those.
# Everything else ldd resolves goes in lib/: the C libraries Orchard links (XNNPACK, pthreadpool,
# cpuinfo, turbojpeg, png16, hdf5_serial, openblas, lapacke, zstd, snappy, zlib) and what they pull
# in (hdf5 brings libcurl and its TLS/Kerberos/LDAP stack, lapacke brings lapack/blas/gfortran).
set -euo pipefail

usage() {
  sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'
  echo "options: --binary PATH  --version VERSION  --out DIR  --max-glibc X.Y (default 2.34, Amazon Linux 2023)"
  echo "         --bundle-cxx-runtime (also bundle libstdc++/libgcc_s; only for targets whose glibc is new enough)"
}

root=$(cd "$(dirname "$0")/.." && pwd)
binary=""
version=""
out_dir="${root}/dist"
max_glibc="2.34"
bundle_cxx=false
while [ $# -gt 0 ]; do
  case "$1" in
  --binary) binary=${2:?--binary needs a path}; shift 2 ;;
  --version) version=${2:?--version needs a value}; shift 2 ;;
  --out) out_dir=${2:?--out needs a folder}; shift 2 ;;
  --max-glibc) max_glibc=${2:?--max-glibc needs a version}; shift 2 ;;
  --bundle-cxx-runtime) bundle_cxx=true; shift ;;
  -h | --help) usage; exit 0 ;;
  *) echo "package-linux: unknown argument $1" >&2; usage >&2; exit 2 ;;
  esac
done

die() { echo "package-linux: $*" >&2; exit 1; }
for tool in ldd objdump readelf patchelf tar sha256sum; do
  command -v "$tool" >/dev/null || die "needs $tool (Debian: apt-get install binutils patchelf; Amazon Linux: dnf install binutils patchelf)"
done

if [ -z "$binary" ]; then
  # The release build the bundle is for: Swift's own runtime linked in statically, so the only
  # dynamic dependencies left are the C libraries and glibc.
  (cd "$root" && swift build -c release --static-swift-stdlib --product orchard)
  binary="$(cd "$root" && swift build -c release --static-swift-stdlib --show-bin-path)/orchard"
fi
[ -f "$binary" ] || die "no binary at $binary"
binary=$(readlink -f "$binary")

if [ -z "$version" ]; then
  version=$(sed -n 's/.*static let current = "\([^"]*\)".*/\1/p' "$root/Sources/Pipeline/OrchardVersion.swift" | head -n 1)
  [ -n "$version" ] || die "cannot read the version from Sources/Pipeline/OrchardVersion.swift; pass --version"
fi

case "$(readelf -h "$binary" | sed -n 's/^ *Machine: *//p')" in
*X86-64*) arch=x86_64 ;;
*AArch64*) arch=aarch64 ;;
*) die "$binary is not an x86-64 or AArch64 ELF executable" ;;
esac

# glibc's own objects, by soname prefix (see the header for why they stay out).
is_glibc() {
  case "$1" in
  linux-vdso.so.* | linux-gate.so.* | ld-linux*.so.* | libc.so.* | libm.so.* | libpthread.so.* | \
    libdl.so.* | librt.so.* | libutil.so.* | libresolv.so.* | libanl.so.* | libmvec.so.* | \
    libnsl.so.1 | libBrokenLocale.so.* | libnss_*.so.* | libthread_db.so.* | libc_malloc_debug.so.*)
    return 0 ;;
  esac
  return 1
}
# GCC's base runtime (see the header): left to the target unless --bundle-cxx-runtime.
is_cxx_runtime() {
  case "$1" in libstdc++.so.* | libgcc_s.so.*) return 0 ;; esac
  return 1
}
leave_out() {
  is_glibc "$1" && return 0
  if ! $bundle_cxx && is_cxx_runtime "$1"; then return 0; fi
  return 1
}

name="orchard-${version}-linux-${arch}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
stage="$work/$name"
mkdir -p "$stage/bin" "$stage/libexec" "$stage/lib"
install -m 0755 "$binary" "$stage/libexec/orchard"

# ldd prints the whole transitive closure, one "soname => path (address)" per line.
ldd_out=$(ldd "$binary" 2>&1) || die "ldd failed on $binary: $ldd_out"
if grep -q 'not found' <<<"$ldd_out"; then
  die "$binary needs libraries this machine does not have:
$(grep 'not found' <<<"$ldd_out")"
fi
bundled=()
origins=()
while read -r soname arrow path _; do
  [ "$arrow" = "=>" ] || continue
  leave_out "$soname" && continue
  [ -f "$path" ] || die "ldd resolved $soname to $path, which does not exist"
  cp -L "$path" "$stage/lib/$soname"
  chmod 0644 "$stage/lib/$soname"
  bundled+=("$soname")
  real=$(readlink -f "$path")
  pkg=$({ dpkg -S "$real" 2>/dev/null || dpkg -S "${real#/usr}" 2>/dev/null || rpm -qf "$real" 2>/dev/null || true; } | head -n 1 | cut -d: -f1)
  origins+=("$soname  $real  ${pkg:-?}")
done <<<"$ldd_out"

# The binary looks in its own ../lib first, then in the bootstrap action's install folder. DT_RPATH
# (not RUNPATH) because RPATH also applies to the libraries' own dependencies.
patchelf --force-rpath --set-rpath "\$ORIGIN/../lib:/opt/orchard/lib" "$stage/libexec/orchard"
# A library with a RUNPATH of its own ignores the executable's RPATH for its dependencies; point
# those at their neighbours in lib/.
for soname in "${bundled[@]}"; do
  if readelf -d "$stage/lib/$soname" | grep -qE '\((RUNPATH|RPATH)\)'; then
    patchelf --set-rpath "\$ORIGIN" "$stage/lib/$soname"
  fi
done

cat >"$stage/bin/orchard" <<'WRAPPER'
#!/bin/sh
# Runs the bundled orchard with the bundle's own shared libraries first on the search path.
here=$(dirname "$(readlink -f "$0")")
LD_LIBRARY_PATH="$here/../lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
export LD_LIBRARY_PATH
exec "$here/../libexec/orchard" "$@"
WRAPPER
chmod 0755 "$stage/bin/orchard"

# Every library must now resolve inside the bundle, even with no help from the environment.
resolved=$(env -i PATH=/usr/bin:/bin ldd "$stage/libexec/orchard")
while read -r soname arrow path _; do
  [ "$arrow" = "=>" ] || continue
  leave_out "$soname" && continue
  case "$(readlink -f "$path")" in
  "$stage/lib/"*) ;;
  *) die "$soname resolves to $path, not to the bundle's lib/ (rpath not effective)" ;;
  esac
done <<<"$resolved"

# The highest symbol versions the binary and its bundled libraries need from the target (undefined
# symbols only; a bundled libstdc++ satisfies the GLIBCXX/CXXABI/GCC needs itself).
max_version() { grep -oE "\(?$1_[0-9]+(\.[0-9]+)*\)?" | tr -d '()' | sed "s/^$1_//" | sort -V | tail -n 1; }
needs=$(objdump -T "$stage/libexec/orchard" "$stage"/lib/*.so* 2>/dev/null | grep -F '*UND*' || true)
glibc_needed=$(max_version GLIBC <<<"$needs")
glibcxx_needed=$(max_version GLIBCXX <<<"$needs")
cxxabi_needed=$(max_version CXXABI <<<"$needs")
gcc_needed=$(max_version GCC <<<"$needs")
ldd_version=$(ldd --version 2>&1 || true)
build_glibc=$(head -n 1 <<<"$ldd_version" | grep -oE '[0-9]+\.[0-9]+$' || true)
build_os=$(sed -n 's/^PRETTY_NAME="\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' /etc/os-release 2>/dev/null || true)
above() { [ -n "$1" ] && [ "$1" != "$2" ] && [ "$(printf '%s\n%s\n' "$1" "$2" | sort -V | tail -n 1)" = "$1" ]; }

{
  echo "orchard ${version} (linux-${arch})"
  echo "built on: ${build_os:-unknown}, glibc ${build_glibc:-unknown}"
  echo "requires glibc >= ${glibc_needed:-none}"
  echo "requires libstdc++ GLIBCXX_${glibcxx_needed:-none} CXXABI_${cxxabi_needed:-none}, libgcc_s GCC_${gcc_needed:-none} (bundled: $bundle_cxx)"
  echo "binary sha256: $(sha256sum "$stage/libexec/orchard" | cut -d' ' -f1)"
  echo "bundled libraries (soname, source path, package):"
  printf '  %s\n' "${origins[@]}"
} >"$stage/BUILD-INFO"

mkdir -p "$out_dir"
tarball="$out_dir/$name.tar.gz"
tar -C "$work" --owner=0 --group=0 --numeric-owner -czf "$tarball" "$name"
sha=$(sha256sum "$tarball" | cut -d' ' -f1)
echo "$sha  $(basename "$tarball")" >"$tarball.sha256"

echo "package-linux: wrote $tarball ($(du -h "$tarball" | cut -f1), ${#bundled[@]} libraries bundled)"
echo "package-linux: sha256 $sha"
echo "package-linux: requires glibc >= ${glibc_needed:-none} (built against ${build_glibc:-unknown}); Amazon Linux 2023 has 2.34"
if above "$glibc_needed" "$max_glibc"; then
  echo "package-linux: WARNING: the bundle needs glibc ${glibc_needed}, above ${max_glibc}: it will not start on" >&2
  echo "  Amazon Linux 2023 / EMR 7.x. Build it inside an amazonlinux:2023 host or container with Swift" >&2
  echo "  installed (docs/emr.md, 'Build the bundle')." >&2
fi
if ! $bundle_cxx; then
  echo "package-linux: requires libstdc++ GLIBCXX_${glibcxx_needed:-none} CXXABI_${cxxabi_needed:-none}, libgcc_s GCC_${gcc_needed:-none}; Amazon Linux 2023 has up to 3.4.29, 1.3.13, 7.0.0"
  if above "$glibcxx_needed" 3.4.29 || above "$cxxabi_needed" 1.3.13 || above "$gcc_needed" 7.0.0; then
    echo "package-linux: WARNING: Amazon Linux 2023's libstdc++/libgcc_s (GCC 11) are older than this binary needs." >&2
    echo "  Build inside amazonlinux:2023 (docs/emr.md), or pass --bundle-cxx-runtime if the glibc above allows it." >&2
  fi
fi
