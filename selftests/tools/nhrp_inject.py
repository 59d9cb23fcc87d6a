#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Send hand-made NHRP packets (RFC 2332) in GRE to a tunnel endpoint.

Selftests use it to put on the wire what no well-behaved NHRP speaker
sends (bad checksums, lengths out of range, unknown compulsory
extensions), and to register many simulated spokes at once.  Stdlib only.

  nhrp_inject.py DEST CASE --src-nbma A --src-proto P --dst-proto D
                 [--key K] [--auth KEY] [--count N] [--seed S]
                 [--burst N --pause S]

Every case starts from a valid Registration Request from (A, P) to the
NHS D, one CIE, with empty Responder / Transit / NAT extensions and the
Cisco authentication extension if --auth is given:

  valid           as built (--count N: N spokes, NBMA A, A+1, ..., tunnel
                  address P, P+1, ...; sent from those NBMA addresses, so
                  the sender needs them routed back and IP_HDRINCL)
  bad-csum        checksum off by one
  truncated       cut to 40 bytes, ar$pktsz unchanged
  pktsz-short     ar$pktsz 12 (below the fixed header)
  pktsz-long      ar$pktsz 200 bytes past the end
  extoff-past     ar$extoff beyond the packet
  unknown-ext     an unknown extension 0x1234 with the compulsory bit
  hopcnt-zero     hop count 0
  bad-version     ar$op.version 2
  bad-type        ar$op.type 99
  cie-overrun     the CIE claims a 60-byte protocol address
  fuzz            N copies with random bytes flipped (checksum fixed up,
                  so that the parser sees past it)
  res-reply       instead a Resolution Reply for the requester (A, P)
                  about D, as a responder (--responder-nbma R) sends it
                  back through an NHS: one CIE (D at R), empty Responder,
                  Forward Transit and NAT extensions, a Reverse Transit
                  record naming --rev-transit T if given; hop count
                  --hopcnt (default 16)
