#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# dmvpnd handshakes on the host, in network namespaces, without the module:
# dmvpnd runs with the "record" backend (SAs go to a file), strongSwan's
# charon installs its SAs into the namespace's xfrm, and the tests check
# that both ends derived the same SPIs and keys.  Also reproduces the IOS
# diagnostics (PSK mismatch, policy mismatch, transform-set mismatch, peer
# not responding, aggressive mode refused) and feeds dmvpnd malformed
# datagrams.  Aggressive mode (off by default) runs dmvpnd<->dmvpnd and
# with charon each way (charon answers it only with
# i_dont_care_about_security_and_use_aggressive_mode_psk).  KTAP v1.
#
#   userland/tests/ike_netns.sh [-v]
#
# Needs root (namespaces).  The charon cases are skipped when strongSwan
# (charon + swanctl) is not installed.

set -u
HERE=$(cd "$(dirname "$0")" && pwd)
U=$(dirname "$HERE")
D=$U/dmvpnd.san
[[ -x $D ]] || D=$U/dmvpnd
VERBOSE=0
[[ ${1:-} == -v ]] && VERBOSE=1
CHARON=/usr/lib/ipsec/charon
CTL=$U/dmvpnctl
# show_isakmp LOG [detail]: dmvpnctl show crypto isakmp sa of that instance
show_isakmp() {
	DMVPN_RUN_DIR=${1%.log}.run "$CTL" show crypto isakmp sa ${2:-} 2>&1
}
SWANCTL=$(command -v swanctl || echo /usr/sbin/swanctl)
# failure_code LOG PEER: the code "show crypto isakmp failures" gives for
# PEER in the state of the dmvpnd that writes LOG
failure_code() {
	DMVPN_RUN_DIR=${1%.log}.run "$CTL" -j show crypto isakmp failures 2>/dev/null |
		python3 -c 'import json, sys
print(next((f["code"] for f in json.load(sys.stdin) if f["peer_addr"] == sys.argv[1]), ""))' "$2"
}

TESTS=(dmvpnd_dmvpnd dmvpnd_dmvpnd_pfs_gcm charon_responder charon_initiator
       charon_pfs_3des charon_gcm diag_psk_mismatch diag_policy_mismatch
       diag_transform_set_mismatch diag_proxy_identity diag_peer_not_responding
       malformed_datagrams nat_two_spokes_one_pat nat_charon_hub reload_sighup
       dmvpnd_dmvpnd_aggressive charon_am_responder charon_am_initiator
       diag_aggressive_refused dmvpnd_dmvpnd_isakmp_profile diag_isakmp_profile
       dmvpnd_dmvpnd_proxy_identity diag_proxy_identity_one_side
       charon_proxy_identity)
ONLY=${IKE_ONLY:-}	# a regex: run only the matching tests (the rest SKIP)

echo "KTAP version 1"
echo "1..${#TESTS[@]}"
if ((EUID != 0)); then
	for t in "${TESTS[@]}"; do
		N=$((${N:-0} + 1)); echo "ok $N $t # SKIP needs root (network namespaces)"
	done
	exit 0
fi

W=$(mktemp -d /tmp/ike_netns.XXXXXX)
NSA=ikA$$ NSB=ikB$$
A=10.99.0.1 B=10.99.0.2
PIDS=()

cleanup() {
	for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
	ip netns del "$NSA" 2>/dev/null
	ip netns del "$NSB" 2>/dev/null
	[[ $VERBOSE == 1 ]] || rm -rf "$W"
}
trap cleanup EXIT

ip netns add "$NSA" && ip netns add "$NSB" || exit 1
ip link add ikva netns "$NSA" type veth peer name ikvb netns "$NSB"
ip -n "$NSA" addr add $A/24 dev ikva
ip -n "$NSB" addr add $B/24 dev ikvb
for ns in "$NSA" "$NSB"; do
	ip -n "$ns" link set lo up
done
ip -n "$NSA" link set ikva up
ip -n "$NSB" link set ikvb up

diag() { awk '{ print "# " $0 }' "$@"; }

# conf FILE LOCAL [key K] [p1 "encr..|hash..|group.."] [ts "esp..."] [pfs G]
#      [extra LINES] [prof LINES (in the ipsec profile)]
conf() {
	local f=$1 local=$2 key=secret123 enc="aes 256" hash=sha256 group=14
	local ts="esp-aes 256 esp-sha256-hmac" pfs="" extra="" prof=""
	shift 2
	while (($#)); do
		case $1 in
		key) key=$2 ;; enc) enc=$2 ;; hash) hash=$2 ;; group) group=$2 ;;
		ts) ts=$2 ;; pfs) pfs=$2 ;; extra) extra=$2 ;; prof) prof=$2 ;;
		esac
		shift 2
	done
	cat >"$f" <<EOC
crypto isakmp policy 10
 encr $enc
 hash $hash
 authentication pre-share
 group $group
crypto isakmp key $key address 0.0.0.0 0.0.0.0
crypto isakmp retransmit 300 3
$extra
crypto ipsec transform-set TS $ts
 mode transport
crypto ipsec profile P
 set transform-set TS
${pfs:+ set pfs $pfs}
$prof
interface tun0
 tunnel source $local
 tunnel protection ipsec profile P
EOC
}

# start_dmvpnd NS CONF REC LOG [-i PEER]
start_dmvpnd() {
	local ns=$1 c=$2 rec=$3 log=$4
	shift 4
	rm -f "$rec"
	# each instance publishes its IKE state in its own directory
	mkdir -p "${log%.log}.run"
	DMVPN_RUN_DIR=${log%.log}.run \
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
		ip netns exec "$ns" "$D" -c "$c" -b "record:$rec" -v "$@" >"$log" 2>&1 &
	PIDS+=($!)
	LASTPID=$!
}

