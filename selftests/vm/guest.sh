#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Runs inside the QEMU guest, chrooted into the host's read-only /, as
#   guest.sh JOBFILE
# JOBFILE (written by the host, see vm-lib.sh) names the repository, the
# dmvpn.ko built for this kernel, and what to run:
#   JOB_KIND=selftests  TESTS="a.sh b.sh" -> KTAP in $OUT/results.ktap
#   JOB_KIND=script     SCRIPT=path       -> output in $OUT/script.log,
#                                            exit status in $OUT/script.rc
# $OUT is the writable 9p share; everything the host reads comes from it.
set -euo pipefail

JOBFILE=${1:?usage: guest.sh JOBFILE}
OUT=$(dirname "$JOBFILE")
REPO='' MODULE='' LANE='' JOB_KIND='' TESTS='' SCRIPT='' TEST_TIMEOUT=300
# shellcheck disable=SC1090 # written by the host at boot time
. "$JOBFILE"
# Tests find the repository and the module (to load it again) here.
export REPO DMVPN_MODULE=$MODULE

: >"$OUT/started" # its mtime tells the host how long the boot took
mkdir -p "$OUT/logs"
RESULTS=$OUT/results.ktap
SELFTESTS=$REPO/selftests
KVER=$(uname -r)

# Kernel messages that make a test fail even if it exited 0.
SPLAT_RE='WARNING:|BUG:|Oops|KASAN|UBSAN|possible circular locking|possible recursive locking|suspicious RCU usage|inconsistent lock state|general protection fault|unreferenced object|Kernel panic|kmemleak: .*new suspected memory leak|blocked for more than [0-9]+ seconds'
# Taint flags that only a kernel problem sets: B bad page (5), D died
# (7), W warning (9), L soft lockup (14).  Loading dmvpn itself sets O/E.
TAINT_PROBLEM_MASK=$(((1 << 5) | (1 << 7) | (1 << 9) | (1 << 14)))

console() { printf '%s\n' "$*" >/dev/console; }

# Both on the console (live progress in console.log) and in the results.
ktap() { printf '%s\n' "$*" | tee -a "$RESULTS" >/dev/console; }

kmsg_mark() { echo "dmvpn-selftest: $*" >/dev/kmsg; }

# dmesg lines after the last "dmvpn-selftest: MARK" line.
dmesg_since() {
	dmesg | awk -v mark="dmvpn-selftest: $1" \
		'index($0, mark) { buf = ""; found = 1; next } found { buf = buf $0 "\n" } END { printf "%s", buf }'
}

kmemleak_scan() {
	local report=/sys/kernel/debug/kmemleak
	[[ -w "$report" ]] || return 0
	echo scan >"$report" 2>/dev/null || return 0
	cat "$report" 2>/dev/null || true
	echo clear >"$report" 2>/dev/null || true
}

module_loaded() { [[ -d /sys/module/dmvpn ]]; }

# ip_gre claims the kernel's GRE receive slot that dmvpn needs; nothing in
# these tests wants it, so drop it whenever something pulled it in.
unload_ip_gre() {
	if [[ -d /sys/module/ip_gre ]]; then
		rmmod ip_gre 2>&1 || echo "could not rmmod ip_gre"
	fi
}

