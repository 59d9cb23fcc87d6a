#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# NHRP on plain GRE, seed 003's cloud made dynamic: a hub (NHS) and three
# spokes that know only the hub ("ip nhrp nhs 10.1.1.254 nbma
# 172.16.10.1"), spoke3 behind a masquerading NAT router.
#  - registration: dynamic, registered, unique entries on the hub with
#    each spoke's NBMA address, the post-NAT one (and the NAT flag) for
#    spoke3; NHS state R on the spokes, spoke3 told its public address;
#  - phase 2: spoke1 -> spoke2 goes through the hub at first, spoke1
#    resolves spoke2, and then the traffic goes direct (the hub forwards
#    no more echo requests);
#  - phase 2 with spoke3 behind NAT, each way: spoke1's answer to
#    spoke3 comes back through the hub (no GRE into an unopened NAT);
#  - multicast: "map multicast dynamic" on the hub reaches every spoke,
#    "map multicast <hub>" on a spoke reaches the hub;
#  - purge on clear: "clear ip nhrp" on spoke2 purges spoke1's entry for
#    it; on the hub it makes every spoke register again at once;
#  - expiry: a spoke that dies disappears from the hub after its holdtime;
#  - hub restart: the spokes register again by themselves.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/esp_lib.sh"
. "$(dirname "$0")/nhrp_lib.sh"

require_userland
require_module
require_cmd jq nft socat

topo_phase1
topo_nat_spoke

nhrp_hub holdtime=u32:12 mcast_dynamic=u8:1
nhrp_spoke spoke1 "$SPOKE1_NBMA" "$SPOKE1_TUN"
nhrp_spoke spoke2 "$SPOKE2_NBMA" "$SPOKE2_TUN"
nhrp_spoke spoke3 "$SPOKE3_NBMA" "$SPOKE3_TUN"

# ---- registration ---------------------------------------------------------
registered() { [[ "$(nhrp_entry_field hub "$1" .nbma_addr)" == "$2" ]]; }
check "hub: spoke1 registered at 172.16.1.1" retry 20 registered "$SPOKE1_TUN" "$SPOKE1_NBMA"
check "hub: spoke2 registered at 172.16.2.1" retry 20 registered "$SPOKE2_TUN" "$SPOKE2_NBMA"
check "hub: spoke3 registered at its post-NAT address" retry 20 registered "$SPOKE3_TUN" "$NAT3_PUBLIC"
e1=$(nhrp_entry hub "$SPOKE1_TUN")
e3=$(nhrp_entry hub "$SPOKE3_TUN")
info "hub's entry for spoke1: $e1"
info "hub's entry for spoke3: $e3"
check_output_matches "spoke1: type dynamic" '^dynamic$' jq -r .type <<<"$e1"
check_output_matches "spoke1: flags registered and unique, no nat" '^\["registered","unique"\]$' \
	jq -c .flags <<<"$e1"
check_output_matches "spoke3: flags nat, registered, unique" '^\["nat","registered","unique"\]$' \
	jq -c .flags <<<"$e3"
check_cmp "spoke1: expires within the spoke's holdtime (12 s)" "$(jq -r .expires <<<"$e1")" -le 12
check_cmp "hub: rx_reg_req counted" "$(nhrp_stat hub rx_reg_req)" -ge 3
check_cmp "hub: tx_reg_reply counted" "$(nhrp_stat hub tx_reg_reply)" -ge 3
check "spoke1: NHS 10.1.1.254 state R" retry 5 output_is R nhs_field spoke1 "$HUB_TUN" .state
check_cmp "spoke1: NHS replies counted" "$(nhs_field spoke1 "$HUB_TUN" .reply_recv)" -ge 1
check_output_matches "spoke3: the NHS told it its public address" "^$NAT3_PUBLIC\$" \
	nhs_field spoke3 "$HUB_TUN" .nat_addr
