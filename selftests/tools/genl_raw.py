#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Send a hand-made request to the generic-netlink family "dmvpn".

Selftests use it for requests dmvpnctl would never build (wrong sizes,
unknown or reply-only attributes) and print the kernel's extack message.
Attribute encodings are those of rtnl_raw.py (u8 u16 u32 u64 ipv4 ipv6 hex
str strz flag); names come from include/uapi/linux/dmvpn.h.

  genl_raw.py CMD [--dev IFNAME] [--excl] [--top NAME=ENC:VAL]... [--nhrp NAME=ENC:VAL]...
              [--in NEST.NAME=ENC:VAL]...

CMD is a DMVPN_CMD_* name without the prefix (nhrp_add, nhrp_del, ...).
--dev adds DMVPN_A_IFINDEX; --top adds a top-level DMVPN_A_* attribute;
--nhrp adds a DMVPN_NHRP_A_* attribute inside the DMVPN_A_NHRP nest;
--in adds an attribute inside any other nest: NEST is the DMVPN_A_* name
(nhrp_conf, nhs, mcast, sa), NAME that of the nest's own enum
(--in nhrp_conf.network_id=u32:1 is DMVPN_NHRP_CONF_A_NETWORK_ID).
Prints "ok" (exit 0) or "error: ERRNO: message" (exit 1).
"""
import argparse
import errno
import os
import socket
import struct
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import rtnl_raw  # noqa: E402  (shares the encoder and the ack parser)

HEADER = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                      "../../include/uapi/linux/dmvpn.h")
GENL_ID_CTRL, CTRL_CMD_GETFAMILY = 0x10, 3
CTRL_ATTR_FAMILY_ID, CTRL_ATTR_FAMILY_NAME = 1, 2
NLM_F_REQUEST, NLM_F_ACK, NLM_F_EXCL = 1, 4, 0x200
NLA_F_NESTED = 0x8000


def names(prefix):
    return rtnl_raw.enum_names(HEADER, prefix)


def lookup(table, prefix, name):
    if name.isdigit():   # a raw type number, known to the header or not
        return int(name)
    key = prefix + name.upper()
    if key not in table:
        raise rtnl_raw.Usage("unknown %s attribute %r" % (prefix, name))
    return table[key]


def nlmsg(mtype, flags, seq, payload):
    return struct.pack("=IHHII", 16 + len(payload), mtype, flags, seq, 0) + payload


def family_id(sock):
    req = struct.pack("=BBH", CTRL_CMD_GETFAMILY, 1, 0) + \
        rtnl_raw.attr(CTRL_ATTR_FAMILY_NAME, b"dmvpn\0")
    sock.send(nlmsg(GENL_ID_CTRL, NLM_F_REQUEST, 1, req))
    buf = sock.recv(65536)
    _len, mtype = struct.unpack_from("=IH", buf)
    if mtype == 2:
        sys.exit("error: the dmvpn module is not loaded (no genetlink family \"dmvpn\")")
    off = 20
    while off + 4 <= len(buf):
        alen, atype = struct.unpack_from("=HH", buf, off)
        if atype == CTRL_ATTR_FAMILY_ID:
            return struct.unpack_from("=H", buf, off + 4)[0]
        off += (alen + 3) & ~3
    sys.exit("error: no family id in the controller's reply")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("cmd")
    ap.add_argument("--dev")
    ap.add_argument("--top", action="append", default=[])
    ap.add_argument("--nhrp", action="append", default=[])
    ap.add_argument("--in", dest="inner", action="append", default=[])
    ap.add_argument("--excl", action="store_true", help="set NLM_F_EXCL")
    args = ap.parse_args()
    try:
        cmd = lookup(names("DMVPN_CMD_"), "DMVPN_CMD_", args.cmd)
        top = names("DMVPN_A_")
        nhrp = names("DMVPN_NHRP_A_")
        body = b""
        if args.dev:
            body += rtnl_raw.attr(top["DMVPN_A_IFINDEX"],
                                  struct.pack("=I", socket.if_nametoindex(args.dev)))
        for spec in args.top:
            name, _, val = spec.partition("=")
            body += rtnl_raw.attr(lookup(top, "DMVPN_A_", name), rtnl_raw.encode(val))
        if args.nhrp:
            nest = b"".join(
                rtnl_raw.attr(lookup(nhrp, "DMVPN_NHRP_A_", n), rtnl_raw.encode(v))
                for n, _, v in (s.partition("=") for s in args.nhrp))
            body += rtnl_raw.attr(top["DMVPN_A_NHRP"] | NLA_F_NESTED, nest)
        nests = {}
        for spec in args.inner:
            path, _, val = spec.partition("=")
            nest_name, _, name = path.partition(".")
            prefix = "DMVPN_%s_A_" % nest_name.upper()
            nests.setdefault(nest_name, b"")
            nests[nest_name] += rtnl_raw.attr(lookup(names(prefix), prefix, name),
                                              rtnl_raw.encode(val))
        for nest_name, nest in nests.items():
            body += rtnl_raw.attr(lookup(top, "DMVPN_A_", nest_name) | NLA_F_NESTED, nest)
    except (rtnl_raw.Usage, OSError) as e:
        sys.exit("genl_raw.py: %s" % e)

    sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 16)  # NETLINK_GENERIC
    sock.setsockopt(270, 11, 1)  # SOL_NETLINK, NETLINK_EXT_ACK
    sock.bind((0, 0))
    fam = family_id(sock)
    flags = NLM_F_REQUEST | NLM_F_ACK | (NLM_F_EXCL if args.excl else 0)
    sock.send(nlmsg(fam, flags, 2,
                    struct.pack("=BBH", cmd, 1, 0) + body))
    err, msg, extra = rtnl_raw.parse_ack(sock.recv(65536))
    if err == 0:
        print("ok")
        return 0
    print("error: %s: %s%s" % (errno.errorcode.get(err, str(err)), msg or "(no message)",
                               "".join(" [%s]" % x for x in extra)))
    return 1


if __name__ == "__main__":
    sys.exit(main())
