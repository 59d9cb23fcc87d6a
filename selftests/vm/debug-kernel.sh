#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Debug-kernel lane: build (once) a Linux 6.1 kernel with KUnit, KASAN,
# lockdep, kmemleak and debug-objects from Debian's linux-source-6.1, for
# booting under QEMU and for building dmvpn.ko against it.
#
# Debian's own kernels have none of these debug options, hence our own.
#
# Usage:
#   debug-kernel.sh [--print]   ensure the kernel is built, then print
#                               KERNEL_IMAGE=/abs/bzImage and KDIR=/abs/tree
#                               on stdout (the only stdout output)
#   debug-kernel.sh --check-config
#                               only generate .config in a scratch dir and
#                               verify the fragment (quick, no build)
#   debug-kernel.sh --cached    exit 0 when the kernel for this fragment is
#                               already built, 1 when a build would start
#                               (no build; check.sh's time budget asks)
#
# Environment:
#   DMVPN_CACHE        cache root (default /var/cache/dmvpn); the kernel
#                      lives in $DMVPN_CACHE/debug-kernel/<key>/
#   DMVPN_KERNEL_SRC   source tarball (default /usr/src/linux-source-6.1.tar.xz)
#
# The cache key is sha256 over the fragment, the source package version and
# the gcc version (plus RECIPE below), so editing selftests/config.debug or
# upgrading either package gives a fresh build; anything else reuses it.
# Builds happen in a temporary directory next to the final one and are
# renamed into place only on success, so an interrupted build never leaves
# a half-populated cache entry.

set -euo pipefail

# Bump when this script changes in a way that changes the build output.
RECIPE=1
ARCH_MAKE=x86_64

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
fragment=$repo/selftests/config.debug
src_tarball=${DMVPN_KERNEL_SRC:-/usr/src/linux-source-6.1.tar.xz}
cache_root=${DMVPN_CACHE:-/var/cache/dmvpn}/debug-kernel

# stdout is reserved for the two result lines; everything else, including
# the output of every command we run, goes to stderr.
exec 3>&1 1>&2

log() { printf '[debug-kernel] %s\n' "$*" >&2; }
die() { printf '[debug-kernel] ERROR: %s\n' "$*" >&2; exit 1; }

usage() {
	sed -n '/^# Usage:/,/^# The cache key/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//' >&2
}

mode=print
case "${1:-}" in
	''|--print) mode=print ;;
	--check-config) mode=check-config ;;
	--cached) mode=cached ;;
	-h|--help) usage; exit 0 ;;
	*) usage; die "unknown argument: $1" ;;
