#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Guest side of "make bench" (selftests/vm/bench.sh boots a QEMU guest and
# runs this there).  A benchmark, not a test: it measures, it does not judge.
#
# Two stacks carry the same traffic over the same kind of underlay, each in
# its own pair of network namespaces (so one stack's xfrm policies or
# sockets cannot slow the other):
#   dmvpn  multipoint dmvpn tunnels with "protect" and manual SAs
#          (dmvpnctl crypto socket attach / crypto sa add)
#   xfrm   the Linux-native equivalent: multipoint ip_gre (no remote, a
#          permanent neighbour entry per peer) protected by xfrm
#          transport-mode ESP-in-UDP states and "proto gre" policies, with
#          a UDP 4500 socket carrying UDP_ENCAP_ESPINUDP so that xfrm receives
# Both use the same algorithm and key sizes, the same inner MTU (1400) and
# the same anti-replay window (64).  Topology per stack:
#   hub  eth0 172.16.0.1/24 --veth-- spoke eth0 172.16.0.2/24
#   hub  tunnel 10.0.0.1/24          spoke tunnel 10.0.0.2/24
# iperf3 runs as server on the hub's tunnel address, as client on the spoke.
#
# Measurements (each "run" measures every test on every stack, stacks
# interleaved: dmvpn, xfrm, dmvpn, xfrm, ...):
#   tcp1   TCP, one stream: receiver Mbit/s
#   tcp4   TCP, four streams: receiver Mbit/s (sum)
#   udp64  UDP with 64-byte payloads, sender unlimited (iperf3 -b 0):
#          packets per second that reached the receiver
#
# A third "stack", plain, runs the same tests over the bare veth (MTU 1400):
# the ceiling of iperf3 in this guest, against which the tunnels' cost per
# packet can be told apart from the tool's.
#
# Settings come from the environment or from the job file the host wrote
# (/run/vm-out/job): BENCH_RUNS (5), BENCH_SECS (10), BENCH_STACKS
# ("dmvpn xfrm plain"), BENCH_TESTS ("tcp1 tcp4 udp64"), BENCH_ALG (aes128gcm16;
# also aes256gcm16, chacha20poly1305, aes128-sha256, and null: no
# protection on either side), BENCH_REPLAY (64:
# the inbound anti-replay window of both stacks), BENCH_PARALLEL (1: dmvpn's
# parallel_crypto, pcrypt around every new SA's AEAD), BENCH_TCP_INFO (1:
# the sender's "ss -tin" half-way through run 1 of each TCP test),
# BENCH_RPS (1: Receive Packet Steering over all CPUs on every veth and
# tunnel device), BENCH_OUT (where the results go: /run/vm-out, the
# host's output share).
# Output: $BENCH_OUT/bench.tsv (one line per measurement), facts.txt (the
# guest, the AEAD drivers each stack got, setup failures) and raw/ (iperf3
# JSON of every run).

JOB=/run/vm-out/job
if [[ -f "$JOB" ]]; then
	# The same file guest.sh sourced; BENCH_* are ours.
	# shellcheck disable=SC1090
	. "$JOB"
fi

# shellcheck source=../lib.sh
. "$(dirname "$0")/../lib.sh"

RUNS=${BENCH_RUNS:-5}
SECS=${BENCH_SECS:-10}
STACKS=${BENCH_STACKS:-dmvpn xfrm plain}
TESTS=${BENCH_TESTS:-tcp1 tcp4 udp64}
ALG=${BENCH_ALG:-aes128gcm16}
OUT=${BENCH_OUT:-/run/vm-out}

HUB_NBMA_B=172.16.0.1
SPOKE_NBMA_B=172.16.0.2
HUB_TUN_B=10.0.0.1
SPOKE_TUN_B=10.0.0.2
GRE_KEY=42
TUN_MTU=1400
REPLAY=${BENCH_REPLAY:-64} # inbound anti-replay window, both stacks
PARALLEL=${BENCH_PARALLEL:-0}
TCP_INFO=${BENCH_TCP_INFO:-0}
RPS=${BENCH_RPS:-0}
SPI_HUB_OUT=0x1001 # hub -> spoke
SPI_SPOKE_OUT=0x2001 # spoke -> hub
UDP_LEN=64

