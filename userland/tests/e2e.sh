#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# End-to-end test of dmvpnctl, link_dmvpn.so and rtnl_raw.py against the
# real module.  Needs root and the dmvpn module loaded (or loadable with
# modprobe); runs in a private network namespace.  Prints KTAP v1.
#
#   userland/tests/e2e.sh [-v]      (-v: show every command's output)

set -u
HERE=$(cd "$(dirname "$0")" && pwd)
U=$(dirname "$HERE")
ROOT=$(dirname "$U")
C=$U/dmvpnctl
RAW=$ROOT/selftests/tools/rtnl_raw.py
export IP_LIB_DIR=$U
VERBOSE=${VERBOSE:-0}
[[ ${1:-} == -v ]] && VERBOSE=1

if [[ -z ${DMVPN_E2E_NETNS:-} ]]; then
	if [[ ! -d /sys/module/dmvpn ]] && ! modprobe dmvpn 2>/dev/null; then
		echo "KTAP version 1"
		echo "1..0 # SKIP dmvpn module not loaded"
		exit 0
	fi
	export DMVPN_E2E_NETNS=1 VERBOSE
	exec unshare -n "$0" "$@"
fi

for bin in "$C" "$U/link_dmvpn.so"; do
	[[ -e $bin ]] || { echo "e2e.sh: $bin missing: make -C $U" >&2; exit 2; }
done

N=0 FAILED=0
SKIP=''		# set: the tests that follow are reported as skipped, not run
OUT=$(mktemp)
trap 'rm -f "$OUT" "$OUT".*' EXIT

# t NAME RC [+TEXT|-TEXT|~REGEX]... -- CMD...: run CMD, expect exit status
# RC ("!0" = any failure), and output with (+) or without (-) TEXT, or
# matching the extended REGEX (~).
t() {
	local name=$1 want=$2 rc ok=1 why=''
	local -a checks=()
	if [[ -n $SKIP ]]; then
		N=$((N + 1))
		echo "ok $N $name # SKIP $SKIP"
		return
	fi
	shift 2
	while [[ $1 != -- ]]; do checks+=("$1"); shift; done
	shift
	"$@" >"$OUT" 2>&1
	rc=$?
	if [[ $want == '!0' ]]; then
		((rc != 0)) || { ok=0; why="exit 0, wanted a failure"; }
	elif ((rc != want)); then
		ok=0 why="exit $rc, wanted $want"
	fi
	local c
	for c in "${checks[@]}"; do
		case $c in
		+*) grep -qF -- "${c#+}" "$OUT" || { ok=0; why+="${why:+; }missing \"${c#+}\""; } ;;
		-*) ! grep -qF -- "${c#-}" "$OUT" || { ok=0; why+="${why:+; }unexpected \"${c#-}\""; } ;;
		~*) grep -qE -- "${c#\~}" "$OUT" || { ok=0; why+="${why:+; }no match for /${c#\~}/"; } ;;
		esac
	done
	N=$((N + 1))
	if ((ok == 0 || VERBOSE)); then
		echo "# \$ $*"
		sed 's/^/# /' "$OUT"
	fi
	if ((ok)); then
		echo "ok $N $name"
	else
		echo "# $why"
		echo "not ok $N $name"
		FAILED=$((FAILED + 1))
	fi
}

# j NAME PYEXPR -- CMD...: CMD's stdout parsed as JSON into d; PYEXPR true
j() {
	local name=$1 expr=$2
	shift 3
	t "$name" 0 -- python3 -c '
import json, subprocess, sys
d = json.loads(subprocess.run(sys.argv[2:], capture_output=True, text=True, check=True).stdout)
ok = eval(sys.argv[1])
print(json.dumps(d)[:2000])
sys.exit(0 if ok else 1)' "$expr" "$@"
}

echo "KTAP version 1"
echo "1..$(grep -cE "^(t|j) " "$0")"

ip link set lo up
ip addr add 172.16.10.1/24 dev lo

