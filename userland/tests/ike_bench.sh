#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Handshakes per second (main mode PSK + quick mode, DH group 14,
# aes256-sha256), dmvpnd -> dmvpnd and dmvpnd -> strongSwan charon, in two
# network namespaces on this machine; dmvpnd uses its record backend.
#
#   userland/tests/ike_bench.sh [COUNT]      (default 200, or $IKE_BENCH_COUNT)
#
# Prints one line per pair and the ratio.  Needs root.  "make bench"
# runs it in a QEMU guest (selftests/vm/bench_ike.sh), several times.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
U=$(dirname "$HERE")
D=$U/dmvpnd
COUNT=${1:-${IKE_BENCH_COUNT:-200}}
W=$(mktemp -d /tmp/ike_bench.XXXXXX)
NSA=ibA$$ NSB=ibB$$
PIDS=()
cleanup() {
	for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	ip netns del $NSA 2>/dev/null || true
	ip netns del $NSB 2>/dev/null || true
	rm -rf "$W"
}
trap cleanup EXIT
ip netns add $NSA
ip netns add $NSB
ip link add iba netns $NSA type veth peer name ibb netns $NSB
ip -n $NSA addr add 10.96.0.1/24 dev iba
ip -n $NSB addr add 10.96.0.2/24 dev ibb
for ns in $NSA $NSB; do ip -n $ns link set lo up; done
ip -n $NSA link set iba up
ip -n $NSB link set ibb up

conf() {
	cat >"$1" <<EOC
crypto isakmp policy 10
 encr aes 256
 hash sha256
 authentication pre-share
 group 14
crypto isakmp key benchkey address 0.0.0.0 0.0.0.0
crypto ipsec transform-set TS esp-aes 256 esp-sha256-hmac
 mode transport
crypto ipsec profile P
 set transform-set TS
interface tun0
 tunnel source $2
 tunnel protection ipsec profile P
EOC
}
conf "$W/a.conf" 10.96.0.1
conf "$W/b.conf" 10.96.0.2

rate() { sed -n 's/.*: \([0-9.]*\) per second/\1/p' "$1"; }

ip netns exec $NSB "$D" -c "$W/b.conf" -b "record:$W/b.rec" 2>"$W/b.log" &
PIDS+=($!)
sleep 0.3
timeout 600 ip netns exec $NSA "$D" -c "$W/a.conf" -b "record:$W/a.rec" \
	-i 10.96.0.2 -n "$COUNT" >"$W/dd.txt" 2>"$W/a.log"
kill "${PIDS[0]}"
DD=$(rate "$W/dd.txt")
echo "dmvpnd -> dmvpnd:  $(cat "$W/dd.txt")"

if [[ ! -x /usr/lib/ipsec/charon ]]; then
	echo "dmvpnd -> charon:  skipped (strongSwan not installed)"
	exit 0
fi
mkdir -p "$W/c"
cat >"$W/c/strongswan.conf" <<EOC
charon {
	load_modular = no
	load = random nonce openssl pem pkcs1 x509 pubkey hmac kdf kernel-netlink socket-default vici
	install_routes = no
	plugins { vici { socket = unix://$W/c/charon.vici } }
	syslog { daemon { default = -1 } }
	filelog { f { path = $W/c/charon.log
		default = 0 } }
}
EOC
cat >"$W/c/swanctl.conf" <<EOC
connections { b { version = 1
	local_addrs = 10.96.0.2
	remote_addrs = 10.96.0.1
	proposals = aes256-sha256-modp2048
	encap = yes
	local { auth = psk
		id = 10.96.0.2 }
	remote { auth = psk
		id = 10.96.0.1 }
	children { gre { mode = transport
		local_ts = dynamic[gre]
		remote_ts = dynamic[gre]
		esp_proposals = aes256-sha256 } } } }
secrets { ike-b { id-a = 10.96.0.1
	id-b = 10.96.0.2
	secret = benchkey } }
EOC
STRONGSWAN_CONF=$W/c/strongswan.conf ip netns exec $NSB unshare -m --propagation private \
	sh -c "mount -t tmpfs tmpfs /run && exec /usr/lib/ipsec/charon" >/dev/null 2>&1 &
PIDS+=($!)
for _ in $(seq 50); do [[ -S $W/c/charon.vici ]] && break; sleep 0.1; done
STRONGSWAN_CONF=$W/c/strongswan.conf ip netns exec $NSB swanctl --load-all \
	--file "$W/c/swanctl.conf" --uri "unix://$W/c/charon.vici" >/dev/null
timeout 600 ip netns exec $NSA "$D" -c "$W/a.conf" -b "record:$W/a2.rec" \
	-i 10.96.0.2 -n "$COUNT" >"$W/dc.txt" 2>"$W/a2.log" || {
	echo "dmvpnd -> charon:  failed"; tail -5 "$W/a2.log"; exit 1; }
DC=$(rate "$W/dc.txt")
echo "dmvpnd -> charon:  $(cat "$W/dc.txt")"
python3 -c "import sys; d, c = map(float, sys.argv[1:]); print('ratio dmvpnd/charon (responder): %.2f' % (d / c))" "$DD" "$DC"