require_cmd iperf3 jq python3 ip

mkdir -p "$OUT/raw"
TSV=$OUT/bench.tsv
FACTS=$OUT/facts.txt
: >"$TSV"
: >"$FACTS"
SMP=$(nproc)

fact() { printf '%s\n' "$*" | tee -a "$FACTS"; }

# ---- algorithm -----------------------------------------------------------

# Key material: fixed per run of this script, random, the same for both
# stacks.  hexkey BYTES
hexkey() { od -An -tx1 -N"$1" /dev/urandom | tr -d ' \n'; }

CTL_KEYS_HS=() CTL_KEYS_SH=() # the dmvpnctl words (key, auth-key)
XFRM_KEYS_HS=() XFRM_KEYS_SH=() # the "ip xfrm state" words
CRYPTO_NAME='' # what /proc/crypto calls the transform
case "$ALG" in
aes128gcm16 | aes256gcm16 | chacha20poly1305)
	case "$ALG" in
	aes128gcm16) klen=20 CRYPTO_NAME='rfc4106(gcm(aes))' ;;
	aes256gcm16) klen=36 CRYPTO_NAME='rfc4106(gcm(aes))' ;;
	chacha20poly1305) klen=36 CRYPTO_NAME='rfc7539esp(chacha20,poly1305)' ;;
	esac
	k1=$(hexkey "$klen") k2=$(hexkey "$klen")
	XFRM_KEYS_HS=(aead "$CRYPTO_NAME" "0x$k1" 128)
	XFRM_KEYS_SH=(aead "$CRYPTO_NAME" "0x$k2" 128)
	CTL_KEYS_HS=(key "0x$k1")
	CTL_KEYS_SH=(key "0x$k2")
	;;
aes128-sha256)
	CRYPTO_NAME='authenc(hmac(sha256),cbc(aes))'
	k1=$(hexkey 16) k2=$(hexkey 16) a1=$(hexkey 32) a2=$(hexkey 32)
	XFRM_KEYS_HS=(enc 'cbc(aes)' "0x$k1" auth-trunc 'hmac(sha256)' "0x$a1" 128)
	XFRM_KEYS_SH=(enc 'cbc(aes)' "0x$k2" auth-trunc 'hmac(sha256)' "0x$a2" 128)
	CTL_KEYS_HS=(key "0x$k1" auth-key "0x$a1")
	CTL_KEYS_SH=(key "0x$k2" auth-key "0x$a2")
	;;
null)
	# No protection on either side: what is left is each stack's
	# per-packet cost (framing, lookups, queueing, sockets), without
	# TCG's emulated crypto.  xfrm: RFC 2410 cipher_null + digest_null
	# (empty keys); dmvpn: its null suite, which it refuses unless told.
	CRYPTO_NAME='authenc(digest_null,ecb(cipher_null))'
	XFRM_KEYS_HS=(enc 'ecb(cipher_null)' '' auth digest_null '')
	XFRM_KEYS_SH=("${XFRM_KEYS_HS[@]}")
	CTL_KEYS_HS=(allow-insecure)
	CTL_KEYS_SH=(allow-insecure)
	;;
*) die "BENCH_ALG=$ALG: this benchmark knows aes128gcm16, aes256gcm16, chacha20poly1305, aes128-sha256, null" ;;
esac

# ---- helpers -------------------------------------------------------------

# step CMD...: a setup step.  On failure say exactly what was run, what was
# expected and what came back, and fail (the stack is then left out).
step() {
	local out rc=0
	out=$("$@" 2>&1) || rc=$?
	((rc == 0)) && return 0
	{
		printf 'SETUP FAILED\n  command:  %s\n  expected: exit 0\n  got:      exit %d\n' "$*" "$rc"
		[[ -z "$out" ]] || printf '%s\n' "$out" | sed 's/^/  | /'
	} | tee -a "$FACTS" >&2
	return 1
}

# Drivers with a reference now: "refcnt driver (name)" per /proc/crypto
# entry.  The difference before/after a stack's setup shows which driver
# its SAs were given.
crypto_refs() {
	awk -F' *: ' '
		$1 == "name" { name = $2 }
		$1 == "driver" { driver = $2 }
		$1 == "refcnt" { print driver "\t" name "\t" $2 }
	' /proc/crypto | sort
}

