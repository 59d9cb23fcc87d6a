#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The kernel's own netlink CLI, ynl (tools/net/ynl/cli.py of Linux 6.12),
# driven only by Documentation/netlink/specs/dmvpn.yaml, reads a live
# protected hub (two spokes, SAs, static NHRP maps) and agrees with
# dmvpnctl -j on every value both show:
#  - the spec validates against the kernel's genetlink schema;
#  - dev-get (dump and do): ifindex, ifname, local, key, ttl, counts,
#    protection, socket port and every counter of the stats nest;
#  - nhrp-get dump: each entry's addresses, prefix, type and flags;
#  - sa-get dump: each SA's direction, SPI, counters and sequence number,
#    and a known number of pings moves the packet counters by exactly that;
#  - peer-get dump: per-peer outbound SPI and drop counters;
#  - bad requests fail in ynl with the kernel's extack message;
#  - ynl --subscribe events receives the module's notifications: an NHRP
#    map added and deleted while it listens, as two nhrp-notify messages
#    with the entry's address and the event.
# The ynl tree comes from linux-source-6.12 (selftests/vm/ynl-tree.sh,
# run by "make deps"); Linux 6.1 has no tools/net/ynl at all.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/esp_lib.sh"

require_userland
require_module
require_cmd jq

YNL_TREE=${DMVPN_YNL_TREE:-/var/cache/dmvpn/ynl-6.12}
YNL_CLI=$YNL_TREE/tools/net/ynl/cli.py
YNL_SCHEMA=$YNL_TREE/Documentation/netlink/genetlink.yaml
SPEC=$REPO/Documentation/netlink/specs/dmvpn.yaml
# Debian's interpreter with Debian's python3-yaml and python3-jsonschema,
# whatever else is first in PATH on the host.
PY=/usr/bin/python3

[[ -f "$YNL_CLI" && -f "$YNL_SCHEMA" ]] ||
	skip "no ynl tree at $YNL_TREE (make deps, or bash selftests/vm/ynl-tree.sh)"
"$PY" -c 'import yaml, jsonschema' 2>/dev/null ||
	skip "$PY lacks yaml or jsonschema (apt-get install python3-yaml python3-jsonschema)"

# ynl ROLE ARGS...: the ynl CLI in ROLE's namespace, JSON on stdout.
# The first call validates the spec against the schema inside ynl, as ynl
# does by default for specs in a kernel tree; the rest skip it
# (--no-schema): validating costs a second per call on the host (ynl
# --list-ops: 1.29 s against 0.34 s) and many times that in the guest.
YNL_SCHEMA_ARGS=(--schema "$YNL_SCHEMA")
ynl() {
	local role=$1
	shift
	nsrun "$role" "$PY" "$YNL_CLI" --spec "$SPEC" "${YNL_SCHEMA_ARGS[@]}" --output-json "$@"
}

# jq definitions: ip4hex turns "172.16.10.1" into "ac100a01", as ynl
# prints a binary attribute.
JQ_DEFS='def hex2: [(. / 16 | floor), (. % 16)] | map("0123456789abcdef"[.:(. + 1)]) | add;
def ip4hex: if . == null then null else split(".") | map(tonumber | hex2) | add end;'

# hexaddr A.B.C.D: the address as ynl prints a binary attribute (hex).
hexaddr() {
	local IFS=.
	# shellcheck disable=SC2086 # split on the dots
	printf '%02x%02x%02x%02x' $1
}

# same DESC A B: two JSON documents are equal (after jq -S).
same() {
	local desc=$1 a b
	a=$(jq -S . <<<"$2" 2>&1) || { fail "$desc: first document is not JSON: $2"; return; }
	b=$(jq -S . <<<"$3" 2>&1) || { fail "$desc: second document is not JSON: $3"; return; }
	if [[ "$a" == "$b" ]]; then
		printf 'PASS: %s (%s)\n' "$desc" "$(jq -c . <<<"$a" | cut -c1-200)"
	else
		fail "$desc"
		diff <(printf '%s\n' "$a") <(printf '%s\n' "$b") | sed 's/^/  | /' || true
	fi
}

# ---- the spec alone ----------------------------------------------------------
check "spec follows the kernel's genetlink schema" \
	"$PY" -c 'import sys, yaml, jsonschema
jsonschema.validate(yaml.safe_load(open(sys.argv[1])), yaml.safe_load(open(sys.argv[2])))' \
	"$SPEC" "$YNL_SCHEMA"

# ---- a live protected hub ------------------------------------------------------
SPI_HUB_FROM_S1=0x1001 SPI_HUB_FROM_S2=0x1002
SPI_S1_FROM_HUB=0x2001 SPI_S2_FROM_HUB=0x3001
PINGS=7

