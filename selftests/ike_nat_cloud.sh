#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The whole cloud keyed by dmvpnd, NAT included, nothing set by hand but
# the tunnels and dmvpnd's config files, which carry NHRP too ("ip nhrp
# network-id", "ip nhrp nhs ... nbma ...", as on IOS): a hub with the
# wildcard key and four spokes that know only the hub, spoke1 and spoke2
# on the internet, spoke3 and spoke4 behind one masquerading PAT router
# (seeds 000/001).
#  - dmvpnd applies the NHRP lines at start; a reload that changes the
#    holdtime applies it (the hub then keeps the spoke that long), a
#    reload with a bad NHRP line is refused with file:line;
#  - each spoke's first Registration Request is held, the module asks
#    dmvpnd, main and quick mode run, the request goes out in ESP-in-UDP
#    and the hub registers the spoke (seed 003's order); spoke3 and
#    spoke4 find the PAT by NAT-D ("no crypto isakmp nat force-encap");
#  - the hub keeps spoke3 and spoke4 at the one public address, each at
#    its own post-NAT port, with the NAT flag, and has an ISAKMP SA with
#    each of them (show dmvpn, show crypto isakmp sa);
#  - traffic hub <-> every spoke, spoke3 <-> spoke4 through the hub;
#  - spoke1 and spoke2 cannot key (the internet router drops IKE between
#    them): their traffic stays on the hub, every ping answered, and
#    spoke2's dmvpnd waits between failed main modes;
#  - phase 2, the block lifted: spoke1 -> spoke2 resolves through the
#    hub, dmvpnd keys the spoke-to-spoke pair on the module's acquire,
#    then the traffic goes direct (the hub forwards no more of it);
#  - phase 2 towards spoke3 and spoke4 behind the PAT: each keys towards
#    spoke1, spoke1's entry takes its post-NAT port (another for each),
#    and the traffic goes direct through the PAT;
#  - every show command on the live hub: IOS's layouts in text, JSON that
#    parses, dmvpnctl's SA packet counts equal to the kernel's; sessions
#    keyed by dmvpnd show UP-ACTIVE;
#  - the internet router and the PAT router never carry GRE in clear or
#    bare ESP;
#  - spoke4 dies: the hub's DPD declares it dead within seconds, deletes
#    its SAs and the NHRP entry learnt from it, long before its holdtime
#    would; spoke3, at the same address behind the same PAT, keeps its
#    SAs, its entry and its traffic.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/esp_lib.sh"
. "$(dirname "$0")/nhrp_lib.sh"

require_userland
require_module
require_cmd jq nft
DMVPND=$REPO/userland/dmvpnd
[[ -x $DMVPND ]] || die "$DMVPND missing (make -C userland)"
WORK=$(mktemp -d)
defer rm -rf "$WORK"

SPOKE4_TUN=10.1.1.4
SPOKE4_NBMA=192.168.4.2

topo_phase1
topo_nat_spoke
# spoke4: a second LAN behind the same PAT router
ns_add spoke4
veth_pair spoke4 eth0 nat3 lan4
require ip -n "$(ns spoke4)" addr add "$SPOKE4_NBMA/24" dev eth0
require ip -n "$(ns spoke4)" route add default via 192.168.4.1
require ip -n "$(ns nat3)" addr add 192.168.4.1/24 dev lan4
retry 10 run spoke4 ping -c1 -W1 "$HUB_NBMA" ||
	die "underlay: spoke4 cannot reach the hub through the NAT"
nft_counters_up inet
nft_counters_up nat3

SPOKES=(spoke1 spoke2 spoke3 spoke4)
defer delete_tunnels hub "${SPOKES[@]}"
spoke_nbma() {
	case $1 in
	spoke1) echo "$SPOKE1_NBMA" ;; spoke2) echo "$SPOKE2_NBMA" ;;
	spoke3) echo "$SPOKE3_NBMA" ;; spoke4) echo "$SPOKE4_NBMA" ;;
	esac
}
spoke_tun() {
	case $1 in
	spoke1) echo "$SPOKE1_TUN" ;; spoke2) echo "$SPOKE2_TUN" ;;
	spoke3) echo "$SPOKE3_TUN" ;; spoke4) echo "$SPOKE4_TUN" ;;
	esac
}