# crypto_delta BEFORE AFTER: the entries of the algorithm's family
# (rfc4106..., also the seqiv/cryptd wrappers around them) whose refcnt
# went up.  Random number generators and hashes that setup happens to
# touch for the first time are left out.
crypto_delta() {
	awk -F'\t' -v family="${CRYPTO_NAME%%(*}" 'NR == FNR { ref[$1] = $3; next }
		index($2, family) && $3 > ($1 in ref ? ref[$1] : 0) {
			printf "%s +%d\n", $1, $3 - ref[$1] }' \
		<(printf '%s\n' "$1") <(printf '%s\n' "$2")
}

# shellcheck disable=SC2016 # awk's own \$1, not the shell's
udp_in() { run "$1" awk '$1 == "Udp:" && $2 ~ /^[0-9]/ { print $2 }' /proc/net/snmp; }

# check_encrypted PREFIX: the tunnel answers pings and the hub received
# them as UDP (ESP-in-UDP is counted in Udp InDatagrams by the encap
# socket; cleartext GRE would not be).
check_encrypted() {
	local p=$1 before after
	if ! retry 20 run "${p}spoke" ping -c1 -W1 "$HUB_TUN_B"; then
		step run "${p}spoke" ping -c1 -W2 "$HUB_TUN_B" || true
		return 1
	fi
	before=$(udp_in "${p}hub")
	step run "${p}spoke" ping -q -c5 -i0.2 -W2 "$HUB_TUN_B" || return 1
	after=$(udp_in "${p}hub")
	if ((after - before < 5)); then
		fact "SETUP FAILED: $p: 5 pings through the tunnel, but the hub's Udp InDatagrams grew by $((after - before)): not ESP-in-UDP?"
		return 1
	fi
}

underlay() {
	local p=$1
	ns_add "${p}hub" "${p}spoke"
	veth_pair "${p}hub" eth0 "${p}spoke" eth0
	require ip -n "$(ns "${p}hub")" addr add "$HUB_NBMA_B/24" dev eth0
	require ip -n "$(ns "${p}spoke")" addr add "$SPOKE_NBMA_B/24" dev eth0
	retry 10 run "${p}spoke" ping -c1 -W1 "$HUB_NBMA_B" || die "underlay $p: no ping"
	rps_on "${p}hub" eth0
	rps_on "${p}spoke" eth0
}

# rps_on ROLE DEV: with --rps, DEV's receive queue steers over all CPUs.
# The veths stand for NICs with RSS; on the tunnel devices it lets the
# decapsulated inner flows spread too, whatever CPU decapsulated them.
rps_on() {
	((RPS)) || return 0
	require run "$1" sh -c \
		"echo $(printf '%x' $(((1 << SMP) - 1))) >/sys/class/net/$2/queues/rx-0/rps_cpus"
}

# iperf_server PREFIX: the iperf3 server on the hub, at the stack's target.
iperf_server() {
	local p=$1
	bg "${p}hub" iperf3 -s -B "$(target_of "$p")" >/dev/null 2>&1
	retry 20 run "${p}hub" sh -c "ss -Hltn 'sport = :5201' | grep -q ." ||
		{ fact "SETUP FAILED: $p: iperf3 server did not listen"; return 1; }
}

# ---- stack: dmvpn --------------------------------------------------------

