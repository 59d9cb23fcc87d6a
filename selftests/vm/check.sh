#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make check: build the userland once, run its host-side unit tests, then
# for each kernel lane build dmvpn.ko, boot QEMU and run the selftests in
# the guest.  The last line printed is always the total:
#   N passed, N failed[, N skipped]
#
# Usage: check.sh [--test NAME] [--lanes "6.1 6.12 debug"] [--verbose]
#   --test NAME   run just selftests/NAME (".sh" optional) in every lane,
#                 or, for a host test (HOST_PROGS), only on the host
#   --lanes LIST  lanes to run; default "6.1 6.12", plus "debug" when
#                 selftests/vm/debug-kernel.sh exists
#   --verbose     also stream each guest's console to the terminal
# Environment: DMVPN_LANE_TIMEOUT (seconds per lane; default: the guest's
#   per-test limit from selftests/settings times the tests, so only a hung
#   guest reaches it);
#   DMVPN_LANES (default for --lanes, e.g. "make check T=x DMVPN_LANES=6.1");
#   DMVPN_FAIL_LOG_LINES (lines of a failing test's log to print; 60);
#   DMVPN_TIME_BUDGET (seconds: a lane after the first that would end
#   later is skipped and says so; unset = no limit);
#   DMVPN_FIRST_LANE (the lane that runs every test; default the first
#   of the list: "DMVPN_LANES=6.12 DMVPN_FIRST_LANE=6.1" runs the 6.12
#   lane with the tests CI gives it).
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# shellcheck source=vm-lib.sh
. "$REPO/selftests/vm/vm-lib.sh"

ONLY_TEST=''
LANES=${DMVPN_LANES:-}
VERBOSE=0
LANE_TIMEOUT=${DMVPN_LANE_TIMEOUT:-}

usage() {
	sed -n '/^# Usage:/,/^# Environment/p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
	exit 2
}

while (($#)); do
	case "$1" in
	--test) ONLY_TEST=${2:?--test needs a name}; shift 2 ;;
	--test=*) ONLY_TEST=${1#--test=}; shift ;;
	--lanes) LANES=${2:?--lanes needs a list}; shift 2 ;;
	--lanes=*) LANES=${1#--lanes=}; shift ;;
	-v | --verbose) VERBOSE=1; shift ;;
	-h | --help) usage ;;
	*) echo "check.sh: unknown argument '$1'" >&2; usage ;;
	esac
done

if [[ -z "$LANES" ]]; then
	LANES="6.1 6.12"
	# The debug lane (KASAN/lockdep/kmemleak kernel) joins once its
	# builder exists; debug-kernel.sh --print names the image and tree.
	[[ -f "$REPO/selftests/vm/debug-kernel.sh" ]] && LANES+=" debug"
fi

TOTAL_PASS=0 TOTAL_FAIL=0 TOTAL_SKIP=0
FAILED_LANES=()
SKIPPED_LANES=()
LOG_DIR=$BUILD_DIR/logs
mkdir -p "$LOG_DIR"
RUN_START=$SECONDS

section() { printf '\n=== %s\n' "$*"; }

