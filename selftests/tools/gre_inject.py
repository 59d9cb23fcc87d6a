#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Send hand-made GRE packets (IP protocol 47) to a tunnel endpoint.

Used by selftests to put malformed and edge-case GRE on the wire, which no
well-behaved tunnel would send.  Stdlib only.

  gre_inject.py DEST CASE [--key K] [--count N] [--seed S]

Cases:
  short-options   flags announce checksum+key+sequence (16 bytes), only 12 sent
  routing         the obsolete routing-present bit set
  strict          the strict-source-route bit set
  recursion       recursion control non-zero
  short-inner     valid keyed header, inner IPv4 header cut to 4 bytes
  bad-csum        checksum present and wrong
  good-csum       checksum present and right, carrying an ICMP echo request
                  from --src-inner to --dst-inner
  unknown-proto   valid keyed header, protocol type 0x1234
  wrong-key       key K+1
  no-key          no key at all
  fuzz            N packets of random flags and bytes (version 0)
"""
import argparse
import random
import socket
import struct
import sys

GRE_C, GRE_R, GRE_K, GRE_S, GRE_STRICT = 0x8000, 0x4000, 0x2000, 0x1000, 0x0800


def csum16(data):
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def ipv4_icmp_echo(src, dst, ident=0x4242, seq=1):
    icmp = struct.pack("!BBHHH", 8, 0, 0, ident, seq) + b"dmvpn-selftest"
    icmp = icmp[:2] + struct.pack("!H", csum16(icmp)) + icmp[4:]
    hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(icmp), 1, 0, 64, 1, 0,
                      socket.inet_aton(src), socket.inet_aton(dst))
    hdr = hdr[:10] + struct.pack("!H", csum16(hdr)) + hdr[12:]
    return hdr + icmp


def gre(flags, proto, key=None, payload=b"", csum=None, seq=None):
    out = struct.pack("!HH", flags, proto)
    if flags & GRE_C:
        out += struct.pack("!HH", 0 if csum is None else csum, 0)
    if flags & GRE_K:
        out += struct.pack("!I", key)
    if flags & GRE_S:
        out += struct.pack("!I", 0 if seq is None else seq)
    return out + payload


def build(case, args):
    key = args.key
    inner = ipv4_icmp_echo(args.src_inner, args.dst_inner)
    if case == "short-options":
        return [struct.pack("!HH", GRE_C | GRE_K | GRE_S, 0x0800) + b"\0" * 8]
    if case == "routing":
        return [gre(GRE_R | GRE_K, 0x0800, key, inner)]
    if case == "strict":
        return [gre(GRE_STRICT | GRE_K, 0x0800, key, inner)]
    if case == "recursion":
        return [struct.pack("!HH", GRE_K | 0x0100, 0x0800) + struct.pack("!I", key) + inner]
    if case == "short-inner":
        return [gre(GRE_K, 0x0800, key, inner[:4])]
    if case == "bad-csum":
        pkt = gre(GRE_C | GRE_K, 0x0800, key, inner, csum=0)
        good = csum16(pkt)
        return [gre(GRE_C | GRE_K, 0x0800, key, inner, csum=good ^ 0x5555)]
    if case == "good-csum":
        pkt = gre(GRE_C | GRE_K, 0x0800, key, inner, csum=0)
        return [gre(GRE_C | GRE_K, 0x0800, key, inner, csum=csum16(pkt))]
    if case == "unknown-proto":
        return [gre(GRE_K, 0x1234, key, inner)]
    if case == "wrong-key":
        return [gre(GRE_K, 0x0800, (key + 1) & 0xFFFFFFFF, inner)]
    if case == "no-key":
        return [gre(0, 0x0800, None, inner)]
    if case == "fuzz":
        rnd = random.Random(args.seed)
        pkts = []
        for _ in range(args.count):
            flags = rnd.getrandbits(16) & ~0x0007        # version 0: ours
            if rnd.random() < 0.5:
                flags &= ~(GRE_R | GRE_STRICT | 0x0700)  # mostly parseable
            proto = rnd.choice([0x0800, 0x86DD, 0x2001, rnd.getrandbits(16)])
            body = bytes(rnd.getrandbits(8) for _ in range(rnd.randint(8, 160)))
            if rnd.random() < 0.5 and flags & GRE_K:
                hdr = struct.pack("!HH", flags, proto)
                opt = b""
                if flags & GRE_C:
                    opt += b"\0\0\0\0"
                opt += struct.pack("!I", key)
                body = hdr + opt + body
            else:
                body = struct.pack("!HH", flags, proto) + body
            pkts.append(body)
        return pkts
    sys.exit("unknown case %r" % case)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dest")
    ap.add_argument("case")
    ap.add_argument("--key", type=int, default=0)
    ap.add_argument("--count", type=int, default=1)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--src-inner", default="10.1.1.1")
    ap.add_argument("--dst-inner", default="10.1.1.254")
    args = ap.parse_args()
    sock = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_GRE)
    pkts = build(args.case, args)
    repeat = 1 if args.case == "fuzz" else args.count
    sent = 0
    for _ in range(repeat):
        for pkt in pkts:
            sock.sendto(pkt, (args.dest, 0))
            sent += 1
    print("sent %d %s packet(s) to %s" % (sent, args.case, args.dest))


if __name__ == "__main__":
    main()