# dmvpn_side ROLE LOCAL TUN_ADDR PEER_TUN PEER_NBMA SPI_OUT SPI_IN KEYS_OUT KEYS_IN
dmvpn_side() {
	local role=$1 local_nbma=$2 addr=$3 peer_tun=$4 peer_nbma=$5 spi_out=$6 spi_in=$7
	local n
	n=$(ns "$role")
	step ip -n "$n" link add tun0 type dmvpn local "$local_nbma" key "$GRE_KEY" protect || return 1
	# Delete the tunnel before the namespace: it holds the UDP socket.
	defer ip -n "$n" link del tun0
	step ip -n "$n" link set tun0 mtu "$TUN_MTU" || return 1
	step ip -n "$n" addr add "$addr/24" dev tun0 || return 1
	step ip -n "$n" link set tun0 up || return 1
	rps_on "$role" tun0
	step run "$role" "$DMVPNCTL" nhrp map add dev tun0 "$peer_tun" "$peer_nbma" || return 1
	step run "$role" "$DMVPNCTL" crypto socket attach dev tun0 || return 1
	step run "$role" "$DMVPNCTL" crypto sa add dev tun0 dir out spi "$spi_out" \
		peer "$peer_nbma" alg "$ALG" "${KEYS_OUT[@]}" || return 1
	step run "$role" "$DMVPNCTL" crypto sa add dev tun0 dir in spi "$spi_in" \
		peer "$peer_nbma" alg "$ALG" "${KEYS_IN[@]}" replay-window "$REPLAY" || return 1
}

setup_dmvpn() {
	[[ -d /sys/module/dmvpn ]] || { fact "SETUP FAILED: dmvpn: the module is not loaded"; return 1; }
	[[ -x "$DMVPNCTL" ]] || { fact "SETUP FAILED: dmvpn: no $DMVPNCTL"; return 1; }
	underlay a
	KEYS_OUT=("${CTL_KEYS_HS[@]}") KEYS_IN=("${CTL_KEYS_SH[@]}")
	dmvpn_side ahub "$HUB_NBMA_B" "$HUB_TUN_B" "$SPOKE_TUN_B" "$SPOKE_NBMA_B" \
		"$SPI_HUB_OUT" "$SPI_SPOKE_OUT" || return 1
	KEYS_OUT=("${CTL_KEYS_SH[@]}") KEYS_IN=("${CTL_KEYS_HS[@]}")
	dmvpn_side aspoke "$SPOKE_NBMA_B" "$SPOKE_TUN_B" "$HUB_TUN_B" "$HUB_NBMA_B" \
		"$SPI_SPOKE_OUT" "$SPI_HUB_OUT" || return 1
	check_encrypted a || return 1
	iperf_server a
}

# ---- stack: ip_gre + xfrm ------------------------------------------------

# A UDP socket on port 4500 with UDP_ENCAP_ESPINUDP (SOL_UDP 17, UDP_ENCAP
# 100, UDP_ENCAP_ESPINUDP 2), kept open: without it xfrm never sees the
# ESP-in-UDP packets.
ENCAP_SOCKET_PY='
import signal, socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind((sys.argv[1], 4500))
s.setsockopt(17, 100, 2)
print("ready", flush=True)
signal.pause()
'

# xfrm_side ROLE LOCAL TUN_ADDR PEER_TUN PEER_NBMA SPI_OUT SPI_IN
xfrm_side() {
	local role=$1 local_nbma=$2 addr=$3 peer_tun=$4 peer_nbma=$5 spi_out=$6 spi_in=$7
	local n encap=(encap espinudp 4500 4500 0.0.0.0)
	n=$(ns "$role")
	# Multipoint GRE: no remote; the peer's NBMA address comes from a
	# permanent neighbour entry (what opennhrp installs).
	step ip -n "$n" link add gre1 type gre local "$local_nbma" key "$GRE_KEY" ttl 64 || return 1
	step ip -n "$n" link set gre1 mtu "$TUN_MTU" || return 1
	step ip -n "$n" addr add "$addr/24" dev gre1 || return 1
	step ip -n "$n" link set gre1 up || return 1
	rps_on "$role" gre1
	step ip -n "$n" neigh add "$peer_tun" lladdr "$peer_nbma" dev gre1 nud permanent || return 1
	step ip -n "$n" xfrm state add src "$local_nbma" dst "$peer_nbma" proto esp spi "$spi_out" \
		reqid 1 mode transport replay-window "$REPLAY" "${encap[@]}" "${KEYS_OUT[@]}" || return 1
	step ip -n "$n" xfrm state add src "$peer_nbma" dst "$local_nbma" proto esp spi "$spi_in" \
		reqid 1 mode transport replay-window "$REPLAY" "${encap[@]}" "${KEYS_IN[@]}" || return 1
	step ip -n "$n" xfrm policy add src "$local_nbma" dst "$peer_nbma" proto gre dir out \
		tmpl src "$local_nbma" dst "$peer_nbma" proto esp reqid 1 mode transport || return 1
	step ip -n "$n" xfrm policy add src "$peer_nbma" dst "$local_nbma" proto gre dir in \
		tmpl src "$peer_nbma" dst "$local_nbma" proto esp reqid 1 mode transport || return 1
	bg "$role" python3 -c "$ENCAP_SOCKET_PY" "$local_nbma" >/dev/null
	retry 20 run "$role" sh -c "ss -Hlun 'sport = :4500' | grep -q ." ||
		{ fact "SETUP FAILED: $role: no UDP 4500 encap socket"; return 1; }
}

