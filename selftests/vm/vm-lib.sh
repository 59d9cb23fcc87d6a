#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Host-side helpers shared by check.sh and demo.sh: find a lane's kernel,
# build dmvpn.ko for it, make (and cache) its initramfs, and boot it.
# Sourced, not run.  Callers set REPO and use "set -euo pipefail".

VM_DIR="$REPO/selftests/vm"
BUILD_DIR="$REPO/build"

# The guest sees the host's / at the same paths, except /tmp and /run,
# which are its own tmpfs; a checkout there is invisible to it.  CI may
# clone anywhere, so such a checkout is copied to /var/tmp and the calling
# script runs again from the copy, with the same arguments.
case "$REPO/" in
/tmp/* | /run/*)
	if [[ -n "${DMVPN_RELOCATED:-}" ]]; then
		echo "vm-lib: $REPO is still under /tmp or /run after relocation" >&2
		exit 2
	fi
	relocated=/var/tmp/dmvpn-relocated/$(printf '%s' "$REPO" | sha256sum | cut -c1-12)
	echo "vm-lib: $REPO is under /tmp or /run, which the QEMU guest cannot see;" \
		"running from a copy in $relocated (its build/ holds the logs)" >&2
	mkdir -p "$relocated"
	rsync -a --delete --exclude=/build "$REPO/" "$relocated/"
	DMVPN_RELOCATED=1 exec bash "$relocated/selftests/vm/$(basename "$0")" "$@"
	;;
esac

vm_log() { printf '%s\n' "$*" >&2; }

# The modules the initramfs needs to mount the 9p shares, in load order.
# Any of them may be built in (6.12 has virtio built in) or absent.
VM_INITRAMFS_MODULES=(virtio_ring virtio virtio_pci_modern_dev
	virtio_pci_legacy_dev virtio_pci netfs fscache 9pnet 9pnet_virtio 9p)

# newest_matching GLOB...: the last of the matches in version order.
newest_matching() {
	local found=()
	local path
	for path in "$@"; do
		[[ -e "$path" ]] && found+=("$path")
	done
	((${#found[@]})) || return 1
	printf '%s\n' "${found[@]}" | sort -V | tail -n 1
}

# vm_resolve_lane LANE: sets LANE_IMAGE (bzImage/vmlinuz), LANE_KVER
# (uname -r inside the guest), LANE_KDIR (tree to build modules against)
# and LANE_MODROOT (where that kernel's modules are, may not exist).
vm_resolve_lane() {
	local lane=$1
	LANE_IMAGE='' LANE_KVER='' LANE_KDIR='' LANE_MODROOT=''
	case "$lane" in
	debug)
		local script="$VM_DIR/debug-kernel.sh" line
		if [[ ! -f "$script" ]]; then
			vm_log "lane debug: $script does not exist"
			return 1
		fi
		# The script prints KEY=VALUE lines; take only the two we know
		# rather than eval'ing its output.
		vm_log "lane debug: debug-kernel.sh --print (builds the kernel on first use, ~15 min on 2 cores; log: $BUILD_DIR/logs/debug-kernel.log)"
		while IFS= read -r line; do
			case "$line" in
			KERNEL_IMAGE=*) LANE_IMAGE=${line#KERNEL_IMAGE=} ;;
			KDIR=*) LANE_KDIR=${line#KDIR=} ;;
			esac
		done < <(bash "$script" --print 2>"$BUILD_DIR/logs/debug-kernel.log")
		if [[ -z "$LANE_IMAGE" || -z "$LANE_KDIR" ]]; then
			vm_log "lane debug: debug-kernel.sh --print gave no KERNEL_IMAGE/KDIR (log: $BUILD_DIR/logs/debug-kernel.log)"
			tail -n 15 "$BUILD_DIR/logs/debug-kernel.log" | sed 's/^/    /' >&2
			return 1
		fi
		if [[ -f "$LANE_KDIR/include/config/kernel.release" ]]; then
			LANE_KVER=$(<"$LANE_KDIR/include/config/kernel.release")
		else
			vm_log "lane debug: no include/config/kernel.release in $LANE_KDIR"
			return 1
		fi
		;;
	*)
		# A stock Debian kernel: "6.1" -> /boot/vmlinuz-6.1.*-amd64.
		if [[ ! "$lane" =~ ^[0-9]+\.[0-9]+$ ]]; then
			vm_log "unknown lane '$lane' (want e.g. 6.1, 6.12, debug)"
			return 1
		fi
		if ! LANE_IMAGE=$(newest_matching /boot/vmlinuz-"$lane".*-amd64); then
			vm_log "lane $lane: no /boot/vmlinuz-$lane.*-amd64 (apt-get install linux-image-$lane-amd64?)"
			return 1
		fi
		LANE_KVER=${LANE_IMAGE#/boot/vmlinuz-}
		LANE_KDIR=/usr/src/linux-headers-$LANE_KVER
		if [[ ! -d "$LANE_KDIR" ]]; then
			vm_log "lane $lane: no headers at $LANE_KDIR (apt-get install linux-headers-$LANE_KVER)"
			return 1
		fi
		;;
	esac
	LANE_MODROOT=/lib/modules/$LANE_KVER
	if [[ ! -r "$LANE_IMAGE" ]]; then
		vm_log "lane $lane: kernel image $LANE_IMAGE not readable"
		return 1
	fi
}

# shellcheck disable=SC2034 # LANE_MODULE is for the caller
# vm_build_module LANE LOGFILE: dmvpn.ko for the resolved lane, in
# build/<lane>/module.  Output goes to LOGFILE; the tail is shown on error.
vm_build_module() {
	local lane=$1 log=$2
	local out="build/$lane/module"
	rm -f "$REPO/$out/dmvpn.ko"
	if ! make -C "$REPO" --no-print-directory module-out \
		KDIR="$LANE_KDIR" OUT="$out" >"$log" 2>&1; then
		vm_log "lane $lane: module build failed (full log: $log):"
		tail -n 30 "$log" | sed 's/^/    /' >&2
		return 1
	fi
	if [[ ! -f "$REPO/$out/dmvpn.ko" ]]; then
		vm_log "lane $lane: module build produced no $out/dmvpn.ko"
		return 1
	fi
	LANE_MODULE="$REPO/$out/dmvpn.ko"
}

# find_kernel_module NAME: path of NAME.ko[.xz|.zst|.gz] for the lane's
# kernel, or nothing if it is not a separate module there.
find_kernel_module() {
	local name=$1 root
	# Built in: nothing to copy (and no need to walk a whole build tree).
	for root in "$LANE_MODROOT" "$LANE_KDIR"; do
		[[ -f "$root/modules.builtin" ]] || continue
		grep -qE "(^|/)$name\.ko\$" "$root/modules.builtin" && return 0
	done
	for root in "$LANE_MODROOT" "$LANE_KDIR"; do
		[[ -d "$root" ]] || continue
		find -L "$root" -name "$name.ko" -o -name "$name.ko.xz" \
			-o -name "$name.ko.zst" -o -name "$name.ko.gz" 2>/dev/null |
			head -n 1 | grep . && return 0
	done
	return 0
}

# vm_initramfs: path of the lane kernel's initramfs, built on first use.
# The cache key covers everything that goes in: the init script, this
# builder, busybox, and the module files (path and mtime), so a rebuilt
# debug kernel or an edited init gets a fresh image.
vm_initramfs() {
	local mod path key_input=() key image tmp
	local -a mod_paths=() mod_names=()
	for mod in "${VM_INITRAMFS_MODULES[@]}"; do
		path=$(find_kernel_module "$mod")
		[[ -n "$path" ]] || continue # built in, or not needed
		mod_paths+=("$path")
		mod_names+=("$mod")
		key_input+=("$path $(stat -c %Y "$path")")
	done
	key=$( {
		cat "$VM_DIR/initramfs-init" "${BASH_SOURCE[0]}"
		stat -c '%s %Y' /bin/busybox
		printf '%s\n' "${key_input[@]}"
	} | sha256sum | cut -c1-16)
	image="$BUILD_DIR/initramfs/$LANE_KVER-$key.cpio.gz"
	if [[ -f "$image" ]]; then
		printf '%s\n' "$image"
		return 0
	fi
	mkdir -p "$BUILD_DIR/initramfs"
	tmp=$(mktemp -d "$BUILD_DIR/initramfs/tmp.XXXXXX")
	mkdir -p "$tmp"/{bin,dev,proc,sys,host,modules}
	cp /bin/busybox "$tmp/bin/busybox"
	# Only the applets the init script calls.
	local applet
	for applet in sh mount umount insmod mkdir chroot reboot sync sleep echo cat ln; do
		ln -s busybox "$tmp/bin/$applet"
	done
	cp "$VM_DIR/initramfs-init" "$tmp/init"
	mkdir -p "$tmp/sbin"
	printf '#!/bin/sh\nexec /bin/chroot /host /sbin/modprobe "$@"\n' >"$tmp/sbin/modprobe"
	chmod 755 "$tmp/sbin/modprobe"
	chmod 755 "$tmp/init"
	: >"$tmp/modules.list"
	local i
	for i in "${!mod_paths[@]}"; do
		path=${mod_paths[$i]}
		# busybox insmod reads only plain .ko files.
		case "$path" in
		*.xz) xz -dc "$path" ;;
		*.zst) zstd -qdc "$path" ;;
		*.gz) gzip -dc "$path" ;;
		*) cat "$path" ;;
		esac >"$tmp/modules/${mod_names[$i]}.ko"
		echo "${mod_names[$i]}" >>"$tmp/modules.list"
	done
	(cd "$tmp" && find . | LC_ALL=C sort | cpio -o -H newc --quiet | gzip -1) >"$image.part"
	mv "$image.part" "$image"
	rm -rf "$tmp"
	printf '%s\n' "$image"
}

# shell_quote VALUE: VALUE in single quotes, readable by busybox sh and bash.
shell_quote() {
	local s=${1//\'/\'\\\'\'}
	printf "'%s'" "$s"
}

# vm_write_job OUTDIR KEY=VALUE...: the job file the guest sources.
vm_write_job() {
	local outdir=$1 kv
	shift
	{
		echo "# written by the host for one guest boot"
		for kv in "$@"; do
			printf '%s=%s\n' "${kv%%=*}" "$(shell_quote "${kv#*=}")"
		done
	} >"$outdir/job"
}

# vm_accel: QEMU's -accel for the lane's kernel; VM_ACCEL overrides.
# Debian's 6.12 kernel under multi-threaded TCG dies now and then with
# "Oops: int3" where a static key was just patched (text_poke_bp): at
# boot in sched_clock_cpu (1 boot in 25 here, and a CI run), and mid-test
# in __netif_receive_skb_core (esp_manual.sh, 2026-12-07).  With both
# vCPUs on one host thread (thread=single) it booted 40 times out of 40
# and ran the whole suite; the 6.1 kernels have not shown it and keep
# the faster multi-threaded TCG.
vm_accel() {
	case "$LANE_KVER" in
	6.1.*) echo tcg ;;
	*) echo tcg,thread=single ;;
	esac
}

# shellcheck disable=SC2034 # VM_*_SECONDS are for the caller
# vm_boot LANE OUTDIR CONSOLE_LOG TIMEOUT_SECONDS: boots the lane's kernel
# with the job already in OUTDIR.  Returns QEMU's status, or 124 when the
# host-side timeout stopped it.  Sets VM_BOOT_SECONDS (QEMU start until
# the guest entry script wrote OUTDIR/started) and VM_RUN_SECONDS.
vm_boot() {
	local lane=$1 outdir=$2 console=$3 limit=$4
	local initramfs start end rc=0
	initramfs=$(vm_initramfs)
	mkdir -p "$(dirname "$console")"
	rm -f "$outdir/started"
	# -accel tcg: KVM guests hang on these machines (vm_accel).  panic=-1 and
	# -no-reboot turn a guest panic into QEMU exiting.  loglevel=5 puts
	# warnings and worse on the console but not routine netdev chatter;
	# the full dmesg is saved by the guest.
	local cmdline="console=ttyS0 panic=-1 loglevel=5 rdinit=/init"
	cmdline+=" net.ifnames=0 mitigations=off"
	# The Debian kernels self-test each crypto algorithm the first time
	# it is instantiated; under TCG that is most of esp_manual's time.
	# Those tests check the distribution's kernel, not dmvpn (whose
	# known-answer vectors run in KUnit on the debug kernel, which
	# keeps its self-tests).
	[[ "$lane" == debug ]] || cmdline+=" cryptomgr.notests=1"
	start=$(date +%s.%N)
	timeout --foreground -k 10 "$limit" qemu-system-x86_64 \
		-accel "${VM_ACCEL:-$(vm_accel)}" -cpu max -smp 2 -m 2048 \
		-nographic -no-reboot -monitor none -serial stdio \
		-nic none \
		-kernel "$LANE_IMAGE" -initrd "$initramfs" \
		-append "$cmdline" \
		-virtfs local,path=/,mount_tag=host,security_model=none,readonly=on,multidevs=remap \
		-virtfs local,path="$outdir",mount_tag=out,security_model=none \
		</dev/null >"$console" 2>&1 || rc=$?
	end=$(date +%s.%N)
	VM_RUN_SECONDS=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.1f", b - a }')
	VM_BOOT_SECONDS=
	if [[ -f "$outdir/started" ]]; then
		VM_BOOT_SECONDS=$(awk -v a="$start" -v b="$(stat -c %.9Y "$outdir/started")" \
			'BEGIN { printf "%.1f", b - a }')
	fi
	return "$rc"
}