# Each router's dmvpnd publishes its IKE state in a directory of its own
# (every tunnel here is tun0); dmvpnctl reads it from the same place.
ctl() {
	local role=$1
	shift
	nsrun "$role" env DMVPN_RUN_DIR="$WORK/run-$role" "$DMVPNCTL" "$@"
}

# The spokes take the wildcard key too: spoke-to-spoke main mode (phase 2)
# reaches them from addresses they cannot know in advance.
WILDCARD="crypto isakmp key cisco123 address 0.0.0.0 0.0.0.0"
TS="esp-aes 256 esp-sha256-hmac"
protected_tunnel_up hub "$HUB_NBMA" "$HUB_TUN" key 1
require run hub sysctl -qw net.ipv4.ip_forward=1
require run hub sysctl -qw net.ipv4.conf.all.send_redirects=0
require run hub sysctl -qw net.ipv4.conf.tun0.send_redirects=0
# the hub watches its spokes: DPD after 10 s of silence, a retry every 2 s
dmvpnd_conf "$WORK/hub.conf" "$HUB_NBMA" "$WILDCARD
crypto isakmp keepalive 10 2 periodic" "$TS"
# dmvpnd_conf ends in the interface block: NHRP goes there, as on IOS
printf ' ip nhrp network-id 1\n ip nhrp map multicast dynamic\n' >>"$WORK/hub.conf"
spoke_nhrp_lines() {
	printf ' ip nhrp network-id 1\n ip nhrp holdtime %s\n ip nhrp registration timeout 5\n ip nhrp nhs %s nbma %s\n' \
		"$1" "$HUB_TUN" "$HUB_NBMA"
}
for r in "${SPOKES[@]}"; do
	protected_tunnel_up "$r" "$(spoke_nbma "$r")" "$(spoke_tun "$r")" key 1
	case $r in
	spoke3 | spoke4)
		# real NAT detection: only NAT-D decides
		dmvpnd_conf "$WORK/$r.conf" "$(spoke_nbma "$r")" "$WILDCARD
no crypto isakmp nat force-encap" "$TS" ;;
	*)
		# short retransmissions: their blocked main modes below give
		# up in 7 s instead of 62
		dmvpnd_conf "$WORK/$r.conf" "$(spoke_nbma "$r")" "$WILDCARD
crypto isakmp retransmit 1000 2" "$TS" ;;
	esac
	spoke_nhrp_lines 60 >>"$WORK/$r.conf"
done
declare -A DMVPND_PID=()
for r in hub "${SPOKES[@]}"; do
	mkdir -p "$WORK/run-$r"
	bg "$r" env DMVPN_RUN_DIR="$WORK/run-$r" "$DMVPND" -c "$WORK/$r.conf" 2>"$WORK/$r.log"
	DMVPND_PID[$r]=$BG_PID
done
for r in hub "${SPOKES[@]}"; do
	retry 10 grep -q "started" "$WORK/$r.log" || die "$r: dmvpnd did not start: $(cat "$WORK/$r.log")"
done
for r in hub "${SPOKES[@]}"; do
	check_output_matches "$r: dmvpnd applied its ip nhrp lines" \
		"NHRP: .*$r.conf: ([0-9]+) of \\1 configuration changes applied" cat "$WORK/$r.log"
done
check_output_matches "spoke1: the NHS from the file, with its NBMA address" "^$HUB_NBMA\$" \
	nhs_field spoke1 "$HUB_TUN" .nbma_addr

# ---- registration through IKE ----------------------------------------------
registered_at() { [[ "$(nhrp_entry_field hub "$(spoke_tun "$1")" .nbma_addr)" == "$2" ]]; }
for r in "${SPOKES[@]}"; do
	want=$(spoke_nbma "$r")
	[[ $r == spoke3 || $r == spoke4 ]] && want=$NAT3_PUBLIC
	check "hub: $r registered at $want" retry 60 registered_at "$r" "$want"
	check "$r: NHS state R" retry 10 output_is R nhs_field "$r" "$HUB_TUN" .state
done
check_output_matches "spoke1: IKE started on the module's acquire (the held registration)" \
	"acquire for $HUB_NBMA" cat "$WORK/spoke1.log"