esac
[[ $# -le 1 ]] || { usage; die "too many arguments"; }

# ---------------------------------------------------------------------------
# Preconditions: fail early with a useful message rather than deep in make.
# ---------------------------------------------------------------------------
[[ -r $fragment ]] || die "missing Kconfig fragment $fragment"
[[ -r $src_tarball ]] || die "missing kernel source $src_tarball (apt-get install linux-source-6.1)"
for tool in make gcc tar xz flex bison bc flock sha256sum nproc; do
	command -v "$tool" >/dev/null || die "required tool '$tool' not found"
done
# objtool (selected on x86_64) needs libelf headers.
[[ -e /usr/include/libelf.h || -e /usr/include/elfutils/libelf.h ]] ||
	die "libelf headers missing (apt-get install libelf-dev)"

# ---------------------------------------------------------------------------
# Cache key.
# ---------------------------------------------------------------------------
src_version() {
	# The Debian package version is exact and cheap; for a tarball that does
	# not belong to a package, fall back to hashing its contents.
	local pkg ver
	if pkg=$(dpkg-query -S "$src_tarball" 2>/dev/null | cut -d: -f1) && [[ -n $pkg ]] &&
	   ver=$(dpkg-query -W -f='${Version}' "$pkg" 2>/dev/null) && [[ -n $ver ]]; then
		printf '%s %s\n' "$pkg" "$ver"
	else
		printf 'tarball-sha256 %s\n' "$(sha256sum <"$src_tarball" | cut -d' ' -f1)"
	fi
}
srcver=$(src_version)
gccver=$(gcc --version | sed -n 1p)
key=$( { printf 'recipe=%s\narch=%s\nsrc=%s\ngcc=%s\n--\n' \
		"$RECIPE" "$ARCH_MAKE" "$srcver" "$gccver"; cat "$fragment"; } |
	sha256sum | cut -c1-16)

final=$cache_root/$key
image=$final/bzImage
kdir=$final/linux

if [[ $mode == cached ]]; then
	[[ -f $image && -d $kdir ]] && exit 0
	exit 1
fi

# ---------------------------------------------------------------------------
# Config generation and verification (shared by --check-config and builds).
# ---------------------------------------------------------------------------
kmake() { make -C "$1" ARCH="$ARCH_MAKE" "${@:2}"; }

# allnoconfig with the fragment as KCONFIG_ALLCONFIG (values forced in before
# the "everything no" pass), then olddefconfig to settle defaults.
make_config() {
	local tree=$1
	kmake "$tree" KCONFIG_ALLCONFIG="$fragment" allnoconfig
	kmake "$tree" olddefconfig
}

# Kconfig silently drops options whose dependencies are not met, and invisible
# symbols are only set if something selects them; check every line.
verify_config() {
	local cfg=$1 line sym actual dups bad=()
	# A symbol listed twice silently takes its last value; refuse that.
	dups=$(grep -oE '^(# )?CONFIG_[A-Za-z0-9_]+' "$fragment" | sed 's/^# //' | sort | uniq -d)
	[[ -z $dups ]] || { log "listed more than once in $fragment: ${dups//$'\n'/ }"; return 1; }
	while IFS= read -r line; do
		if [[ $line =~ ^(CONFIG_[A-Za-z0-9_]+)=(.*)$ ]]; then
			sym=${BASH_REMATCH[1]}
			grep -qxF -- "$line" "$cfg" && continue
		elif [[ $line =~ ^#\ (CONFIG_[A-Za-z0-9_]+)\ is\ not\ set$ ]]; then
			sym=${BASH_REMATCH[1]}
			grep -q "^$sym=" "$cfg" || continue
		else
			continue
		fi
		actual=$(grep -E "^$sym=|^# $sym is not set" "$cfg" || true)
		bad+=("  wanted: $line    got: ${actual:-(symbol absent: unmet dependency, not selected, or typo)}")
	done <"$fragment"
	if ((${#bad[@]})); then
		log "the following options of $fragment did not survive into .config:"
		printf '%s\n' "${bad[@]}" >&2
		log "fix their dependencies in the fragment (see 'make menuconfig' -> search)"
		return 1
	fi
	log "all $(grep -cE '^CONFIG_|^# CONFIG_' "$fragment") options of the fragment are set as requested"
}

extract_source() {
	local dest=$1
	mkdir -p "$dest"
	log "extracting $src_tarball"
	tar -xJf "$src_tarball" -C "$dest" --strip-components=1
}

# ---------------------------------------------------------------------------
# Cleanup of whatever this invocation started (temp dirs, make, ticker).
# ---------------------------------------------------------------------------
tmp=''
make_pid=''
ticker_pid=''
cleanup() {
	local rc=$?
	if [[ -n $ticker_pid ]]; then kill "$ticker_pid" 2>/dev/null || true; fi
	# make runs in its own session (setsid) so its compiler children die too.
	if [[ -n $make_pid ]]; then kill -TERM -- "-$make_pid" 2>/dev/null || true; fi
	if [[ -n $tmp && -d $tmp ]]; then rm -rf -- "$tmp"; fi
	exit "$rc"
}
trap cleanup EXIT
# Turn signals into a normal exit so the EXIT trap runs.
trap 'exit 130' INT
trap 'exit 143' TERM HUP

if [[ $mode == check-config ]]; then
	tmp=$(mktemp -d "${TMPDIR:-/tmp}/dmvpn-kconfig.XXXXXX")
	extract_source "$tmp/linux"
	make_config "$tmp/linux" >"$tmp/config.log" 2>&1 ||
		{ cat "$tmp/config.log" >&2; die "config generation failed"; }
	verify_config "$tmp/linux/.config" || die "fragment verification failed"
	log "cache key would be $key ($final)"
	exit 0
fi

emit() {
	printf 'KERNEL_IMAGE=%s\nKDIR=%s\n' "$image" "$kdir" >&3
}

# Fast path: already built, nothing to lock.
if [[ -f $final/.complete ]]; then
	log "using cached kernel $final"
	emit
	exit 0
fi

mkdir -p "$cache_root" || die "cannot create $cache_root (set DMVPN_CACHE to a writable dir)"

# One builder per key; concurrent callers wait and then reuse its result.
exec 9>"$cache_root/.lock-$key"
if ! flock -n 9; then
	log "another build of $key is running; waiting for it"
	flock 9
fi
if [[ -f $final/.complete ]]; then
	log "using cached kernel $final (built by a concurrent run)"
	emit
	exit 0
fi

# A directory without .complete can only be left over from an older layout or
# manual meddling; temp dirs of killed builds (SIGKILL skips our trap) too.
# Both are safe to remove because we hold this key's lock.
rm -rf -- "$final" "$cache_root/.build-$key".*

# Build next to the final location so the closing rename is atomic.
tmp=$(mktemp -d "$cache_root/.build-$key.XXXXXX")
buildlog=$tmp/build.log
log "building debug kernel $key in $tmp (log: $buildlog)"
log "inputs: $srcver; $gccver; fragment $fragment"

start=$(date +%s)
extract_source "$tmp/linux"

log "generating .config (allnoconfig + fragment + olddefconfig)"
make_config "$tmp/linux" >>"$buildlog" 2>&1 ||
	{ tail -n 40 "$buildlog" >&2; die "config generation failed (log: $buildlog)"; }
verify_config "$tmp/linux/.config" || die "fragment verification failed"

jobs=$(nproc)
log "make -j$jobs bzImage modules (cold: ~15 min on 2 cores; see Documentation/testing.md)"

# Progress ticker: a line per minute so callers (and CI logs) see movement.
(
	while sleep 60; do
		n=$(grep -cE '^  (CC|AS|LD|AR)( \[M\])? ' "$buildlog" 2>/dev/null || true)
		last=$(grep -E '^  [A-Z]+' "$buildlog" 2>/dev/null | tail -n1 | sed 's/^ *//')
		log "$(( ($(date +%s) - start) / 60 )) min: $n build steps done; last: $last"
	done
) &
ticker_pid=$!

# Background + wait so a TERM/INT is handled at once, not after make ends.
setsid make -C "$tmp/linux" ARCH="$ARCH_MAKE" -j"$jobs" bzImage modules >>"$buildlog" 2>&1 &
make_pid=$!
rc=0
wait "$make_pid" || rc=$?
make_pid=''
kill "$ticker_pid" 2>/dev/null || true
ticker_pid=''
if ((rc != 0)); then
	grep -E 'error|Error' "$buildlog" | tail -n 20 >&2 || true
	tail -n 20 "$buildlog" >&2
	# Keep the log for post-mortem; the tree itself is removed by the trap.
	cp "$buildlog" "$cache_root/failed-$key.log" 2>/dev/null &&
		log "log kept at $cache_root/failed-$key.log"
	die "kernel build failed (rc=$rc)"
fi

[[ -f $tmp/linux/arch/x86/boot/bzImage ]] || die "build finished but bzImage is missing"
[[ -f $tmp/linux/Module.symvers ]] || die "build finished but Module.symvers is missing"
cp "$tmp/linux/arch/x86/boot/bzImage" "$tmp/bzImage"
cp "$tmp/linux/.config" "$tmp/config"
secs=$(( $(date +%s) - start ))
{
	printf 'key=%s\nrecipe=%s\nsrc=%s\ngcc=%s\n' "$key" "$RECIPE" "$srcver" "$gccver"
	printf 'release=%s\n' "$(cat "$tmp/linux/include/config/kernel.release")"
	printf 'built=%s\nbuild_seconds=%s\njobs=%s\n' "$(date -u +%FT%TZ)" "$secs" "$jobs"
	printf 'bzImage_bytes=%s\n' "$(stat -c %s "$tmp/bzImage")"
} >"$tmp/info"
touch "$tmp/.complete"
# mktemp -d made it 0700; the cache is shared with non-root test runs.
chmod 755 "$tmp"
rm -f "$cache_root/failed-$key.log"

# The in-tree build uses relative paths, so the tree works as KDIR after the
# rename.  mv -T fails rather than nesting if $final appeared meanwhile.
mv -T -- "$tmp" "$final"
tmp=''
log "built in $((secs / 60))m$((secs % 60))s: $image ($(stat -c %s "$image") bytes)"
emit
