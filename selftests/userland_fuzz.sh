#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Host-side test: dmvpnd's libFuzzer harnesses (ISAKMP payload parsers,
# the config parser, the whole IKEv1 state machine fed from the wire), each
# for FUZZ_TIME seconds (default 20: CI-sized; raise it by hand for a
# real campaign).  Built with clang under ASan and UBSan with recovery off,
# so any memory error, leak or undefined behaviour ends the run with a
# crash artifact and fails the test.  The corpora start from the seeds in
# userland/fuzz/corpus and grow in a throw-away directory.
# KTAP v1 on stdout.
set -uo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
FUZZ_TIME=${FUZZ_TIME:-20}
WORK=$(mktemp -d /var/tmp/dmvpn-fuzz.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
harnesses=(isakmp config ikev1)

echo "KTAP version 1"
echo "1..$((1 + ${#harnesses[@]}))"

if ! command -v "${FUZZ_CC:-clang}" >/dev/null; then
	echo "# ${FUZZ_CC:-clang} not found (selftests/vm/deps.sh installs it)"
	echo "not ok 1 build the libFuzzer harnesses"
	exit 1
fi
targets=()
for h in "${harnesses[@]}"; do
	targets+=("fuzz/fuzz_$h")
done
if ! make -s -C "$REPO/userland" "${targets[@]}" >"$WORK/build.log" 2>&1; then
	sed 's/^/# /' "$WORK/build.log"
	echo "not ok 1 build the libFuzzer harnesses"
	exit 1
fi
echo "ok 1 build the libFuzzer harnesses"

n=1
failed=0
for h in "${harnesses[@]}"; do
	n=$((n + 1))
	corpus=$WORK/corpus-$h
	mkdir -p "$corpus"
	seeds=()
	[[ -d $REPO/userland/fuzz/corpus/$h ]] && seeds=("$REPO/userland/fuzz/corpus/$h")
	max_len=4096
	[[ $h == ikev1 ]] && max_len=8192
	rc=0
	(cd "$WORK" && "$REPO/userland/fuzz/fuzz_$h" -max_total_time="$FUZZ_TIME" \
		-max_len="$max_len" -print_final_stats=1 "$corpus" "${seeds[@]}") \
		>"$WORK/$h.log" 2>&1 || rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$WORK/$h.log")
	units=$(find "$corpus" -type f | wc -l)
	if ((rc == 0)) && [[ -n $execs ]] && ((execs > 0)); then
		echo "ok $n fuzz_$h: ${FUZZ_TIME} s, $execs inputs run, corpus $units, no crash"
	else
		failed=1
		grep -E 'ERROR|SUMMARY|runtime error|==[0-9]+==' "$WORK/$h.log" | sed -n 1,40p | sed 's/^/# /'
		tail -n 20 "$WORK/$h.log" | sed 's/^/# /'
		for a in "$WORK"/crash-* "$WORK"/leak-* "$WORK"/timeout-* "$WORK"/oom-*; do
			[[ -e $a ]] && echo "# artifact: $(basename "$a") $(od -An -tx1 -v "$a" | tr -d ' \n' | cut -c1-512)"
		done
		echo "not ok $n fuzz_$h (exit $rc)"
	fi
done
exit "$failed"