setup_xfrm() {
	underlay x
	KEYS_OUT=("${XFRM_KEYS_HS[@]}") KEYS_IN=("${XFRM_KEYS_SH[@]}")
	xfrm_side xhub "$HUB_NBMA_B" "$HUB_TUN_B" "$SPOKE_TUN_B" "$SPOKE_NBMA_B" \
		"$SPI_HUB_OUT" "$SPI_SPOKE_OUT" || return 1
	KEYS_OUT=("${XFRM_KEYS_SH[@]}") KEYS_IN=("${XFRM_KEYS_HS[@]}")
	xfrm_side xspoke "$SPOKE_NBMA_B" "$SPOKE_TUN_B" "$HUB_TUN_B" "$HUB_NBMA_B" \
		"$SPI_SPOKE_OUT" "$SPI_HUB_OUT" || return 1
	check_encrypted x || return 1
	iperf_server x
}

# ---- stack: plain (no tunnel) --------------------------------------------

# The same veth without any tunnel, its MTU lowered to the tunnels' 1400
# so that packets have the same size: what iperf3 and the guest manage
# without a tunnel.  Not a contender; the ceiling the others are seen
# against (udp64 in particular is bound by the sender's CPU: with veth
# the whole path, receive included, runs on the sending CPU).
setup_plain() {
	underlay p
	require ip -n "$(ns phub)" link set eth0 mtu "$TUN_MTU"
	require ip -n "$(ns pspoke)" link set eth0 mtu "$TUN_MTU"
	iperf_server p
}

prefix_of() {
	case "$1" in
	dmvpn) echo a ;;
	xfrm) echo x ;;
	plain) echo p ;;
	*) die "unknown stack $1 (dmvpn, xfrm, plain)" ;;
	esac
}

# target_of PREFIX: the address the iperf3 client aims at.
target_of() {
	case "$1" in
	p) echo "$HUB_NBMA_B" ;;
	*) echo "$HUB_TUN_B" ;;
	esac
}

# ---- measurement ---------------------------------------------------------

