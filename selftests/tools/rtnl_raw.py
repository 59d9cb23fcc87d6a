#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Send hand-made RTM_NEWLINK/RTM_DELLINK requests and print the kernel's answer.

For kernel selftests that need requests ip(8) would never build:

  rtnl_raw.py newlink NAME --kind dmvpn --attr LOCAL=ipv4:10.0.0.1 \\
      --attr KEY=hex:0102 --attr 99=hex:00
  rtnl_raw.py setlink NAME --kind dmvpn --attr NOKEY=flag
  rtnl_raw.py newlink NAME --kind dmvpn --raw-data 0500010001
  rtnl_raw.py dellink NAME

--attr TYPE=ENC:VALUE adds one attribute inside IFLA_INFO_DATA.  TYPE is a
number or a name of the IFLA_DMVPN_* enum of include/uapi/linux/dmvpn.h
("LOCAL" or "IFLA_DMVPN_LOCAL").  ENC is u8, u16, u32, u64 (host order),
ipv4, ipv6, hex (bytes), str (no NUL added), strz (NUL added) or flag
(no value).  --raw-data HEX uses HEX verbatim as the payload of
IFLA_INFO_DATA, skipping every check, to send broken nests.

Prints "ok" (exit 0), or "error: ERRNO_NAME: extack message" (exit 1).
Bad command lines exit 2.
"""
import argparse
import errno
import ipaddress
import os
import re
import socket
import struct
import sys

NETLINK_ROUTE = 0
NETLINK_EXT_ACK = 11
SOL_NETLINK = 270
RTM_NEWLINK, RTM_DELLINK = 16, 17
NLM_F_REQUEST, NLM_F_ACK = 0x1, 0x4
NLM_F_EXCL, NLM_F_CREATE = 0x200, 0x400
NLMSG_ERROR = 2
NLM_F_CAPPED, NLM_F_ACK_TLVS = 0x100, 0x200
NLMSGERR_ATTR_MSG, NLMSGERR_ATTR_OFFS = 1, 2
NLMSGERR_ATTR_MISS_TYPE = 5
NLA_F_NESTED = 0x8000
IFLA_IFNAME, IFLA_LINKINFO = 3, 18
IFLA_INFO_KIND, IFLA_INFO_DATA = 1, 2

HEADER = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                      "..", "..", "include", "uapi", "linux", "dmvpn.h")


# Python names some errnos by their aliases; print the kernel's names.
KERNEL_NAMES = {errno.EOPNOTSUPP: "EOPNOTSUPP", errno.EAGAIN: "EAGAIN",
                errno.EDEADLK: "EDEADLK"}


class Usage(Exception):
    pass


def enum_names(header, prefix="IFLA_DMVPN_"):
    """IFLA_DMVPN_* name -> value, read from the uapi header."""
    try:
        text = re.sub(r"/\*.*?\*/", "", open(header).read(), flags=re.S)
    except OSError:
        return {}
    for body in re.findall(r"enum\s*\w*\s*\{(.*?)\}", text, re.S):
        items = [i.strip() for i in body.split(",") if i.strip()]
        if items and items[0].startswith(prefix):
            names, n = {}, 0
            for item in items:
                name, _, val = (s.strip() for s in item.partition("="))
                n = int(val, 0) if val else n
                names[name] = n
                n += 1
            return names
    return {}


def attr(atype, payload):
    hdr = struct.pack("=HH", 4 + len(payload), atype)
    return hdr + payload + b"\0" * (-len(payload) % 4)


def encode(value_spec):
    enc, sep, val = value_spec.partition(":")
    try:
        if enc == "flag":
            if sep:
                raise Usage("flag takes no value: %r" % value_spec)
            return b""
        if not sep:
            raise Usage("missing ENC:VALUE in %r" % value_spec)
        ints = {"u8": "=B", "u16": "=H", "u32": "=I", "u64": "=Q"}
        if enc in ints:
            return struct.pack(ints[enc], int(val, 0))
        if enc == "ipv4":
            return ipaddress.IPv4Address(val).packed
        if enc == "ipv6":
            return ipaddress.IPv6Address(val).packed
        if enc == "hex":
            return bytes.fromhex(val)
        if enc == "str":
            return val.encode()
        if enc == "strz":
            return val.encode() + b"\0"
    except (ValueError, struct.error) as e:
        raise Usage("bad %s value %r: %s" % (enc, val, e))
    raise Usage("unknown encoding %r (u8 u16 u32 u64 ipv4 ipv6 hex str strz flag)" % enc)


def attr_type(name, names):
    if re.fullmatch(r"\d+|0x[0-9a-fA-F]+", name):
        t = int(name, 0)
    else:
        key = name.upper()
        t = names.get(key, names.get("IFLA_DMVPN_" + key))
        if t is None:
            raise Usage("unknown attribute %r (known: %s)" %
                        (name, ", ".join(n[len("IFLA_DMVPN_"):] for n in names
                                         if not n.startswith("__"))))
    if not 0 <= t <= 0x3fff:
        raise Usage("attribute type %d out of range 0..16383" % t)
    return t


def build(args, seq):
    names = enum_names(args.header)
    flags = NLM_F_REQUEST | NLM_F_ACK
    mtype = RTM_NEWLINK
    if args.cmd == "newlink":
        flags |= NLM_F_CREATE | NLM_F_EXCL
    elif args.cmd == "dellink":
        mtype = RTM_DELLINK
    body = struct.pack("=BxHiII", socket.AF_UNSPEC, 0, 0, 0, 0)  # ifinfomsg
    body += attr(IFLA_IFNAME, args.name.encode() + b"\0")
    if args.cmd != "dellink" and args.kind:
        if args.raw_data is not None:
            try:
                data = bytes.fromhex(args.raw_data)
            except ValueError as e:
                raise Usage("bad --raw-data: %s" % e)
        else:
            data = b""
            for a in args.attr:
                tname, eq, value = a.partition("=")
                if not eq:
                    raise Usage("--attr wants TYPE=ENC:VALUE, got %r" % a)
                data += attr(attr_type(tname, names), encode(value))
        info = attr(IFLA_INFO_KIND, args.kind.encode())
        if data or args.raw_data is not None or args.empty_data:
            info += attr(IFLA_INFO_DATA | NLA_F_NESTED, data)
        body += attr(IFLA_LINKINFO | NLA_F_NESTED, info)
    if 16 + len(body) > 0xffffffff:
        raise Usage("request too large")
    return struct.pack("=IHHII", 16 + len(body), mtype, flags, seq, 0) + body


def parse_ack(buf):
    """Return (errno, extack message, extra) of the first NLMSG_ERROR."""
    off = 0
    while off + 16 <= len(buf):
        length, mtype, flags, _seq, _pid = struct.unpack_from("=IHHII", buf, off)
        if length < 16 or off + length > len(buf):
            raise RuntimeError("truncated netlink reply")
        if mtype == NLMSG_ERROR:
            err, = struct.unpack_from("=i", buf, off + 16)
            tlv = off + 16 + 4
            if flags & NLM_F_CAPPED:
                tlv += 16
            else:
                orig_len, = struct.unpack_from("=I", buf, off + 20)
                tlv += (orig_len + 3) & ~3
            msg, extra = "", []
            end = off + length
            while flags & NLM_F_ACK_TLVS and tlv + 4 <= end:
                alen, atype = struct.unpack_from("=HH", buf, tlv)
                if alen < 4 or tlv + alen > end:
                    break
                payload = buf[tlv + 4:tlv + alen]
                if atype == NLMSGERR_ATTR_MSG:
                    msg = payload.split(b"\0")[0].decode(errors="replace")
                elif atype == NLMSGERR_ATTR_OFFS and len(payload) == 4:
                    extra.append("bad attribute at offset %d" % struct.unpack("=I", payload))
                elif atype == NLMSGERR_ATTR_MISS_TYPE and len(payload) == 4:
                    extra.append("missing attribute type %d" % struct.unpack("=I", payload))
                tlv += (alen + 3) & ~3
            return -err, msg, extra
        off += (length + 3) & ~3
    raise RuntimeError("no acknowledgement in the reply")


def main(argv):
    ap = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=__doc__.split("\n\n", 1)[1])
    ap.add_argument("cmd", choices=["newlink", "setlink", "dellink"])
    ap.add_argument("name", help="interface name")
    ap.add_argument("--kind", default="dmvpn", help="IFLA_INFO_KIND (default dmvpn; '' = none)")
    ap.add_argument("--attr", action="append", default=[], metavar="TYPE=ENC:VALUE")
    ap.add_argument("--raw-data", metavar="HEX", help="IFLA_INFO_DATA payload, verbatim")
    ap.add_argument("--empty-data", action="store_true", help="send an empty IFLA_INFO_DATA")
    ap.add_argument("--header", default=HEADER, help=argparse.SUPPRESS)
    ap.add_argument("-v", "--verbose", action="store_true", help="hex dump of the request on stderr")
    try:
        args = ap.parse_args(argv)
    except SystemExit as e:
        return 2 if e.code else 0
    if args.raw_data is not None and args.attr:
        print("rtnl_raw.py: --raw-data and --attr are exclusive", file=sys.stderr)
        return 2
    if len(args.name.encode()) >= 16 or not args.name:
        print("rtnl_raw.py: warning: name %r is not a valid ifname; sent anyway" % args.name,
              file=sys.stderr)

    try:
        req = build(args, seq=1)
    except Usage as e:
        print("rtnl_raw.py: %s" % e, file=sys.stderr)
        return 2
    if args.verbose:
        print("request: %s" % req.hex(), file=sys.stderr)

    s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_ROUTE)
    try:
        s.setsockopt(SOL_NETLINK, NETLINK_EXT_ACK, 1)
        s.bind((0, 0))
        s.sendto(req, (0, 0))
        err, msg, extra = parse_ack(s.recv(65536))
    except (OSError, RuntimeError) as e:
        print("error: %s" % e)
        return 1
    finally:
        s.close()
    if err == 0:
        print("ok")
        return 0
    name = KERNEL_NAMES.get(err) or errno.errorcode.get(err, "E%d" % err)
    print("error: %s: %s" % (name, msg or os.strerror(err)))
    for x in extra:
        print("# %s" % x, file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
