#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The example scripts "make install" puts in /etc/dmvpn/examples work as
# written: packaging/examples/hub-phase1.sh in the hub's namespace and
# spoke-phase1.sh in each spoke's (the second with its own addresses from
# the environment) bring up seed 003's phase-1 cloud of lib.sh's
# topo_phase1; the spokes reach the hub and each other through it.
. "$(dirname "$0")/lib.sh"

require_userland
require_module

EXAMPLES=$REPO/packaging/examples

topo_phase1
defer ip -n "$(ns hub)" link del tun0
defer ip -n "$(ns spoke1)" link del tun0
defer ip -n "$(ns spoke2)" link del tun0

check "hub-phase1.sh as written" run hub sh "$EXAMPLES/hub-phase1.sh"
check "spoke-phase1.sh as written (spoke1)" run spoke1 sh "$EXAMPLES/spoke-phase1.sh"
check "spoke-phase1.sh for spoke2, settings from the environment" \
	run spoke2 env NBMA="$SPOKE2_NBMA" ADDR="$SPOKE2_TUN/$TUN_PREFIX" OTHER_SPOKES="$SPOKE1_TUN" \
	sh "$EXAMPLES/spoke-phase1.sh"
check_output_matches "hub: show dmvpn lists both spokes" "$SPOKE2_NBMA" \
	run hub "$DMVPNCTL" show dmvpn
check "spoke1 -> spoke2 through the hub" run spoke1 ping -c 3 -W 2 "$SPOKE2_TUN"
check "spoke2 -> spoke1 through the hub" run spoke2 ping -c 3 -W 2 "$SPOKE1_TUN"
check_output_matches "spoke1 reaches spoke2 via the hub's tunnel address" "via $HUB_TUN" \
	ip -n "$(ns spoke1)" route get "$SPOKE2_TUN"

ksft_exit
