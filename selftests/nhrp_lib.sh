#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Sourced after lib.sh and esp_lib.sh by the NHRP selftests: NHRP
# configuration and state through the genetlink family (tools/esp_ctl.py,
# so that a test does not depend on dmvpnctl's display), and a spoke
# behind a NAT router (nftables masquerade).  The helpers act on tun0, or
# on $NHRP_DEV.

# shellcheck disable=SC2034 # used by the tests that source this
NHRP_INJECT=(python3 -S -c 'import sys; sys.dont_write_bytecode = False; sys.path.insert(0, sys.argv.pop(1)); import nhrp_inject; sys.exit(nhrp_inject.main())'
	"$SELFTESTS_DIR/tools")

# For "retry": each runs CMD afresh and compares its output.
# output_is VALUE CMD...: the output is VALUE ("" for none).
output_is() { [[ "$("${@:2}" 2>/dev/null)" == "$1" ]]; }
# output_nonempty CMD...: there is output.
output_nonempty() { [[ -n "$("$@" 2>/dev/null)" ]]; }
# output_ge N CMD..., output_gt N CMD...: the output is a number >= / > N.
output_ge() {
	local v
	v=$("${@:2}" 2>/dev/null)
	[[ "$v" =~ ^[0-9]+$ ]] && ((v >= $1))
}
output_gt() {
	local v
	v=$("${@:2}" 2>/dev/null)
	[[ "$v" =~ ^[0-9]+$ ]] && ((v > $1))
}

# on_dev DEV CMD...: CMD with the helpers acting on DEV instead of tun0.
on_dev() {
	local NHRP_DEV=$1
	shift
	"$@"
}

# nhrp_set ROLE NAME=ENC:VAL...: DMVPN_CMD_NHRP_CONF_SET on ROLE's tun0,
# e.g. nhrp_set hub network_id=u32:1 holdtime=u32:30.
nhrp_set() {
	local role=$1 a
	local -a args=()
	shift
	for a in "$@"; do
		args+=(--in "nhrp_conf.$a")
	done
	esp_ctl "$role" raw nhrp_conf_set --dev "${NHRP_DEV:-tun0}" "${args[@]}"
}

# nhs_add ROLE PROTO [NBMA]: "ip nhrp nhs PROTO [nbma NBMA]".
nhs_add() {
	local -a args=(--in "nhs.proto_addr=ipv4:$2")
	[[ -z "${3:-}" ]] || args+=(--in "nhs.nbma_addr=ipv4:$3")
	esp_ctl "$1" raw nhs_add --dev "${NHRP_DEV:-tun0}" "${args[@]}"
}

# nhrp_entry ROLE PROTO: the NHRP cache entry of PROTO as JSON ("" if none).
nhrp_entry() {
	esp_ctl "$1" nhrp-dump "${NHRP_DEV:-tun0}" | jq -c --arg p "$2" '.[] | .nhrp | select(.proto_addr == $p)'
}

# nhrp_entry_field ROLE PROTO JQ: one field of that entry (empty if none).
nhrp_entry_field() {
	nhrp_entry "$1" "$2" | jq -r "$3 // empty"
}

# nhrp_prefix_field ROLE NETWORK LEN JQ: a field of the entry for that prefix.
nhrp_prefix_field() {
	esp_ctl "$1" nhrp-dump "${NHRP_DEV:-tun0}" |
		jq -r --arg p "$2" --argjson l "$3" \
			".[] | .nhrp | select(.proto_addr == \$p and .prefix_len == \$l) | $4 // empty"
}

# nhrp_count ROLE TYPE: entries of TYPE (static, dynamic, ...) in tun0's cache.
nhrp_count() {
	esp_ctl "$1" nhrp-dump "${NHRP_DEV:-tun0}" | jq --arg t "$2" '[.[] | select(.nhrp.type == $t)] | length'
}

# nhrp_stat ROLE NAME: one NHRP counter of tun0 (rx_reg_req, rx_auth_failed...),
# read with dmvpnctl (a C program starts far faster than Python in the
# guest); nhrp_stat_raw reads it with esp_ctl.py, as a cross-check.
nhrp_stat() {
	nsrun "$1" "$DMVPNCTL" -j show ip nhrp traffic dev "${NHRP_DEV:-tun0}" |
		jq -r --arg n "$2" '.[0].stats[$n] // 0'
}
nhrp_stat_raw() {
	esp_ctl "$1" dev-get "${NHRP_DEV:-tun0}" | jq -r --arg n "$2" '.dev.nhrp_stats[$n] // 0'
}