stop_pid() {
	kill "$1" 2>/dev/null
	wait "$1" 2>/dev/null
}

# wait_for FILE REGEX SECONDS
wait_for() {
	local i
	for ((i = 0; i < $3 * 10; i++)); do
		grep -Eq "$2" "$1" 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}

# wait_for_cmd SECONDS SHELL-CMD: until it succeeds
wait_for_cmd() {
	local i
	for ((i = 0; i < $1 * 10; i++)); do
		eval "$2" && return 0
		sleep 0.1
	done
	return 1
}

sanitizer_clean() {
	! grep -Eq "AddressSanitizer|LeakSanitizer|runtime error" "$@"
}

# The two record files mirror each other: A's inbound is B's outbound.
records_mirror() {
	python3 - "$1" "$2" <<'PY'
import sys
def load(p):
    out = {}
    for line in open(p):
        w = line.split()
        if w[0] != "add": continue
        kv = dict(x.split("=", 1) for x in w[1:])
        out[kv["dir"]] = kv
    return out
a, b = load(sys.argv[1]), load(sys.argv[2])
ok = set(a) == {"in", "out"} == set(b)
for d, o in (("in", "out"), ("out", "in")):
    if not ok: break
    for k in ("spi", "alg", "enc", "auth", "mode"):
        if a[d].get(k) != b[o].get(k):
            print("mismatch", d, k); ok = False
print("records mirror" if ok else "records differ")
sys.exit(0 if ok else 1)
PY
}

# charon's xfrm states against a dmvpnd record (dmvpnd's inbound SA is
# charon's state towards dmvpnd's address).
xfrm_matches() {
	local ns=$1 rec=$2 dmvpnd_addr=$3
	ip -n "$ns" xfrm state >"$W/xfrm.txt"
	[[ $VERBOSE == 1 ]] && diag "$W/xfrm.txt"
	python3 - "$W/xfrm.txt" "$rec" "$dmvpnd_addr" <<'PY'
import re, sys
states = []
cur = None
for line in open(sys.argv[1]):
    m = re.match(r"src (\S+) dst (\S+)", line)
    if m:
        cur = {"src": m.group(1), "dst": m.group(2)}; states.append(cur); continue
    w = line.split()
    if not w or cur is None: continue
    if w[0] == "proto" and w[1] == "esp": cur["spi"] = int(w[3], 16)
    if w[0] in ("enc", "auth-trunc", "auth", "aead"): cur[w[0]] = w[2][2:] if w[2].startswith("0x") else w[2]
    if w[0] == "encap": cur["encap"] = " ".join(w[1:])
rec = {}
for line in open(sys.argv[2]):
    w = line.split()
    if w[0] != "add": continue
    kv = dict(x.split("=", 1) for x in w[1:])
    rec[kv["dir"]] = kv
ok = set(rec) == {"in", "out"}
for d in ("in", "out"):
    if not ok: break
    r = rec[d]
    want_dst = sys.argv[3] if d == "in" else None
    spi = int(r["spi"], 16)
    st = [s for s in states if s.get("spi") == spi]
    if len(st) != 1:
        print("no xfrm state with spi", r["spi"]); ok = False; break
    s = st[0]
    if want_dst and s["dst"] != want_dst:
        print("spi", r["spi"], "goes to", s["dst"]); ok = False
    key = s.get("enc") or ""
    if "aead" in s:
        key = s["aead"]
    if key != r.get("enc", ""):
        print(d, "encryption key differs"); ok = False
    if r.get("auth") and r["auth"] != s.get("auth-trunc", s.get("auth")):
        print(d, "integrity key differs"); ok = False
    if "espinudp" not in s.get("encap", ""):
        print(d, "not UDP-encapsulated"); ok = False
print("charon's xfrm states match dmvpnd's SAs (%d)" % len(rec) if ok else "mismatch")
sys.exit(0 if ok else 1)
PY
}

# charon's keys, from its CHD log at level 4, when this kernel cannot hold
# ESP states (no CONFIG_INET_ESP: charon's SAD entries fail to install).
# WHO is the quick-mode initiator: its "initiator" keys protect its
# outbound traffic.
charon_log_matches() {
	local log=$1 rec=$2 who=$3
	python3 - "$log" "$rec" "$who" <<'PY'
import re, sys
log, rec_path, who = sys.argv[1:]
keys, cur = {}, None
for line in open(log):
    m = re.search(r"\[CHD\] (encryption|integrity) (initiator|responder) key => (\d+) bytes", line)
    if m:
        cur = (m.group(1), m.group(2)); keys[cur] = ""; continue
    m = re.search(r"\[CHD\]\s+\d+: ((?:[0-9A-F]{2} )+)", line)
    if m and cur:
        keys[cur] += m.group(1).replace(" ", "").lower(); continue
    cur = None
rec = {}
for line in open(rec_path):
    w = line.split()
    if w[0] != "add": continue
    kv = dict(x.split("=", 1) for x in w[1:])
    rec[kv["dir"]] = kv
if set(rec) != {"in", "out"} or not keys:
    print("no keys to compare (charon log or record empty)"); sys.exit(1)
# dmvpnd's outbound is the quick-mode initiator's direction when dmvpnd initiated
out_role = "initiator" if who == "dmvpnd" else "responder"
in_role = "responder" if who == "dmvpnd" else "initiator"
ok = True
for d, role in (("out", out_role), ("in", in_role)):
    if keys.get(("encryption", role)) != rec[d].get("enc"):
        print(d, "encryption key differs"); ok = False
    if rec[d].get("auth") and keys.get(("integrity", role)) != rec[d]["auth"]:
        print(d, "integrity key differs"); ok = False
print("charon's logged keys match dmvpnd's SAs" if ok else "mismatch")
sys.exit(0 if ok else 1)
PY
}

