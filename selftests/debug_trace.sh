#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Run-time debugging as IOS has it ("debug nhrp", "debug crypto isakmp",
# "debug crypto ipsec", "show debugging", "undebug all"), on a live hub
# and spoke, switched while everything runs:
#  - debug nhrp: the kernel log follows the registration (the spoke's
#    "Send Registration Request to NBMA <hub>", the hub's "Receive
#    Registration Request from NBMA <spoke>"); "show debugging" says so;
#    after "no debug nhrp" registrations go on and no line comes;
#  - debug crypto isakmp|ipsec: a running dmvpnd started without -v
#    answers "Crypto ISAKMP debugging is on"; the next main mode logs
#    every attribute it checks and the IPsec proposal it accepted; the
#    module logs each SA it creates, with SPI and peer; "undebug all"
#    turns both halves off again;
#  - clear crypto isakmp: the ISAKMP SAs go on both ends, the IPsec SAs
#    stay and carry traffic; clear crypto sa: the next packet keys the
#    pair again by itself.
# Nothing printed before a switch was turned on counts: every check
# looks at what came after it.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/esp_lib.sh"
. "$(dirname "$0")/nhrp_lib.sh"

require_userland
require_module
require_cmd jq
DMVPND=$REPO/userland/dmvpnd
[[ -x $DMVPND ]] || die "$DMVPND missing (make -C userland)"
[[ -r /proc/dynamic_debug/control || -r /sys/kernel/debug/dynamic_debug/control ]] ||
	skip "this kernel has no dynamic debug (CONFIG_DYNAMIC_DEBUG)"
WORK=$(mktemp -d)
defer rm -rf "$WORK"
# dmvpnd and dmvpnctl meet in this directory (debug file, IKE state)
export DMVPN_RUN_DIR=$WORK/run
mkdir -p "$DMVPN_RUN_DIR"
defer "$DMVPNCTL" undebug all


# klog_since MARK: the kernel log after the line count MARK
klog_mark() { dmesg | wc -l; }
klog_since() { dmesg | tail -n +"$(($1 + 1))"; }
klog_has() {	# klog_has MARK REGEX
	klog_since "$1" | grep -qE "$2"
}

topo_phase1
defer delete_tunnels hub spoke1

# ---- debug nhrp ------------------------------------------------------------
# shellcheck disable=SC2119 # no extra nhrp_set arguments
nhrp_hub
nhrp_spoke spoke1 "$SPOKE1_NBMA" "$SPOKE1_TUN"
check "spoke1 registered" retry 20 output_is "$SPOKE1_NBMA" nhrp_entry_field hub "$SPOKE1_TUN" .nbma_addr

mark=$(klog_mark)
check_output_matches "debug nhrp answers as IOS" '^NHRP protocol debugging is on' \
	"$DMVPNCTL" debug nhrp
check_output_matches "show debugging lists it" 'NHRP protocol debugging is on' \
	"$DMVPNCTL" show debugging
check "the spoke's registration request is traced, naming the hub" \
	retry 10 klog_has "$mark" 'tun0: NHRP: Send Registration Request to NBMA 172\.16\.10\.1, packet size [0-9]+'
check "the hub's receipt is traced, naming the spoke and the addresses" \
	retry 10 klog_has "$mark" "tun0: NHRP: Receive Registration Request from NBMA 172\\.16\\.1\\.1, packet size [0-9]+, src 10\\.1\\.1\\.1, dst 10\\.1\\.1\\.254"
check "the reply is traced on the spoke" \
	retry 10 klog_has "$mark" 'tun0: NHRP: Receive Registration Reply from NBMA 172\.16\.10\.1'
check_output_matches "show debugging -j: nhrp on" '"nhrp":true' \
	"$DMVPNCTL" -j show debugging

check_output_matches "no debug nhrp" '^NHRP protocol debugging is off' \
	"$DMVPNCTL" no debug nhrp
sleep 1
mark=$(klog_mark)
sent=$(nhrp_stat spoke1 tx_reg_req)
check "registrations go on without tracing" retry 15 output_ge "$((sent + 2))" nhrp_stat spoke1 tx_reg_req
check_output_matches "no NHRP line after no debug nhrp" '^0$' \
	bash -c "dmesg | tail -n +$((mark + 1)) | grep -c 'NHRP: Send\\|NHRP: Receive' || true"
check_output_matches "show debugging: nothing on" '^$' "$DMVPNCTL" show debugging
delete_tunnels hub spoke1

