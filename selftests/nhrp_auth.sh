#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Who may register (seed 003's "ip nhrp authentication" and "ip nhrp
# network-id"):
#  - the hub has a key; a spoke with the same key registers, one with a
#    wrong key and one with none are refused, counted (rx_auth_failed)
#    and logged, and get no entry;
#  - network-id is local: the hub's second tunnel (key 2, network-id 2)
#    keeps its own spokes apart from tun0's, and a tunnel with NHRP off
#    (no network-id) drops NHRP and counts it.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/esp_lib.sh"
. "$(dirname "$0")/nhrp_lib.sh"

require_userland
require_module
require_cmd jq

topo_phase1
hexkey() { printf '%s' "$1" | od -An -tx1 | tr -d ' \n'; }

nhrp_hub auth=hex:"$(hexkey cisco123)"
nhrp_spoke spoke1 "$SPOKE1_NBMA" "$SPOKE1_TUN" auth=hex:"$(hexkey cisco123)"
nhrp_spoke spoke2 "$SPOKE2_NBMA" "$SPOKE2_TUN" auth=hex:"$(hexkey wrong)"

check "hub: spoke1 (right key) registered" \
	retry 20 output_is "$SPOKE1_NBMA" nhrp_entry_field hub "$SPOKE1_TUN" .nbma_addr
check "hub: spoke2's wrong key counted" retry 10 output_ge 2 nhrp_stat hub rx_auth_failed
check_output_matches "hub: no entry for spoke2" '^$' nhrp_entry hub "$SPOKE2_TUN"
check_output_matches "spoke2: NHS stays E" '^E$' nhs_field spoke2 "$HUB_TUN" .state
check_cmp "spoke2: no reply" "$(nhs_field spoke2 "$HUB_TUN" .reply_recv)" -eq 0
conf=$(esp_ctl hub dev-get tun0 | jq -c .dev.nhrp_conf)
info "hub NHRP configuration as DEV_GET shows it: $conf"
check_output_matches "DEV_GET says a key is set" '"auth_set":1' echo "$conf"
check_output_matches "DEV_GET carries no key attribute" '^false$' jq 'has("auth")' <<<"$conf"
check_output_matches "the refusal is logged" 'NHRP: authentication mismatch in a packet from 172\.16\.2\.1' dmesg

# No key at all on the spoke: "missing".
f0=$(nhrp_stat hub rx_auth_failed)
require nhrp_set spoke2 auth_clear=flag
check "hub: spoke2 without a key refused too" retry 10 output_gt "$f0" nhrp_stat hub rx_auth_failed
check_output_matches "the refusal says the key is missing" 'NHRP: authentication missing in a packet from 172\.16\.2\.1' dmesg
# The right key: in.
require nhrp_set spoke2 auth=hex:"$(hexkey cisco123)"
check "hub: spoke2 registered once its key is right" \
	retry 20 output_is "$SPOKE2_NBMA" nhrp_entry_field hub "$SPOKE2_TUN" .nbma_addr

# Bad configuration is refused with a message and changes nothing.
check_fails_matching "a 9-byte key is refused" 'key must have 1 to 8 bytes' \
	esp_ctl hub raw nhrp_conf_set --dev tun0 --in nhrp_conf.auth=hex:010203040506070809
check_fails_matching "holdtime 0 is refused" 'error: ERANGE|error: EINVAL' \
	esp_ctl hub raw nhrp_conf_set --dev tun0 --in nhrp_conf.holdtime=u32:0
check_fails_matching "a key and its removal together are refused" 'not both' \
	esp_ctl hub raw nhrp_conf_set --dev tun0 --in nhrp_conf.auth=hex:01 --in nhrp_conf.auth_clear=flag
check_fails_matching "AUTH_SET cannot be set" 'reply-only' \
	esp_ctl hub raw nhrp_conf_set --dev tun0 --in nhrp_conf.auth_set=u8:1
check_fails_matching "NHS state cannot be set" 'kept by the module' \
	esp_ctl hub raw nhs_add --dev tun0 --in nhs.proto_addr=ipv4:10.1.1.9 --in nhs.state=u8:3
check_fails_matching "an NHS needs its address" 'PROTO_ADDR' \
	esp_ctl hub raw nhs_add --dev tun0 --in nhs.priority=u8:1
check_fails_matching "deleting an unknown NHS is refused" 'no NHS with this address' \
	esp_ctl hub raw nhs_del --dev tun0 --in nhs.proto_addr=ipv4:10.9.9.9
check_cmp "the hub's holdtime is unchanged (7200)" \
	"$(esp_ctl hub dev-get tun0 | jq .dev.nhrp_conf.holdtime)" -eq 7200

# ---- network-id separation ------------------------------------------------------
require ip -n "$(ns hub)" link add tun1 type dmvpn local "$HUB_NBMA" key 2
require ip -n "$(ns hub)" addr add 10.2.2.254/24 dev tun1
require ip -n "$(ns hub)" link set tun1 up
NHRP_DEV=tun1 require nhrp_set hub network_id=u32:2
require ip -n "$(ns hub)" link add tun2 type dmvpn local "$HUB_NBMA" key 3
require ip -n "$(ns hub)" addr add 10.3.3.254/24 dev tun2
require ip -n "$(ns hub)" link set tun2 up
for k in 2 3; do
	require ip -n "$(ns spoke1)" link add "tun$k" type dmvpn local "$SPOKE1_NBMA" key "$k"
	require ip -n "$(ns spoke1)" addr add "10.$k.$k.1/24" dev "tun$k"
	require ip -n "$(ns spoke1)" link set "tun$k" up
	NHRP_DEV=tun$k require nhrp_set spoke1 network_id=u32:$k holdtime=u32:12 reg_interval=u32:3
	NHRP_DEV=tun$k require nhs_add spoke1 "10.$k.$k.254" "$HUB_NBMA"
done
check "hub tun1 (network-id 2): spoke1's tun2 registered" \
	retry 20 output_is "$SPOKE1_NBMA" on_dev tun1 nhrp_entry_field hub 10.2.2.1 .nbma_addr
check_output_matches "hub tun0 (network-id 1) does not see it" '^$' nhrp_entry hub 10.2.2.1
check_cmp "hub tun1 does not see tun0's spokes" "$(NHRP_DEV=tun1 nhrp_entry hub "$SPOKE1_TUN" | wc -c)" -eq 0
check_cmp "hub tun1: exactly one dynamic entry" "$(NHRP_DEV=tun1 nhrp_count hub dynamic)" -eq 1
check "hub tun2 (NHRP off) drops spoke1's registrations, counted" \
	retry 10 output_ge 1 on_dev tun2 nhrp_stat hub rx_dropped
check_cmp "hub tun2: no entry" "$(NHRP_DEV=tun2 nhrp_count hub dynamic)" -eq 0
check "spoke1 tun3 (to the hub's tun2): NHS stays E" test "$(NHRP_DEV=tun3 nhs_field spoke1 10.3.3.254 .state)" = E

ksft_exit