# measure STACK TEST RUN: one iperf3 run; appends to bench.tsv:
#   smp stack test run value unit detail
measure() {
	local stack=$1 test=$2 runno=$3 p json rc=0 value unit detail
	local -a args
	p=$(prefix_of "$stack")
	json=$OUT/raw/smp$SMP-$stack-$test-$runno.json
	case "$test" in
	tcp1) args=(-t "$SECS" -O 1 -P 1) unit=Mbit/s ;;
	tcp4) args=(-t "$SECS" -O 1 -P 4) unit=Mbit/s ;;
	udp64) args=(-u -l "$UDP_LEN" -b 0 -t "$SECS") unit=pps ;;
	*) die "unknown test $test" ;;
	esac
	tcp_info_start "$stack" "$test" "$runno"
	timeout -k 5 $((SECS + 60)) ip netns exec "$(ns "${p}spoke")" \
		iperf3 -c "$(target_of "$p")" -J "${args[@]}" >"$json" 2>&1 || rc=$?
	tcp_info_end
	if ((rc != 0)) || ! jq -e '.end.sum_received' "$json" >/dev/null 2>&1; then
		value=NA
		detail="iperf3 exit $rc: $(jq -r '.error // empty' "$json" 2>/dev/null | head -n 1)"
	elif [[ "$test" == udp64 ]]; then
		value=$(jq -r --argjson len "$UDP_LEN" \
			'.end.sum_received | (.bytes / $len / .seconds) | floor' "$json")
		detail=$(jq -r '"sent " + (.end.sum_sent.packets / .end.sum_sent.seconds | floor | tostring) +
			" pps, lost " + (.end.sum_received.lost_percent * 10 | floor / 10 | tostring) + "%"' "$json")
	else
		value=$(jq -r '.end.sum_received.bits_per_second / 1e6 * 10 | floor / 10' "$json")
		detail=$(jq -r '"retransmits " + (.end.sum_sent.retransmits // 0 | tostring) +
			", cpu local " + (.end.cpu_utilization_percent.host_total | floor | tostring) +
			"% remote " + (.end.cpu_utilization_percent.remote_total | floor | tostring) + "%"' "$json")
	fi
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$SMP" "$stack" "$test" "$runno" "$value" "$unit" "$detail" >>"$TSV"
	printf '  run %d %-5s %-6s %10s %-6s (%s)\n' "$runno" "$test" "$stack" "$value" "$unit" "$detail"
}

# softnet: per CPU, "cpu processed dropped time_squeeze backlog" from
# /proc/net/softnet_stat (the counters are cumulative, backlog is the
# packets waiting in that CPU's receive backlog now).
softnet() {
	local -a f
	while read -r -a f; do
		echo "$((16#${f[12]})) $((16#${f[0]})) $((16#${f[1]})) $((16#${f[2]})) $((16#${f[11]}))"
	done </proc/net/softnet_stat
}

# tcp_info_start STACK TEST RUN: in run 1 of a TCP test, the sender's
# "ss -tin" half-way through (ss-smpN-STACK-TEST.txt): RTT, cwnd, unacked
# and what limited each stream; and every CPU's receive backlog, sampled
# each second, with what the CPU processed, dropped and cut short
# (time_squeeze) over the run (softnet-smpN-STACK-TEST.txt).
# tcp_info_end waits for both.
TCP_INFO_PIDS=()
tcp_info_start() {
	((TCP_INFO)) && [[ $3 == 1 && $2 == tcp* ]] || return 0
	(
		sleep "$((SECS / 2 + 1))"
		run "$(prefix_of "$1")spoke" ss -tin "dport = :5201"
	) >"$OUT/ss-smp$SMP-$1-$2.txt" 2>&1 &
	TCP_INFO_PIDS+=($!)
	(
		local before after i
		before=$(softnet)
		for ((i = 1; i <= SECS; i++)); do
			sleep 1
			softnet | sed "s/^/sample $i cpu /"
		done >"$OUT/raw/softnet-smp$SMP-$1-$2.samples"
		after=$(softnet)
		echo "# per CPU over the run: processed, dropped, time_squeeze (deltas);"
		echo "# receive backlog over $SECS one-second samples: max, mean"
		join <(sort <<<"$before") <(sort <<<"$after") | while read -r cpu p0 d0 s0 _ p1 d1 s1 _; do
			awk -v cpu="$cpu" -v p=$((p1 - p0)) -v d=$((d1 - d0)) -v q=$((s1 - s0)) \
				'$4 == cpu { n++; t += $8; if ($8 > m) m = $8 }
				 END { printf "cpu %s: processed %d dropped %d time_squeeze %d backlog max %d mean %.0f\n",
					cpu, p, d, q, m, n ? t / n : 0 }' \
				"$OUT/raw/softnet-smp$SMP-$1-$2.samples"
		done
	) >"$OUT/softnet-smp$SMP-$1-$2.txt" 2>&1 &
	TCP_INFO_PIDS+=($!)
}
tcp_info_end() {
	local pid
	for pid in "${TCP_INFO_PIDS[@]}"; do
		wait "$pid" || true
	done
	TCP_INFO_PIDS=()
}

# ---- main ----------------------------------------------------------------

fact "guest_kernel=$(uname -r)"
fact "guest_cpus=$SMP"
fact "guest_cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)"
fact "guest_cpu_flags=$(grep -m1 -ow -E 'aes|pclmulqdq|avx|avx2|vaes|vpclmulqdq' /proc/cpuinfo | sort -u | tr '\n' ' ')"
fact "alg=$ALG ($CRYPTO_NAME), replay window $REPLAY, tunnel MTU $TUN_MTU"
fact "runs=$RUNS seconds=$SECS stacks=$STACKS tests=$TESTS"
fact "rps=$RPS parallel_crypto=$PARALLEL tcp_info=$TCP_INFO"
fact "guest_loadavg_start=$(cat /proc/loadavg)"

# Without udev nothing loads the accelerated crypto modules in this guest;
# load them so that both stacks can get the best driver the CPU allows.
for mod in aesni_intel ghash_clmulni_intel chacha_x86_64 poly1305_x86_64 \
	sha256_ssse3 esp4 esp4_offload xfrm_user ip_gre; do
	modprobe "$mod" 2>/dev/null || fact "note: modprobe $mod failed"
done

if ((PARALLEL)); then
	modprobe pcrypt 2>/dev/null || fact "note: modprobe pcrypt failed"
	if echo 1 >/sys/module/dmvpn/parameters/parallel_crypto; then
		fact "dmvpn parallel_crypto=$(cat /sys/module/dmvpn/parameters/parallel_crypto)"
	else
		fact "SETUP FAILED: dmvpn: cannot set parallel_crypto"
	fi
fi

declare -A STACK_OK=()
for stack in $STACKS; do
	before=$(crypto_refs)
	info "setting up $stack"
	start=$SECONDS
	if "setup_$stack"; then
		STACK_OK[$stack]=1
		[[ "$stack" == plain ]] ||
			fact "driver_$stack=$(crypto_delta "$before" "$(crypto_refs)" | tr '\n' ' ' | sed 's/ $//')"
		info "$stack ready in $((SECONDS - start))s"
	else
		fact "stack_failed=$stack"
	fi
done

active=()
for stack in $STACKS; do
	[[ -n "${STACK_OK[$stack]:-}" ]] && active+=("$stack")
done
((${#active[@]})) || die "no stack could be set up (see $FACTS)"
fact "stacks_measured=${active[*]}"

for ((r = 1; r <= RUNS; r++)); do
	info "run $r of $RUNS (smp $SMP, load $(cut -d' ' -f1-3 /proc/loadavg))"
	for test in $TESTS; do
		for stack in "${active[@]}"; do
			measure "$stack" "$test" "$r"
		done
	done
done

# What the SAs counted, for the record (and a sanity check that the
# traffic was encrypted), and the drops that cost a stack throughput.
xfrm_drops() {
	local role
	for role in xhub xspoke; do
		run "$role" ip -s xfrm state
	done | awk '/^\tstats:/ { getline; w += $2; r += $4; f += $6 }
		END { printf "outside replay window %d, replayed %d, integrity failed %d", w, r, f }'
}

dmvpn_drops() {
	local role
	for role in ahub aspoke; do
		run "$role" ethtool -S tun0
	done | awk -F': *' '$1 ~ /rx_replay|rx_auth_failed|rx_invalid|tx_no_sa|tx_encaps_failed|rx_decaps_failed|internal_err/ {
			gsub(/ /, "", $1); n[$1] += $2 }
		END { for (k in n) printf "%s %d, ", k, n[k] }' | sed 's/, $//'
}

for stack in "${active[@]}"; do
	case "$stack" in
	dmvpn)
		{
			run ahub "$DMVPNCTL" show crypto ipsec sa detail
			run ahub ethtool -S tun0
			run aspoke ethtool -S tun0
		} >"$OUT/sa-dmvpn-smp$SMP.txt" 2>&1 || true
		fact "drops_dmvpn=$(dmvpn_drops) (hub+spoke, all runs)"
		;;
	xfrm)
		{
			run xhub ip -s xfrm state
			run xspoke ip -s xfrm state
			echo "non-zero /proc/net/xfrm_stat, hub then spoke:"
			run xhub grep -vE '[[:space:]]0$' /proc/net/xfrm_stat
			run xspoke grep -vE '[[:space:]]0$' /proc/net/xfrm_stat
		} >"$OUT/sa-xfrm-smp$SMP.txt" 2>&1 || true
		fact "drops_xfrm=$(xfrm_drops) (hub+spoke, all runs)"
		;;
	esac
done
fact "guest_loadavg_end=$(cat /proc/loadavg)"
log "bench done: $(wc -l <"$TSV") measurements in $TSV"