for r in spoke3 spoke4; do
	check_output_matches "$r: NAT-D found the PAT router" 'NAT-D: we are behind a NAT' \
		cat "$WORK/$r.log"
	check_output_matches "$r: the NHS told it its public address" "^$NAT3_PUBLIC\$" \
		nhs_field "$r" "$HUB_TUN" .nat_addr
	check_output_matches "hub: $r's entry carries the NAT flag" 'nat' \
		nhrp_entry_field hub "$(spoke_tun "$r")" '.flags | join(",")'
done
check_output_matches "spoke1: not behind a NAT" '^$' nhs_field spoke1 "$HUB_TUN" .nat_addr

# seeds 000/001: two clients behind one address, told apart by the port
p3=$(nhrp_entry_field hub "$SPOKE3_TUN" '.nbma_port // 0')
p4=$(nhrp_entry_field hub "$SPOKE4_TUN" '.nbma_port // 0')
info "hub: spoke3 at $NAT3_PUBLIC port ${p3:-?} (0 = 4500), spoke4 port ${p4:-?}"
check_cmp "hub: spoke3 and spoke4 at different post-NAT ports" "${p3:-x}" -ne "${p4:-x}"
isakmp_with() {
	ctl hub -j show crypto isakmp sa |
		jq -r --arg p "$1" '[.[] | select(.peer_addr == $p and .state == "QM_IDLE")] | length'
}
check_cmp "hub: two ISAKMP SAs in QM_IDLE with $NAT3_PUBLIC" "$(isakmp_with "$NAT3_PUBLIC")" -eq 2
check_cmp "hub: ... at two different ports" \
	"$(ctl hub -j show crypto isakmp sa | jq --arg p "$NAT3_PUBLIC" \
		'[.[] | select(.peer_addr == $p) | .peer_port] | unique | length')" -eq 2
check_output_matches "hub: those SAs are NAT-T" '^true$' \
	eval "ctl hub -j show crypto isakmp sa | jq -r --arg p $NAT3_PUBLIC '[.[] | select(.peer_addr == \$p) | .nat_t] | all'"
check_cmp "hub: 8 SAs (a pair per spoke)" "$(sa_count hub)" -eq 8
ctl hub show dmvpn | sed 's/^/INFO: hub| /'
ctl hub show crypto isakmp sa | sed 's/^/INFO: hub| /'
# the one that did not keep port 4500 is shown with its port, as IOS does
for t in "$SPOKE3_TUN" "$SPOKE4_TUN"; do
	check_output_matches "show dmvpn (hub): $t UP at the public address, D(ynamic) N(ATed)" \
		"^ +1 +${NAT3_PUBLIC//./\\.}(:[0-9]+)? +${t//./\\.} +UP +[0-9:dwhy]+ +DN\$" ctl hub show dmvpn
done
check_output_matches "show dmvpn (hub): 4 NHRP peers" 'NHRP Peers:4,' ctl hub show dmvpn

# ---- reloads of the NHRP lines --------------------------------------------------
# spoke2's holdtime 60 -> 600: registered afresh, the hub keeps it longer
sed -i 's/ ip nhrp holdtime 60$/ ip nhrp holdtime 600/' "$WORK/spoke2.conf"
kill -HUP "${DMVPND_PID[spoke2]}"
check "spoke2: reload applied the new holdtime" \
	retry 10 grep -q "NHRP: .*spoke2.conf: 1 of 1 configuration changes applied" "$WORK/spoke2.log"
hub_keeps_spoke2_long() { [[ "$(nhrp_entry_field hub "$SPOKE2_TUN" .expires)" -gt 60 ]]; }
check "hub: spoke2 registered again with holdtime 600" retry 20 hub_keeps_spoke2_long
check_cmp "spoke2 kept its SAs with the hub over the reload" "$(sa_count spoke2)" -eq 2
# a bad NHRP line: refused with file and line, nothing changes
sed -i 's/ ip nhrp holdtime 600$/ ip nhrp holdtime 0/' "$WORK/spoke2.conf"
kill -HUP "${DMVPND_PID[spoke2]}"
check "spoke2: reload with holdtime 0 refused, naming the line" \
	retry 10 grep -qE "reload refused, old config kept: .*spoke2.conf:[0-9]+: ip nhrp holdtime: \"0\" is not in 1..65535" \
	"$WORK/spoke2.log"