# ---- iproute2 plugin
t plugin_help 0 +"dmvpn local ADDR" -- ip link help dmvpn
t plugin_local_required '!0' +"Error:" -- ip link add t0 type dmvpn
t plugin_bad_keyword '!0' +'unknown option "frob"' -- ip link add t0 type dmvpn local 10.0.0.1 frob
t plugin_mixed_families '!0' +"different address families" -- \
	ip link add t0 type dmvpn local 10.0.0.1 remote 2001:db8::1
t plugin_add_hub 0 -- ip link add Tunnel0 type dmvpn local 172.16.10.1 key 1 ttl 64 tos inherit dev lo
t plugin_show_hub 0 +"dmvpn local 172.16.10.1 key 1 ttl 64 tos inherit dev lo" -- ip -d link show Tunnel0
j plugin_json 'd[0]["linkinfo"]["info_data"] == {"local": "172.16.10.1", "key": 1, "ttl": 64, "tos": "inherit", "link": "lo", "protect": False}' \
	-- ip -d -j link show Tunnel0
t plugin_add_spoke 0 -- ip link add tun1 type dmvpn local 172.16.10.1 remote 172.16.1.1 key 0.0.0.2 tos 10
t plugin_show_spoke 0 +"dmvpn local 172.16.10.1 remote 172.16.1.1 key 2 ttl inherit tos 0x10" -- ip -d link show tun1
t plugin_nokey 0 -- ip link set tun1 type dmvpn nokey
t plugin_nokey_shown 0 -"key" -- ip -d link show tun1
ip link set Tunnel0 up
ip addr add 10.1.1.254/24 dev Tunnel0

# ---- dmvpnctl
"$C" -j monitor >"$OUT.mon" 2>&1 &
MON=$!
sleep 0.5
t map_add 0 -- "$C" nhrp map add dev Tunnel0 10.1.1.1/32 172.16.1.1
t map_add_default_plen 0 -- "$C" nhrp map add dev Tunnel0 10.1.1.2 172.16.1.1
t map_add_port 0 -- "$C" nhrp map add dev Tunnel0 10.1.1.3 172.16.3.1 port 4500
t map_add_v6_over_v4 0 -- "$C" nhrp map add dev Tunnel0 2001:db8:1::1 172.16.1.1
t map_add_spoke 0 -- "$C" nh m a dev tun1 10.1.1.254 172.16.10.1
t map_add_replaces 0 -- "$C" nhrp map add dev Tunnel0 10.1.1.2 172.16.2.1
t map_bad_plen 2 +'"10.1.1.1/33"' -- "$C" nhrp map add dev Tunnel0 10.1.1.1/33 172.16.1.1
t map_no_device 1 +'"nosuch"' -- "$C" nhrp map add dev nosuch 10.1.1.1 172.16.1.1
t map_not_dmvpn 1 ~'^dmvpnctl: .+' -- "$C" nhrp map add dev lo 10.1.1.1 172.16.1.1
t show_ip_nhrp 0 +"10.1.1.1/32 via 10.1.1.1" ~"^   Tunnel0 created 00:0[0-9]:[0-5][0-9]," +"never expire" \
	+"   Type: static, Flags:" +"   NBMA address: 172.16.3.1, port 4500" +"   tun1 created" \
	+"2001:db8:1::1/128 via 2001:db8:1::1" -- "$C" show ip nhrp
t show_ip_nhrp_one 0 +"10.1.1.3/32 via" -"10.1.1.1/32" -- "$C" sh ip nh dev Tunnel0 10.1.1.3
t show_ip_nhrp_missing 1 ~'^dmvpnctl: .+' -- "$C" show ip nhrp dev Tunnel0 10.1.1.99
j show_ip_nhrp_json 'len(d) == 4 and {e["proto_addr"] for e in d} == {"10.1.1.1", "10.1.1.2", "10.1.1.3", "2001:db8:1::1"} and all(e["type"] == "static" and e["expires"] is None for e in d)' \
	-- "$C" -j show ip nhrp dev Tunnel0
