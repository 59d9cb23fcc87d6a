#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make bench-ike: IKE handshakes per second (main mode with PSK and DH
# group 14, then quick mode) between two dmvpnd, and between dmvpnd and
# strongSwan's charon, in one QEMU guest of one lane
# (userland/tests/ike_bench.sh, run RUNS times).  Prints each run and the
# medians with their spread, and the ratio dmvpnd/charon.  A benchmark,
# not a test: the numbers depend on the machine and on TCG.
#
# Usage: bench_ike.sh [--lane L] [--count N] [--runs N]
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# shellcheck source=vm-lib.sh
. "$REPO/selftests/vm/vm-lib.sh"

LANE=6.1 COUNT=100 RUNS=3
while (($#)); do
	case "$1" in
	--lane) LANE=${2:?}; shift 2 ;;
	--count) COUNT=${2:?}; shift 2 ;;
	--runs) RUNS=${2:?}; shift 2 ;;
	*) echo "bench_ike.sh: unknown argument '$1'" >&2; exit 2 ;;
	esac
done

make -s -C "$REPO/userland" >/dev/null
outdir=$BUILD_DIR/bench/ike-$(date -u +%Y%m%d-%H%M%S)
mkdir -p "$outdir"
# The guest runs one script: this loop, in the guest.
cat >"$outdir/runs.sh" <<EOS
for i in \$(seq $RUNS); do
	echo "== run \$i"
	IKE_BENCH_COUNT=$COUNT bash "$REPO/userland/tests/ike_bench.sh"
done
EOS
vm_resolve_lane "$LANE"
vm_build_module "$LANE" "$outdir/module-build.log"
vm_write_job "$outdir" GUEST_ENTRY="$REPO/selftests/vm/guest.sh" REPO="$REPO" LANE="$LANE" \
	MODULE="$LANE_MODULE" JOB_KIND=script SCRIPT="$outdir/runs.sh" TEST_TIMEOUT=3000
echo "bench-ike: lane $LANE ($LANE_KVER), $RUNS runs x $COUNT handshakes per pair; host load $(cut -d' ' -f1-3 /proc/loadavg)"
vm_boot "$LANE" "$outdir" "$outdir/console.log" 3600 || true
log=$outdir/script.log
grep -q 'dmvpnd -> dmvpnd' "$log" 2>/dev/null ||
	{ echo "bench-ike: no results (see $log)" >&2; exit 1; }
grep -E '^== run|-> (dmvpnd|charon)|^ratio' "$log" | tee "$outdir/runs.txt"
awk '
	function median(list,   a, k, i, j, t) {
		k = split(list, a, " ")
		for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
		return k % 2 ? a[(k + 1) / 2] : (a[k / 2] + a[k / 2 + 1]) / 2
	}
	function spread(list,   a, k, i, lo, hi) {
		k = split(list, a, " "); lo = hi = a[1]
		for (i = 2; i <= k; i++) { if (a[i] < lo) lo = a[i]; if (a[i] > hi) hi = a[i] }
		return sprintf("%.1f..%.1f", lo, hi)
	}
	/-> dmvpnd:/ { sub(/.*: /, ""); sub(/ per second/, ""); dd = dd " " $NF }
	/-> charon:/ && /per second/ { sub(/.*: /, ""); sub(/ per second/, ""); dc = dc " " $NF }
	/^ratio/ { r = r " " $NF }
	END {
		printf "handshakes/s, median (range) of %d runs:\n", split(dd, x, " ")
		printf "  dmvpnd -> dmvpnd  %.1f (%s)\n", median(dd), spread(dd)
		if (dc != "") {
			printf "  dmvpnd -> charon  %.1f (%s)\n", median(dc), spread(dc)
			printf "  ratio dmvpnd/charon as responder: median %.2f (%s)\n", median(r), spread(r)
		}
	}' "$outdir/runs.txt" | tee "$outdir/summary.txt"