check_output_matches "spoke1: no NAT address" '^$' nhs_field spoke1 "$HUB_TUN" .nat_addr
check_cmp "spoke1: no malformed NHRP" "$(nhrp_stat spoke1 rx_malformed)" -eq 0
check_cmp "hub: no malformed NHRP" "$(nhrp_stat hub rx_malformed)" -eq 0

# What an operator sees (dmvpnctl, seed 003's layouts), and the same
# counters through dmvpnctl and the raw netlink reply.
run hub "$DMVPNCTL" show dmvpn | sed 's/^/INFO: hub| /'
check_output_matches "show dmvpn (hub): spoke3 UP at its post-NAT address, D(ynamic) N(ATed)" \
	"^ +1 +$NAT3_PUBLIC +$SPOKE3_TUN +UP +[0-9:dwhy]+ +DN\$" run hub "$DMVPNCTL" show dmvpn
check_output_matches "show dmvpn (hub): up time counts from the first registration" \
	"^ +1 +$SPOKE1_NBMA +$SPOKE1_TUN +UP +00:00:(0[3-9]|[1-5][0-9]) +D\$" run hub "$DMVPNCTL" show dmvpn
check_output_matches "show dmvpn (hub): a hub with 3 NHRP peers" 'Type:Hub, NHRP Peers:3,' \
	run hub "$DMVPNCTL" show dmvpn
check_output_matches "show ip nhrp (hub): spoke1, dynamic, registered" \
	'Type: dynamic, Flags: .*registered' run hub "$DMVPNCTL" show ip nhrp dev tun0 "$SPOKE1_TUN"
run spoke1 "$DMVPNCTL" show ip nhrp nhs | sed 's/^/INFO: spoke1| /'
check_output_matches "show ip nhrp nhs (spoke1): the hub responding" \
	"^ *$HUB_TUN +RE +NBMA Address: $HUB_NBMA" run spoke1 "$DMVPNCTL" show ip nhrp nhs
check_output_matches "show ip nhrp nhs -j (spoke1): state responding" '"state":"responding"' \
	run spoke1 "$DMVPNCTL" -j show ip nhrp nhs
check_cmp "hub rx_reg_req: dmvpnctl and netlink agree" \
	"$(nhrp_stat hub tx_reg_reply)" -le "$(nhrp_stat_raw hub tx_reg_reply)"
check_output_matches "show ip nhrp traffic (hub): IOS's Sent/Rcvd lines" '^ *Sent: Total [0-9]+' \
	run hub "$DMVPNCTL" show ip nhrp traffic

check_cmp "5 pings spoke1 -> hub" "$(ping_count spoke1 "$HUB_TUN" 5 -i 0.2 -W 2)" -eq 5
check_cmp "5 pings hub -> spoke3 (through the NAT)" "$(ping_count hub "$SPOKE3_TUN" 5 -i 0.2 -W 2)" -eq 5

# ---- phase 2: resolution ----------------------------------------------------
echo_counter_up hub
hub_forwarded() { echo_forwarded hub; }
check_cmp "spoke1 -> spoke2 before resolution: answered (through the hub)" \
	"$(ping_count spoke1 "$SPOKE2_TUN" 1 -W 3)" -eq 1
check_cmp "the hub forwarded that first echo request" "$(hub_forwarded)" -ge 1
check "spoke1: resolved spoke2 to 172.16.2.1" \
	retry 10 output_is "$SPOKE2_NBMA" nhrp_entry_field spoke1 "$SPOKE2_TUN" .nbma_addr
check_output_matches "spoke1: the entry for spoke2 is dynamic" '^dynamic$' \
	nhrp_entry_field spoke1 "$SPOKE2_TUN" .type
# spoke2 learns spoke1 from the request (an implicit entry), or resolves
# spoke1 itself for its echo replies: either way it reaches spoke1 direct.
if retry 5 output_is "$SPOKE1_NBMA" nhrp_entry_field spoke2 "$SPOKE1_TUN" .nbma_addr; then
	printf 'PASS: %s\n' "spoke2: knows spoke1 at 172.16.1.1"