topo_phase1
defer delete_tunnels hub spoke1 spoke2
protected_tunnel_up hub "$HUB_NBMA" "$HUB_TUN" key 42 ttl 64
protected_tunnel_up spoke1 "$SPOKE1_NBMA" "$SPOKE1_TUN" key 42 ttl 64
protected_tunnel_up spoke2 "$SPOKE2_NBMA" "$SPOKE2_TUN" key 42 ttl 64
nhrp_map hub "$SPOKE1_TUN" "$SPOKE1_NBMA"
nhrp_map hub "$SPOKE2_TUN" "$SPOKE2_NBMA"
nhrp_map spoke1 "$HUB_TUN" "$HUB_NBMA"
nhrp_map spoke2 "$HUB_TUN" "$HUB_NBMA"
# A third entry, with a port, for a spoke that is not there.
require run hub "$DMVPNCTL" nhrp map add dev tun0 10.1.1.9 172.16.9.1 port 4501
for role in hub spoke1 spoke2; do
	attach_socket "$role"
done
sa_pair spoke1 "$SPOKE1_NBMA" hub "$HUB_NBMA" "$ESP_ALG" "$SPI_HUB_FROM_S1" "$SPI_S1_FROM_HUB" reqid 11
sa_pair spoke2 "$SPOKE2_NBMA" hub "$HUB_NBMA" "$ESP_ALG" "$SPI_HUB_FROM_S2" "$SPI_S2_FROM_HUB" \
	lifetime seconds 3600 lifetime kilobytes 4608000
retry 15 run spoke1 ping -c1 -W1 "$HUB_TUN" || die "spoke1 cannot ping the hub over the tunnel"
retry 15 run spoke2 ping -c1 -W1 "$HUB_TUN" || die "spoke2 cannot ping the hub over the tunnel"
# Something for the drop counters: ESP with an SPI nobody has.
require crypto_ctl spoke1 crypto sa add dev tun0 dir out spi 0x7777 peer "$HUB_NBMA" \
	alg aes128gcm16 key "$(hexrand 20)"
run spoke1 ping -c1 -W1 "$HUB_TUN" >/dev/null 2>&1 || true
require crypto_ctl spoke1 crypto sa del dev tun0 dir out spi 0x7777 peer "$HUB_NBMA"
retry 15 run spoke1 ping -c1 -W1 "$HUB_TUN" || die "spoke1 lost the hub after the bad SA went"

HUB_IFINDEX=$(ip -n "$(ns hub)" -j link show tun0 | jq -r '.[0].ifindex')
info "hub tun0 is ifindex $HUB_IFINDEX"

# ---- dev-get -----------------------------------------------------------------
dev_dump=$(ynl hub --dump dev-get) || die "ynl --dump dev-get failed: $dev_dump"
YNL_SCHEMA_ARGS=(--no-schema)
ctl_if=$(nsrun hub "$DMVPNCTL" -j show interface tun0) || die "dmvpnctl -j show interface failed"
check_cmp "dev-get dump: one tunnel in the hub's netns" "$(jq length <<<"$dev_dump")" -eq 1
# ynl's names, with dmvpnctl's spelling where the two differ.
same "dev-get dump agrees with dmvpnctl show interface" \
	"$(jq '.[0] | {
		ifindex, ifname, local: .dev.local, key: .dev.key, ttl: .dev.ttl,
		nhrp_entries: .dev["nhrp-count"], nbma_peers: .dev["peer-count"],
		protect: (.dev.protect == 1), socket_port: .dev["sock-port"],
		sa_count: .dev["sa-count"],
		stats: (.dev.stats | with_entries(.key |= gsub("-"; "_")))}' <<<"$dev_dump")" \
	"$(jq "$JQ_DEFS"'.[0] | {
		ifindex, ifname, local: (.local | ip4hex), key, ttl, nhrp_entries, nbma_peers,
		protect, socket_port, sa_count, stats}' <<<"$ctl_if")"
# shellcheck disable=SC2016 # $a is jq's
check "dmvpnctl's local is the hub's NBMA address" \
	jq -e --arg a "$HUB_NBMA" '.[0].local == $a' <<<"$ctl_if"
check_cmp "dev-get: three NHRP entries" "$(jq '.[0].dev["nhrp-count"]' <<<"$dev_dump")" -eq 3
check_cmp "dev-get: invalid-spi drops were counted" \
	"$(jq '.[0].dev.stats["rx-invalid-spi"] // 0' <<<"$dev_dump")" -ge 1

