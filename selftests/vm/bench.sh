#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make bench: a benchmark of tunnel protection, not a test.  Builds the
# userland and dmvpn.ko for one kernel lane, then boots that kernel in QEMU
# once per algorithm and CPU count and runs selftests/bench/esp_bench.sh
# there: dmvpn
# protected tunnels against the Linux-native stack (multipoint ip_gre +
# xfrm transport-mode ESP-in-UDP), same algorithm, same guest, interleaved
# runs.  Prints a table and writes build/bench/results-<date>.md.
#
# Usage: bench.sh [--lane L] [--smp "1 2"] [--runs N] [--seconds S]
#                 [--stacks "dmvpn xfrm"] [--tests "tcp1 tcp4 udp64"]
#                 [--algs "aes128gcm16 null"] [--replay N] [--parallel] [--rps]
#                 [--tcp-info]
#   --lane L      kernel to boot (default 6.1: Debian's 6.1 kernel)
#   --smp LIST    guest CPU counts, one boot each (default "1 2")
#   --runs N      runs per stack and test (default 5, at least 1)
#   --seconds S   length of each iperf3 run (default 10)
#   --stacks LIST stacks to measure (default "dmvpn xfrm plain"; plain is
#                 the bare veth without a tunnel, the ceiling of the tools)
#   --tests LIST  tcp1 (1 TCP stream), tcp4 (4 streams), udp64 (64-byte
#                 UDP packets per second); default all three
#   --algs LIST   one comparison per algorithm, each its own boots
#                 (default "aes128gcm16 null"): aes128gcm16, aes256gcm16,
#                 chacha20poly1305, aes128-sha256, null (no protection:
#                 xfrm ecb(cipher_null)+digest_null against dmvpn's null
#                 suite with allow-insecure; the per-packet cost alone)
#   --parallel    load dmvpn with parallel_crypto=1: its SAs' AEAD wrapped
#                 in pcrypt, which spreads the crypto of one SA over every
#                 CPU and keeps submission order (xfrm then finds the same
#                 pcrypt instance by name: the report names the drivers)
#   --tcp-info    in run 1 of each TCP test, save the sender's "ss -tin"
#                 half-way (RTT, cwnd, unacked, what limits each stream):
#                 ss-*.txt beside bench.tsv, a queue inside a stack shows
#                 as RTT; and each CPU's receive backlog sampled every
#                 second, with its processed, dropped and time_squeeze
#                 counts over the run: softnet-*.txt.  (perf is no help
#                 here: under TCG its cpu-clock samples land almost all
#                 in the idle loop, 99 % on a busy smp-1 guest, measured.)
#   --rps         Receive Packet Steering on every veth and tunnel device,
#                 over all guest CPUs: a flow is received on the CPU its
#                 hash picks, as a NIC's RSS queue would, and the flows
#                 that come out of a tunnel are spread again.  Without it
#                 a veth receives on the CPU that sent, so a flow sent
#                 from two CPUs (the sender's syscall and the softirq
#                 that handles its ACKs) is received on two and reordered
#   --report DIR  no boots: write the report again from the raw data of an
#                 earlier run (build/bench/<stamp>), with the same options
#                 it ran with
#   --replay N    inbound anti-replay window of both stacks (default 64,
#                 dmvpn's default)
# Environment: DMVPN_BENCH_TIMEOUT (seconds per guest boot; default from
#   the run count); DMVPN_BENCH_REV (what to call the code measured when
#   REPO is not a git checkout, e.g. a copy of one).  Exit status: 0 when every stack produced numbers.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# shellcheck source=vm-lib.sh
. "$REPO/selftests/vm/vm-lib.sh"

LANE=6.1
SMPS="1 2"
RUNS=5
SECS=10
STACKS="dmvpn xfrm plain"
TESTS="tcp1 tcp4 udp64"
ALGS="aes128gcm16 null"
REPLAY=64
PARALLEL=0
RPS=0
TCP_INFO=0
REPORT_ONLY=
BOOT_FAILED=()