# ---- selftest list -------------------------------------------------------
# TEST_PROGS in selftests/Makefile is the one list of guest tests;
# HOST_PROGS the tests that run here, on the host.
mapfile -t ALL_TESTS < <(make -s --no-print-directory -C "$REPO/selftests" list-tests | tr ' ' '\n' | grep .)
mapfile -t DEBUG_TESTS < <(make -s --no-print-directory -C "$REPO/selftests" list-debug-tests | tr ' ' '\n' | grep . || true)
mapfile -t FIRST_LANE_ONLY < <(make -s --no-print-directory -C "$REPO/selftests" list-first-lane-only | tr ' ' '\n' | grep . || true)
mapfile -t ALL_HOST_TESTS < <(make -s --no-print-directory -C "$REPO/selftests" list-host-tests | tr ' ' '\n' | grep . || true)
HOST_TESTS=("${ALL_HOST_TESTS[@]}")
if [[ -n "$ONLY_TEST" ]]; then
	want=${ONLY_TEST##*/}
	[[ "$want" == *.sh ]] || want+=.sh
	selected='' host_selected=''
	mapfile -t manual < <(make -s --no-print-directory -C "$REPO/selftests" list-manual-tests | tr ' ' '\n' | grep . || true)
	for t in "${ALL_TESTS[@]}" "${manual[@]}"; do
		[[ "$t" == "$want" ]] && selected=$t
	done
	for t in "${ALL_HOST_TESTS[@]}"; do
		[[ "$t" == "$want" ]] && host_selected=$t
	done
	if [[ -z "$selected" && -z "$host_selected" ]]; then
		echo "check.sh: no test '$ONLY_TEST' in TEST_PROGS or HOST_PROGS of selftests/Makefile: ${ALL_TESTS[*]} ${ALL_HOST_TESTS[*]}" >&2
		exit 2
	fi
	if [[ -n "$host_selected" ]]; then
		# A host test alone: no guest to boot.
		TESTS=() HOST_TESTS=("$host_selected") LANES=''
	else
		TESTS=("$selected") HOST_TESTS=()
	fi
else
	TESTS=("${ALL_TESTS[@]}")
fi
# KUnit at load, every test, the unload: each has the guest's per-test
# limit (selftests/settings), so only a hung guest reaches this.
per_test=$(sed -n 's/^timeout=//p' "$REPO/selftests/settings")
LANE_TIMEOUT=${LANE_TIMEOUT:-$((${per_test:-300} * (${#TESTS[@]} + 2)))}

# ---- userland ------------------------------------------------------------
section "userland build"
if make -C "$REPO/userland" >"$LOG_DIR/userland-build.log" 2>&1; then
	# Not counted as a test: the unit tests and selftests cover it.
	echo "ok   userland built"
else
	echo "FAIL userland build (log: $LOG_DIR/userland-build.log):"
	tail -n 20 "$LOG_DIR/userland-build.log" | sed 's/^/    /'
	TOTAL_FAIL=$((TOTAL_FAIL + 1))
fi

if [[ -f "$REPO/userland/Makefile" ]] && grep -q '^check:' "$REPO/userland/Makefile"; then
	section "userland unit tests (make -C userland check)"
	log=$LOG_DIR/userland-check.log
	rc=0
	make -s --no-print-directory -C "$REPO/userland" check >"$log" 2>&1 || rc=$?
	# Top-level KTAP results only: subtests are indented.
	pass=$(grep -E '^ok [0-9]+' "$log" | grep -vc '# SKIP' || true)
	skip=$(grep -E '^ok [0-9]+' "$log" | grep -c '# SKIP' || true)
	fail=$(grep -cE '^not ok [0-9]+' "$log" || true)
	if ((rc != 0 && fail == 0)); then
		# The suite died before reporting a failure: still a failure.
		fail=1
		echo "FAIL make -C userland check exited $rc without a failing result"
	fi
	grep -E '^not ok [0-9]+' "$log" | sed 's/^/FAIL /' || true
	echo "userland unit tests: $pass passed, $fail failed, $skip skipped (log: $log)"
	((fail == 0)) || tail -n 30 "$log" | sed 's/^/    /'
	TOTAL_PASS=$((TOTAL_PASS + pass))
	TOTAL_FAIL=$((TOTAL_FAIL + fail))
	TOTAL_SKIP=$((TOTAL_SKIP + skip))
fi

# ---- host tests ------------------------------------------------------------
# Counted as the userland unit tests are: each top-level KTAP result.
for t in "${HOST_TESTS[@]}"; do
	section "host test $t"
	log=$LOG_DIR/host-${t%.sh}.log
	rc=0
	bash "$REPO/selftests/$t" >"$log" 2>&1 || rc=$?
	pass=$(grep -E '^ok [0-9]+' "$log" | grep -vc '# SKIP' || true)
	skip=$(grep -E '^ok [0-9]+' "$log" | grep -c '# SKIP' || true)
	fail=$(grep -cE '^not ok [0-9]+' "$log" || true)
	if ((rc != 0 && fail == 0)); then
		fail=1
		echo "FAIL $t exited $rc without a failing result"
	fi
	grep -E '^(ok|not ok) [0-9]+' "$log" | sed -e 's/^not ok [0-9]* /FAIL /' -e 's/^ok [0-9]* /ok   /' || true
	echo "$t: $pass passed, $fail failed, $skip skipped (log: $log)"
	((fail == 0)) || tail -n 30 "$log" | sed 's/^/    /'
	TOTAL_PASS=$((TOTAL_PASS + pass))
	TOTAL_FAIL=$((TOTAL_FAIL + fail))
	TOTAL_SKIP=$((TOTAL_SKIP + skip))
done

# ---- kernel lanes --------------------------------------------------------
# show_log_tail LOG: the end of a failing test's log, in the run's own
# output, because CI keeps only what it printed (the build tree is gone).
show_log_tail() {
	[[ -f "$1" ]] || return 0
	echo "    --- last ${FAIL_LOG_LINES} lines of $1"
	tail -n "$FAIL_LOG_LINES" "$1" | sed 's/^/    | /'
}
FAIL_LOG_LINES=${DMVPN_FAIL_LOG_LINES:-60}

# report_lane LANE OUTDIR CONSOLE NOTE: compare results.ktap with the
# expected plan (module_load, the tests, module_unload); anything missing
# failed.  KUnit suites the guest collected count as one test each.
report_lane() {
	local lane=$1 outdir=$2 console=$3 note=$4
	local -a expected=(module_load "${LANE_TESTS[@]}" module_unload)
	local -A status=() directive=()
	local line num rest dir i pass=0 fail=0 skip=0 missing=0
	if [[ -f "$outdir/results.ktap" ]]; then
		while IFS= read -r line; do
			if [[ "$line" =~ ^(ok|not\ ok)\ ([0-9]+)\ (.*)$ ]]; then
				num=${BASH_REMATCH[2]} rest=${BASH_REMATCH[3]}
				dir=''
				[[ "$rest" == *" # "* ]] && dir=${rest#* # }
				status[$num]=${BASH_REMATCH[1]}
				directive[$num]=$dir
			fi
		done <"$outdir/results.ktap"
	fi
	for i in "${!expected[@]}"; do
		num=$((i + 1))
		case "${status[$num]:-}" in
		ok)
			if [[ "${directive[$num]}" == SKIP* ]]; then
				printf '  SKIP %s (%s)\n' "${expected[$i]}" "${directive[$num]#SKIP }"
				skip=$((skip + 1))
			else
				printf '  ok   %s\n' "${expected[$i]}"
				pass=$((pass + 1))
			fi
			;;
		'not ok')
			printf '  FAIL %s (%s) log: %s\n' "${expected[$i]}" "${directive[$num]}" \
				"$outdir/logs/${expected[$i]}.log"
			show_log_tail "$outdir/logs/${expected[$i]}.log"
			fail=$((fail + 1))
			;;
		*)
			# The first missing test whose log exists was running when
			# the guest died or the host timeout struck.
			if ((missing == 0)) && [[ -f "$outdir/logs/${expected[$i]}.log" ]]; then
				printf '  FAIL %s (did not finish: %s) partial log: %s\n' \
					"${expected[$i]}" "$note" "$outdir/logs/${expected[$i]}.log"
				show_log_tail "$outdir/logs/${expected[$i]}.log"
			else
				printf '  FAIL %s (not run: %s)\n' "${expected[$i]}" "$note"
			fi
			fail=$((fail + 1)) missing=$((missing + 1))
			;;
		esac
	done
	# KUnit: every case counts, as issue "debug lane" asks.  Cases are the
	# results indented one level (4 spaces) under their suite; deeper
	# lines are the parameters of a parameterised case, which its own
	# line already sums up.
	local suite_file suite c_pass c_fail c_skip
	for suite_file in "$outdir"/kunit/*.ktap; do
		[[ -f "$suite_file" ]] || continue
		suite=$(basename "$suite_file" .ktap)
		c_pass=$(grep -E '^    ok [0-9]+' "$suite_file" | grep -vc '# SKIP' || true)
		c_skip=$(grep -E '^    ok [0-9]+' "$suite_file" | grep -c '# SKIP' || true)
		c_fail=$(grep -cE '^    not ok [0-9]+' "$suite_file" || true)
		if ((c_pass + c_fail + c_skip == 0)); then
			printf '  FAIL kunit %s (no case results; log: %s)\n' "$suite" "$suite_file"
			fail=$((fail + 1))
			continue
		fi
		if ((c_fail == 0)) && grep -qE '^not ok ' "$suite_file"; then
			# The suite failed outside any case (init/exit).
			c_fail=1
		fi
		if ((c_fail)); then
			printf '  FAIL kunit %s: %d of %d cases failed (log: %s)\n' "$suite" \
				"$c_fail" "$((c_pass + c_fail + c_skip))" "$suite_file"
			grep -E '^    not ok [0-9]+' "$suite_file" | sed 's/^ */         /' || true
		else
			printf '  ok   kunit %s: %d cases passed%s\n' "$suite" "$c_pass" \
				"$( ((c_skip == 0)) || printf ', %d skipped' "$c_skip")"
		fi
		pass=$((pass + c_pass)) fail=$((fail + c_fail)) skip=$((skip + c_skip))
	done
	((missing == 0)) || echo "  lane $lane: $missing of ${#expected[@]} results missing: $note"
	echo "  lane $lane: $pass passed, $fail failed, $skip skipped"
	TOTAL_PASS=$((TOTAL_PASS + pass))
	TOTAL_FAIL=$((TOTAL_FAIL + fail))
	TOTAL_SKIP=$((TOTAL_SKIP + skip))
	if ((fail)); then
		FAILED_LANES+=("$lane")
		echo "  console log kept: $console"
	fi
}

# lane_tests LANE: sets LANE_TESTS, the selftests LANE runs: all of them
# on the first lane; FIRST_LANE_ONLY of selftests/Makefile is left out of
# the other Debian lanes, and the debug lane runs only DEBUG_TESTS; a test
# asked for by name runs on every lane.
lane_tests() {
	local t d keep
	LANE_TESTS=()
	for t in "${TESTS[@]}"; do
		keep=1
		if [[ -z "$ONLY_TEST" && "$1" == debug ]]; then
			keep=0
			for d in "${DEBUG_TESTS[@]}"; do
				[[ "$t" == "$d" ]] && keep=1
			done
		elif [[ -z "$ONLY_TEST" && "$1" != "$FIRST_LANE" ]]; then
			for d in "${FIRST_LANE_ONLY[@]}"; do
				[[ "$t" == "$d" ]] && keep=0
			done
		fi
		((keep == 0)) || LANE_TESTS+=("$t")
	done
}

# A lane that cannot finish inside DMVPN_TIME_BUDGET (seconds since the
# run started; CI sets it below its limit) is reported as skipped, with
# the reason, rather than started and killed: a killed guest says
# nothing about the code.  The need of a lane is what it took on an idle
# 2-core machine (measured), with a margin: its kernel build when not
# cached, its boot, its tests.
lane_need() {
	case "$1" in
	debug)
		# KUnit + DEBUG_TESTS ~10 min; a kernel not yet in the cache
		# adds its build, ~14 min on 2 cores
		if bash "$REPO/selftests/vm/debug-kernel.sh" --cached 2>/dev/null; then
			echo 1200
		else
			echo 2400
		fi
		;;
	*) echo 900 ;;		# the second Debian lane's tests
	esac
}

lane_fits_budget() {
	local need elapsed
	BUDGET_NOTE=''
	[[ -n "${DMVPN_TIME_BUDGET:-}" && "$1" != "$FIRST_LANE" ]] || return 0
	need=$(lane_need "$1")
	elapsed=$((SECONDS - RUN_START))
	((elapsed + need <= DMVPN_TIME_BUDGET)) && return 0
	BUDGET_NOTE="time budget: ${elapsed}s used, this lane needs about ${need}s, DMVPN_TIME_BUDGET=${DMVPN_TIME_BUDGET}s"
	return 1
}

skip_lane() {
	local lane=$1 note=$2
	section "lane $lane"
	lane_tests "$lane"
	echo "  SKIP lane $lane: ${#LANE_TESTS[@]} selftests not run ($note)"
	TOTAL_SKIP=$((TOTAL_SKIP + ${#LANE_TESTS[@]} + 2))
	SKIPPED_LANES+=("$lane")
}

# boot_panicked OUTDIR CONSOLE: did the kernel panic before the guest's
# init started the entry script?  (It prints "vm-init: running" first.)
boot_panicked() {
	[[ ! -f "$1/started" ]] &&
		grep -q 'Kernel panic' "$2" &&
		! grep -q 'vm-init: running' "$2"
}

run_lane() {
	local lane=$1
	local outdir="$BUILD_DIR/$lane/out" console="$LOG_DIR/$lane/console.log"
	local rc=0 tail_pid='' lane_start=$SECONDS
	section "lane $lane"
	lane_tests "$lane"
	((${#LANE_TESTS[@]} == ${#TESTS[@]})) ||
		echo "  this lane runs ${#LANE_TESTS[@]} of ${#TESTS[@]} selftests (DEBUG_TESTS, FIRST_LANE_ONLY in selftests/Makefile)"
	mkdir -p "$LOG_DIR/$lane"
	rm -rf "$outdir"
	mkdir -p "$outdir"
	: >"$console"
	if ! vm_resolve_lane "$lane"; then
		report_lane "$lane" "$outdir" "$console" "no kernel for lane $lane"
		return
	fi
	echo "  kernel $LANE_KVER ($LANE_IMAGE)"
	if ! vm_build_module "$lane" "$LOG_DIR/$lane/module-build.log"; then
		report_lane "$lane" "$outdir" "$console" "dmvpn.ko did not build"
		return
	fi
	echo "  built $LANE_MODULE in $((SECONDS - lane_start))s"
	vm_write_job "$outdir" \
		GUEST_ENTRY="$REPO/selftests/vm/guest.sh" REPO="$REPO" LANE="$lane" \
		MODULE="$LANE_MODULE" JOB_KIND=selftests TESTS="${LANE_TESTS[*]}"
	if ((VERBOSE)); then
		tail -n +1 -F "$console" 2>/dev/null | sed -u "s/^/[$lane] /" &
		tail_pid=$!
	fi
	vm_boot "$lane" "$outdir" "$console" "$LANE_TIMEOUT" || rc=$?
	if boot_panicked "$outdir" "$console"; then
		# The kernel died before the guest's init ran anything of
		# ours (dmvpn.ko is loaded later, by the test runner), so
		# this says nothing about dmvpn; TCG hits such boot races
		# now and then.  One more boot, and the first one's trace
		# stays in the log.
		echo "  the guest kernel panicked while booting, before dmvpn.ko was loaded:"
		grep -m1 -E 'RIP: ' "$console" | sed 's/^/    /'
		cp "$console" "$console.boot1"
		echo "  booting again (first console log: $console.boot1)"
		rc=0
		vm_boot "$lane" "$outdir" "$console" "$LANE_TIMEOUT" || rc=$?
	fi
	if [[ -n "$tail_pid" ]]; then
		kill "$tail_pid" 2>/dev/null || true
		wait "$tail_pid" 2>/dev/null || true
	fi
	echo "  boot ${VM_BOOT_SECONDS:-?}s (QEMU start to guest runner), guest run ${VM_RUN_SECONDS}s, QEMU exit $rc"
	local note="guest ended early (QEMU exit $rc)"
	if ((rc == 124)); then
		note="host timeout after ${LANE_TIMEOUT}s killed the guest"
	elif [[ ! -f "$outdir/started" ]]; then
		note="guest never reached the test runner (boot failed)"
	elif [[ ! -f "$outdir/done" ]]; then
		note="guest died before finishing (panic?)"
	fi
	if grep -qE 'Kernel panic|end Kernel panic' "$console"; then
		grep -m1 -E 'Kernel panic' "$console" | sed 's/^/  /'
	fi
	report_lane "$lane" "$outdir" "$console" "$note"
}

# The lane that runs every test: the first one listed, unless named.
FIRST_LANE=${DMVPN_FIRST_LANE:-${LANES%% *}}
for lane in $LANES; do
	if ! lane_fits_budget "$lane"; then
		skip_lane "$lane" "$BUDGET_NOTE"
		continue
	fi
	run_lane "$lane"
done

section "summary"
echo "lanes: ${LANES:-none}; tests: ${TESTS[*]:-none}; host tests: ${HOST_TESTS[*]:-none}; whole run $((SECONDS - RUN_START))s"
if ((${#SKIPPED_LANES[@]})); then
	echo "skipped lanes (time budget): ${SKIPPED_LANES[*]}"
fi
if ((${#FAILED_LANES[@]})); then
	for lane in "${FAILED_LANES[@]}"; do
		echo "failed lane $lane: console log $LOG_DIR/$lane/console.log"
	done
fi
summary="$TOTAL_PASS passed, $TOTAL_FAIL failed"
((TOTAL_SKIP == 0)) || summary+=", $TOTAL_SKIP skipped"
echo "$summary"
((TOTAL_FAIL == 0))