# ---- debug crypto isakmp / ipsec with dmvpnd -------------------------------
protected_tunnel_up hub "$HUB_NBMA" "$HUB_TUN"
protected_tunnel_up spoke1 "$SPOKE1_NBMA" "$SPOKE1_TUN"
nhrp_map hub "$SPOKE1_TUN" "$SPOKE1_NBMA"
nhrp_map spoke1 "$HUB_TUN" "$HUB_NBMA"
dmvpnd_conf "$WORK/hub.conf" "$HUB_NBMA" "crypto isakmp key cisco123 address 0.0.0.0 0.0.0.0" "esp-gcm 256"
dmvpnd_conf "$WORK/spoke1.conf" "$SPOKE1_NBMA" "crypto isakmp key cisco123 address $HUB_NBMA" "esp-gcm 256"
show_logs() {
	local f
	for f in hub spoke1 spoke1b; do
		[[ -e $WORK/$f.log ]] && sed "s/^/$f: /" "$WORK/$f.log"
	done
	return 0
}

# keyed once with debugging off: no detail lines
bg hub "$DMVPND" -c "$WORK/hub.conf" 2>"$WORK/hub.log"
bg spoke1 "$DMVPND" -c "$WORK/spoke1.conf" -i "$HUB_NBMA" 2>"$WORK/spoke1.log"
S1_PID=$BG_PID
retry 60 sa_count_is hub 2 || { show_logs; die "the pair was not keyed"; }
check_output_matches "debugging off: no attribute lines in the hub's log" '^0$' \
	bash -c "grep -c 'ISAKMP:      encryption' '$WORK/hub.log' || true"

mark=$(klog_mark)
check_output_matches "debug crypto isakmp" '^Crypto ISAKMP debugging is on' \
	"$DMVPNCTL" debug crypto isakmp
check_output_matches "debug crypto ipsec (dmvpnd and module)" \
	'Crypto IPSEC debugging is on \(module\)' "$DMVPNCTL" debug crypto ipsec
check "the running hub dmvpnd switched at once" \
	retry 5 grep -q 'Crypto ISAKMP debugging is on' "$WORK/hub.log"
check "... and IPSEC too" retry 5 grep -q 'Crypto IPSEC debugging is on' "$WORK/hub.log"
check_output_matches "show debugging: both crypto switches" \
	'Crypto ISAKMP debugging is on' "$DMVPNCTL" show debugging

# a new main mode: spoke1 restarts (SIGTERM deletes its SAs and ISAKMP SA)
kill -TERM "$S1_PID"
wait "$S1_PID" 2>/dev/null || true
retry 10 sa_count_is hub 0 || fail "the hub kept spoke1's SAs"
# seed 003's order, now in the logs: a packet waits, acquire, IKE, SAs,
# the packet goes
bg spoke1 "$DMVPND" -c "$WORK/spoke1.conf" 2>"$WORK/spoke1b.log"
retry 10 grep -q "started" "$WORK/spoke1b.log" || { show_logs; die "spoke1 dmvpnd did not restart"; }
check "spoke1 -> hub: the held ping is answered once IKE is done" \
	run spoke1 ping -c1 -W30 "$HUB_TUN"
retry 60 sa_count_is hub 2 || { show_logs; die "the pair was not keyed again"; }
line_of() {	# line_of MARK REGEX: first line number after MARK, or 0
	klog_since "$1" | grep -nE "$2" | sed -n '1s/:.*//p' | grep . || echo 0
}
l_acq=$(line_of "$mark" 'tun0: IPSEC\(sa_request\): no outbound SA to 172\.16\.10\.1 port 4500 yet: acquire sent to the keyer, [1-9][0-9]* packets held')
l_out=$(line_of "$mark" 'tun0: IPSEC: created SA 0x[0-9a-f]{8} \(out\) with 172\.16\.10\.1 port 4500')
l_held=$(line_of "$mark" 'tun0: IPSEC: outbound SA to 172\.16\.10\.1 is in: sending the [1-9][0-9]* packets held for it')
info "kernel log lines after the switch: acquire $l_acq, outbound SA $l_out, held packets sent $l_held"
check "module trace: the held packet's acquire" test "$l_acq" -gt 0
check "module trace: then the outbound SA" test "$l_out" -gt "$l_acq"
check "module trace: then the held packets go" test "$l_held" -gt "$l_out"
check_output_matches "spoke1's dmvpnd: main mode on the module's acquire" \
	'acquire for 172\.16\.10\.1' cat "$WORK/spoke1b.log"
