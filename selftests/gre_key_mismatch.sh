#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# GRE keys must match: a spoke with the wrong key (or none) cannot reach
# the hub, and the hub counts the drops in "ethtool -S tun0" as
# rx_key_mismatch.  spoke2, with the right key, shows the setup works.
. "$(dirname "$0")/lib.sh"

require_userland
require_module
require_cmd ethtool

topo_phase1
tunnel_up hub "$HUB_NBMA" "$HUB_TUN" key 42
tunnel_up spoke1 "$SPOKE1_NBMA" "$SPOKE1_TUN" key 43
tunnel_up spoke2 "$SPOKE2_NBMA" "$SPOKE2_TUN" key 42
nhrp_map hub "$SPOKE1_TUN" "$SPOKE1_NBMA"
nhrp_map hub "$SPOKE2_TUN" "$SPOKE2_NBMA"
nhrp_map spoke1 "$HUB_TUN" "$HUB_NBMA"
nhrp_map spoke2 "$HUB_TUN" "$HUB_NBMA"

retry 15 run spoke2 ping -c1 -W1 "$HUB_TUN" || true
check "control: spoke2 (same key) reaches the hub" run spoke2 ping -c3 -i0.2 -W2 "$HUB_TUN"

mismatch() { ethtool_stat hub tun0 rx_key_mismatch; }
check "hub has an rx_key_mismatch counter in ethtool -S" mismatch
before=$(mismatch || echo 0)
check_fails "spoke1 (key 43) cannot reach the hub (key 42)" \
	run spoke1 ping -c3 -i0.2 -W1 "$HUB_TUN"
after=$(mismatch || echo 0)
check_cmp "hub rx_key_mismatch increased (wrong key)" "$after" -gt "$before"

# No key at all against a keyed hub is a mismatch too.
require ip -n "$(ns spoke1)" link del tun0
tunnel_up spoke1 "$SPOKE1_NBMA" "$SPOKE1_TUN"
nhrp_map spoke1 "$HUB_TUN" "$HUB_NBMA"
before=$after
check_fails "spoke1 without a key cannot reach the hub" \
	run spoke1 ping -c3 -i0.2 -W1 "$HUB_TUN"
after=$(mismatch || echo 0)
check_cmp "hub rx_key_mismatch increased (key missing)" "$after" -gt "$before"

check "control again: spoke2 still reaches the hub" run spoke2 ping -c2 -i0.2 -W2 "$HUB_TUN"
info "hub ethtool -S tun0:"
run hub ethtool -S tun0 || true
ksft_exit