check "spoke2: still registered" retry 10 output_is R nhs_field spoke2 "$HUB_TUN" .state

# ---- traffic -----------------------------------------------------------------
for r in "${SPOKES[@]}"; do
	check_cmp "5 pings hub -> $r" "$(ping_count hub "$(spoke_tun "$r")" 5 -i 0.2 -W 3)" -eq 5
done
# spoke3 <-> spoke4: both behind the PAT, through the hub
require ip -n "$(ns spoke3)" route add "$SPOKE4_TUN/32" via "$HUB_TUN" dev tun0
require ip -n "$(ns spoke4)" route add "$SPOKE3_TUN/32" via "$HUB_TUN" dev tun0
check_cmp "5 pings spoke3 -> spoke4 through the hub" \
	"$(ping_count spoke3 "$SPOKE4_TUN" 5 -i 0.2 -W 3)" -eq 5

# ---- spokes that cannot key: their traffic stays on the hub ------------------
# The internet router drops IKE and ESP-in-UDP between spoke1 and spoke2.
# spoke1 resolves spoke2 through the hub; spoke2 learns spoke1 from the
# request, and its main modes to spoke1 get no answer.  Every ping must
# still be answered, through the hub, and spoke2's dmvpnd must wait
# between attempts rather than start one for every acquire.
require run inet nft -f - <<EOF
table inet s2sblock {
	chain block {
		type filter hook forward priority -10; policy accept;
		ip saddr $SPOKE1_NBMA ip daddr $SPOKE2_NBMA udp dport { 500, 4500 } drop
		ip saddr $SPOKE2_NBMA ip daddr $SPOKE1_NBMA udp dport { 500, 4500 } drop
	}
}
EOF
check_cmp "40 pings spoke1 -> spoke2 while they cannot key: all answered" \
	"$(ping_count spoke1 "$SPOKE2_TUN" 40 -i 0.5 -W 3)" -eq 40
check_output_matches "spoke2: learnt spoke1 from its resolution request" "^$SPOKE1_NBMA\$" \
	nhrp_entry_field spoke2 "$SPOKE1_TUN" .nbma_addr
check_cmp "spoke2: its answers went through the hub (tx_via_nhs)" \
	"$(estat spoke2 tx_via_nhs)" -ge 20
check_cmp "spoke2: no SA to spoke1, only its pair with the hub" "$(sa_count spoke2)" -eq 2
check "spoke2: its main modes to spoke1 got no answer" \
	grep -q "peer $SPOKE1_NBMA not responding! (phase 1" "$WORK/spoke2.log"
check "spoke2: then it waited before the next attempt" \
	grep -qE "IPSEC: acquire for $SPOKE1_NBMA: phase 1 failed 1 time in a row; next attempt in [12] s" \
	"$WORK/spoke2.log"
require run inet nft delete table inet s2sblock

# ---- phase 2: spoke1 resolves spoke2, dmvpnd keys the shortcut -------------
# Now that the spokes can reach each other, traffic keys them: the next
# attempt comes once spoke2's wait (at most 30 s) is over.
echo_counter_up hub
hub_forwarded() { echo_forwarded hub; }
check_cmp "spoke1 -> spoke2 before resolution: answered (through the hub)" \
	"$(ping_count spoke1 "$SPOKE2_TUN" 1 -W 5)" -eq 1
spoke1_resolved_spoke2() {
	nsrun spoke1 ping -n -c1 -W1 "$SPOKE2_TUN" >/dev/null 2>&1 || true
	output_is "$SPOKE2_NBMA" nhrp_entry_field spoke1 "$SPOKE2_TUN" .nbma_addr
}
check "spoke1: resolved spoke2 to $SPOKE2_NBMA" retry 60 spoke1_resolved_spoke2
spoke_pair() { [[ "$(sa_count spoke1)" -ge 4 && "$(sa_count spoke2)" -ge 4 ]]; }
check "spoke1 and spoke2 keyed a pair between them" retry 30 spoke_pair
check_output_matches "spoke1 <-> spoke2: an ISAKMP SA between the spokes" \
	"\"$SPOKE2_NBMA\"" eval "ctl spoke1 -j show crypto isakmp sa | jq '.[] | select(.state == \"QM_IDLE\") | .peer_addr'"