dev_do=$(ynl hub --do dev-get --json "{\"ifindex\": $HUB_IFINDEX}") || die "ynl --do dev-get failed: $dev_do"
same "dev-get do by ifindex equals the dump's entry" \
	"$(jq '.dev.stats' <<<"$dev_do")" "$(jq '.[0].dev.stats' <<<"$dev_dump")"
same "dev-get do: identity" "$(jq '{ifindex, ifname, local: .dev.local}' <<<"$dev_do")" \
	"{\"ifindex\": $HUB_IFINDEX, \"ifname\": \"tun0\", \"local\": \"$(hexaddr "$HUB_NBMA")\"}"

# ---- nhrp-get ----------------------------------------------------------------
nhrp_dump=$(ynl hub --dump nhrp-get --json "{\"ifindex\": $HUB_IFINDEX}") ||
	die "ynl --dump nhrp-get failed: $nhrp_dump"
ctl_nhrp=$(nsrun hub "$DMVPNCTL" -j show ip nhrp dev tun0) || die "dmvpnctl -j show ip nhrp failed"
# One sorted line per entry: proto/plen nbma port type flags.
ynl_nhrp=$(jq -r '.[] | .nhrp | [.["proto-addr"], (.["prefix-len"] // 32), .["nbma-addr"],
	(.["nbma-port"] // 0), .type, ((.flags // []) | sort | join(","))] | @tsv' <<<"$nhrp_dump" | sort)
ctl_nhrp_lines=$(jq -r "$JQ_DEFS"'.[] | [(.proto_addr | ip4hex), .prefix_len,
	(.nbma_addr | ip4hex), .nbma_port, .type, (.flags | sort | join(","))] | @tsv' <<<"$ctl_nhrp" | sort)
check_cmp "nhrp-get dump: three entries" "$(wc -l <<<"$ynl_nhrp")" -eq 3
if [[ "$ynl_nhrp" == "$ctl_nhrp_lines" ]]; then
	printf 'PASS: nhrp-get dump agrees with dmvpnctl show ip nhrp\n'
	printf '  | %s\n' "${ynl_nhrp//$'\n'/$'\n'  | }"
else
	fail "nhrp-get dump differs from dmvpnctl show ip nhrp"
	diff <(printf '%s\n' "$ynl_nhrp") <(printf '%s\n' "$ctl_nhrp_lines") | sed 's/^/  | /' || true
fi
check_output_matches "nhrp-get dump has the entry with a port" \
	"^0a010109	32	ac100901	4501	static" printf '%s\n' "$ynl_nhrp"

# ---- sa-get ------------------------------------------------------------------
# sa_lines_ynl / sa_lines_ctl: one sorted line per SA of the hub's tun0:
# dir spi packets bytes seq reqid hard-secs state.
sa_lines_ynl() {
	local out
	out=$(ynl hub --dump sa-get --json "{\"ifindex\": $HUB_IFINDEX}") || {
		echo "ynl --dump sa-get failed: $out"
		return 1
	}
	jq -r '.[] | .sa | [.dir, .spi, .stats.packets, .stats.bytes, (.seq // 0),
		(.reqid // 0), (.["hard-secs"] // 0), ((.state // []) | sort | join(","))] | @tsv' <<<"$out" | sort
}
sa_lines_ctl() {
	nsrun hub "$DMVPNCTL" -j show crypto ipsec sa dev tun0 | jq -r '
		.[] | ((.inbound_esp_sas[] | . + {dir: "in"}), (.outbound_esp_sas[] | . + {dir: "out"}))
		| [.dir, .spi, .stats.packets, .stats.bytes, (.seq // 0), (.reqid // 0),
		   (.hard_secs // 0), ((.state // []) | sort | join(","))] | @tsv' | sort
}
sa_ynl=$(sa_lines_ynl) || die "$sa_ynl"
sa_ctl=$(sa_lines_ctl) || die "dmvpnctl -j show crypto ipsec sa failed"
check_cmp "sa-get dump: four SAs on the hub" "$(wc -l <<<"$sa_ynl")" -eq 4
if [[ "$sa_ynl" == "$sa_ctl" ]]; then
	printf 'PASS: sa-get dump agrees with dmvpnctl show crypto ipsec sa\n'
	printf '  | %s\n' "${sa_ynl//$'\n'/$'\n'  | }"
else
	fail "sa-get dump differs from dmvpnctl show crypto ipsec sa"
	diff <(printf '%s\n' "$sa_ynl") <(printf '%s\n' "$sa_ctl") | sed 's/^/  | /' || true
fi
check_output_matches "sa-get: reqid and lifetime decoded" \
	"^in	$((SPI_HUB_FROM_S2))	.*	0	3600	" printf '%s\n' "$sa_ynl"

# A known number of pings moves the hub's SA counters by exactly that.
sa_packets_ynl() {
	awk -v d="$1" -v s="$(($2))" '$1 == d && $2 == s { print $3 }' <<<"$3"
}
in_before=$(sa_packets_ynl in "$SPI_HUB_FROM_S1" "$sa_ynl")
out_before=$(sa_packets_ynl out "$SPI_S1_FROM_HUB" "$sa_ynl")
check "spoke1 -> hub, $PINGS pings" run spoke1 ping -c "$PINGS" -i0.2 -W2 "$HUB_TUN"
sa_after=$(sa_lines_ynl) || die "$sa_after"
check_cmp "sa-get: hub's inbound SA from spoke1 counted $PINGS more packets" \
	"$(($(sa_packets_ynl in "$SPI_HUB_FROM_S1" "$sa_after") - in_before))" -eq "$PINGS"
check_cmp "sa-get: hub's outbound SA to spoke1 counted $PINGS more packets" \
	"$(($(sa_packets_ynl out "$SPI_S1_FROM_HUB" "$sa_after") - out_before))" -eq "$PINGS"
sa_ctl_after=$(sa_lines_ctl) || die "dmvpnctl -j show crypto ipsec sa failed"
check "sa-get after the pings still agrees with dmvpnctl" test "$sa_after" == "$sa_ctl_after"

# ---- peer-get ----------------------------------------------------------------
peer_dump=$(ynl hub --dump peer-get --json "{\"ifindex\": $HUB_IFINDEX}") ||
	die "ynl --dump peer-get failed: $peer_dump"
same "peer-get dump agrees with dmvpnctl show crypto ipsec sa (per peer)" \
	"$(jq -S '[.[] | .peer | {addr, port, spi_out: .["spi-out"], held: (.held // 0),
		no_sa: (.["no-sa"] // 0), invalid_spi: (.["invalid-spi"] // 0)}] | sort_by(.addr)' <<<"$peer_dump")" \
	"$(nsrun hub "$DMVPNCTL" -j show crypto ipsec sa dev tun0 | jq -S "$JQ_DEFS"'[.[] | {
		addr: (.peer_addr | ip4hex), port: .peer_port, spi_out: .current_outbound_spi,
		held, no_sa: .no_sa_send, invalid_spi: .invalid_sa_rcv}] | sort_by(.addr)')"

# ---- notifications -----------------------------------------------------------
NTF=$(mktemp)
defer rm -f "$NTF"
ynl hub --subscribe events --sleep 10 >"$NTF" 2>&1 &
ntf_pid=$!
# ynl subscribes before it sleeps; python starts slowly in the guest
sleep 5
nhrp_map hub 10.1.1.77 172.16.77.1
require run hub "$DMVPNCTL" nhrp map del dev tun0 10.1.1.77
wait "$ntf_pid" || true
info "ynl --subscribe events printed: $(head -c 600 "$NTF")"
# ntf_events: "event address" of each nhrp-notify ynl printed
ntf_events() {
	jq -r '.[] | select(.name == "nhrp-notify") | .msg |
		"\(.event) \(.nhrp["proto-addr"])"' "$NTF"
}
check_output_matches "ynl --subscribe: nhrp-notify for the map added" \
	"^nhrp-new $(hexaddr 10.1.1.77)\$" ntf_events
check_output_matches "ynl --subscribe: nhrp-notify for the map deleted" \
	"^nhrp-del $(hexaddr 10.1.1.77)\$" ntf_events

# ---- refusals ----------------------------------------------------------------
# ynl_refused ROLE ARGS...: ynl must fail; its output is the kernel's
# extack message (ynl prints NlError with "msg" and exits 1).
ynl_refused() { ! ynl "$@"; }
check_output_matches "dev-get do on lo: refused with the kernel's message" \
	'interface is not a dmvpn tunnel' ynl_refused hub --do dev-get --json '{"ifindex": 1}'
check_output_matches "dev-get do on a missing ifindex: refused with the kernel's message" \
	'no such interface' ynl_refused hub --do dev-get --json '{"ifindex": 99999}'
check_output_matches "sa-get dump without ifindex: refused with the kernel's message" \
	'DMVPN_A_IFINDEX \(the tunnel\) is required' ynl_refused hub --dump sa-get
# Linux 6.1 drops the extack of a dump's start callback; the SA and peer
# dumps work around it (kernel/crypto_netlink.c), the NHRP dump must too.
check_output_matches "nhrp-get dump without ifindex: refused with the kernel's message" \
	'DMVPN_A_IFINDEX \(the tunnel\) is required' ynl_refused hub --dump nhrp-get

ksft_exit