usage() {
	sed -n '/^# Usage:/,/^# Environment/p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
	exit 2
}

while (($#)); do
	case "$1" in
	--lane) LANE=${2:?}; shift 2 ;;
	--smp) SMPS=${2:?}; shift 2 ;;
	--runs) RUNS=${2:?}; shift 2 ;;
	--seconds) SECS=${2:?}; shift 2 ;;
	--stacks) STACKS=${2:?}; shift 2 ;;
	--tests) TESTS=${2:?}; shift 2 ;;
	--alg | --algs) ALGS=${2:?}; shift 2 ;;
	--replay) REPLAY=${2:?}; shift 2 ;;
	--parallel) PARALLEL=1; shift ;;
	--rps) RPS=1; shift ;;
	--tcp-info) TCP_INFO=1; shift ;;
	--report) REPORT_ONLY=${2:?}; shift 2 ;;
	-h | --help) usage ;;
	*) echo "bench.sh: unknown argument '$1'" >&2; usage ;;
	esac
done
[[ "$RUNS" =~ ^[1-9][0-9]*$ && "$SECS" =~ ^[1-9][0-9]*$ && "$REPLAY" =~ ^[0-9]+$ ]] || usage

STAMP=$(date -u +%Y%m%d-%H%M%S)
BENCH_DIR=$BUILD_DIR/bench
RUN_DIR=$BENCH_DIR/$STAMP
if [[ -n "$REPORT_ONLY" ]]; then
	[[ -d "$REPORT_ONLY" ]] || { echo "bench.sh: --report $REPORT_ONLY: no such directory" >&2; exit 2; }
	RUN_DIR=$(cd "$REPORT_ONLY" && pwd)
	STAMP=$(basename "$RUN_DIR")
fi
RESULTS=$BENCH_DIR/results-$STAMP.md
LOG_DIR=$RUN_DIR/logs
mkdir -p "$LOG_DIR"

n_stacks=$(wc -w <<<"$STACKS")
n_tests=$(wc -w <<<"$TESTS")
# Each measurement: the run itself, iperf3's start and JSON, slack for a
# loaded host.  Plus boot and setup.
BOOT_TIMEOUT=${DMVPN_BENCH_TIMEOUT:-$((RUNS * n_stacks * n_tests * (SECS + 30) + 600))}

echo "bench: lane $LANE, smp $SMPS, $RUNS runs x $SECS s, stacks: $STACKS, tests: $TESTS, algs: $ALGS, replay window $REPLAY"
HOST_LOAD_START=$(cat /proc/loadavg)
echo "bench: host load at start: $HOST_LOAD_START ($(nproc) CPUs); others may be using them"

if [[ -n "$REPORT_ONLY" ]]; then
	vm_resolve_lane "$LANE" || exit 1
	HOST_LOAD_START="not recorded (report written again later)"
else
bash "$REPO/selftests/vm/deps.sh"
make -C "$REPO/userland" >"$LOG_DIR/userland-build.log" 2>&1 || {
	echo "bench: userland build failed (log: $LOG_DIR/userland-build.log)" >&2
	tail -n 20 "$LOG_DIR/userland-build.log" >&2
	exit 1
}
vm_resolve_lane "$LANE" || exit 1
if vm_build_module "bench-$LANE" "$LOG_DIR/module-build.log"; then
	MODULE=$LANE_MODULE
else
	# xfrm alone needs no dmvpn code; the guest reports dmvpn as failed.
	echo "bench: dmvpn.ko did not build; measuring what does not need it" >&2
	MODULE=/nonexistent/dmvpn.ko
fi