# keep the shortcut in use, then count what the hub still forwards
check_cmp "spoke1 -> spoke2 on the shortcut" "$(ping_count spoke1 "$SPOKE2_TUN" 3 -i 0.5 -W 3)" -eq 3
before=$(hub_forwarded)
check_cmp "10 pings spoke1 -> spoke2, direct" "$(ping_count spoke1 "$SPOKE2_TUN" 10 -i 0.2 -W 3)" -eq 10
check_cmp "the hub forwarded none of them" "$(($(hub_forwarded) - before))" -eq 0

# ---- phase 2 towards the spokes behind the PAT ------------------------------
# spoke1 cannot start IKE towards them: the PAT drops what spoke1 starts.
# The spoke behind it answers spoke1's resolution directly, so its answer
# waits for an SA and its dmvpnd keys towards spoke1 (which opens the
# PAT); the answer then comes from its post-NAT port, and spoke1's entry
# takes that endpoint, where the pair is.  spoke3 goes first and keeps
# port 4500 on the PAT; spoke4 then gets another port towards spoke1,
# which must not be taken for spoke3's.
spoke1_resolved() {
	nsrun spoke1 ping -n -c1 -W1 "$1" >/dev/null 2>&1 || true
	output_is "$NAT3_PUBLIC" nhrp_entry_field spoke1 "$1" .nbma_addr
}
for s in spoke3 spoke4; do
	tun=$(spoke_tun "$s")
	check "spoke1: resolved $s to the PAT address" retry 60 spoke1_resolved "$tun"
	pair_up() { [[ "$(sa_count "$s")" -ge 4 ]]; }
	check "$s keyed a pair with spoke1" retry 30 pair_up
	check "$s: its dmvpnd was the initiator" \
		grep -q "beginning Main Mode exchange with $SPOKE1_NBMA" "$WORK/$s.log"
	check_cmp "spoke1 -> $s on the direct path" "$(ping_count spoke1 "$tun" 3 -i 0.5 -W 3)" -eq 3
	before=$(hub_forwarded)
	check_cmp "10 pings spoke1 -> $s, direct through the PAT" \
		"$(ping_count spoke1 "$tun" 10 -i 0.2 -W 3)" -eq 10
	check_cmp "the hub forwarded none of them" "$(($(hub_forwarded) - before))" -eq 0
done
p3=$(nhrp_entry_field spoke1 "$SPOKE3_TUN" '.nbma_port // 0')
p4=$(nhrp_entry_field spoke1 "$SPOKE4_TUN" '.nbma_port // 0')
info "spoke1: spoke3 at $NAT3_PUBLIC port $p3 (0 = 4500), spoke4 port $p4"
check_cmp "spoke1: spoke4's entry has its own post-NAT port" "$p4" -ne "$p3"
check_cmp "spoke1: pairs with the hub, spoke2, spoke3 and spoke4" "$(sa_count spoke1)" -ge 8

# ---- nothing in clear ----------------------------------------------------------
for router in inet nat3; do
	check_cmp "$router: no GRE in clear" "$(nft_packets "$router" gre)" -eq 0
	check_cmp "$router: no bare ESP" "$(nft_packets "$router" esp)" -eq 0
	check_cmp "$router: UDP 4500 carried it" "$(nft_packets "$router" udp4500)" -ge 20
done
for r in hub "${SPOKES[@]}"; do
	check_cmp "$r: no malformed NHRP" "$(nhrp_stat "$r" rx_malformed)" -eq 0
done

# ---- every show command on the live hub -------------------------------------
# Text in IOS's layouts, JSON that parses and agrees with the kernel.
check_output_matches "show dmvpn detail: the hub and its 4 NBMA peers" \
	'Type:Hub, Total NBMA Peers \(v4/v6\): 4' ctl hub show dmvpn detail
check_output_matches "show dmvpn detail: multipoint tunnel from the hub's address" \
	"Tunnel Src./Dest. addr: $HUB_NBMA/MGRE" ctl hub show dmvpn detail
check_output_matches "show ip nhrp detail: a PAT spoke's port and expiry" \
	"NBMA address: $NAT3_PUBLIC, port [0-9]+" ctl hub show ip nhrp detail