t show_dmvpn 0 +"Interface: Tunnel0, IPv4 NHRP Details" +"Type:Hub, NHRP Peers:3," \
	~'^     1      172\.16\.1\.1        10\.1\.1\.1    UP 00:0[0-9]:[0-5][0-9]     S$' \
	~'^     1      172\.16\.2\.1        10\.1\.1\.2    UP' \
	~'^     1 172\.16\.3\.1:4500        10\.1\.1\.3    UP' \
	+"Interface: Tunnel0, IPv6 NHRP Details" +"Interface: tun1, IPv4 NHRP Details" +"Type:Spoke, NHRP Peers:1," \
	-- "$C" show dmvpn
t show_dmvpn_detail 0 +"Interface Tunnel0 is up/up, Addr. is 10.1.1.254" +"172.16.10.1/MGRE" +"10.1.1.3/32" \
	+"Type:Hub, Total NBMA Peers (v4/v6): 3" ~'^    2      172\.16\.1\.1 ' \
	-- "$C" show dmvpn detail
j show_dmvpn_json 'd[0]["type"] == "hub" and d[0]["nhrp_peers"] == 3 and len(d[0]["peers"]) == 4 and d[0]["peers"][0]["ent"] == 2' \
	-- "$C" -j show dmvpn dev Tunnel0
t show_interface 0 +"Tunnel0 is up/up, dmvpn tunnel" +"Tunnel key 1" +"Tunnel TTL 64, TOS inherit" \
	+"rx_key_mismatch" -- "$C" show interface Tunnel0
j show_interface_json 'd[0]["key"] == 1 and d[0]["remote"] is None and "tx_no_nhrp" in d[0]["stats"]' \
	-- "$C" -j show interface Tunnel0
t map_del 0 -- "$C" nhrp map del dev Tunnel0 10.1.1.2
t map_del_again 1 ~'^dmvpnctl: .+' -- "$C" nhrp map del dev Tunnel0 10.1.1.2
t clear_keeps_static 0 -- "$C" clear ip nhrp
j after_clear 'len(d) == 4' -- "$C" -j show ip nhrp
t flush_all 0 -- "$C" nhrp flush dev Tunnel0 all
j after_flush 'len(d) == 1 and d[0]["ifname"] == "tun1"' -- "$C" -j show ip nhrp
sleep 0.5
kill -INT $MON
wait $MON
t monitor_events "$?" +'{"event":"new","ifname":"Tunnel0","ifindex":' +'"proto_addr":"10.1.1.3"' \
	+'"nbma_port":4500' +'{"event":"del"' -- cat "$OUT.mon"

# ---- NHRP protocol: configuration, NHS, multicast maps, counters
# (skipped on modules without the NHRP commands: genetlink says EOPNOTSUPP)
ip link add Tunnel5 type dmvpn local 172.16.10.1 key 5
ip link set Tunnel5 up
ip addr add 10.5.5.1/24 dev Tunnel5
if ! "$C" show ip nhrp nhs dev Tunnel5 >"$OUT" 2>&1 &&
	grep -q "does not support this command" "$OUT"; then
	SKIP="module without the NHRP commands"
fi
t nhrp_set 0 -- "$C" nhrp set dev Tunnel5 network-id 1 holdtime 300 authentication NHRPAUTH \
	map-multicast-dynamic
t nhrp_set_bad_holdtime 2 +'holdtime "0"' -- "$C" nhrp set dev Tunnel5 holdtime 0
t nhrp_set_no_device 1 +'"nosuch"' -- "$C" nhrp set dev nosuch redirect
t show_interface_nhrp 0 +"NHRP network-id 1, holdtime 300 s" +"NHRP authentication set" \
	+"map multicast dynamic on" -"NHRPAUTH" -- "$C" show interface Tunnel5
j show_interface_nhrp_json 'd[0]["nhrp"]["network_id"] == 1 and d[0]["nhrp"]["holdtime"] == 300 and d[0]["nhrp"]["authentication"] is True and d[0]["nhs"] == [] and "nhrp_stats" in d[0]' \
	-- "$C" -j show interface Tunnel5