else
	fail "spoke2: knows spoke1 at 172.16.1.1"
	info "spoke2's cache: $(esp_ctl spoke2 nhrp-dump tun0)"
fi
# Which spoke resolves first depends on timing (spoke2 resolves spoke1
# for its echo replies too, and the answer teaches both): count both.
both() { echo $(($(nhrp_stat spoke1 "$1") + $(nhrp_stat spoke2 "$1"))); }
check_cmp "the spokes sent resolution requests" "$(both tx_res_req)" -ge 1
check_cmp "hub: forwarded them (rx_res_req)" "$(nhrp_stat hub rx_res_req)" -ge 1
check_cmp "the spokes answered each other directly" "$(both tx_res_reply)" -ge 1
check_cmp "the spokes got the answers" "$(both rx_res_reply)" -ge 1
# Resolved entries live for the answering spoke's holdtime (12 s) unless
# used: the checks above may have outlived it, so use it first.
check_cmp "spoke1 -> spoke2" "$(ping_count spoke1 "$SPOKE2_TUN" 2 -i 0.5 -W 2)" -eq 2
check "spoke1: spoke2 resolved" \
	retry 10 output_is "$SPOKE2_NBMA" nhrp_entry_field spoke1 "$SPOKE2_TUN" .nbma_addr
before=$(hub_forwarded)
check_cmp "10 pings spoke1 -> spoke2, direct" "$(ping_count spoke1 "$SPOKE2_TUN" 10 -i 0.2 -W 2)" -eq 10
check_cmp "the hub forwarded none of them" "$(($(hub_forwarded) - before))" -eq 0

# ---- multicast -------------------------------------------------------------
count_mcast_in() {
	run "$1" nft -f - <<-'NFT'
		table inet mctest {
			chain c_pre {
				type filter hook prerouting priority 0; policy accept;
				iifname "tun0" ip daddr 224.0.0.9 counter
			}
		}
	NFT
}
mcast_seen() {
	run "$1" nft -j list chain inet mctest c_pre |
		jq '[.nftables[] | .rule? | select(. != null) | .expr[] | .counter? | select(. != null) | .packets] | add // 0'
}
send_mcast() {
	local role=$1 src=$2 i
	for i in 1 2 3 4 5; do
		echo "rip $i" | run "$role" socat -u - "UDP4-DATAGRAM:224.0.0.9:520,ip-multicast-if=$src,ip-multicast-ttl=1"
	done
}
for r in hub spoke1 spoke2 spoke3; do count_mcast_in "$r" || die "nft refused the multicast counters"; done
send_mcast hub "$HUB_TUN"
sleep 1
for r in spoke1 spoke2 spoke3; do
	check_cmp "map multicast dynamic: $r got the hub's 5 multicast packets" "$(mcast_seen "$r")" -eq 5
done
check_cmp "the hub's own multicast did not come back to it" "$(mcast_seen hub)" -eq 0
require esp_ctl spoke1 raw mcast_add --dev tun0 --in "mcast.nbma_addr=ipv4:$HUB_NBMA"
check_output_matches "spoke1: the static multicast destination is listed" "\"$HUB_NBMA\"" \
	esp_ctl spoke1 mcast-dump tun0
check_fails_matching "spoke1: adding it twice is refused" 'exists already' \
	esp_ctl spoke1 raw mcast_add --dev tun0 --in "mcast.nbma_addr=ipv4:$HUB_NBMA"
send_mcast spoke1 "$SPOKE1_TUN"
sleep 1
check_cmp "map multicast <hub>: the hub got spoke1's 5 multicast packets" "$(mcast_seen hub)" -eq 5
check_cmp "spoke2 got only the hub's 5 (no spoke-to-spoke replication)" "$(mcast_seen spoke2)" -eq 5

