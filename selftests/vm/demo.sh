#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make demo: install what is missing, build everything, boot the Debian
# 6.1 kernel in QEMU and run selftests/demo/phase1.sh there (seed 003's
# phase-1 cloud).  Prints the guest's output; exits 0 only if the demo's
# pings all succeeded.
#
# Usage: demo.sh [--lane 6.1|6.12|debug]
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# shellcheck source=vm-lib.sh
. "$REPO/selftests/vm/vm-lib.sh"

LANE=6.1
case "${1:-}" in
--lane) LANE=${2:?--lane needs a name} ;;
'') ;;
*) echo "usage: demo.sh [--lane 6.1|6.12|debug]" >&2; exit 2 ;;
esac

bash "$REPO/selftests/vm/deps.sh"
make -C "$REPO"

LOG_DIR=$BUILD_DIR/logs
outdir=$BUILD_DIR/demo/out
console=$LOG_DIR/demo/console.log
mkdir -p "$LOG_DIR/demo"
rm -rf "$outdir"
mkdir -p "$outdir"

vm_resolve_lane "$LANE"
echo "demo: kernel $LANE_KVER; building dmvpn.ko for it"
vm_build_module demo "$LOG_DIR/demo/module-build.log"
vm_write_job "$outdir" \
	GUEST_ENTRY="$REPO/selftests/vm/guest.sh" REPO="$REPO" LANE="$LANE" \
	MODULE="$LANE_MODULE" JOB_KIND=script SCRIPT="$REPO/selftests/demo/phase1.sh"

echo "demo: booting QEMU (TCG; console log: $console)"
# Show the demo's output as the guest writes it.
: >"$outdir/script.log"
tail -n +1 -F "$outdir/script.log" 2>/dev/null &
tail_pid=$!
rc=0
vm_boot demo "$outdir" "$console" 600 || rc=$?
sleep 0.5
kill "$tail_pid" 2>/dev/null || true
wait "$tail_pid" 2>/dev/null || true

echo
echo "demo: boot ${VM_BOOT_SECONDS:-?}s, whole guest run ${VM_RUN_SECONDS}s"
if [[ ! -f "$outdir/script.rc" ]]; then
	echo "demo: the guest did not finish (QEMU exit $rc); console log: $console" >&2
	exit 1
fi
script_rc=$(<"$outdir/script.rc")
if [[ "$script_rc" != 0 ]]; then
	echo "demo: FAILED (phase1.sh exit $script_rc); console log: $console" >&2
	exit 1
fi
echo "demo: OK"
