#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The kernel's GRE demultiplexer has one receive slot for plain GRE, and
# ip_gre takes it when loaded.  A plain-GRE dmvpn tunnel must then be
# refused with a message that says why, leaving no device behind; and
# ip_gre cannot load while a dmvpn tunnel holds the slot.
. "$(dirname "$0")/lib.sh"

require_userland
require_module
modinfo ip_gre >/dev/null 2>&1 || skip "ip_gre is not available as a module in this kernel"
[[ -d /sys/module/ip_gre ]] && skip "ip_gre is already loaded by something else"

ns_add a
defer rmmod ip_gre

load_ip_gre
out=$(ip -n "$(ns a)" link add tun0 type dmvpn local 192.0.2.1 2>&1) && rc=0 || rc=$?
check_cmp "tunnel creation refused while ip_gre is loaded" "$rc" -ne 0
check_output_matches "the error names ip_gre" 'ip_gre' echo "$out"
check_fails "no tun0 left behind" ip -n "$(ns a)" link show tun0

require rmmod ip_gre
check "tunnel created once ip_gre is gone" \
	ip -n "$(ns a)" link add tun0 type dmvpn local 192.0.2.1
check_fails "ip_gre cannot load while a dmvpn tunnel holds GRE receive" modprobe ip_gre
check "tunnel deleted" ip -n "$(ns a)" link del tun0
check "ip_gre loads after the last tunnel is gone" modprobe ip_gre
check "ip_gre unloads" rmmod ip_gre

ksft_exit
