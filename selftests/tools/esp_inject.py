#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Put hostile and odd ESP-in-UDP on the wire, for selftests.

  esp_inject.py send DEST HEX [--sport N] [--dport N]       one UDP payload
  esp_inject.py keepalive DEST [--sport N]                  the byte 0xff
  esp_inject.py ike DEST TEXT [--sport N]                   4 zero bytes + TEXT
  esp_inject.py esp DEST --spi S --seq N --alg ALG --key HEX
        [--inner-src A --inner-dst B] [--gre-key K] [--ident N]
        [--outer-src A --outer-dst B]
        [--mutate none|icv|padding|truncate|nexthdr|tunnel|tunnel-tfc|tunnel-frag]
        [--save FILE] [--sport N]
        a real ESP packet (AES-GCM or ChaCha20-Poly1305, transport mode,
        sealed by the kernel's AEAD over AF_ALG) carrying GRE and an ICMP
        echo request, optionally broken: icv
        flips an ICV byte, padding sends pad bytes that are not 1, 2, 3..
        under a valid ICV, truncate cuts it below the smallest ESP packet,
        nexthdr says UDP instead of GRE under a valid ICV.  tunnel: tunnel
        mode, an IPv4 header --outer-src to --outer-dst (protocol GRE)
        before the GRE packet; tunnel-tfc: the same followed by 64 bytes of
        TFC padding (RFC 4303 2.7); tunnel-frag: the same header marked as
        a first fragment (MF)
  esp_inject.py esp-set DIR --spi S --alg ALG --key HEX NAME=SEQ[:MUTATE]...
        builds several such packets (same options as esp) without sending
        them, each to DIR/NAME.hex for "replay": one start-up for all
  esp_inject.py capture IFACE FILE [--src ADDR] [--timeout S]
        saves the next ESP-in-UDP payload (first 4 bytes non-zero) to or
        from port 4500 seen on IFACE, as hex
  esp_inject.py replay DEST FILE [--sport N]                sends FILE's payload
  esp_inject.py fuzz DEST --count N --spi S [--seed N] [--sport N] [--pace N]
        N random payloads, a third each: random SPIs (never S, never 0),
        SPI S with random sequence numbers and bodies, and short or odd
        sizes (1..7 bytes, none all-zero at the front); prints what it
        sent by class as JSON

DEST is an IPv4 address; the destination port defaults to 4500.
"""
import argparse
import json
import os
import random
import socket
import struct
import sys
import time

ETH_P_IP = 0x0800


def csum16(data):
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def icmp_echo(src, dst, ident, seq):
    icmp = struct.pack("!BBHHH", 8, 0, 0, ident, seq) + b"dmvpn-esp-selftest"
    icmp = icmp[:2] + struct.pack("!H", csum16(icmp)) + icmp[4:]
    hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(icmp), seq & 0xffff, 0, 64, 1, 0,
                      socket.inet_aton(src), socket.inet_aton(dst))
    hdr = hdr[:10] + struct.pack("!H", csum16(hdr)) + hdr[12:]
    return hdr + icmp


def ipv4_header(src, dst, proto, payload_len, frag_off=0x4000):
    """20 bytes of IPv4 header; frag_off 0x4000 is DF, 0x2000 MF."""
    hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + payload_len, 0, frag_off, 64, proto, 0,
                      socket.inet_aton(src), socket.inet_aton(dst))
    return hdr[:10] + struct.pack("!H", csum16(hdr)) + hdr[12:]


MUTATIONS = ("none", "icv", "padding", "truncate", "nexthdr",
             "tunnel", "tunnel-tfc", "tunnel-frag")


def gre(payload, key=None):
    if key is None:
        return struct.pack("!HH", 0, 0x0800) + payload
    return struct.pack("!HHI", 0x2000, 0x0800, key) + payload


AEAD_NAMES = {"aes128gcm16": ("rfc4106(gcm(aes))", 20),
              "aes256gcm16": ("rfc4106(gcm(aes))", 36),
              "chacha20poly1305": ("rfc7539esp(chacha20,poly1305)", 36)}


def esp_seal(alg, key, hdr, iv, plain):
    """ESP header || IV || ciphertext || 16-byte ICV, as esp4 builds it.

    The kernel's own AEAD over AF_ALG, with esp4's conventions: the key is
    cipher key || salt, the associated data SPI || seq || IV of which the
    transform skips the IV.  python3-cryptography if AF_ALG is missing.
    """
    if alg not in AEAD_NAMES:
        sys.exit("esp_inject.py: only %s are built here" % ", ".join(AEAD_NAMES))
    name, want = AEAD_NAMES[alg]
    if len(key) != want:
        sys.exit("esp_inject.py: %s takes %d key bytes, got %d" % (alg, want, len(key)))
    try:
        tfm = socket.socket(socket.AF_ALG, socket.SOCK_SEQPACKET, 0)
        tfm.bind(("aead", name))
        tfm.setsockopt(socket.SOL_ALG, socket.ALG_SET_KEY, key)
        tfm.setsockopt(socket.SOL_ALG, socket.ALG_SET_AEAD_AUTHSIZE, None, 16)
        op, _ = tfm.accept()
        ad = hdr + iv
        op.sendmsg_afalg([ad + plain], op=socket.ALG_OP_ENCRYPT, iv=iv, assoclen=len(ad))
        out = op.recv(len(ad) + len(plain) + 16)
        op.close()
        tfm.close()
        return out
    except (OSError, AttributeError) as e:
        print("esp_inject.py: AF_ALG %s: %s; trying python3-cryptography" % (name, e),
              file=sys.stderr)
    try:
        import site
        site.main()     # the selftests start this with -S
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM, ChaCha20Poly1305
    except ImportError:
        sys.exit("esp_inject.py: SKIP: neither AF_ALG nor python3-cryptography can seal ESP")
    cipher = (ChaCha20Poly1305 if alg == "chacha20poly1305" else AESGCM)(key[:-4])
    return hdr + iv + cipher.encrypt(key[-4:] + iv, plain, hdr)


def build_esp(args):
    key = bytes.fromhex(args.key[2:] if args.key.startswith("0x") else args.key)
    inner = gre(icmp_echo(args.inner_src, args.inner_dst, args.ident, args.seq & 0xffff),
                args.gre_key)
    nexthdr = 17 if args.mutate == "nexthdr" else 47
    if args.mutate.startswith("tunnel"):
        inner = ipv4_header(args.outer_src, args.outer_dst, 47, len(inner),
                            0x2000 if args.mutate == "tunnel-frag" else 0x4000) + inner
        if args.mutate == "tunnel-tfc":
            inner += bytes(64)
        nexthdr = 4     # IPPROTO_IPIP: an IPv4 datagram
    padlen = (-(len(inner) + 2)) % 4
    pad = bytes(range(1, padlen + 1))
    if args.mutate == "padding":
        padlen += 4
        pad = bytes([0x55] * padlen)    # should be 1, 2, 3, ...
    plain = inner + pad + bytes([padlen, nexthdr])
    hdr = struct.pack("!II", args.spi, args.seq & 0xffffffff)
    # Like the kernel's GCM IVs: unique per key is all they need.
    iv = struct.pack("!Q", args.seq)
    pkt = bytearray(esp_seal(args.alg, key, hdr, iv, plain))
    if args.mutate == "icv":
        pkt[-3] ^= 0x40
    elif args.mutate == "truncate":
        pkt = pkt[:8 + 8 + 2 + 15]      # one byte short of header+IV+trailer+ICV
    return bytes(pkt)


def udp_send(dest, payloads, sport=0, dport=4500, pace=0):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if sport:
        s.bind(("0.0.0.0", sport))
    for i, p in enumerate(payloads):
        s.sendto(p, (dest, dport))
        if pace and (i + 1) % pace == 0:
            time.sleep(0.02)
    s.close()


def capture(args):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_DGRAM, socket.htons(ETH_P_IP))
    s.bind((args.iface, ETH_P_IP))
    s.settimeout(args.timeout)
    open(args.file + ".ready", "w").close()
    deadline = time.monotonic() + args.timeout
    while time.monotonic() < deadline:
        try:
            pkt = s.recv(65536)
        except socket.timeout:
            break
        if len(pkt) < 28 or pkt[0] >> 4 != 4 or pkt[9] != 17:
            continue
        ihl = (pkt[0] & 15) * 4
        src = socket.inet_ntoa(pkt[12:16])
        sport, dport, ulen = struct.unpack_from("!HHH", pkt, ihl)
        payload = pkt[ihl + 8:ihl + ulen]
        if 4500 not in (sport, dport) or len(payload) < 8 or payload[:4] == b"\0\0\0\0":
            continue
        if args.src and src != args.src:
            continue
        with open(args.file, "w") as f:
            f.write(payload.hex() + "\n")
        print("captured %d bytes from %s:%d, SPI 0x%08x seq %d" %
              (len(payload), src, sport, *struct.unpack_from("!II", payload)))
        return 0
    print("esp_inject.py: nothing captured on %s" % args.iface, file=sys.stderr)
    return 1


def fuzz(args):
    rnd = random.Random(args.seed)
    classes = {"random_spi": 0, "target_spi": 0, "short": 0}
    payloads = []
    for i in range(args.count):
        kind = i % 3
        if kind == 0:
            spi = args.spi
            while spi in (args.spi, 0) or spi in args.avoid:
                spi = rnd.getrandbits(32)
            body = bytes(rnd.getrandbits(8) for _ in range(rnd.randrange(4, 300)))
            payloads.append(struct.pack("!I", spi) + body)
            classes["random_spi"] += 1
        elif kind == 1:
            body = bytes(rnd.getrandbits(8) for _ in range(rnd.randrange(4, 300)))
            payloads.append(struct.pack("!I", args.spi) + body)
            classes["target_spi"] += 1
        else:
            n = rnd.randrange(4, 8)
            first = 0
            while first == 0:
                first = rnd.getrandbits(32)
            payloads.append(struct.pack("!I", first)[:n] +
                            bytes(rnd.getrandbits(8) for _ in range(n - 4)))
            classes["short"] += 1
    udp_send(args.dest, payloads, args.sport, args.dport, args.pace)
    print(json.dumps(classes, sort_keys=True))
    return 0


def main():
    ap = argparse.ArgumentParser(prog="esp_inject.py", description=__doc__.splitlines()[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog=__doc__.split("\n\n", 1)[1])
    sub = ap.add_subparsers(dest="cmd", required=True)

    def dest(p):
        p.add_argument("dest")
        p.add_argument("--sport", type=int, default=0)
        p.add_argument("--dport", type=int, default=4500)
        return p

    p = dest(sub.add_parser("send"))
    p.add_argument("hex")
    dest(sub.add_parser("keepalive"))
    p = dest(sub.add_parser("ike"))
    p.add_argument("text")
    p = dest(sub.add_parser("esp"))
    p.add_argument("--spi", type=lambda x: int(x, 0), required=True)
    p.add_argument("--seq", type=int, required=True)
    p.add_argument("--alg", default="aes256gcm16")
    p.add_argument("--key", required=True)
    p.add_argument("--inner-src", default="10.1.1.1")
    p.add_argument("--inner-dst", default="10.1.1.254")
    p.add_argument("--gre-key", type=lambda x: int(x, 0))
    p.add_argument("--ident", type=int, default=0x4242)
    p.add_argument("--outer-src", default="172.16.1.1")
    p.add_argument("--outer-dst", default="172.16.10.1")
    p.add_argument("--mutate", default="none", choices=MUTATIONS)
    p.add_argument("--save")
    p = sub.add_parser("esp-set")
    p.add_argument("dir")
    p.add_argument("--spi", type=lambda x: int(x, 0), required=True)
    p.add_argument("--alg", default="aes256gcm16")
    p.add_argument("--key", required=True)
    p.add_argument("--inner-src", default="10.1.1.1")
    p.add_argument("--inner-dst", default="10.1.1.254")
    p.add_argument("--gre-key", type=lambda x: int(x, 0))
    p.add_argument("--ident", type=int, default=0x4242)
    p.add_argument("--outer-src", default="172.16.1.1")
    p.add_argument("--outer-dst", default="172.16.10.1")
    p.add_argument("packets", nargs="+", metavar="NAME=SEQ[:MUTATE]")
    p = sub.add_parser("capture")
    p.add_argument("iface")
    p.add_argument("file")
    p.add_argument("--src")
    p.add_argument("--timeout", type=float, default=20)
    p = dest(sub.add_parser("replay"))
    p.add_argument("file")
    p = dest(sub.add_parser("fuzz"))
    p.add_argument("--count", type=int, default=2000)
    p.add_argument("--spi", type=lambda x: int(x, 0), required=True)
    p.add_argument("--avoid", type=lambda x: [int(v, 0) for v in x.split(",")], default=[])
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--pace", type=int, default=20, help="pause 20 ms every N packets")
    args = ap.parse_args()

    if args.cmd == "capture":
        return capture(args)
    if args.cmd == "fuzz":
        return fuzz(args)
    if args.cmd == "esp-set":
        for spec in args.packets:
            name, _, rest = spec.partition("=")
            seq, _, args.mutate = rest.partition(":")
            args.seq, args.mutate = int(seq), args.mutate or "none"
            if args.mutate not in MUTATIONS:
                sys.exit("esp_inject.py: unknown mutation %r" % args.mutate)
            with open(os.path.join(args.dir, name + ".hex"), "w") as f:
                f.write(build_esp(args).hex() + "\n")
        return 0
    if args.cmd == "send":
        payload = bytes.fromhex(args.hex)
    elif args.cmd == "keepalive":
        payload = b"\xff"
    elif args.cmd == "ike":
        payload = b"\0\0\0\0" + args.text.encode()
    elif args.cmd == "replay":
        payload = bytes.fromhex(open(args.file).read().strip())
    else:
        payload = build_esp(args)
        if args.save:
            with open(args.save, "w") as f:
                f.write(payload.hex() + "\n")
    udp_send(args.dest, [payload], args.sport, args.dport)
    return 0


if __name__ == "__main__":
    sys.exit(main())