check_output_matches "hub: every attribute checked (debug crypto isakmp)" \
	'ISAKMP:      encryption AES-CBC' cat "$WORK/hub.log"
check_output_matches "spoke1 started with the switch on: it says so" \
	'Crypto ISAKMP debugging is on' cat "$WORK/spoke1b.log"
check_output_matches "hub: the accepted proposal (debug crypto ipsec)" \
	'IPSEC\(validate_proposal_request\): proposal part #1, .* INBOUND local= 172\.16\.10\.1, remote= 172\.16\.1\.1.*protocol= ESP, transform= esp-gcm 256 \(Transport\)' \
	cat "$WORK/hub.log"
spi=$(sa_json hub | jq -r '[.[] | select(.sa.dir == "in" or .sa.dir == 1)][0].sa.spi')
spi_hex=$(printf '0x%08x' "$spi")
check "module: the hub's new inbound SA $spi_hex is traced with its peer" \
	retry 5 klog_has "$mark" "tun0: IPSEC: created SA $spi_hex \\(in\\) with 172\\.16\\.1\\.1 port 4500"

# clear crypto isakmp: every dmvpnd (both share DMVPN_RUN_DIR here, as
# one router's daemons would) deletes its ISAKMP SA and tells the peer;
# the IPsec SAs stay and carry traffic.  Both publish to the same
# isakmp-tun0 file in this shared directory, so the count is of whichever
# wrote last, and both must be 0 after the clear.
isakmp_count() {
	nsrun hub "$DMVPNCTL" -j show crypto isakmp sa 2>/dev/null | jq length
}
isakmp_count_is() { [[ $(isakmp_count) -eq $1 ]]; }
check "before the clear: an ISAKMP SA is published" retry 10 isakmp_count_is 1
check "clear crypto isakmp" "$DMVPNCTL" clear crypto isakmp
# Whichever daemon acts first deletes the one ISAKMP SA and tells the
# other, which may find none left to delete by the time it acts (the CI
# rehearsal saw the hub second): each acted, one of them deleted it.
check "the hub's dmvpnd acted on the clear" \
	retry 10 grep -qE 'clear crypto isakmp: [01] ISAKMP SAs? deleted' "$WORK/hub.log"
check "spoke1's dmvpnd too" \
	retry 10 grep -qE 'clear crypto isakmp: [01] ISAKMP SAs? deleted' "$WORK/spoke1b.log"
check "one of them deleted the ISAKMP SA" \
	grep -q 'clear crypto isakmp: 1 ISAKMP SA deleted' "$WORK/hub.log" "$WORK/spoke1b.log"
check "no ISAKMP SA is published any more" retry 10 isakmp_count_is 0
check_cmp "the IPsec SAs stay (hub)" "$(sa_count hub)" -eq 2
check_cmp "the IPsec SAs stay (spoke1)" "$(sa_count spoke1)" -eq 2
check "traffic still flows on them" run spoke1 ping -c2 -i0.3 -W3 "$HUB_TUN"

# clear crypto sa on spoke1: the module forgets the pair; spoke1's next
# packet is held, its acquire makes dmvpnd drop the pair it still
# remembered and key again (main mode first: the ISAKMP SA was cleared)
sleep 3
check "clear crypto sa (spoke1)" run spoke1 "$DMVPNCTL" clear crypto sa
check_cmp "spoke1's module has no SA left" "$(sa_count spoke1)" -eq 0
check "spoke1 -> hub after clear crypto sa: keyed again, answered" \
	run spoke1 ping -c1 -W30 "$HUB_TUN"
check_output_matches "spoke1's dmvpnd: the lost pair noticed" \
	'the module has no SA to 172\.16\.10\.1 although 0x[0-9A-F]{8} went in [0-9]+ s ago' \
	cat "$WORK/spoke1b.log"
check_cmp "spoke1 has a new pair" "$(sa_count spoke1)" -eq 2

check_output_matches "undebug all" 'Crypto ISAKMP debugging is off' "$DMVPNCTL" undebug all
check "the hub's dmvpnd switched off" retry 5 grep -q 'Crypto ISAKMP debugging is off' "$WORK/hub.log"
check_output_matches "show debugging: nothing on after undebug all" '^$' "$DMVPNCTL" show debugging
show_logs
ksft_exit