t nhs_add 0 -- "$C" nhrp nhs add dev Tunnel5 10.5.5.254 nbma 172.16.10.9 priority 1
t nhs_add_mapped 0 -- "$C" nhrp nhs add dev Tunnel5 10.5.5.253
t show_nhs 0 +"Legend: E=Expecting replies, R=Responding, W=Waiting" +"Tunnel5:" \
	~'^10\.5\.5\.254 (W|E|RE) NBMA Address: 172\.16\.10\.9 priority = 1 cluster = 0$' \
	~'^10\.5\.5\.253 (W|E|RE) priority = 0 cluster = 0$' -- "$C" show ip nhrp nhs
t show_nhs_detail 0 ~'req-sent [0-9]+  repl-recv [0-9]+' -- "$C" sh ip nh nhs dev Tunnel5 det
j show_nhs_json 'len(d) == 2 and {n["proto_addr"] for n in d} == {"10.5.5.254", "10.5.5.253"} and all(n["state"] in ("waiting", "expecting", "responding") for n in d)' \
	-- "$C" -j show ip nhrp nhs dev Tunnel5
t show_dmvpn_spoke 0 +"Interface: Tunnel5, IPv4 NHRP Details" +"Type:Spoke," -- "$C" show dmvpn dev Tunnel5
t show_dmvpn_detail_nhs 0 +"IPv4 NHS:" ~'^10\.5\.5\.254 (W|E|RE) ' -- "$C" show dmvpn dev Tunnel5 detail
t nhs_del 0 -- "$C" nhrp nhs del dev Tunnel5 10.5.5.253
t nhs_del_again 1 ~'^dmvpnctl: .+' -- "$C" nhrp nhs del dev Tunnel5 10.5.5.253
j after_nhs_del 'len(d) == 1 and d[0]["proto_addr"] == "10.5.5.254"' -- "$C" -j show ip nhrp nhs dev Tunnel5
t mcast_add 0 -- "$C" nhrp map multicast add dev Tunnel5 172.16.5.9
t show_mcast 0 +"  I/F     NBMA address" ~'^Tunnel5 +172\.16\.5\.9 +Flags: static$' -- "$C" show ip nhrp multicast
t mcast_del 0 -- "$C" nh m m d dev Tunnel5 172.16.5.9
t mcast_del_again 1 ~'^dmvpnctl: .+' -- "$C" nhrp map multicast del dev Tunnel5 172.16.5.9
j after_mcast_del '[m for m in d if m["type"] == "static"] == []' -- "$C" -j show ip nhrp multicast dev Tunnel5
t show_traffic 0 +"Tunnel5:" +"   Sent: Total" +"   Rcvd: Total" +"   Dropped: Total" -- "$C" show ip nhrp traffic dev Tunnel5
j show_traffic_json 'd[0]["ifname"] == "Tunnel5" and d[0]["sent"] == sum(d[0]["stats"][k] for k in d[0]["stats"] if k.startswith("tx_"))' \
	-- "$C" -j show ip nhrp traffic dev Tunnel5
t nhrp_off 0 -- "$C" nhrp set dev Tunnel5 network-id 0 no-authentication
t show_interface_nhrp_off 0 +"NHRP off (no network-id)" +"NHRP authentication none" -- "$C" show interface Tunnel5
SKIP=''
ip link del Tunnel5

# ---- rtnl_raw.py
t raw_ok 0 +"ok" -- python3 "$RAW" newlink t9 --kind dmvpn --attr LOCAL=ipv4:10.0.0.1
t raw_bad_len 1 ~'^error: EINVAL: .+' -- python3 "$RAW" newlink t8 --kind dmvpn --attr LOCAL=hex:0102
t raw_unknown_attr 1 ~'^error: EINVAL: .+' -- python3 "$RAW" newlink t8 --kind dmvpn \
	--attr LOCAL=ipv4:10.0.0.1 --attr 99=hex:00

echo "# $N tests, $((N - FAILED)) passed, $FAILED failed"
((FAILED == 0))