# bench_boot SMP OUTDIR CONSOLE TIMEOUT: vm_boot (vm-lib.sh) with a CPU
# count: vm_boot always gives the guest two.  Same machine otherwise.
bench_boot() {
	local smp=$1 outdir=$2 console=$3 limit=$4 initramfs rc=0
	initramfs=$(vm_initramfs)
	rm -f "$outdir/started"
	local cmdline="console=ttyS0 panic=-1 loglevel=5 rdinit=/init"
	cmdline+=" net.ifnames=0 mitigations=off"
	timeout --foreground -k 10 "$limit" qemu-system-x86_64 \
		-accel tcg -cpu max -smp "$smp" -m 2048 \
		-nographic -no-reboot -monitor none -serial stdio \
		-nic none \
		-kernel "$LANE_IMAGE" -initrd "$initramfs" \
		-append "$cmdline" \
		-virtfs local,path=/,mount_tag=host,security_model=none,readonly=on,multidevs=remap \
		-virtfs local,path="$outdir",mount_tag=out,security_model=none \
		</dev/null >"$console" 2>&1 || rc=$?
	return "$rc"
}

# Host load while the guest runs, every 10 s: "epoch load1 load5 load15".
load_sampler() {
	while :; do
		printf '%s %s\n' "$(date +%s)" "$(cut -d' ' -f1-3 /proc/loadavg)"
		sleep 10
	done
}

for alg in $ALGS; do
for smp in $SMPS; do
	outdir=$RUN_DIR/$alg/smp$smp
	console=$LOG_DIR/console-$alg-smp$smp.log
	mkdir -p "$outdir"
	vm_write_job "$outdir" \
		GUEST_ENTRY="$REPO/selftests/vm/guest.sh" REPO="$REPO" LANE="$LANE" \
		MODULE="$MODULE" JOB_KIND=script SCRIPT="$REPO/selftests/bench/esp_bench.sh" \
		TEST_TIMEOUT="$((BOOT_TIMEOUT - 120))" \
		BENCH_RUNS="$RUNS" BENCH_SECS="$SECS" BENCH_STACKS="$STACKS" \
		BENCH_TESTS="$TESTS" BENCH_ALG="$alg" BENCH_REPLAY="$REPLAY" BENCH_OUT=/run/vm-out \
		BENCH_PARALLEL="$PARALLEL" BENCH_RPS="$RPS" BENCH_TCP_INFO="$TCP_INFO"
	echo
	echo "=== $alg, smp $smp: booting $LANE_KVER (TCG, console: $console, limit ${BOOT_TIMEOUT}s)"
	: >"$outdir/script.log"
	tail -n +1 -F "$outdir/script.log" 2>/dev/null | sed -u "s/^/[$alg smp $smp] /" &
	tail_pid=$!
	load_sampler >"$outdir/host-load.txt" &
	sampler_pid=$!
	start=$SECONDS
	rc=0
	bench_boot "$smp" "$outdir" "$console" "$BOOT_TIMEOUT" || rc=$?
	kill "$sampler_pid" 2>/dev/null || true
	wait "$sampler_pid" 2>/dev/null || true
	sleep 0.5
	kill "$tail_pid" 2>/dev/null || true
	wait "$tail_pid" 2>/dev/null || true
	echo "=== $alg, smp $smp: guest ran $((SECONDS - start))s, QEMU exit $rc, script exit $(cat "$outdir/script.rc" 2>/dev/null || echo none)"
	if [[ "$(cat "$outdir/script.rc" 2>/dev/null)" != 0 ]]; then
		BOOT_FAILED+=("$alg/smp$smp")
	fi
done
done
fi

# ---- report --------------------------------------------------------------

# stats FILE: "smp stack test n median min max unit" per group.
stats() {
	awk -F'\t' '$5 != "NA" { print $1 "\t" $2 "\t" $3 "\t" $5 "\t" $6 }' "$@" |
		sort -t$'\t' -k1,1n -k2,2 -k3,3 -k4,4g |
		awk -F'\t' '
			function flush() {
				if (n == 0) return
				med = (n % 2) ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
				print key "\t" n "\t" med "\t" v[1] "\t" v[n] "\t" unit
			}
			{ k = $1 "\t" $2 "\t" $3 }
			k != key { flush(); key = k; n = 0 }
			{ v[++n] = $4; unit = $5 }
			END { flush() }'
}