# A spoke behind NAT resolves first: spoke1 must not answer spoke3 by
# sending GRE into spoke3's NAT, which has no mapping towards spoke1 yet
# (dropped there, and the conntrack entry it leaves would refuse spoke3's
# own GRE to spoke1 while spoke1 keeps answering).  Its answer goes back
# through the hub, which relays it on spoke3's registration; spoke3 then
# opens its NAT by sending to spoke1 directly.  (Before this was done,
# the direct tunnel never came up when this order happened; a slower
# guest, QEMU with -accel tcg,thread=single, made it happen every time.)
# The traffic is one-way UDP that spoke1 drops in silence, so that only
# spoke3 resolves (an echo reply or port unreachable would make spoke1
# resolve spoke3 too, and its request usually wins).
run spoke1 nft -f - <<-'NFT' || die "nft refused the UDP sink"
	table inet sink {
		chain in {
			type filter hook input priority 0; policy accept;
			iifname "tun0" udp dport 9 drop
		}
	}
NFT
relayed_before=$(nhrp_stat hub tx_res_reply)
for i in 1 2 3 4 5 6; do
	echo "one way $i" | run spoke3 socat -u - "UDP4-SENDTO:$SPOKE1_TUN:9"
	sleep 0.5
done
check "spoke3: resolved spoke1 to 172.16.1.1" \
	retry 10 output_is "$SPOKE1_NBMA" nhrp_entry_field spoke3 "$SPOKE1_TUN" .nbma_addr
check_cmp "hub: relayed spoke1's answer to spoke3" \
	"$(($(nhrp_stat hub tx_res_reply) - relayed_before))" -ge 1
check_output_matches "spoke1: did not learn spoke3 from its request (no GRE into its NAT)" '^$' \
	nhrp_entry_field spoke1 "$SPOKE3_TUN" .nbma_addr
run spoke1 nft delete table inet sink
before=$(hub_forwarded)
check_cmp "10 pings spoke3 -> spoke1, direct through the NAT" \
	"$(ping_count spoke3 "$SPOKE1_TUN" 10 -i 0.2 -W 2)" -eq 10
check_cmp "the hub forwarded none of them" "$(($(hub_forwarded) - before))" -eq 0

# The other way round: spoke1 resolves spoke3, which answers with its
# public address (its NHS told it); the NAT is open already.
# A packet may be lost while the path moves: spoke1's first direct GRE can
# reach the NAT before spoke3's answer has opened it (as with any NAT);
# the 10 pings after the move must all get through.
check_cmp "spoke1 -> spoke3 (behind NAT): answered while the path moves" \
	"$(ping_count spoke1 "$SPOKE3_TUN" 3 -i 0.5 -W 3)" -ge 2
check "spoke1: resolved spoke3 to its post-NAT address" \
	retry 10 output_is "$NAT3_PUBLIC" nhrp_entry_field spoke1 "$SPOKE3_TUN" .nbma_addr
before=$(hub_forwarded)
check_cmp "10 pings spoke1 -> spoke3, direct through the NAT" \
	"$(ping_count spoke1 "$SPOKE3_TUN" 10 -i 0.2 -W 2)" -eq 10
check_cmp "the hub forwarded none of them" "$(($(hub_forwarded) - before))" -eq 0

# ---- refresh ----------------------------------------------------------------
# Resolved entries hold for the answering spoke's holdtime (12 s); one in
# use is resolved again before it runs out, so the flow stays direct.
# (spoke2's entry may have run out while unused: bring it back first.)
check_cmp "spoke1 -> spoke2 again" "$(ping_count spoke1 "$SPOKE2_TUN" 2 -i 0.5 -W 2)" -eq 2
check "spoke1: spoke2 resolved (again)" \
	retry 10 output_is "$SPOKE2_NBMA" nhrp_entry_field spoke1 "$SPOKE2_TUN" .nbma_addr