check_output_matches "show ip nhrp detail: expiry shown" 'expires in: [0-9]+ s' \
	ctl hub show ip nhrp detail
check_output_matches "show crypto isakmp sa detail: IOS's columns, NAT-T and DPD caps" \
	'^[0-9]+ +172\.16\.10\.1 +172\.16\.3\.1 +ACTIVE aes:256 +sha256 psk +14 [0-9:]+ +DN' \
	ctl hub show crypto isakmp sa detail
check_output_matches "show crypto ipsec sa detail: the counters block" '#pkts encaps: [0-9]+' \
	ctl hub show crypto ipsec sa detail
check_output_matches "show crypto session: IKE-keyed sessions are UP-ACTIVE" \
	"Session status: UP-ACTIVE" ctl hub show crypto session
check_cmp "show crypto session: 4 sessions UP-ACTIVE" \
	"$(ctl hub show crypto session detail | grep -c 'Session status: UP-ACTIVE')" -eq 4
check_output_matches "show crypto sockets: one socket per peer" \
	'Number of Crypto Socket connections 4' ctl hub show crypto sockets
for cmd in "show dmvpn detail" "show ip nhrp detail" "show crypto isakmp sa detail" \
	   "show crypto ipsec sa detail" "show crypto session detail" "show crypto sockets" \
	   "show ip nhrp traffic" "show crypto isakmp failures"; do
	# shellcheck disable=SC2086 # the words of the command
	check "$cmd -j parses" eval "ctl hub -j $cmd | jq -e . >/dev/null"
done
# the packet counts dmvpnctl shows are the kernel's (the raw SA dump);
# registrations keep counting, so compare two reads taken back to back
# until no packet came in between
counts_agree() {
	local json raw
	json=$(ctl hub -j show crypto ipsec sa dev tun0 |
		jq -r '.[] | .inbound_esp_sas[] | "\(.spi) \(.stats.packets // 0)"' | sort)
	raw=$(esp_ctl hub sa-dump tun0 |
		jq -r '.[] | .sa | select(.dir == "in") | "\(.spi) \(.stats.packets // 0)"' | sort)
	[[ -n $json && $json == "$raw" ]]
}
check "show crypto ipsec sa -j: every inbound SA's packets as the kernel counts them" \
	retry 20 counts_agree

# ---- a spoke dies: the hub's DPD finds it and NHRP forgets it -------------
# spoke4 goes whole (its tunnel too: nothing answers on its port any
# more); spoke3, behind the same public address, must not be touched.
# spoke4 registered at most 5 s ago with holdtime 60: without DPD its
# entry would stay 55 s more.
kill -KILL "${DMVPND_PID[spoke4]}"
require ip -n "$(ns spoke4)" link del tun0
t0=$SECONDS
check "hub: DPD declares spoke4 dead" \
	retry 40 grep -q "peer $NAT3_PUBLIC not responding! (DPD" "$WORK/hub.log"
check "hub: NHRP forgot what it learnt from spoke4" \
	retry 5 test -z "$(nhrp_entry hub "$SPOKE4_TUN")"
check_cmp "hub: ... well within spoke4's holdtime (seconds after the kill)" \
	$((SECONDS - t0)) -lt 45
check_output_matches "hub: the log says so" "NHRP: peer $NAT3_PUBLIC is dead \\(DPD\\): 1 NHRP entry" \
	cat "$WORK/hub.log"
check "hub: spoke3 (same address, other port) still registered" \
	output_is "$NAT3_PUBLIC" nhrp_entry_field hub "$SPOKE3_TUN" .nbma_addr
check_cmp "hub: spoke3 still answers" "$(ping_count hub "$SPOKE3_TUN" 3 -i 0.3 -W 3)" -eq 3
check_cmp "hub: 6 SAs left (spoke4's pair gone, spoke3's kept)" "$(sa_count hub)" -eq 6
check_output_matches "show crypto isakmp failures (hub): dpd-dead for the public address" \
	'"code":"dpd-dead"' ctl hub -j show crypto isakmp failures

for r in hub "${SPOKES[@]}"; do
	sed "s/^/$r: /" "$WORK/$r.log"
done
ksft_exit
