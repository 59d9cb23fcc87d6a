#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Guest side of "make bench-nhrp" (selftests/vm/bench_nhrp.sh boots a QEMU
# guest and runs this there).  A benchmark, not a test: it measures.
#
#  lookup   the NHRP cache is the forwarding table, probed once per packet:
#           64-byte UDP from the hub to one spoke, packets per second
#           received, with 10, 1,000 and 100,000 entries in the hub's
#           cache (each at its own NBMA address, so each with its own
#           peer).  Flat rates mean the lookup cost does not grow.
#  memory   unreclaimable slab and the per-CPU allocator (/proc/meminfo
#           SUnreclaim + Percpu) before and after adding the entries:
#           bytes per entry, its peer and the hash tables included (noisy
#           for small counts; the largest count is the figure).
#  register BENCH_SPOKES (10,000) simulated spokes, each from its own NBMA
#           address, register with the hub (tools/nhrp_inject.py, paced
#           in bursts); how many the hub keeps and how fast it took them.
#
# Settings from the environment or the job file: BENCH_SIZES ("10 1000
# 100000"), BENCH_RUNS (3), BENCH_SECS (5), BENCH_SPOKES (10000),
# BENCH_OUT (/run/vm-out).
# Output: $BENCH_OUT/nhrp_bench.tsv, one line per measurement.
JOB=/run/vm-out/job
# shellcheck disable=SC1090
[[ -f "$JOB" ]] && . "$JOB"
# shellcheck source=../lib.sh
. "$(dirname "$0")/../lib.sh"
# shellcheck source=../esp_lib.sh
. "$(dirname "$0")/../esp_lib.sh"

SIZES=${BENCH_SIZES:-10 1000 100000}
RUNS=${BENCH_RUNS:-3}
SECS=${BENCH_SECS:-5}
SPOKES=${BENCH_SPOKES:-10000}
OUT=${BENCH_OUT:-/run/vm-out}
TSV=$OUT/nhrp_bench.tsv
printf 'what\tentries\trun\tvalue\tunit\n' >"$TSV"

ns_add hub spoke
veth_pair hub eth0 spoke eth0
require ip -n "$(ns hub)" addr add 172.16.0.1/16 dev eth0
require ip -n "$(ns spoke)" addr add 172.16.0.2/16 dev eth0
tunnel_up hub 172.16.0.1 10.0.0.1 key 1
tunnel_up spoke 172.16.0.2 10.0.0.2 key 1
require ip -n "$(ns hub)" addr add 10.128.0.1/9 dev tun0
nhrp_map hub 10.0.0.2 172.16.0.2
nhrp_map spoke 10.0.0.1 172.16.0.1
retry 10 run hub ping -c1 -W1 10.0.0.2 >/dev/null || die "the tunnel does not work"

mem_kb() { awk -v k="$1:" '$1 == k { print $2 }' /proc/meminfo; }

# fill N: entries 10.128.0.0/9 + i -> NBMA 172.17.0.0/16 + i (one peer
# each), through esp_ctl.py's batch mode (one process, one request each).
filled=0
fill() {
	local want=$1
	python3 - "$filled" "$want" <<-'PY' | nsrun hub "${ESP_CTL[@]}" batch >/dev/null
		import ipaddress, sys
		a, b = int(sys.argv[1]), int(sys.argv[2])
		for i in range(a, b):
		    proto = ipaddress.IPv4Address("10.128.1.0") + i
		    nbma = ipaddress.IPv4Address("172.17.0.0") + i
		    print("\x1f".join(["raw", "nhrp_add", "--dev", "tun0",
		                       "--in", "nhrp.proto_addr=ipv4:%s" % proto,
		                       "--in", "nhrp.nbma_addr=ipv4:%s" % nbma]))
	PY
	filled=$want
}

pps() {
	local json
	json=$(run hub iperf3 -c 10.0.0.2 -p 5201 -u -b 0 -l 64 -t "$SECS" -J 2>/dev/null) || return 1
	jq -r '.end.sum.packets - .end.sum.lost_packets' <<<"$json" |
		awk -v s="$SECS" '{ printf "%d\n", $1 / s }'
}

slab0=$(mem_kb SUnreclaim) percpu0=$(mem_kb Percpu)
for n in $SIZES; do
	fill "$n"
	count=$(esp_ctl hub dev-get tun0 | jq .dev.nhrp_count)
	slab=$(mem_kb SUnreclaim) percpu=$(mem_kb Percpu)
	printf 'memory\t%s\t-\t%s\tbytes/entry\n' "$count" \
		$(( ((slab - slab0) + (percpu - percpu0)) * 1024 / (count > 1 ? count - 1 : 1) )) >>"$TSV"
	printf 'percpu\t%s\t-\t%s\tbytes/entry\n' "$count" \
		$(( (percpu - percpu0) * 1024 / (count > 1 ? count - 1 : 1) )) >>"$TSV"
	for r in $(seq 1 "$RUNS"); do
		run spoke pkill -x iperf3 2>/dev/null || true
		bg spoke iperf3 -s -1 -B 10.0.0.2 -p 5201 >/dev/null 2>&1
		sleep 0.5
		v=$(pps) || v=0
		printf 'lookup\t%s\t%s\t%s\tpps\n' "$count" "$r" "$v" >>"$TSV"
	done
done
# ---- registrations -----------------------------------------------------------
# The hub's own tunnel, NHRP on; the spokes come from 10.64.0.0/10 over
# the veth (the spoke namespace sends them with IP_HDRINCL).
require esp_ctl hub raw nhrp_flush --dev tun0 --top flush_all=flag
require esp_ctl hub raw nhrp_conf_set --dev tun0 --in nhrp_conf.network_id=u32:1
require ip -n "$(ns hub)" route add 10.64.0.0/10 via 172.16.0.2
start=$(date +%s.%N)
nsrun spoke python3 "$SELFTESTS_DIR/tools/nhrp_inject.py" 172.16.0.1 valid --key 1 \
	--count "$SPOKES" --src-nbma 10.64.0.1 --src-proto 10.128.0.2 --dst-proto 10.0.0.1 \
	--burst 200 --pause 0.2 >/dev/null
kept=0
for _ in $(seq 1 120); do
	kept=$(esp_ctl hub dev-get tun0 | jq .dev.nhrp_count)
	((kept >= SPOKES)) && break
	sleep 1
done
secs=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
{
	printf 'register\t%s\t-\t%s\tkept\n' "$SPOKES" "$kept"
	printf 'register\t%s\t-\t%s\tseconds\n' "$SPOKES" "$secs"
	printf 'register\t%s\t-\t%s\trx_dropped\n' "$SPOKES" \
		"$(esp_ctl hub dev-get tun0 | jq .dev.nhrp_stats.rx_dropped)"
} >>"$TSV"
cat "$TSV"