before=$(hub_forwarded)
r0=$(both tx_res_req)
check_cmp "75 pings spoke1 -> spoke2 over 15 s (more than a holdtime)" \
	"$(ping_count spoke1 "$SPOKE2_TUN" 75 -i 0.2 -W 2)" -eq 75
check_cmp "the spokes resolved each other again while in use" "$(both tx_res_req)" -gt "$r0"
check_cmp "the hub forwarded none of them" "$(($(hub_forwarded) - before))" -eq 0

# ---- purge on clear ----------------------------------------------------------
check_cmp "spoke1 -> spoke2 again" "$(ping_count spoke1 "$SPOKE2_TUN" 2 -i 0.2 -W 2)" -eq 2
check "spoke2 has an entry for spoke1 to purge" \
	retry 5 output_is "$SPOKE1_NBMA" nhrp_entry_field spoke2 "$SPOKE1_TUN" .nbma_addr
p1=$(nhrp_stat spoke1 rx_purge_req)
check "spoke2: clear ip nhrp" esp_ctl spoke2 raw nhrp_flush --dev tun0
check "spoke1: purged its entry for spoke2" \
	retry 5 output_is "" nhrp_entry_field spoke1 "$SPOKE2_TUN" .nbma_addr
check_cmp "spoke1: the purge request was counted" "$(nhrp_stat spoke1 rx_purge_req)" -gt "$p1"
check "spoke2: got the purge reply" retry 5 output_ge 1 nhrp_stat spoke2 rx_purge_reply
check_output_matches "spoke2: the static NHS map stayed" '^static$' \
	nhrp_entry_field spoke2 "$HUB_TUN" .type
r1=$(nhs_field spoke1 "$HUB_TUN" .req_sent)
check "hub: clear ip nhrp" esp_ctl hub raw nhrp_flush --dev tun0
check "hub: spoke1 registered again at once (purge)" retry 4 registered "$SPOKE1_TUN" "$SPOKE1_NBMA"
check "hub: spoke3 registered again at once (purge)" retry 4 registered "$SPOKE3_TUN" "$NAT3_PUBLIC"
check_cmp "spoke1 sent a registration after the purge" "$(nhs_field spoke1 "$HUB_TUN" .req_sent)" -gt "$r1"

# ---- expiry ---------------------------------------------------------------------
require ip -n "$(ns spoke2)" link del tun0
t0=$SECONDS
if retry 25 output_is "" nhrp_entry_field hub "$SPOKE2_TUN" .nbma_addr; then
	gone=$((SECONDS - t0))
	info "spoke2's entry went within $gone s of spoke2's death"
	check_cmp "hub: spoke2 expired, not before its holdtime (12 s, 3 s between registrations)" "$gone" -ge 9
else
	fail "hub: spoke2's entry still there $((SECONDS - t0)) s after spoke2 died (holdtime 12 s)"
fi
check "hub: spoke1 still registered" registered "$SPOKE1_TUN" "$SPOKE1_NBMA"

# ---- hub restart ----------------------------------------------------------------
require ip -n "$(ns hub)" link del tun0
check "spoke1: NHS goes to E while the hub is gone" retry 10 output_is E nhs_field spoke1 "$HUB_TUN" .state
nhrp_hub holdtime=u32:12 mcast_dynamic=u8:1
check "hub restarted: spoke1 registered again by itself" retry 20 registered "$SPOKE1_TUN" "$SPOKE1_NBMA"
check "hub restarted: spoke3 registered again by itself" retry 20 registered "$SPOKE3_TUN" "$NAT3_PUBLIC"
check "spoke1: NHS back to R" retry 5 output_is R nhs_field spoke1 "$HUB_TUN" .state
check_cmp "5 pings spoke1 -> hub after the restart" "$(ping_count spoke1 "$HUB_TUN" 5 -i 0.2 -W 2)" -eq 5

ksft_exit