# fmt VALUE UNIT: Mbit/s with one decimal, pps as kpps.
fmt() {
	case "$2" in
	pps) awk -v x="$1" 'BEGIN { printf "%.1f", x / 1000 }' ;;
	*) awk -v x="$1" 'BEGIN { printf "%.1f", x }' ;;
	esac
}

unit_label() {
	case "$1" in
	pps) echo kpps ;;
	*) echo "$1" ;;
	esac
}

test_label() {
	case "$1" in
	tcp1) echo "TCP, 1 stream" ;;
	tcp4) echo "TCP, 4 streams" ;;
	udp64) echo "UDP 64 B payload" ;;
	*) echo "$1" ;;
	esac
}

# fact SMP KEY: a key=value line from that boot's facts.txt.
fact() {
	sed -n "s/^$2=//p" "$ALG_DIR/smp$1/facts.txt" 2>/dev/null | sed -n 1p
}

# use_alg ALG: the report functions below read that algorithm's boots
# (ALG_DIR) and statistics (STATS, TSVS).
use_alg() {
	local smp
	ALG_DIR=$RUN_DIR/$1
	TSVS=()
	for smp in $SMPS; do
		[[ -s "$ALG_DIR/smp$smp/bench.tsv" ]] && TSVS+=("$ALG_DIR/smp$smp/bench.tsv")
	done
	STATS=$ALG_DIR/stats.tsv
	if ((${#TSVS[@]})); then
		stats "${TSVS[@]}" >"$STATS"
	else
		: >"$STATS"
	fi
}

# median SMP STACK TEST: "median min max unit n" or nothing.
lookup() {
	awk -F'\t' -v s="$1" -v st="$2" -v t="$3" \
		'$1 == s && $2 == st && $3 == t { print $5, $6, $7, $8, $4 }' "$STATS"
}

read -r -a stack_list <<<"$STACKS"
has_stack() { [[ " $STACKS " == *" $1 "* ]]; }

# ratio SMP TEST A B: median of A over median of B.
ratio() {
	local a b
	a=$(lookup "$1" "$3" "$2")
	b=$(lookup "$1" "$4" "$2")
	[[ -n "$a" && -n "$b" ]] || { echo n/a; return; }
	awk -v a="${a%% *}" -v b="${b%% *}" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'
}

# paired SMP TEST A B: the ratio A/B of each run (A and B of one run ran
# back to back, so they saw about the same host load), as "median
# (min-max)" over the runs where both have a number.
paired() {
	((${#TSVS[@]})) || { echo n/a; return; }
	awk -F'\t' -v s="$1" -v t="$2" -v a="$3" -v b="$4" '
		$1 == s && $3 == t && $5 != "NA" { v[$2, $4] = $5; runs[$4] = 1 }
		END {
			n = 0
			for (r in runs)
				if ((a, r) in v && (b, r) in v && v[b, r] > 0)
					x[++n] = v[a, r] / v[b, r]
			if (n == 0) { print "n/a"; exit }
			for (i = 2; i <= n; i++) {	# insertion sort: n is small
				y = x[i]
				for (j = i - 1; j >= 1 && x[j] > y; j--) x[j + 1] = x[j]
				x[j + 1] = y
			}
			med = (n % 2) ? x[(n + 1) / 2] : (x[n / 2] + x[n / 2 + 1]) / 2
			printf "%.2f (%.2f-%.2f) [%d]", med, x[1], x[n], n
		}' "${TSVS[@]}"
}

table() {
	local smp test stack med min max unit n cells line
	local head="| smp | test | unit"
	local sep="| --- | --- | ---"
	for stack in "${stack_list[@]}"; do
		head+=" | $stack median (min-max) [n]"
		sep+=" | ---"
	done
	if has_stack dmvpn && has_stack xfrm; then
		head+=" | dmvpn/xfrm, medians | dmvpn/xfrm per run, median (min-max) [n]"
		sep+=" | --- | ---"
	fi
	echo "$head |"
	echo "$sep |"
	for smp in $SMPS; do
		for test in $TESTS; do
			cells='' unit=''
			for stack in "${stack_list[@]}"; do
				line=$(lookup "$smp" "$stack" "$test")
				if [[ -z "$line" ]]; then
					cells+=" | n/a"
					continue
				fi
				read -r med min max unit n <<<"$line"
				cells+=" | $(fmt "$med" "$unit") ($(fmt "$min" "$unit")-$(fmt "$max" "$unit")) [$n]"
			done
			line="| $smp | $(test_label "$test") | $(unit_label "${unit:-?}")$cells"
			if has_stack dmvpn && has_stack xfrm; then
				line+=" | $(ratio "$smp" "$test" dmvpn xfrm) | $(paired "$smp" "$test" dmvpn xfrm)"
			fi
			echo "$line |"
		done
	done
}

# With veth the sender's CPU carries the whole path (receive included), so
# while the sender is the bottleneck 1/pps is the CPU time of one packet;
# less that of the bare veth (plain) it is what the tunnel adds.  Only an
# estimate: when the receiver drops (see "lost" in bench.tsv), 1/pps is
# more than the CPU time.
udp_cost_table() {
	local smp stack p0 p1 line=''
	has_stack plain && [[ " $TESTS " == *" udp64 "* ]] || return 0
	echo
	echo "Estimated guest CPU time one 64-byte UDP packet costs on top of plain"
	echo "veth, from the medians: 1/pps(stack) - 1/pps(plain), in microseconds."
	echo "(With veth the sender's CPU runs the whole path, receive included; the"
	echo "estimate is rough where plain's receiver lost packets, see bench.tsv.)"
	echo
	echo "| smp | stack | us per packet added |"
	echo "| --- | --- | --- |"
	for smp in $SMPS; do
		p0=$(lookup "$smp" plain udp64)
		for stack in "${stack_list[@]}"; do
			[[ "$stack" != plain ]] || continue
			p1=$(lookup "$smp" "$stack" udp64)
			if [[ -z "$p0" || -z "$p1" ]]; then
				line=n/a
			else
				line=$(awk -v a="${p1%% *}" -v b="${p0%% *}" \
					'BEGIN { if (a > 0 && b > 0) printf "%.1f", 1e6 / a - 1e6 / b; else print "n/a" }')
			fi
			echo "| $smp | $stack | $line |"
		done
	done
}

# How each stack's 4-stream TCP rate grows from the first CPU count to
# the last (the target: one tunnel, 4 flows, smp 2 >= 1.6x smp 1).
scaling_table() {
	local first last stack a b
	read -r first _ <<<"$SMPS"
	last=${SMPS##* }
	[[ "$first" != "$last" && " $TESTS " == *" tcp4 "* ]] || return 0
	echo
	echo "TCP, 4 streams: median at smp $last over median at smp $first."
	echo
	echo "| stack | smp $first | smp $last | ratio |"
	echo "| --- | --- | --- | --- |"
	for stack in "${stack_list[@]}"; do
		a=$(lookup "$first" "$stack" tcp4)
		b=$(lookup "$last" "$stack" tcp4)
		[[ -n "$a" && -n "$b" ]] || { echo "| $stack | n/a | n/a | n/a |"; continue; }
		echo "| $stack | ${a%% *} | ${b%% *} | $(awk -v a="${a%% *}" -v b="${b%% *}" \
			'BEGIN { if (a > 0) printf "%.2f", b / a; else print "n/a" }') |"
	done
}

host_load_summary() {
	local f=$ALG_DIR/smp$1/host-load.txt
	[[ -s "$f" ]] || { echo "not sampled"; return; }
	awk '{ s += $2; n++; if (n == 1 || $2 < lo) lo = $2; if ($2 > hi) hi = $2 }
		END { printf "1-min load avg over the boot: mean %.2f, min %.2f, max %.2f (%d samples)", s / n, lo, hi, n }' "$f"
}

report_alg() {
	local alg=$1 smp stack
	use_alg "$alg"
	echo
	echo "## $alg"
	echo
	for smp in $SMPS; do
		echo "- smp $smp: $(host_load_summary "$smp")"
		echo "  - guest: $(fact "$smp" alg || true)"
		for stack in "${stack_list[@]}"; do
			[[ "$stack" != plain ]] || continue
			echo "  - $stack AEAD driver(s) (/proc/crypto refcnt gained at setup): $(fact "$smp" "driver_$stack" || true)"
			echo "  - $stack drops: $(fact "$smp" "drops_$stack" || true)"
		done
		if grep -q 'SETUP FAILED' "$ALG_DIR/smp$smp/facts.txt" 2>/dev/null; then
			echo "  - setup failures:"
			echo
			echo '```'
			grep -A8 'SETUP FAILED' "$ALG_DIR/smp$smp/facts.txt" | sed -n 1,30p
			echo '```'
			echo
		fi
	done
	echo
	table
	scaling_table
	udp_cost_table
}

{
	echo "# make bench: dmvpn vs ip_gre + xfrm ($STAMP UTC)"
	echo
	echo "Benchmark, not a test: numbers from QEMU TCG guests (every guest"
	echo "instruction emulated) on a shared host; compare the stacks with each"
	echo "other, not with hardware."
	echo
	echo "- host: $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo), $(nproc) CPUs, $(uname -r), $(qemu-system-x86_64 --version | sed -n 1p)"
	if [[ -n "$REPORT_ONLY" ]]; then
		echo "- host load: see the per-boot summary below"
	else
		echo "- host load at start: $HOST_LOAD_START; at the end: $(cat /proc/loadavg)"
	fi
	echo "- guest: kernel $LANE_KVER, QEMU -accel tcg -cpu max -m 2048"
	echo "- algorithms: $ALGS; anti-replay window $REPLAY, tunnel MTU 1400; $RUNS runs of ${SECS} s per stack and test, stacks interleaved"
	if ((PARALLEL)); then
		echo "- dmvpn parallel_crypto=1 (pcrypt)"
	fi
	if ((RPS)); then
		echo "- RPS on every veth and tunnel device over all guest CPUs"
	fi
	if ((TCP_INFO)); then
		echo "- run 1 of each TCP test: the sender's ss -tin half-way (ss-*.txt) and every CPU's receive backlog (softnet-*.txt) in the raw data"
	fi
	echo "- code: ${DMVPN_BENCH_REV:-$(git -C "$REPO" log -1 --format='%h %s' 2>/dev/null || echo "$REPO (not a git checkout)")}"
	echo
	echo "TCP: iperf3 receiver throughput. UDP: iperf3 -u -l 64 -b 0 (sender"
	echo "unlimited), packets per second that reached the receiver."
	echo "Median (min-max) [number of runs]."
	for alg in $ALGS; do
		report_alg "$alg"
	done
	echo
	echo "Raw data: $RUN_DIR/<alg>/smp<N> (bench.tsv, facts.txt, iperf3 JSON per run)."
} >"$RESULTS"
cp "$RESULTS" "$BENCH_DIR/results-latest.md"

echo
cat "$RESULTS"
echo
echo "bench: results in $RESULTS"

rc=0
if ((${#BOOT_FAILED[@]})); then
	echo "bench: guest script failed for ${BOOT_FAILED[*]}" >&2
	rc=1
fi
for alg in $ALGS; do
	use_alg "$alg"
	for smp in $SMPS; do
		for stack in "${stack_list[@]}"; do
			for test in $TESTS; do
				if [[ -z "$(lookup "$smp" "$stack" "$test")" ]]; then
					echo "bench: no numbers for $alg $stack $test at smp $smp" >&2
					rc=1
				fi
			done
		done
	done
done
exit "$rc"
