#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# strongSwan's charon as a test peer in one namespace (sourced after
# lib.sh and esp_lib.sh).  Set SW (its directory) and SWAN_ROLE (its
# namespace) first; swanctl.conf in $SW is the test's own.
#
# charon runs with a private /run (its pid file is fixed there), its own
# strongswan.conf and vici socket, so that several can run at once.  An
# explicit plugin list (load_modular = no) leaves out aesni, rdrand,
# kernel-libipsec and bypass-lan, which make charon crash under QEMU's
# TCG.

CHARON=/usr/lib/ipsec/charon
SWANCTL=$(command -v swanctl || echo /usr/sbin/swanctl)

# swan_require: skip unless charon, swanctl and ip_gre are there.
swan_require() {
	[[ -x $CHARON ]] || skip "strongSwan charon is not installed"
	[[ -x $SWANCTL ]] || skip "strongSwan swanctl is not installed"
	modinfo ip_gre >/dev/null 2>&1 || skip "ip_gre is not available as a module in this kernel"
}

# swan_gre_spoke LOCAL_NBMA TUNNEL_ADDR: Linux's own GRE in $SWAN_ROLE,
# gre1 from LOCAL_NBMA to the hub, TUNNEL_ADDR/24, IPv6 off (nothing but
# the test's own traffic crosses it), up; ip_gre loaded for it.
swan_gre_spoke() {
	local ns
	ns=$(ns "$SWAN_ROLE")
	defer rmmod ip_gre
	load_ip_gre
	require ip -n "$ns" link add gre1 type gre local "$1" remote "$HUB_NBMA"
	defer ip -n "$ns" link del gre1
	require run "$SWAN_ROLE" sysctl -qw net.ipv6.conf.gre1.disable_ipv6=1
	require ip -n "$ns" addr add "$2/$TUN_PREFIX" dev gre1
	require ip -n "$ns" link set gre1 up
}

# swan_conf: $SW/strongswan.conf (log in $SW/charon.log, IKE at level 2).
swan_conf() {
	mkdir -p "$SW"
	cat >"$SW/strongswan.conf" <<EOF
charon {
	load_modular = no
	load = random nonce openssl pem pkcs1 pubkey hmac kdf kernel-netlink socket-default vici
	install_routes = no
	install_virtual_ip = no
	retransmit_tries = 3
	retransmit_timeout = 2
	plugins {
		vici { socket = unix://$SW/charon.vici }
	}
	filelog {
		swan {
			path = $SW/charon.log
			time_format = %T
			flush_line = yes
			time_add_ms = yes
			default = 1
			ike = 2
			knl = 2
		}
	}
	syslog { daemon { default = -1 } }
}
swanctl { load = pem pkcs1 pubkey openssl random }
EOF
}

# swan ARGS...: swanctl against this test's charon.
swan() {
	nsrun "$SWAN_ROLE" env STRONGSWAN_CONF="$SW/strongswan.conf" timeout 60 \
		"$SWANCTL" "$@" --uri "unix://$SW/charon.vici"
}

# shellcheck disable=SC2034 # CHARON_PID is for the test that sources this
# charon_start: charon in $SWAN_ROLE, then swanctl.conf loaded.  Its PID
# (ip netns exec, env, unshare and sh each exec the next) in CHARON_PID.
charon_start() {
	rm -f "$SW/charon.vici"
	bg "$SWAN_ROLE" env STRONGSWAN_CONF="$SW/strongswan.conf" \
		unshare -m --propagation private \
		sh -c "mount -t tmpfs tmpfs /run && exec $CHARON" >>"$SW/stdout" 2>&1
	CHARON_PID=$BG_PID
	retry 20 test -S "$SW/charon.vici" || die "charon did not start: $(cat "$SW/stdout")"
	require swan --load-all --file "$SW/swanctl.conf"
}

# swan_logs: charon's log and output, for a failing test's report.
swan_logs() {
	[[ ! -e $SW/charon.log ]] || sed 's/^/charon: /' "$SW/charon.log"
	[[ ! -s $SW/stdout ]] || sed 's/^/charon stdout: /' "$SW/stdout"
}