Prints the number of packets sent.
"""
import argparse
import ipaddress
import random
import socket
import struct
import sys
import time

GRE_K, NHRP_PROTO = 0x2000, 0x2001
RES_REPLY, REG_REQ, UNIQUE = 2, 3, 0x8000
EXT_C, EXT_END, EXT_RESPONDER, EXT_FWD, EXT_REV, EXT_AUTH, EXT_NAT = \
    0x8000, 0, 3, 4, 5, 7, 9


def csum16(data):
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def ext(etype, value=b""):
    return struct.pack("!HH", etype, len(value)) + value


def registration(src_nbma, src_proto, dst_proto, auth=None, req_id=1,
                 extra_ext=b"", cie_proto_len=4):
    """A Registration Request as FRR and IOS send it; returns bytearray."""
    nbma = socket.inet_aton(src_nbma)
    sp = socket.inet_aton(src_proto)
    dp = socket.inet_aton(dst_proto)
    common = struct.pack("!BBHI", 4, 4, UNIQUE, req_id)
    cie = struct.pack("!BBHHHBBBB", 0, 32, 0, 1400, 7200, 4, 0, cie_proto_len, 0) + nbma + sp
    mandatory = common + nbma + sp + dp + cie
    exts = ext(EXT_C | EXT_RESPONDER) + ext(EXT_C | EXT_FWD) + ext(EXT_C | EXT_REV)
    if auth is not None:
        exts += ext(EXT_C | EXT_AUTH, struct.pack("!I", 1) + auth.encode())
    exts += ext(EXT_NAT) + extra_ext + ext(EXT_C | EXT_END)
    extoff = 20 + len(mandatory)
    pktsz = extoff + len(exts)
    fixed = struct.pack("!HH5sBHHHBBBB", 1, 0x0800, b"\0" * 5, 16, pktsz, 0,
                        extoff, 1, REG_REQ, 4, 0)
    pkt = bytearray(fixed + mandatory + exts)
    fix_csum(pkt)
    return pkt


def resolution_reply(src_nbma, src_proto, dst_proto, responder_nbma, hopcnt=16,
                     rev_transit=None):
    """A Resolution Reply on its way back to the requester; bytearray."""
    nbma = socket.inet_aton(src_nbma)
    sp = socket.inet_aton(src_proto)
    dp = socket.inet_aton(dst_proto)
    common = struct.pack("!BBHI", 4, 4, 0x4000 | 0x0800, 7)
    cie = struct.pack("!BBHHHBBBB", 0, 32, 0, 1400, 7200, 4, 0, 4, 0) + \
        socket.inet_aton(responder_nbma) + dp
    transit = b""
    if rev_transit is not None:
        transit = struct.pack("!BBHHHBBBB", 0, 32, 0, 1400, 7200, 4, 0, 4, 0) + \
            socket.inet_aton(responder_nbma) + socket.inet_aton(rev_transit)
    mandatory = common + nbma + sp + dp + cie
    exts = ext(EXT_C | EXT_RESPONDER) + ext(EXT_C | EXT_FWD) + \
        ext(EXT_C | EXT_REV, transit) + ext(EXT_NAT) + ext(EXT_C | EXT_END)
    extoff = 20 + len(mandatory)
    pktsz = extoff + len(exts)
    fixed = struct.pack("!HH5sBHHHBBBB", 1, 0x0800, b"\0" * 5, hopcnt, pktsz, 0,
                        extoff, 1, RES_REPLY, 4, 0)
    pkt = bytearray(fixed + mandatory + exts)
    fix_csum(pkt)
    return pkt


def fix_csum(pkt):
    # Fixed header: ar$hopcnt at 9, ar$pktsz at 10, ar$chksum at 12,
    # ar$extoff at 14, ar$op.version at 16, ar$op.type at 17.
    if len(pkt) < 14:
        return
    pkt[12:14] = b"\0\0"
    pktsz = struct.unpack_from("!H", pkt, 10)[0]
    struct.pack_into("!H", pkt, 12, csum16(bytes(pkt[:min(pktsz, len(pkt))])))


def mutate(case, pkt, args):
    if case == "bad-csum":
        struct.pack_into("!H", pkt, 12, (struct.unpack_from("!H", pkt, 12)[0] + 1) & 0xFFFF)
        return [pkt]
    if case == "truncated":
        return [pkt[:40]]
    if case == "pktsz-short":
        struct.pack_into("!H", pkt, 10, 12)
        return [pkt]
    if case == "pktsz-long":
        struct.pack_into("!H", pkt, 10, len(pkt) + 200)
        return [pkt]
    if case == "extoff-past":
        struct.pack_into("!H", pkt, 14, len(pkt) + 8)
    elif case == "unknown-ext":
        pkt = registration(args.src_nbma, args.src_proto, args.dst_proto, args.auth,
                           extra_ext=ext(EXT_C | 0x1234, b"\1\2\3\4"))
    elif case == "hopcnt-zero":
        pkt[9] = 0
    elif case == "bad-version":
        pkt[16] = 2
    elif case == "bad-type":
        pkt[17] = 99
    elif case == "cie-overrun":
        pkt = registration(args.src_nbma, args.src_proto, args.dst_proto, args.auth,
                           cie_proto_len=60)
    elif case == "fuzz":
        rnd = random.Random(args.seed)
        out = []
        for _ in range(args.count):
            p = bytearray(pkt)
            for _ in range(rnd.randint(1, 6)):
                p[rnd.randrange(len(p))] = rnd.randrange(256)
            if rnd.random() < 0.3:
                p = p[:rnd.randrange(4, len(p))]
            fix_csum(p)
            out.append(p)
        return out
    elif case != "valid":
        raise SystemExit("nhrp_inject.py: unknown case %r" % case)
    fix_csum(pkt)
    return [pkt]


def gre(payload, key):
    if key is None:
        return struct.pack("!HH", 0, NHRP_PROTO) + bytes(payload)
    return struct.pack("!HHI", GRE_K, NHRP_PROTO, key) + bytes(payload)


def ip_header(src, dst, length):
    hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + length, 0, 0x4000, 64, 47, 0,
                      socket.inet_aton(src), socket.inet_aton(dst))
    return hdr[:10] + struct.pack("!H", csum16(hdr)) + hdr[12:]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dest")
    ap.add_argument("case")
    ap.add_argument("--src-nbma", required=True)
    ap.add_argument("--src-proto", required=True)
    ap.add_argument("--dst-proto", required=True)
    ap.add_argument("--key", type=lambda v: int(v, 0))
    ap.add_argument("--auth")
    ap.add_argument("--count", type=int, default=1)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--burst", type=int, default=0,
                    help="pause after every N packets (0: never)")
    ap.add_argument("--responder-nbma")
    ap.add_argument("--hopcnt", type=int, default=16)
    ap.add_argument("--rev-transit")
    ap.add_argument("--pause", type=float, default=0.1)
    args = ap.parse_args()

    if args.case == "valid" and args.count > 1:
        # Many spokes: each from its own NBMA address (IP_HDRINCL).
        sock = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
        nbma = ipaddress.IPv4Address(args.src_nbma)
        proto = ipaddress.IPv4Address(args.src_proto)
        for i in range(args.count):
            payload = gre(registration(str(nbma + i), str(proto + i), args.dst_proto,
                                       args.auth, req_id=i + 1), args.key)
            sock.sendto(ip_header(str(nbma + i), args.dest, len(payload)) + payload,
                        (args.dest, 0))
            if args.burst and (i + 1) % args.burst == 0:
                time.sleep(args.pause)
        print(args.count)
        return 0

    if args.case == "res-reply":
        if not args.responder_nbma:
            raise SystemExit("nhrp_inject.py: res-reply needs --responder-nbma")
        pkts = [resolution_reply(args.src_nbma, args.src_proto, args.dst_proto,
                                 args.responder_nbma, args.hopcnt, args.rev_transit)]
    else:
        pkts = mutate(args.case, registration(args.src_nbma, args.src_proto,
                                              args.dst_proto, args.auth), args)
    sock = socket.socket(socket.AF_INET, socket.SOCK_RAW, 47)
    for p in pkts:
        sock.sendto(gre(p, args.key), (args.dest, 0))
    print(len(pkts))
    return 0


if __name__ == "__main__":
    sys.exit(main())