# nhs_field ROLE PROTO JQ: a field of the NHS PROTO on ROLE's tun0.
nhs_field() {
	esp_ctl "$1" nhs-dump "${NHRP_DEV:-tun0}" |
		jq -r --arg p "$2" ".[] | .nhs | select(.proto_addr == \$p) | $3 // empty"
}

# Tunnel address and NBMA addresses of the third spoke, which sits behind
# a NAT router: its own address is private, the hub sees the router's.
# shellcheck disable=SC2034 # used by the tests that source this
SPOKE3_TUN=10.1.1.3
SPOKE3_NBMA=192.168.3.2
NAT3_PUBLIC=172.16.3.1

# topo_nat_spoke: namespaces nat3 and spoke3 on top of topo_phase1:
#   spoke3 eth0 192.168.3.2/24 -- nat3 lan 192.168.3.1/24
#   nat3 wan 172.16.3.1/24 -- inet to-nat3 172.16.3.254
# nat3 masquerades everything leaving wan.
topo_nat_spoke() {
	ns_add nat3 spoke3
	veth_pair spoke3 eth0 nat3 lan
	veth_pair nat3 wan inet to-nat3
	require ip -n "$(ns spoke3)" addr add "$SPOKE3_NBMA/24" dev eth0
	require ip -n "$(ns spoke3)" route add default via 192.168.3.1
	require ip -n "$(ns nat3)" addr add 192.168.3.1/24 dev lan
	require ip -n "$(ns nat3)" addr add "$NAT3_PUBLIC/24" dev wan
	require ip -n "$(ns nat3)" route add default via 172.16.3.254
	require ip -n "$(ns inet)" addr add 172.16.3.254/24 dev to-nat3
	require run nat3 sysctl -qw net.ipv4.ip_forward=1
	run nat3 nft -f - <<-'NFT' || skip "nftables NAT is not available in this kernel"
		table ip nat {
			chain post {
				type nat hook postrouting priority srcnat; policy accept;
				oifname "wan" masquerade
			}
		}
	NFT
	retry 10 run spoke3 ping -c1 -W1 "$HUB_NBMA" ||
		die "underlay: spoke3 cannot reach the hub through the NAT"
}

# nhrp_spoke ROLE NBMA TUN [nhrp_set args...]: a spoke tunnel (key 1) that
# registers with the hub every 3 s for 12 s, plus "nhs HUB nbma HUB".
nhrp_spoke() {
	local role=$1 nbma=$2 addr=$3
	shift 3
	tunnel_up "$role" "$nbma" "$addr" key 1
	require run "$role" sysctl -qw net.ipv6.conf.tun0.disable_ipv6=1
	require nhrp_set "$role" network_id=u32:1 holdtime=u32:12 reg_interval=u32:3 "$@"
	require nhs_add "$role" "$HUB_TUN" "$HUB_NBMA"
}

# nhrp_hub [nhrp_set args...]: the hub's tunnel (key 1), NHRP on.
nhrp_hub() {
	tunnel_up hub "$HUB_NBMA" "$HUB_TUN" key 1
	require run hub sysctl -qw net.ipv6.conf.tun0.disable_ipv6=1
	require run hub sysctl -qw net.ipv4.ip_forward=1
	require nhrp_set hub network_id=u32:1 "$@"
}

# echo_counter_up ROLE: count the ICMP echo requests ROLE forwards (is
# the hub still in the path, or did a shortcut take over?).
echo_counter_up() {
	run "$1" nft -f - <<-'NFT' || die "nft refused $1's echo counter"
		table inet nhrptest {
			chain c_fwd {
				type filter hook forward priority 0; policy accept;
				icmp type echo-request counter comment "echo"
			}
		}
	NFT
}

# echo_forwarded ROLE: echo requests ROLE forwarded since echo_counter_up.
echo_forwarded() {
	run "$1" nft -j list chain inet nhrptest c_fwd |
		jq '[.nftables[] | .rule? | select(. != null) | .expr[] | .counter? | select(. != null) | .packets] | add // 0'
}