# Load dmvpn.ko's dependencies from the kernel's own module tree, then the
# module itself.  Prints what went wrong; status 1 on failure.
load_dmvpn() {
	local deps dep
	unload_ip_gre
	module_loaded && return 0
	if [[ ! -f "$MODULE" ]]; then
		echo "dmvpn module not found at $MODULE"
		return 1
	fi
	deps=$(modinfo -F depends "$MODULE" 2>&1) || {
		echo "modinfo $MODULE failed: $deps"
		return 1
	}
	for dep in ${deps//,/ }; do
		modprobe "$dep" 2>&1 || {
			echo "modprobe $dep (a dependency of dmvpn.ko) failed"
			return 1
		}
	done
	insmod "$MODULE" 2>&1 || {
		echo "insmod $MODULE failed; dmesg says:"
		dmesg | tail -n 5
		return 1
	}
}

declare -A BASELINE_PIDS=()
BASELINE_LINKS=()

snapshot_state() {
	local dir
	BASELINE_PIDS=()
	for dir in /proc/[0-9]*; do
		BASELINE_PIDS[${dir#/proc/}]=1
	done
	mapfile -t BASELINE_LINKS < <(ls /sys/class/net)
}

# Kill every user process started since snapshot_state, wherever it runs:
# daemons a test left behind (iperf3 -D, socat in a netns) would keep a
# namespace alive and hold references to tunnel devices.
kill_strays() {
	local dir pid
	for _ in 1 2 3; do
		local killed=0
		for dir in /proc/[0-9]*; do
			pid=${dir#/proc/}
			[[ -n "${BASELINE_PIDS[$pid]:-}" ]] && continue
			((pid == $$ || pid == BASHPID)) && continue
			# Kernel threads have no executable; leave them be.
			readlink "$dir/exe" >/dev/null 2>&1 || continue
			kill -9 "$pid" 2>/dev/null && killed=1
		done
		((killed)) || return 0
		sleep 0.5
	done
}

# Bring the guest back to the state before the test: no stray processes,
# no named netns, no new links in the initial netns, no nft rules, dmvpn
# loaded, ip_gre not loaded.  Prints anything worth knowing.
reset_state() {
	local ns dev known
	kill_strays
	while read -r ns _; do
		[[ -n "$ns" ]] || continue
		ip netns del "$ns" 2>&1 || echo "could not delete netns $ns"
	done < <(ip netns list 2>/dev/null)
	for dev in /sys/class/net/*; do
		dev=${dev##*/}
		for known in "${BASELINE_LINKS[@]}"; do
			[[ "$dev" == "$known" ]] && continue 2
		done
		ip link del "$dev" 2>/dev/null || true
	done
	# Only if a test used nftables: "nft" itself would load nf_tables.
	if [[ -d /sys/module/nf_tables ]]; then
		nft flush ruleset 2>/dev/null || true
	fi
	# Namespaces are torn down by a workqueue after their last reference
	# goes; give that time to run so its messages land in this test.
	sleep 2
	unload_ip_gre
	if ! module_loaded; then
		echo "dmvpn was unloaded by the test; loading it again"
		load_dmvpn || true
	fi
}

# settings: kselftest's per-directory "timeout=SECONDS".
read_timeout() {
	local line
	[[ -f "$SELFTESTS/settings" ]] || return 0
	while IFS= read -r line; do
		[[ "$line" =~ ^timeout=([0-9]+)$ ]] && TEST_TIMEOUT=${BASH_REMATCH[1]}
	done <"$SELFTESTS/settings"
}

# run_one NUMBER NAME: one test, its cleanup and the kernel checks,
# reported as one KTAP result.
run_one() {
	local num=$1 name=$2
	local log="$OUT/logs/$name.log" rc=0 tail_pid splats taint_before taint_after
	local desc="selftests: dmvpn: $name" verdict='' directive='' start=$SECONDS

	taint_before=$(</proc/sys/kernel/tainted)
	kmsg_mark "begin $num $name"
	console "# running $name (timeout ${TEST_TIMEOUT}s)"
	: >"$log"
	# Output goes to a file, not a pipe: a daemon the test leaves behind
	# would keep a pipe open forever.  tail streams it to the console.
	tail -n +1 -F "$log" 2>/dev/null | sed -u 's/^/# /' >/dev/console &
	tail_pid=$!
	# After starting tail, so that the stray-killer spares it.
	snapshot_state

	if ! module_loaded; then
		{
			echo "dmvpn.ko is not loaded, so this test cannot run:"
			load_dmvpn || true
		} >>"$log" 2>&1
	fi
	if module_loaded; then
		(
			cd "$SELFTESTS"
			export KSFT_TIMEOUT="$TEST_TIMEOUT"
			# A session of its own, so the test cannot signal the runner;
			# timeout -k escalates to SIGKILL if SIGTERM is ignored.
			exec setsid -w timeout -k 10 "$TEST_TIMEOUT" bash "./$name"
		) >>"$log" 2>&1 </dev/null || rc=$?
	else
		rc=1
	fi
	reset_state >>"$log" 2>&1

	kmsg_mark "end $num $name"
	splats=$( {
		dmesg_since "begin $num $name" | grep -E "$SPLAT_RE" || true
		kmemleak_scan | grep -E 'unreferenced object|backtrace|\[<' | sed -n 1,40p || true
	})
	taint_after=$(</proc/sys/kernel/tainted)
	sleep 0.3 # let tail catch up before it is stopped
	kill "$tail_pid" 2>/dev/null || true
	wait "$tail_pid" 2>/dev/null || true

	case $rc in
	0) verdict=ok ;;
	4) verdict=ok directive=" # SKIP $(grep -i skip "$log" | tail -n 1 | sed -E 's/^[# ]*(SKIP:? *)?//' | cut -c1-120)" ;;
	124 | 137) verdict='not ok' directive=" # exit=$rc (timed out after ${TEST_TIMEOUT}s)" ;;
	*) verdict='not ok' directive=" # exit=$rc" ;;
	esac
	[[ "$directive" == " # SKIP " ]] && directive=" # SKIP skipped"
	if [[ -n "$splats" ]]; then
		printf '%s\n' "$splats" | sed 's/^/dmesg: /' >>"$log"
		verdict='not ok' directive=" # kernel warning in dmesg (exit=$rc)"
	fi
	if (((taint_after & ~taint_before) & TAINT_PROBLEM_MASK)); then
		echo "kernel taint went from $taint_before to $taint_after" >>"$log"
		verdict='not ok' directive=" # kernel tainted (exit=$rc)"
	fi
	echo "$name took $((SECONDS - start))s (guest time, cleanup included)" >>"$log"
	sed 's/^/# /' "$log" >>"$RESULTS"
	ktap "$verdict $num $desc$directive"
}

