#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make bench-nhrp: the NHRP cache benchmark (selftests/bench/nhrp_bench.sh)
# in a QEMU guest of one lane: forwarding rate with 10, 1,000 and 100,000
# entries in the cache, and memory per entry.  A benchmark, not a test.
#
# Usage: bench_nhrp.sh [--lane L] [--sizes "10 1000 100000"] [--runs N] [--seconds S]
#                     [--spokes N]
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# shellcheck source=vm-lib.sh
. "$REPO/selftests/vm/vm-lib.sh"

LANE=6.1 SIZES="10 1000 100000" RUNS=3 SECS=5 SPOKES=10000
while (($#)); do
	case "$1" in
	--lane) LANE=${2:?}; shift 2 ;;
	--sizes) SIZES=${2:?}; shift 2 ;;
	--runs) RUNS=${2:?}; shift 2 ;;
	--seconds) SECS=${2:?}; shift 2 ;;
	--spokes) SPOKES=${2:?}; shift 2 ;;
	*) echo "bench_nhrp.sh: unknown argument '$1'" >&2; exit 2 ;;
	esac
done

make -s -C "$REPO/userland" >/dev/null
outdir=$BUILD_DIR/bench/nhrp-$(date -u +%Y%m%d-%H%M%S)
mkdir -p "$outdir"
vm_resolve_lane "$LANE"
vm_build_module "$LANE" "$outdir/module-build.log"
vm_write_job "$outdir" GUEST_ENTRY="$REPO/selftests/vm/guest.sh" REPO="$REPO" LANE="$LANE" \
	MODULE="$LANE_MODULE" JOB_KIND=script SCRIPT="$REPO/selftests/bench/nhrp_bench.sh" \
	TEST_TIMEOUT=3000 BENCH_SIZES="$SIZES" BENCH_RUNS="$RUNS" BENCH_SECS="$SECS" BENCH_SPOKES="$SPOKES" \
	BENCH_OUT=/run/vm-out
echo "bench-nhrp: lane $LANE ($LANE_KVER), sizes $SIZES, $RUNS runs x $SECS s; host load $(cut -d' ' -f1-3 /proc/loadavg)"
vm_boot "$LANE" "$outdir" "$outdir/console.log" 3600 || true
tsv=$outdir/nhrp_bench.tsv
[[ -s "$tsv" ]] || { echo "bench-nhrp: no results (see $outdir/script.log)" >&2; exit 1; }
awk -F'\t' '
	NR == 1 { next }
	$1 == "lookup" { v[$2] = v[$2] " " $4; if (!($2 in seen)) { order[++n] = $2; seen[$2] = 1 } }
	$1 == "memory" { mem[$2] = $4 }
	$1 == "percpu" { pcpu[$2] = $4 }
	$1 == "register" { reg = reg sprintf("  %s: %s %s\n", $2 " spokes", $4, $5) }
	function median(list,   a, k, i, j, t) {
		k = split(list, a, " ")
		for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
		return k % 2 ? a[(k + 1) / 2] : (a[k / 2] + a[k / 2 + 1]) / 2
	}
	END {
		printf "%-10s %12s %10s %14s %12s  %s\n", "entries", "median pps", "vs first", "bytes/entry", "of which pcpu", "runs"
		for (i = 1; i <= n; i++) {
			e = order[i]; m = median(v[e]); if (i == 1) base = m
			printf "%-10s %12d %9.2fx %14s %12s  %s\n", e, m, base ? m / base : 0, mem[e], pcpu[e], v[e]
		}
		if (reg != "") printf "registrations:\n%s", reg
	}' "$tsv" | tee "$outdir/summary.txt"
echo "bench-nhrp: raw results in $tsv"