xfrm_esp_works() {
	ip netns add "ikP$$" || return 1
	ip -n "ikP$$" xfrm state add src 10.0.0.1 dst 10.0.0.2 proto esp spi 0x1000 \
		mode transport enc 'cbc(aes)' 0x00112233445566778899aabbccddeeff \
		auth-trunc 'hmac(sha1)' 0x0011223344556677889900112233445566778899 96 2>/dev/null
	local r=$?
	ip netns del "ikP$$"
	return $r
}
XFRM_ESP=0
xfrm_esp_works && XFRM_ESP=1

HAVE_CHARON=0
[[ -x $CHARON && -x $SWANCTL ]] && HAVE_CHARON=1

# start_charon NS LOCAL REMOTE IKE_PROPOSAL ESP_PROPOSAL [PSK]
start_charon() {
	local ns=$1 local=$2 remote=$3 ike=$4 esp=$5 psk=${6:-secret123}
	local dir=$W/charon-$CASE kernel=kernel-netlink aggr=no
	[[ -n ${CHARON_AGGR:-} ]] && aggr=yes
	mkdir -p "$dir"
	cat >"$dir/strongswan.conf" <<EOC
charon {
	load_modular = no
	load = random nonce openssl pem pkcs1 x509 pubkey revocation hmac kdf $kernel socket-default vici
	install_routes = no${CHARON_AGGR:+
	# strongSwan answers aggressive mode with PSK only when told so
	i_dont_care_about_security_and_use_aggressive_mode_psk = yes}
	install_virtual_ip = no
	retransmit_tries = 3
	retransmit_timeout = 1
	plugins {
		vici { socket = unix://$dir/charon.vici }
	}
	filelog {
		test {
			path = $dir/charon.log
			time_format = %T
			flush_line = yes
			default = 1
			ike = 2
			cfg = 2
			knl = 2
			chd = 4
		}
	}
	syslog { daemon { default = -1 } }
}
swanctl { load = pem pkcs1 x509 revocation constraints pubkey openssl random }
EOC
	cat >"$dir/swanctl.conf" <<EOC
connections {
	dm {
		version = 1
		local_addrs = $local
		remote_addrs = ${CHARON_REMOTE_ADDRS:-$remote}
		proposals = $ike
		encap = yes
		aggressive = $aggr
		dpd_delay = 0
		local { auth = psk
			id = $local }
		remote { auth = psk
			id = $remote }
		children {
			gre {
				mode = transport
				local_ts = ${CHARON_TS:-dynamic[gre]}
				remote_ts = ${CHARON_TS:-dynamic[gre]}
				esp_proposals = $esp
			}
		}
	}
}
secrets {
	ike-dm {
		id-a = $local
		id-b = $remote
		secret = $psk
	}
}
EOC
	# a private /run (charon.pid), its own config and vici socket
	STRONGSWAN_CONF=$dir/strongswan.conf ip netns exec "$ns" \
		unshare -m --propagation private sh -c \
		"mount -t tmpfs tmpfs /run && exec $CHARON" >"$dir/stdout" 2>&1 &
	PIDS+=($!)
	CHARON_PID=$!
	local i
	for ((i = 0; i < 50; i++)); do
		[[ -S $dir/charon.vici ]] && break
		sleep 0.1
	done
	STRONGSWAN_CONF=$dir/strongswan.conf ip netns exec "$ns" "$SWANCTL" \
		--load-all --file "$dir/swanctl.conf" --uri "unix://$dir/charon.vici" \
		>"$dir/load.txt" 2>&1
}

charon_initiate() {
	local ns=$1 dir=$W/charon-$CASE
	STRONGSWAN_CONF=$dir/strongswan.conf timeout 20 ip netns exec "$ns" "$SWANCTL" \
		--initiate --child gre --uri "unix://$dir/charon.vici" >"$dir/initiate.txt" 2>&1
}

stop_charon() {
	stop_pid "$CHARON_PID"
	ip -n "$NSB" xfrm state flush
	ip -n "$NSB" xfrm policy flush
}

N=0 FAILED=0
# want NAME: false (and a SKIP line) when IKE_ONLY excludes the test
want() {
	[[ -z $ONLY || $1 =~ $ONLY ]] && return 0
	N=$((N + 1))
	echo "ok $N $1 # SKIP not selected by IKE_ONLY"
	return 1
}
result() {	# result NAME STATUS [SKIP-REASON]
	N=$((N + 1))
	if [[ -n ${3:-} ]]; then
		echo "ok $N $1 # SKIP $3"
	elif [[ $2 == 0 ]]; then
		echo "ok $N $1"
	else
		echo "not ok $N $1"
		FAILED=$((FAILED + 1))
	fi
}

# ---- dmvpnd <-> dmvpnd ----
pair() {	# pair NAME [conf options for both]...
	local name=$1 st=0
	shift
	want "$name" || return 0
	conf "$W/a.conf" $A "$@"
	conf "$W/b.conf" $B "$@"
	start_dmvpnd "$NSB" "$W/b.conf" "$W/b.rec" "$W/b.log"; local pb=$LASTPID
	sleep 0.3
	start_dmvpnd "$NSA" "$W/a.conf" "$W/a.rec" "$W/a.log" -i $B; local pa=$LASTPID
	wait_for "$W/b.rec" "^add dir=out" 10 && wait_for "$W/a.rec" "^add dir=out" 5 || st=1
	[[ $st == 0 ]] && { records_mirror "$W/a.rec" "$W/b.rec" >"$W/cmp.txt" || st=1; diag "$W/cmp.txt"; }
	# dmvpnctl shows both ends up (state published within a second)
	wait_for_cmd 3 "show_isakmp $W/a.log | grep -Eq '^$B +$A +QM_IDLE +[0-9]+ ACTIVE'" || {
		echo "# initiator's show crypto isakmp sa:"; show_isakmp "$W/a.log" | diag /dev/stdin; st=1; }
	show_isakmp "$W/b.log" detail | grep -q "1 IPsec SA pair" || { echo "# responder's detail lacks the pair"; st=1; }
	# PAIR_LOG: a line both logs must have (the exchange that ran)
	if [[ -n ${PAIR_LOG:-} ]]; then
		if ! grep -Eq "$PAIR_LOG" "$W/a.log" || ! grep -Eq "$PAIR_LOG" "$W/b.log"; then
			echo "# not in both logs: $PAIR_LOG"; st=1
		fi
	fi
	# PAIR_STATE: a line the responder publishes for dmvpnctl
	if [[ -n ${PAIR_STATE:-} ]]; then
		wait_for "$W/b.run/isakmp-tun0" "$PAIR_STATE" 3 || {
			echo "# the responder does not publish: $PAIR_STATE"
			diag "$W/b.run/isakmp-tun0"; st=1; }
	fi
	stop_pid $pa; stop_pid $pb
	# shutdown deletes the SAs and tells the peer
	grep -q "^del dir=in" "$W/a.rec" || { echo "# no delete recorded on shutdown"; st=1; }
	sanitizer_clean "$W/a.log" "$W/b.log" || st=1
	[[ $st == 0 && $VERBOSE == 0 ]] || diag "$W/a.log" "$W/b.log"
	result "$name" $st
}

pair dmvpnd_dmvpnd
pair dmvpnd_dmvpnd_pfs_gcm group 19 ts "esp-gcm 256" pfs group20

# ---- dmvpnd <-> charon ----
charon_case() {	# NAME WHO IKE ESP [conf options]
	local name=$1 who=$2 ike=$3 esp=$4 st=0
	shift 4
	want "$name" || return 0
	CASE=$name
	if [[ $HAVE_CHARON == 0 ]]; then
		result "$name" 0 "strongSwan charon/swanctl not installed"
		return
	fi
	local p1only=0
	if [[ $who == charon && $XFRM_ESP == 0 && -n ${CHARON_P1_LOG:-} ]]; then
		# quick mode cannot finish here (below), phase 1 can: check it
		p1only=1
	elif [[ $who == charon && $XFRM_ESP == 0 ]]; then
		# charon sends QM3 only once its SAs are in the kernel
		result "$name" 0 "this kernel has no ESP in xfrm: charon cannot finish quick mode as initiator (runs in the QEMU guest)"
		return
	fi
	conf "$W/a.conf" $A "$@"
	start_charon "$NSB" $B $A "$ike" "$esp"
	if [[ $who == dmvpnd ]]; then
		start_dmvpnd "$NSA" "$W/a.conf" "$W/a.rec" "$W/a.log" -i $B
	else
		start_dmvpnd "$NSA" "$W/a.conf" "$W/a.rec" "$W/a.log"
		sleep 0.3
		# (phase 1 only: the child fails to install, swanctl says so)
		charon_initiate "$NSB" || [[ $p1only == 1 ]] || st=1
	fi
	local pa=$LASTPID
	# CHARON_P1_LOG: what dmvpnd's log must say of phase 1
	if [[ -n ${CHARON_P1_LOG:-} ]]; then
		wait_for "$W/a.log" "$CHARON_P1_LOG" 15 || { echo "# dmvpnd did not log: $CHARON_P1_LOG"; st=1; }
		wait_for "$W/charon-$CASE/charon.log" "IKE_SA dm\[[0-9]+\] established" 5 ||
			{ echo "# charon did not establish its IKE_SA"; st=1; }
	fi
	if [[ $p1only == 1 ]]; then
		echo "this kernel has no ESP in xfrm: phase 1 checked, quick mode runs in the QEMU guest" >"$W/cmp.txt"
	else
		wait_for "$W/a.rec" "^add dir=out" 15 || st=1
		# charon derives and logs its keys when it installs (after QM3)
		wait_for "$W/charon-$CASE/charon.log" "adding outbound ESP SA" 10 || st=1
	fi
	if [[ $p1only == 1 ]]; then
		:
	elif [[ $st == 0 && $XFRM_ESP == 1 ]]; then
		xfrm_matches "$NSB" "$W/a.rec" $A >"$W/cmp.txt" || st=1
	elif [[ $st == 0 ]]; then
		echo "this kernel has no ESP in xfrm: comparing charon's logged keys" >"$W/cmp.txt"
		charon_log_matches "$W/charon-$CASE/charon.log" "$W/a.rec" $who >>"$W/cmp.txt" || st=1
	fi
	[[ -e $W/cmp.txt ]] && diag "$W/cmp.txt"
	rm -f "$W/cmp.txt"
	stop_pid $pa
	sanitizer_clean "$W/a.log" || st=1
	[[ $st == 0 && $VERBOSE == 0 ]] || diag "$W/a.log" "$W/charon-$CASE/charon.log"
	stop_charon
	result "$name" $st
}

charon_case charon_responder dmvpnd aes256-sha256-modp2048 aes256-sha256
charon_case charon_initiator charon aes256-sha256-modp2048 aes256-sha256
charon_case charon_pfs_3des dmvpnd 3des-sha1-modp2048 3des-sha1-modp3072 \
	enc 3des hash sha ts "esp-3des esp-sha-hmac" pfs group15
charon_case charon_gcm dmvpnd aes128-sha384-ecp384 aes128gcm16-ecp256 \
	enc "aes 128" hash sha384 group 20 ts "esp-gcm 128" pfs group19

# ---- diagnostics ----
diag_case() {	# NAME LOGSIDE REGEX... -- conf-a... -- conf-b...
	local name=$1 side=$2 st=0
	shift 2
	want "$name" || return 0
	local -a pats=() ca=() cb=()
	while [[ $1 != -- ]]; do pats+=("$1"); shift; done; shift
	while [[ $1 != -- ]]; do ca+=("$1"); shift; done; shift
	cb=("$@")
	conf "$W/a.conf" $A "${ca[@]}"
	conf "$W/b.conf" $B "${cb[@]}"
	start_dmvpnd "$NSB" "$W/b.conf" "$W/b.rec" "$W/b.log"; local pb=$LASTPID
	sleep 0.3
	start_dmvpnd "$NSA" "$W/a.conf" "$W/a.rec" "$W/a.log" -i $B; local pa=$LASTPID
	for p in "${pats[@]}"; do
		wait_for "$W/$side.log" "$p" 12 || { echo "# missing: $p"; st=1; }
	done
	# the same failure, where an operator looks afterwards
	local peer=$A
	[[ $side == a ]] && peer=$B
	wait_for_cmd 3 "[[ \$(failure_code $W/$side.log $peer) == $DIAG_FAIL ]]" || {
		echo "# show crypto isakmp failures on $side: not $DIAG_FAIL for $peer:"
		DMVPN_RUN_DIR=$W/$side.run "$CTL" show crypto isakmp failures 2>&1 | diag /dev/stdin; st=1; }
	if [[ -n ${DIAG_STATE:-} ]]; then
		# what "show crypto isakmp sa" says meanwhile (IOS: MM_KEY_EXCH)
		wait_for_cmd 3 "show_isakmp $W/a.log | grep -q ' $DIAG_STATE '" || {
			echo "# initiator not shown in $DIAG_STATE:"; show_isakmp "$W/a.log" | diag /dev/stdin; st=1; }
	fi
	# and nothing was installed
	[[ -s $W/a.rec || -s $W/b.rec ]] && { echo "# SAs installed despite the mismatch"; st=1; }
	stop_pid $pa; stop_pid $pb
	sanitizer_clean "$W/a.log" "$W/b.log" || st=1
	[[ $st == 0 && $VERBOSE == 0 ]] || diag "$W/a.log" "$W/b.log"
	result "$name" $st
}

DIAG_STATE=MM_KEY_EXCH DIAG_FAIL=psk-mismatch diag_case diag_psk_mismatch b \
	"IKE message from $A failed its sanity check or is malformed" \
	-- key secret123 -- key other456
DIAG_FAIL=phase1-no-proposal diag_case diag_policy_mismatch b \
	"Hash algorithm offered does not match policy!" "no offers accepted!" \
	-- hash sha384 -- hash sha256
DIAG_FAIL=phase2-no-proposal diag_case diag_transform_set_mismatch b \
	"all IPsec SA proposals found unacceptable!" \
	-- ts "esp-aes 128 esp-sha-hmac" -- ts "esp-aes 256 esp-sha256-hmac"

# proxy identities other than host/47/host: charon offering ICMP
if ! want diag_proxy_identity; then
	:
elif [[ $HAVE_CHARON == 0 ]]; then
	result diag_proxy_identity 0 "strongSwan charon/swanctl not installed"
else
	st=0
	CASE=diag_proxy_identity
	conf "$W/a.conf" $A
	start_charon "$NSB" $B $A aes256-sha256-modp2048 aes256-sha256
	sed -i 's/dynamic\[gre\]/dynamic[icmp]/g' "$W/charon-$CASE/swanctl.conf"
	STRONGSWAN_CONF=$W/charon-$CASE/strongswan.conf ip netns exec "$NSB" "$SWANCTL" \
		--load-all --file "$W/charon-$CASE/swanctl.conf" \
		--uri "unix://$W/charon-$CASE/charon.vici" >/dev/null 2>&1
	start_dmvpnd "$NSA" "$W/a.conf" "$W/a.rec" "$W/a.log"; pa=$LASTPID
	sleep 0.3
	charon_initiate "$NSB"
	wait_for "$W/a.log" "proxy identities not supported" 10 || st=1
	wait_for_cmd 3 "[[ \$(failure_code $W/a.log $B) == proxy-id ]]" || { echo "# no proxy-id failure shown"; st=1; }
	[[ -s $W/a.rec ]] && st=1
	stop_pid $pa
	sanitizer_clean "$W/a.log" || st=1
	[[ $st == 0 && $VERBOSE == 0 ]] || diag "$W/a.log"
	stop_charon
	result diag_proxy_identity $st
fi

# peer not responding: nobody at 10.99.0.3
if want diag_peer_not_responding; then
st=0
conf "$W/a.conf" $A
start_dmvpnd "$NSA" "$W/a.conf" "$W/a.rec" "$W/a.log" -i 10.99.0.3; pa=$LASTPID
wait_for "$W/a.log" "retransmitting phase 1 MM_NO_STATE" 5 || st=1
wait_for "$W/a.log" "peer 10.99.0.3 not responding!" 12 || st=1
wait_for "$W/a.log" "Death by retransmission P1" 2 || st=1
wait_for_cmd 3 "[[ \$(failure_code $W/a.log 10.99.0.3) == peer-not-responding ]]" ||
	{ echo "# no peer-not-responding failure shown"; st=1; }
stop_pid $pa
sanitizer_clean "$W/a.log" || st=1
[[ $st == 0 && $VERBOSE == 0 ]] || diag "$W/a.log"
result diag_peer_not_responding $st
fi

# malformed datagrams, then a good handshake still completes
if want malformed_datagrams; then
st=0
conf "$W/a.conf" $A
conf "$W/b.conf" $B
start_dmvpnd "$NSB" "$W/b.conf" "$W/b.rec" "$W/b.log"; pb=$LASTPID
sleep 0.3
ip netns exec "$NSA" python3 - $B <<'PY'
import os, random, socket, struct, sys
dst = sys.argv[1]
random.seed(6)
s5 = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s45 = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
hdr = os.urandom(8) + bytes(8) + bytes([1, 0x10, 2, 0]) + bytes(4)
cases = [b"", b"\x00", hdr, hdr + struct.pack(">I", 2000),
         hdr[:16] + bytes([1, 0x10, 2, 0]) + bytes(4) + struct.pack(">I", 40) + b"\x00\x00\x00\x08" + bytes(8),
         hdr + struct.pack(">I", 36) + b"\x00\x01\x00\x03" + bytes(4)]
for i in range(300):
    n = random.randint(28, 400)
    b = bytearray(os.urandom(n)); b[17] = 0x10; b[8:16] = bytes(8); b[18] = 2; b[20:24] = bytes(4)
    b[24:28] = struct.pack(">I", n)
    cases.append(bytes(b))
for c in cases:
    s5.sendto(c, (dst, 500))
    s45.sendto(b"\x00\x00\x00\x00" + c, (dst, 4500))
    s45.sendto(b"\xff", (dst, 4500))
PY
sleep 0.5
start_dmvpnd "$NSA" "$W/a.conf" "$W/a.rec" "$W/a.log" -i $B; pa=$LASTPID
wait_for "$W/b.rec" "^add dir=out" 10 || st=1
kill -0 $pb 2>/dev/null || st=1
grep -q "dropped packet from $A" "$W/b.log" || { echo "# no drop logged"; st=1; }
stop_pid $pa; stop_pid $pb
sanitizer_clean "$W/a.log" "$W/b.log" || st=1
[[ $st == 0 && $VERBOSE == 0 ]] || diag "$W/b.log"
result malformed_datagrams $st
fi

# Two spokes behind one PAT address (seeds 000/001): MASQUERADE in a
# router namespace, real NAT detection (force-encap off), the hub keys
# both, at different translated ports, and each pair mirrors.
nat_case() {
	local st=0 nsr=ikR$$ ns1=ikS1$$ ns2=ikS2$$ i
	if [[ -n $ONLY && ! nat_two_spokes_one_pat =~ $ONLY && ! nat_charon_hub =~ $ONLY ]]; then
		want nat_two_spokes_one_pat
		want nat_charon_hub
		return 0
	fi
	if ! command -v nft >/dev/null; then
		result nat_two_spokes_one_pat 0 "nft not installed"
		result nat_charon_hub 0 "nft not installed"
		return
	fi
	ip netns add $nsr && ip netns add $ns1 && ip netns add $ns2 || st=1
	ip link add ikr0 netns $nsr type veth peer name ikh1 netns "$NSB"
	ip -n "$NSB" addr add 10.98.0.2/24 dev ikh1
	ip -n "$NSB" link set ikh1 up
	ip -n $nsr addr add 10.98.0.254/24 dev ikr0
	ip -n $nsr link set ikr0 up
	for i in 1 2; do
		local ns=ikS$i$$
		ip link add ikr$i netns $nsr type veth peer name iks netns $ns
		ip -n $nsr addr add 192.168.7$i.254/24 dev ikr$i
		ip -n $nsr link set ikr$i up
		ip -n $ns addr add 192.168.7$i.1/24 dev iks
		ip -n $ns link set iks up
		ip -n $ns link set lo up
		ip -n $ns route add default via 192.168.7$i.254
	done
	ip netns exec $nsr sysctl -qw net.ipv4.ip_forward=1
	ip netns exec $nsr nft -f - <<EON || st=1
table ip nat {
	chain post {
		type nat hook postrouting priority 100;
		oifname "ikr0" masquerade
	}
}
EON
	conf "$W/h.conf" 10.98.0.2 extra "no crypto isakmp nat force-encap"
	conf "$W/s1.conf" 192.168.71.1 extra "no crypto isakmp nat force-encap"
	conf "$W/s2.conf" 192.168.72.1 extra "no crypto isakmp nat force-encap"
	start_dmvpnd "$NSB" "$W/h.conf" "$W/h.rec" "$W/h.log"; local ph=$LASTPID
	sleep 0.3
	start_dmvpnd $ns1 "$W/s1.conf" "$W/s1.rec" "$W/s1.log" -i 10.98.0.2; local p1=$LASTPID
	start_dmvpnd $ns2 "$W/s2.conf" "$W/s2.rec" "$W/s2.log" -i 10.98.0.2; local p2=$LASTPID
	wait_for "$W/s1.rec" "^add dir=out" 10 && wait_for "$W/s2.rec" "^add dir=out" 10 || st=1
	sleep 0.3
	python3 - "$W/h.rec" "$W/s1.rec" "$W/s2.rec" <<'PY' >"$W/cmp.txt" || st=1
import sys
def load(p):
    out = []
    for line in open(p):
        w = line.split()
        if w[0] == "add":
            out.append(dict(x.split("=", 1) for x in w[1:]))
    return out
hub, s1, s2 = (load(p) for p in sys.argv[1:])
ok = len(hub) == 4
ports = {r["port"] for r in hub}
if len(ports) != 2:
    print("hub sees", ports, "(want two translated ports)"); ok = False
if any(r["peer"] != "10.98.0.254" for r in hub):
    print("hub peers not the PAT address"); ok = False
for s in (s1, s2):
    by_dir = {r["dir"]: r for r in s}
    match = [h for h in hub if h["dir"] == "in" and h["spi"] == by_dir.get("out", {}).get("spi")]
    if not match or match[0]["enc"] != by_dir["out"]["enc"] or by_dir["out"].get("encap") != "yes":
        print("a spoke's pair does not mirror the hub's"); ok = False
print("two spokes behind one PAT address: keyed at ports %s" % sorted(ports) if ok else "mismatch")
sys.exit(0 if ok else 1)
PY
	diag "$W/cmp.txt"
	grep -q "the peer is behind a NAT" "$W/h.log" || { echo "# hub did not detect the NAT"; st=1; }
	grep -q "we are behind a NAT" "$W/s1.log" || { echo "# spoke1 did not detect its NAT"; st=1; }
	stop_pid $p1; stop_pid $p2; stop_pid $ph
	sanitizer_clean "$W/h.log" "$W/s1.log" "$W/s2.log" || st=1
	[[ $st == 0 && $VERBOSE == 0 ]] || diag "$W/h.log" "$W/s1.log" "$W/s2.log"
	if [[ -z $ONLY || nat_two_spokes_one_pat =~ $ONLY ]]; then
		result nat_two_spokes_one_pat $st
	else
		want nat_two_spokes_one_pat
	fi
	# the same spoke behind the NAT, now to charon as the hub (it sees
	# the spoke's private address as its identity, and a NAT)
	if want nat_charon_hub; then
		local st2=0
		if [[ $HAVE_CHARON == 0 ]]; then
			result nat_charon_hub 0 "strongSwan charon/swanctl not installed"
		else
			CASE=nat_charon_hub
			CHARON_REMOTE_ADDRS=%any start_charon "$NSB" 10.98.0.2 192.168.71.1 \
				aes256-sha256-modp2048 aes256-sha256 secret123
			start_dmvpnd $ns1 "$W/s1.conf" "$W/s1c.rec" "$W/s1c.log" -i 10.98.0.2
			p1=$LASTPID
			wait_for "$W/s1c.rec" "^add dir=out" 15 || st2=1
			wait_for "$W/charon-$CASE/charon.log" "adding outbound ESP SA" 10 || st2=1
			grep -q "remote host is behind NAT" "$W/charon-$CASE/charon.log" ||
				{ echo "# charon did not see the NAT"; st2=1; }
			if [[ $st2 == 0 && $XFRM_ESP == 1 ]]; then
				xfrm_matches "$NSB" "$W/s1c.rec" 10.98.0.254 >"$W/cmp.txt" || st2=1
			elif [[ $st2 == 0 ]]; then
				charon_log_matches "$W/charon-$CASE/charon.log" "$W/s1c.rec" dmvpnd >"$W/cmp.txt" || st2=1
			fi
			[[ -e $W/cmp.txt ]] && diag "$W/cmp.txt"
			rm -f "$W/cmp.txt"
			stop_pid $p1
			sanitizer_clean "$W/s1c.log" || st2=1
			[[ $st2 == 0 && $VERBOSE == 0 ]] || diag "$W/s1c.log" "$W/charon-$CASE/charon.log"
			stop_charon
			result nat_charon_hub $st2
		fi
	fi
	ip netns del $nsr; ip netns del $ns1; ip netns del $ns2
}
nat_case

# ---- SIGHUP reload ----
# What the new file still covers stays up; a broken file or a moved
# tunnel is refused with the reason and changes nothing; a new transform
# set deletes the pair it no longer allows (on both ends, by a delete
# notification), a new key the ISAKMP SA it authenticated.
reload_case() {
	local st=0 pa pb
	want reload_sighup || return 0
	conf "$W/a.conf" $A
	conf "$W/b.conf" $B
	start_dmvpnd "$NSB" "$W/b.conf" "$W/b.rec" "$W/b.log"; pb=$LASTPID
	sleep 0.3
	start_dmvpnd "$NSA" "$W/a.conf" "$W/a.rec" "$W/a.log" -i $B; pa=$LASTPID
	wait_for "$W/b.rec" "^add dir=out" 10 && wait_for "$W/a.rec" "^add dir=out" 5 ||
		{ echo "# no SAs to begin with"; st=1; }
	# 1. an unrelated change (one more peer key, another retransmit)
	conf "$W/b.conf" $B extra "crypto isakmp key other address 10.77.0.0 255.255.0.0"
	kill -HUP $pb
	wait_for "$W/b.log" "reloaded .*1 IPsec SA pair kept, 0 SAs deleted" 5 ||
		{ echo "# unrelated change: no 'reloaded ... kept' line"; st=1; }
	# 2. a broken file: refused, names the line
	printf 'crypto isakmp policy 10\n encr blowfish\n' >"$W/b.conf"
	kill -HUP $pb
	wait_for "$W/b.log" "reload refused, old config kept: .*b.conf:2: " 5 ||
		{ echo "# broken file: no refusal naming line 2"; st=1; }
	# 3. a moved tunnel: refused
	conf "$W/b.conf" $B
	sed -i "s/tunnel source $B/tunnel source 10.99.0.9/" "$W/b.conf"
	kill -HUP $pb
	wait_for "$W/b.log" "reload refused, old config kept: .*tunnel source changed \\($B -> 10.99.0.9\\); restart dmvpnd" 5 ||
		{ echo "# moved tunnel: no refusal"; st=1; }
	grep -q "^del" "$W/b.rec" "$W/a.rec" && { echo "# an SA went on a kept or refused reload"; st=1; }
	show_isakmp "$W/b.log" | grep -Eq "^$B +$A +QM_IDLE" ||
		{ echo "# ISAKMP SA not up after the kept reloads"; st=1; }
	# 4. another transform set: the pair goes on both ends
	conf "$W/b.conf" $B ts "esp-3des esp-sha-hmac"
	kill -HUP $pb
	wait_for "$W/b.log" "deleting SA 0x[0-9A-F]+/0x[0-9A-F]+ with $A after reload: no transform set of profile P has esp-256-aes esp-sha256-hmac, transport mode any more" 5 ||
		{ echo "# new transform set: the pair was not deleted with the reason"; st=1; }
	wait_for "$W/b.rec" "^del dir=in" 3 || { echo "# responder kept the pair"; st=1; }
	wait_for "$W/a.rec" "^del dir=in" 3 || { echo "# the peer was not told"; st=1; }
	# 5. another key: the ISAKMP SA goes
	conf "$W/b.conf" $B key n3wkey ts "esp-3des esp-sha-hmac"
	kill -HUP $pb
	wait_for "$W/b.log" "ISAKMP: deleting SA C-id [0-9]+ with $A after reload: the peer's pre-shared key changed" 5 ||
		{ echo "# new key: the ISAKMP SA was not deleted"; st=1; }
	wait_for_cmd 3 "! show_isakmp $W/a.log | grep -q QM_IDLE" ||
		{ echo "# the peer kept its ISAKMP SA"; st=1; }
	stop_pid $pa; stop_pid $pb
	sanitizer_clean "$W/a.log" "$W/b.log" || st=1
	[[ $st == 0 && $VERBOSE == 0 ]] || diag "$W/a.log" "$W/b.log"
	result reload_sighup $st
}
reload_case

# ---- aggressive mode (off by default) ----
AM_R="crypto isakmp aggressive-mode"
# AM_I PEER: initiate aggressive mode to PEER
AM_I() { printf 'crypto isakmp peer address %s\n set aggressive-mode' "$1"; }

# both ends answer aggressive mode and initiate it to each other
PAIR_LOG="phase 1 complete with .* \(aggressive mode\)" \
	pair dmvpnd_dmvpnd_aggressive extra "$AM_R
$(AM_I $A)
$(AM_I $B)"
# dmvpnd initiates aggressive mode, charon answers
CHARON_AGGR=1 CHARON_P1_LOG="phase 1 complete with $B \(aggressive mode\)" \
	charon_case charon_am_responder dmvpnd aes256-sha256-modp2048 aes256-sha256 \
	extra "$(AM_I $B)"
# charon initiates aggressive mode; dmvpnd answers and logs how AM3 came
CHARON_AGGR=1 CHARON_P1_LOG="AM3 from port 4500, encrypted" \
	charon_case charon_am_initiator charon aes256-sha256-modp2048 aes256-sha256 \
	extra "$AM_R"
# an aggressive-mode offer to a dmvpnd that has it off (the default)
DIAG_STATE=AG_INIT_EXCH DIAG_FAIL=aggressive-refused diag_case diag_aggressive_refused b \
	"%CRYPTO-4-IKMP_AGGR_REFUSED: aggressive mode offered by $A, refused" \
	-- extra "$(AM_I $B)" --

# ---- ISAKMP profiles and keyrings (seed 004's hub) ----
L2L="crypto keyring spokes
 pre-shared-key address 10.99.0.0 255.255.255.0 key secret123
crypto isakmp profile L2L
 keyring spokes
 match identity address 0.0.0.0"
PAIR_LOG="peer matches L2L profile" \
	pair dmvpnd_dmvpnd_isakmp_profile extra "$L2L"
# the responder's only profile is for another network: refused, named
DIAG_FAIL=isakmp-profile diag_case diag_isakmp_profile b \
	"peer $A \(identity $A, type 1\) does not match any isakmp profile" \
	-- -- extra "crypto isakmp profile OTHER
 match identity address 10.98.0.0 255.255.0.0"

# ---- subnet proxy identities ("set proxy-identity", a dmvpnd extension) ----
PROXY=" set proxy-identity local 10.99.0.0/24 remote 10.99.0.0 255.255.255.0"
# both ends: the initiator proposes the subnets, the responder accepts
# and publishes them (what "show crypto ipsec sa" prints)
PAIR_STATE="^ipsec if=tun0 peer=$A .* local_id=10\.99\.0\.0/24,47,0 remote_id=10\.99\.0\.0/24,47,0" \
	pair dmvpnd_dmvpnd_proxy_identity prof "$PROXY"
# only the initiator has them: the responder refuses, says what came
# and what it takes
DIAG_FAIL=proxy-id diag_case diag_proxy_identity_one_side b \
	"proxy identities local 10\.99\.0\.0/255\.255\.255\.0/47/0 remote 10\.99\.0\.0/255\.255\.255\.0/47/0 refused: profile P has no \"set proxy-identity\" for subnets; profile P accepts host/47/host" \
	-- prof "$PROXY" --

# charon answers for subnets (local_ts/remote_ts 10.99.0.0/24[gre]):
# dmvpnd proposes them, charon accepts them and (transport mode) returns
# the two endpoints, a narrowing within the offer that dmvpnd takes;
# the keys agree
CHARON_TS="10.99.0.0/24[gre]" CHARON_P1_LOG="the peer narrowed the proxy identities to local $A/255\.255\.255\.255/47/0 remote $B/" \
	charon_case charon_proxy_identity dmvpnd aes256-sha256-modp2048 aes256-sha256 \
	prof "$PROXY"

echo "# ${#TESTS[@]} tests, $((N - FAILED)) passed, $FAILED failed"
exit $((FAILED > 0))