# The pseudo-test after the last test: rmmod must work and leave dmesg
# clean (leaks found by kmemleak show up here too).
run_module_unload() {
	local num=$1 log="$OUT/logs/module_unload.log" ok=1 splats
	: >"$log"
	kmsg_mark "begin $num module_unload"
	{
		reset_state
		if module_loaded; then
			if ! rmmod dmvpn; then
				echo "rmmod dmvpn failed; refcount $(cat /sys/module/dmvpn/refcnt 2>/dev/null)"
				ok=0
			fi
		else
			echo "dmvpn was not loaded at the end of the run"
		fi
		sleep 1
	} >>"$log" 2>&1
	splats=$( {
		dmesg_since "begin $num module_unload" | grep -E "$SPLAT_RE" || true
		kmemleak_scan | grep -E 'unreferenced object|backtrace|\[<' | sed -n 1,40p || true
	})
	if [[ -n "$splats" ]]; then
		printf '%s\n' "$splats" | sed 's/^/dmesg: /' >>"$log"
		ok=0
	fi
	sed 's/^/# /' "$log" >>"$RESULTS"
	if ((ok)); then
		ktap "ok $num selftests: dmvpn: module_unload"
	else
		ktap "not ok $num selftests: dmvpn: module_unload # exit=1"
	fi
}

KUNIT_DIR=/sys/kernel/debug/kunit

# KUnit hook: when dmvpn.ko is built against a kernel with KUnit (the
# debug lane), its suites run during insmod and each leaves
# $KUNIT_DIR/<suite>/results.  Copy the suites that appeared with the
# module to $OUT/kunit/<suite>.ktap; check.sh counts them.
collect_kunit() {
	local before=$1 dir suite
	[[ -d "$KUNIT_DIR" ]] || return 0
	mkdir -p "$OUT/kunit"
	for dir in "$KUNIT_DIR"/*/; do
		suite=$(basename "$dir")
		grep -qxF "$suite" <<<"$before" && continue
		cat "$dir/results" >"$OUT/kunit/$suite.ktap" 2>/dev/null || true
	done
}

# The pseudo-test before the first test: insmod must work and leave dmesg
# clean (this is also when KUnit suites run).
run_module_load() {
	local num=$1 log="$OUT/logs/module_load.log" ok=1 splats suites_before
	: >"$log"
	kmsg_mark "begin $num module_load"
	suites_before=$(ls "$KUNIT_DIR" 2>/dev/null || true)
	load_dmvpn >>"$log" 2>&1 || ok=0
	collect_kunit "$suites_before"
	splats=$(dmesg_since "begin $num module_load" | grep -E "$SPLAT_RE" || true)
	if [[ -n "$splats" ]]; then
		printf '%s\n' "$splats" | sed 's/^/dmesg: /' >>"$log"
		ok=0
	fi
	sed 's/^/# /' "$log" >>"$RESULTS"
	if ((ok)); then
		ktap "ok $num selftests: dmvpn: module_load"
	else
		ktap "not ok $num selftests: dmvpn: module_load # exit=1"
	fi
	# Leaks from boot are not ours; start kmemleak from a clean slate.
	kmemleak_scan >/dev/null
}

run_selftests() {
	local -a tests
	local i num
	read -r -a tests <<<"$TESTS"
	read_timeout
	: >"$RESULTS"
	ktap "KTAP version 1"
	ktap "1..$((${#tests[@]} + 2))"
	ktap "# lane $LANE, kernel $KVER, booted in $(cut -d' ' -f1 /proc/uptime)s of guest time"
	run_module_load 1
	for i in "${!tests[@]}"; do
		num=$((i + 2))
		run_one "$num" "${tests[$i]}"
	done
	run_module_unload "$((${#tests[@]} + 2))"
}

run_script() {
	local rc=0 log="$OUT/script.log" tail_pid
	: >"$log"
	# As in run_one: a file, not a pipe, so a leftover daemon cannot hang us.
	tail -n +1 -F "$log" 2>/dev/null >/dev/console &
	tail_pid=$!
	snapshot_state
	load_dmvpn >>"$log" 2>&1 || true
	(
		cd "$REPO"
		exec setsid -w timeout -k 10 "$TEST_TIMEOUT" bash "$SCRIPT"
	) >>"$log" 2>&1 </dev/null || rc=$?
	echo "$rc" >"$OUT/script.rc"
	sleep 0.3
	kill "$tail_pid" 2>/dev/null || true
	wait "$tail_pid" 2>/dev/null || true
	kill_strays
}

case "$JOB_KIND" in
selftests) run_selftests ;;
script) run_script ;;
*) console "guest.sh: unknown JOB_KIND '$JOB_KIND'" ;;
esac
dmesg >"$OUT/dmesg.txt" 2>&1 || true
: >"$OUT/done"
