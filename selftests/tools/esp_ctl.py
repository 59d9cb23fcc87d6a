#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Tunnel protection over the generic-netlink family "dmvpn", for selftests.

Two kinds of command.  The dmvpnctl crypto grammar (a subset), so a test
can use either program with the same arguments:

  esp_ctl.py crypto socket attach dev TUN [local ADDR] [port N]
  esp_ctl.py crypto socket detach dev TUN
  esp_ctl.py crypto sa add dev TUN dir in|out spi SPI peer ADDR [port N]
        alg NAME key HEX [auth-key HEX] [mode transport|tunnel]
        [replay-window N] [esn] [allow-insecure] [reqid N]
        [lifetime seconds S] [lifetime kilobytes K]
        [soft-lifetime seconds S] [soft-lifetime kilobytes K]
  esp_ctl.py crypto sa del dev TUN dir in|out spi SPI [peer ADDR [port N]]
  esp_ctl.py clear crypto sa dev TUN [peer ADDR [port N]]

and machine-readable views and tools (JSON on stdout):

  esp_ctl.py sa-dump TUN [--peer ADDR]    every SA, a JSON list
  esp_ctl.py sa-get TUN DIR SPI [PEER [PORT]]   one SA (--raw: reply hex)
  esp_ctl.py peer-dump TUN                every NBMA peer, a JSON list
  esp_ctl.py dev-get TUN                  DEV_GET reply, a JSON object
  esp_ctl.py nhrp-dump TUN                the NHRP cache, a JSON list
  esp_ctl.py nhs-dump TUN                 every NHS, a JSON list
  esp_ctl.py mcast-dump TUN               static multicast destinations
  esp_ctl.py monitor [--count N] [--timeout S] [--ready FILE]
        one JSON object per SA/NHRP event and line, flushed at once, with
        "time" in seconds of CLOCK_BOOTTIME (as /proc/uptime); FILE is
        created once subscribed
  esp_ctl.py sock-serve TUN [--local ADDR] [--port N] [--ready FILE] [--out FILE]
        attach a socket of its own and print (or append to FILE) one hex
        line per datagram the socket's owner receives
  esp_ctl.py keys ALG [--seed S]          "ENC_HEX AUTH_HEX" (AUTH "-" if none)
  esp_ctl.py batch                        one command per stdin line, its
        arguments separated by 0x1f; prints "rc=N OUTPUT" per line
  esp_ctl.py raw CMD [--dev TUN] [--top NAME=ENC:VAL]... [--sa NAME=ENC:VAL]...
        [--in NEST.NAME=ENC:VAL]...
        [--sock-fd tcp|udp-unbound|udp:ADDR:PORT|udp-encap:ADDR:PORT|N]
        [--dump] [--raw]
        a hand-made request (genl_raw.py encodings); prints "ok", the
        replies as JSON (--dump), the reply bytes in hex (--raw), or
        "error: ERRNO: message"

Errors print "error: ERRNO: extack message" and exit 1.
"""
import json
import os
import re
import socket
import struct
import sys
import time

# Few imports, and not rtnl_raw: in the QEMU guest every module is read
# over 9p, and the selftests start this tool a hundred times.
HEADER = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                      "..", "..", "include", "uapi", "linux", "dmvpn.h")
NETLINK_GENERIC = 16
SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, NETLINK_EXT_ACK = 270, 1, 11
GENL_ID_CTRL, CTRL_CMD_GETFAMILY = 0x10, 3
CTRL_ATTR_FAMILY_ID, CTRL_ATTR_FAMILY_NAME, CTRL_ATTR_MCAST_GROUPS = 1, 2, 7
CTRL_ATTR_MCAST_GRP_NAME, CTRL_ATTR_MCAST_GRP_ID = 1, 2
NLM_F_REQUEST, NLM_F_MULTI, NLM_F_ACK, NLM_F_DUMP = 1, 2, 4, 0x300
NLMSG_ERROR, NLMSG_DONE = 2, 3
NLA_F_NESTED = 0x8000
NLA_TYPE_MASK = 0x3fff
UDP_ENCAP, UDP_ENCAP_ESPINUDP = 100, 2

# Suites by dmvpnctl name: (enum value name, cipher key + salt, auth key).
ALGS = {
    "aes128gcm16": ("DMVPN_ESP_AES128_GCM16", 20, 0),
    "aes256gcm16": ("DMVPN_ESP_AES256_GCM16", 36, 0),
    "aes128-sha1": ("DMVPN_ESP_AES128_CBC_HMAC_SHA1_96", 16, 20),
    "aes128-sha256": ("DMVPN_ESP_AES128_CBC_HMAC_SHA256_128", 16, 32),
    "aes128-sha384": ("DMVPN_ESP_AES128_CBC_HMAC_SHA384_192", 16, 48),
    "aes128-sha512": ("DMVPN_ESP_AES128_CBC_HMAC_SHA512_256", 16, 64),
    "aes256-sha1": ("DMVPN_ESP_AES256_CBC_HMAC_SHA1_96", 32, 20),
    "aes256-sha256": ("DMVPN_ESP_AES256_CBC_HMAC_SHA256_128", 32, 32),
    "aes256-sha384": ("DMVPN_ESP_AES256_CBC_HMAC_SHA384_192", 32, 48),
    "aes256-sha512": ("DMVPN_ESP_AES256_CBC_HMAC_SHA512_256", 32, 64),
    "3des-sha1": ("DMVPN_ESP_3DES_CBC_HMAC_SHA1_96", 24, 20),
    "3des-md5": ("DMVPN_ESP_3DES_CBC_HMAC_MD5_96", 24, 16),
    "chacha20poly1305": ("DMVPN_ESP_CHACHA20_POLY1305", 36, 0),
    "null": ("DMVPN_ESP_NULL", 0, 0),
}


class Fail(Exception):
    pass


def parse_header(path):
    """Every enum of the uapi header: {first name: {name: value}}."""
    text = re.sub(r"/\*.*?\*/", "", open(path).read(), flags=re.S)
    out = {}
    for body in re.findall(r"enum\s*\w*\s*\{(.*?)\}", text, re.S):
        names, n = {}, 0
        for item in (i.strip() for i in body.split(",")):
            if not item:
                continue
            name, _, val = (x.strip() for x in item.partition("="))
            n = int(val, 0) if val else n
            names[name] = n
            n += 1
        if names:
            out[next(iter(names))] = names
    return out


ENUMS = parse_header(HEADER)


def enums(prefix):
    for first, names in ENUMS.items():
        if first.startswith(prefix):
            return names
    raise Fail("no enum %s* in %s" % (prefix, HEADER))


# ---- netlink helpers (as rtnl_raw.py's) ------------------------------------

KERNEL_NAMES = {95: "EOPNOTSUPP", 11: "EAGAIN", 35: "EDEADLK"}
NLM_F_CAPPED, NLM_F_ACK_TLVS = 0x100, 0x200
NLMSGERR_ATTR_MSG, NLMSGERR_ATTR_OFFS, NLMSGERR_ATTR_MISS_TYPE = 1, 2, 5


def attr(atype, payload):
    return struct.pack("=HH", 4 + len(payload), atype) + payload + b"\0" * (-len(payload) % 4)


def ip_pack(text):
    for fam in (socket.AF_INET, socket.AF_INET6):
        try:
            return socket.inet_pton(fam, text)
        except OSError:
            pass
    raise Fail("bad address %r" % text)


def encode(spec):
    """ENC:VALUE as genl_raw.py takes it: u8 u16 u32 u64 ipv4 ipv6 hex str strz flag."""
    enc, sep, val = spec.partition(":")
    ints = {"u8": "=B", "u16": "=H", "u32": "=I", "u64": "=Q"}
    try:
        if enc == "flag":
            return b""
        if enc in ints:
            return struct.pack(ints[enc], int(val, 0))
        if enc == "ipv4":
            return socket.inet_pton(socket.AF_INET, val)
        if enc == "ipv6":
            return socket.inet_pton(socket.AF_INET6, val)
        if enc == "hex":
            return bytes.fromhex(val)
        if enc == "str":
            return val.encode()
        if enc == "strz":
            return val.encode() + b"\0"
    except (ValueError, OSError, struct.error) as e:
        raise Fail("bad %s value %r: %s" % (enc, val, e))
    raise Fail("unknown encoding %r (u8 u16 u32 u64 ipv4 ipv6 hex str strz flag)" % enc)


def parse_ack(msg):
    """(errno, extack message, [extra]) of one NLMSG_ERROR message."""
    length, _t, flags = struct.unpack_from("=IHH", msg)
    err, = struct.unpack_from("=i", msg, 16)
    tlv = 20 + (16 if flags & NLM_F_CAPPED else
                (struct.unpack_from("=I", msg, 20)[0] + 3) & ~3)
    text, extra = "", []
    while flags & NLM_F_ACK_TLVS and tlv + 4 <= length:
        alen, atype = struct.unpack_from("=HH", msg, tlv)
        if alen < 4 or tlv + alen > length:
            break
        payload = msg[tlv + 4:tlv + alen]
        if atype == NLMSGERR_ATTR_MSG:
            text = payload.split(b"\0")[0].decode(errors="replace")
        elif atype == NLMSGERR_ATTR_OFFS and len(payload) == 4:
            extra.append("bad attribute at offset %d" % struct.unpack("=I", payload))
        elif atype == NLMSGERR_ATTR_MISS_TYPE and len(payload) == 4:
            extra.append("missing attribute type %d" % struct.unpack("=I", payload))
        tlv += (alen + 3) & ~3
    return -err, text, extra


A = enums("DMVPN_A_")
CMD = enums("DMVPN_CMD_")
SA = enums("DMVPN_SA_A_")
PEER = enums("DMVPN_PEER_A_")
DEV = enums("DMVPN_DEV_A_")
NHRP = enums("DMVPN_NHRP_A_")
STAT = enums("DMVPN_STAT_")
SASTAT = enums("DMVPN_SA_STAT_")
EVENT = enums("DMVPN_EVENT_")
NHRPCONF = enums("DMVPN_NHRP_CONF_A_")
NHS = enums("DMVPN_NHS_A_")
MCAST = enums("DMVPN_MCAST_A_")
NHRPSTAT = enums("DMVPN_NHRP_STAT_")
NHS_STATES = {1: "W", 2: "E", 3: "R"}
ALG = enums("DMVPN_ESP_")


def rev(table, prefix):
    return {v: k[len(prefix):].lower() for k, v in table.items() if not k.startswith("__")}


ALG_NAMES = {ALG[v[0]]: k for k, v in ALGS.items()}

# ---- netlink ---------------------------------------------------------------


def attrs(buf, off=0, end=None):
    """Yield (type, payload) of the attributes in buf[off:end]."""
    end = len(buf) if end is None else end
    while off + 4 <= end:
        alen, atype = struct.unpack_from("=HH", buf, off)
        if alen < 4 or off + alen > end:
            raise Fail("malformed attribute at offset %d" % off)
        yield atype & NLA_TYPE_MASK, bytes(buf[off + 4:off + alen])
        off += (alen + 3) & ~3


def nlmsg(mtype, flags, seq, payload):
    return struct.pack("=IHHII", 16 + len(payload), mtype, flags, seq, 0) + payload


class Genl:
    def __init__(self):
        self.sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_GENERIC)
        self.sock.setsockopt(SOL_NETLINK, NETLINK_EXT_ACK, 1)
        self.sock.bind((0, 0))
        self.seq = 1
        self.extra = []
        self.family, self.groups = self._family()

    def _family(self):
        req = struct.pack("=BBH", CTRL_CMD_GETFAMILY, 1, 0) + \
            attr(CTRL_ATTR_FAMILY_NAME, b"dmvpn\0")
        self.sock.send(nlmsg(GENL_ID_CTRL, NLM_F_REQUEST, self.seq, req))
        buf = self.sock.recv(65536)
        _len, mtype = struct.unpack_from("=IH", buf)
        if mtype == NLMSG_ERROR:
            raise Fail("the dmvpn module is not loaded (no genetlink family \"dmvpn\")")
        fam, groups = None, {}
        for t, p in attrs(buf, 20, _len):
            if t == CTRL_ATTR_FAMILY_ID:
                fam = struct.unpack("=H", p[:2])[0]
            elif t == CTRL_ATTR_MCAST_GROUPS:
                for _i, grp in attrs(p):
                    g = dict(attrs(grp))
                    name = g.get(CTRL_ATTR_MCAST_GRP_NAME, b"").split(b"\0")[0].decode()
                    if CTRL_ATTR_MCAST_GRP_ID in g:
                        groups[name] = struct.unpack("=I", g[CTRL_ATTR_MCAST_GRP_ID])[0]
        if fam is None:
            raise Fail("no family id in the controller's reply")
        return fam, groups

    def request(self, cmd, body, dump=False):
        """Send; return (errno, extack message, [reply payloads], raw bytes)."""
        self.seq += 1
        flags = NLM_F_REQUEST | NLM_F_ACK | (NLM_F_DUMP if dump else 0)
        self.sock.send(nlmsg(self.family, flags, self.seq,
                             struct.pack("=BBH", cmd, 1, 0) + body))
        replies, raw = [], b""
        while True:
            buf = self.sock.recv(1 << 20)
            raw += buf
            off = 0
            while off + 16 <= len(buf):
                length, mtype, _flags, seq, _pid = struct.unpack_from("=IHHII", buf, off)
                if length < 16 or off + length > len(buf):
                    raise Fail("truncated netlink reply")
                msg = buf[off:off + length]
                off += (length + 3) & ~3
                if seq != self.seq:
                    continue
                if mtype == NLMSG_DONE:
                    err, = struct.unpack_from("=i", msg, 16) if length >= 20 else (0,)
                    if err:
                        return -err, "(error in NLMSG_DONE)", replies, raw
                    return 0, "", replies, raw
                if mtype == NLMSG_ERROR:
                    e, m, self.extra = parse_ack(msg)
                    if e or not dump:
                        return e, m, replies, raw
                    continue
                replies.append(msg[20:])   # past nlmsghdr + genlmsghdr


def errname(err):
    import errno
    return KERNEL_NAMES.get(err) or errno.errorcode.get(err, "E%d" % err)


def check(result):
    err, msg, replies, _raw = result
    if err:
        raise Fail("error: %s: %s" % (errname(err), msg or os.strerror(err)))
    return replies

# ---- decoding --------------------------------------------------------------


def addr(p):
    if len(p) == 4:
        return socket.inet_ntop(socket.AF_INET, p)
    if len(p) == 16:
        return socket.inet_ntop(socket.AF_INET6, p)
    return p.hex()


def uint(p):
    return {1: lambda: p[0], 2: lambda: struct.unpack("=H", p)[0],
            4: lambda: struct.unpack("=I", p)[0],
            8: lambda: struct.unpack("=Q", p)[0]}.get(len(p), lambda: p.hex())()


def decode_stats(p, table, prefix):
    names = rev(table, prefix)
    return {names.get(t, str(t)): uint(v) for t, v in attrs(p) if names.get(t) != "pad"}


def decode_nest(p, table, prefix, special):
    names = rev(table, prefix)
    out = {}
    for t, v in attrs(p):
        name = names.get(t, str(t))
        if name == "pad":
            continue
        out[name] = special[name](v) if name in special else uint(v)
    return out


SA_SPECIAL = {
    "peer_addr": addr,
    "stats": lambda p: decode_stats(p, SASTAT, "DMVPN_SA_STAT_"),
    "alg": lambda p: ALG_NAMES.get(uint(p), uint(p)),
    "dir": lambda p: {1: "in", 2: "out"}.get(p[0], p[0]),
    "enc_key": lambda p: p.hex(),
    "auth_key": lambda p: p.hex(),
}
PEER_SPECIAL = {"addr": addr}
DEV_SPECIAL = {"local": addr, "remote": addr,
               "stats": lambda p: decode_stats(p, STAT, "DMVPN_STAT_"),
               "nhrp_conf": lambda p: decode_nest(p, NHRPCONF, "DMVPN_NHRP_CONF_A_", {}),
               "nhrp_stats": lambda p: decode_stats(p, NHRPSTAT, "DMVPN_NHRP_STAT_")}
NHS_SPECIAL = {"proto_addr": addr, "nbma_addr": addr, "nat_addr": addr,
               "state": lambda p: NHS_STATES.get(p[0], p[0])}
MCAST_SPECIAL = {"nbma_addr": addr}
NHRP_TYPES = {1: "static", 2: "dynamic", 3: "incomplete", 4: "local", 5: "shortcut"}
NHRP_FLAGS = {1: "unique", 2: "registered", 4: "used", 8: "nat", 16: "implicit"}
NHRP_SPECIAL = {"proto_addr": addr, "nbma_addr": addr, "next_hop": addr,
                "type": lambda p: NHRP_TYPES.get(p[0], p[0]),
                "flags": lambda p: sorted(n for b, n in NHRP_FLAGS.items() if uint(p) & b)}


def decode_msg(payload):
    names = rev(A, "DMVPN_A_")
    out = {}
    for t, v in attrs(payload):
        name = names.get(t, str(t))
        if name == "ifname":
            out[name] = v.split(b"\0")[0].decode()
        elif name == "sa":
            out[name] = decode_nest(v, SA, "DMVPN_SA_A_", SA_SPECIAL)
        elif name == "peer":
            out[name] = decode_nest(v, PEER, "DMVPN_PEER_A_", PEER_SPECIAL)
        elif name == "dev":
            out[name] = decode_nest(v, DEV, "DMVPN_DEV_A_", DEV_SPECIAL)
        elif name == "nhrp":
            out[name] = decode_nest(v, NHRP, "DMVPN_NHRP_A_", NHRP_SPECIAL)
        elif name == "nhs":
            out[name] = decode_nest(v, NHS, "DMVPN_NHS_A_", NHS_SPECIAL)
        elif name == "mcast":
            out[name] = decode_nest(v, MCAST, "DMVPN_MCAST_A_", MCAST_SPECIAL)
        elif name == "event":
            out[name] = rev(EVENT, "DMVPN_EVENT_").get(v[0], v[0])
        else:
            out[name] = uint(v)
    return out

# ---- encoding --------------------------------------------------------------


def a_u8(t, v):
    return attr(t, struct.pack("=B", v))


def a_u16(t, v):
    return attr(t, struct.pack("=H", v))


def a_u32(t, v):
    return attr(t, struct.pack("=I", v))


def a_u64(t, v):
    return attr(t, struct.pack("=Q", v))


def a_addr(t, text):
    return attr(t, ip_pack(text))


def nest(t, body):
    return attr(t | NLA_F_NESTED, body)


def ifindex(dev):
    try:
        return socket.if_nametoindex(dev)
    except OSError:
        raise Fail("error: ENODEV: no device %r" % dev)


def dev_attr(dev):
    return a_u32(A["DMVPN_A_IFINDEX"], ifindex(dev))


def hexbytes(text):
    text = text[2:] if text.lower().startswith("0x") else text
    try:
        return bytes.fromhex(text)
    except ValueError:
        raise Fail("bad hex %r" % text)


def num(text):
    try:
        return int(text, 0)
    except ValueError:
        raise Fail("bad number %r" % text)


def sa_key_attrs(direction, spi, peer=None, port=None):
    d = {"in": 1, "out": 2}.get(direction)
    if d is None:
        raise Fail("dir must be in or out, not %r" % direction)
    body = a_u8(SA["DMVPN_SA_A_DIR"], d) + a_u32(SA["DMVPN_SA_A_SPI"], num(spi))
    if peer:
        body += a_addr(SA["DMVPN_SA_A_PEER_ADDR"], peer)
    if port is not None:
        body += a_u16(SA["DMVPN_SA_A_PEER_PORT"], num(port))
    return body

# ---- the dmvpnctl grammar ----------------------------------------------------


def take(argv, keywords):
    """Parse KEY VALUE pairs (and bare flags): {key: value or True}."""
    out, i = {}, 0
    while i < len(argv):
        k = argv[i]
        if k in ("lifetime", "soft-lifetime") and i + 2 < len(argv):
            k2 = "%s-%s" % (k, argv[i + 1])
            if k2 not in keywords:
                raise Fail("unknown %s unit %r" % (k, argv[i + 1]))
            out[k2] = argv[i + 2]
            i += 3
            continue
        if k not in keywords:
            raise Fail("unknown keyword %r" % k)
        if keywords[k]:     # takes a value
            if i + 1 >= len(argv):
                raise Fail("%s needs a value" % k)
            out[k] = argv[i + 1]
            i += 2
        else:
            out[k] = True
            i += 1
    return out


SA_ADD_KW = {"dev": 1, "dir": 1, "spi": 1, "peer": 1, "port": 1, "alg": 1, "key": 1,
             "auth-key": 1, "mode": 1, "replay-window": 1, "esn": 0,
             "allow-insecure": 0, "reqid": 1, "lifetime-seconds": 1,
             "lifetime-kilobytes": 1, "soft-lifetime-seconds": 1,
             "soft-lifetime-kilobytes": 1}


def cmd_sa_add(g, argv):
    o = take(argv, SA_ADD_KW)
    for k in ("dev", "dir", "spi", "peer", "alg"):
        if k not in o:
            raise Fail("crypto sa add: %s is required" % k)
    if o["alg"] not in ALGS:
        raise Fail("unknown algorithm %r (%s)" % (o["alg"], " ".join(ALGS)))
    body = sa_key_attrs(o["dir"], o["spi"], o["peer"], o.get("port"))
    body += a_u32(SA["DMVPN_SA_A_ALG"], ALG[ALGS[o["alg"]][0]])
    if "key" in o:
        body += attr(SA["DMVPN_SA_A_ENC_KEY"], hexbytes(o["key"]))
    if "auth-key" in o:
        body += attr(SA["DMVPN_SA_A_AUTH_KEY"], hexbytes(o["auth-key"]))
    if "mode" in o:
        body += a_u8(SA["DMVPN_SA_A_MODE"], {"transport": 1, "tunnel": 2}[o["mode"]])
    if "replay-window" in o:
        body += a_u32(SA["DMVPN_SA_A_REPLAY_WINDOW"], num(o["replay-window"]))
    flags = (1 if "esn" in o else 0) | (2 if "allow-insecure" in o else 0)
    if flags:
        body += a_u32(SA["DMVPN_SA_A_FLAGS"], flags)
    if "reqid" in o:
        body += a_u32(SA["DMVPN_SA_A_REQID"], num(o["reqid"]))
    for kw, name, enc in (("lifetime-seconds", "HARD_SECS", a_u32),
                          ("soft-lifetime-seconds", "SOFT_SECS", a_u32),
                          ("lifetime-kilobytes", "HARD_KB", a_u64),
                          ("soft-lifetime-kilobytes", "SOFT_KB", a_u64)):
        if kw in o:
            body += enc(SA["DMVPN_SA_A_" + name], num(o[kw]))
    check(g.request(CMD["DMVPN_CMD_SA_ADD"], dev_attr(o["dev"]) +
                    nest(A["DMVPN_A_SA"], body)))


def cmd_sa_del(g, argv):
    o = take(argv, {"dev": 1, "dir": 1, "spi": 1, "peer": 1, "port": 1})
    body = sa_key_attrs(o["dir"], o["spi"], o.get("peer"), o.get("port"))
    check(g.request(CMD["DMVPN_CMD_SA_DEL"], dev_attr(o["dev"]) +
                    nest(A["DMVPN_A_SA"], body)))


def cmd_sa_flush(g, argv):
    o = take(argv, {"dev": 1, "peer": 1, "port": 1})
    if "dev" not in o:
        raise Fail("clear crypto sa: this tool needs dev TUN")
    body = dev_attr(o["dev"])
    if "peer" in o:
        sa = a_addr(SA["DMVPN_SA_A_PEER_ADDR"], o["peer"])
        if "port" in o:
            sa += a_u16(SA["DMVPN_SA_A_PEER_PORT"], num(o["port"]))
        body += nest(A["DMVPN_A_SA"], sa)
    check(g.request(CMD["DMVPN_CMD_SA_FLUSH"], body))


def tunnel_local(g, dev):
    rep = check(g.request(CMD["DMVPN_CMD_DEV_GET"], dev_attr(dev)))
    return decode_msg(rep[0]).get("dev", {}).get("local")


def attach(g, dev, sock):
    check(g.request(CMD["DMVPN_CMD_SOCK_ATTACH"], dev_attr(dev) +
                    a_u32(A["DMVPN_A_SOCK_FD"], sock.fileno())))


def bound_socket(g, dev, local, port):
    if not local:
        local = tunnel_local(g, dev)
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((local or "0.0.0.0", port))
    return s


def cmd_sock_attach(g, argv):
    o = take(argv, {"dev": 1, "local": 1, "port": 1})
    s = bound_socket(g, o["dev"], o.get("local"), num(o.get("port", "4500")))
    attach(g, o["dev"], s)
    s.close()    # the module keeps its own reference


def cmd_sock_detach(g, argv):
    o = take(argv, {"dev": 1})
    check(g.request(CMD["DMVPN_CMD_SOCK_DETACH"], dev_attr(o["dev"])))


def crypto(g, argv):
    words = " ".join(argv[:2])
    table = {"socket attach": cmd_sock_attach, "socket detach": cmd_sock_detach,
             "sa add": cmd_sa_add, "sa del": cmd_sa_del}
    if words not in table:
        raise Fail("unknown: crypto %s" % words)
    table[words](g, argv[2:])

# ---- views and tools -------------------------------------------------------------


def dump(g, cmd, body):
    return [decode_msg(r) for r in check(g.request(CMD[cmd], body, dump=True))]


def monitor(g, argv):
    count, timeout, ready = 0, None, None
    i = 0
    while i < len(argv):
        if argv[i] == "--count":
            count = num(argv[i + 1])
        elif argv[i] == "--timeout":
            timeout = float(argv[i + 1])
        elif argv[i] == "--ready":
            ready = argv[i + 1]
        else:
            raise Fail("monitor: unknown option %r" % argv[i])
        i += 2
    if "events" not in g.groups:
        raise Fail("the dmvpn family has no \"events\" group")
    s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_GENERIC)
    s.bind((0, 0))      # first: bind() resets the first 32 groups
    s.setsockopt(SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, g.groups["events"])
    if ready:
        open(ready, "w").close()
    seen, deadline = 0, None if timeout is None else time.monotonic() + timeout
    while not count or seen < count:
        wait = None if deadline is None else max(0.0, deadline - time.monotonic())
        import select
        if not select.select([s], [], [], wait)[0]:
            break
        buf = s.recv(1 << 20)
        for t, _flags, payload in split(buf):
            if t != g.family:
                continue
            ev = decode_msg(payload[4:])
            ev["cmd"] = rev(CMD, "DMVPN_CMD_").get(payload[0], payload[0])
            # CLOCK_BOOTTIME, as /proc/uptime: shell scripts can compare.
            ev["time"] = round(time.clock_gettime(time.CLOCK_BOOTTIME), 3)
            print(json.dumps(ev, sort_keys=True), flush=True)
            seen += 1
    return 0


def split(buf):
    off = 0
    while off + 16 <= len(buf):
        length, mtype, flags = struct.unpack_from("=IHH", buf, off)
        if length < 16 or off + length > len(buf):
            break
        yield mtype, flags, buf[off + 16:off + length]
        off += (length + 3) & ~3


def sock_serve(g, argv):
    dev, local, port, ready, out = argv[0], None, 4500, None, None
    i = 1
    while i < len(argv):
        k, v = argv[i], argv[i + 1]
        if k == "--local":
            local = v
        elif k == "--port":
            port = num(v)
        elif k == "--ready":
            ready = v
        elif k == "--out":
            out = v
        else:
            raise Fail("sock-serve: unknown option %r" % k)
        i += 2
    s = bound_socket(g, dev, local, port)
    attach(g, dev, s)
    if ready:
        open(ready, "w").close()
    while True:
        data, peer = s.recvfrom(65536)
        line = "%s:%d %s" % (peer[0], peer[1], data.hex())
        if out:
            with open(out, "a") as f:
                f.write(line + "\n")
        else:
            print(line, flush=True)


def sock_fd(spec, keep):
    if spec.isdigit():
        return int(spec)
    if spec == "tcp":
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.bind(("0.0.0.0", 0))
    elif spec == "udp-unbound":
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    elif spec == "udp6":
        s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
        s.bind(("::", 0))
    elif spec.startswith(("udp:", "udp-encap:")):
        kind, host, port = spec.split(":")
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.bind((host, int(port)))
        if kind == "udp-encap":
            s.setsockopt(socket.IPPROTO_UDP, UDP_ENCAP, UDP_ENCAP_ESPINUDP)
    else:
        raise Fail("--sock-fd: tcp, udp-unbound, udp6, udp:ADDR:PORT, udp-encap:ADDR:PORT or a number")
    keep.append(s)
    return s.fileno()


def name_offset(body, extra):
    """"bad attribute at offset N" with the attribute's name added."""
    if not extra.startswith("bad attribute at offset "):
        return extra
    want = int(extra.rsplit(" ", 1)[1])
    top, sa = rev(A, "DMVPN_A_"), rev(SA, "DMVPN_SA_A_")
    base = 20       # nlmsghdr + genlmsghdr
    for t, off, p in walk(body):
        if base + off == want:
            return "%s: DMVPN_A_%s" % (extra, top.get(t, str(t)).upper())
        if top.get(t) == "sa":
            for t2, off2, _p in walk(p):
                if base + off + 4 + off2 == want:
                    return "%s: DMVPN_SA_A_%s" % (extra, sa.get(t2, str(t2)).upper())
    return extra


def walk(buf):
    off = 0
    while off + 4 <= len(buf):
        alen, atype = struct.unpack_from("=HH", buf, off)
        if alen < 4:
            return
        yield atype & NLA_TYPE_MASK, off, buf[off + 4:off + alen]
        off += (alen + 3) & ~3


def raw(g, argv):
    cmd = argv[0]
    body, sa, keep, is_dump, show_raw, i = b"", b"", [], False, False, 1
    inner = {}
    while i < len(argv):
        k = argv[i]
        if k == "--dump":
            is_dump, i = True, i + 1
            continue
        if k == "--raw":
            show_raw, i = True, i + 1
            continue
        v = argv[i + 1]
        i += 2
        if k == "--dev":
            body += dev_attr(v)
        elif k == "--top":
            name, _, val = v.partition("=")
            t = int(name) if name.isdigit() else A["DMVPN_A_" + name.upper()]
            body += attr(t, encode(val))
        elif k == "--sa":
            name, _, val = v.partition("=")
            t = int(name) if name.isdigit() else SA["DMVPN_SA_A_" + name.upper()]
            sa += attr(t, encode(val))
        elif k == "--in":
            path, _, val = v.partition("=")
            nest_name, _, name = path.partition(".")
            table = enums("DMVPN_%s_A_" % nest_name.upper())
            key = "DMVPN_%s_A_%s" % (nest_name.upper(), name.upper())
            t = int(name) if name.isdigit() else table[key]
            inner[nest_name] = inner.get(nest_name, b"") + attr(t, encode(val))
        elif k == "--sock-fd":
            body += a_u32(A["DMVPN_A_SOCK_FD"], sock_fd(v, keep))
        else:
            raise Fail("raw: unknown option %r" % k)
    if sa:
        body += nest(A["DMVPN_A_SA"], sa)
    for nest_name, payload in inner.items():
        body += nest(A["DMVPN_A_" + nest_name.upper()], payload)
    c = int(cmd) if cmd.isdigit() else CMD["DMVPN_CMD_" + cmd.upper()]
    err, msg, replies, rawbytes = g.request(c, body, dump=is_dump)
    if err:
        print("error: %s: %s%s" % (errname(err), msg or "(no message)",
                                   "".join(" [%s]" % name_offset(body, x) for x in g.extra)))
        return 1
    if show_raw:
        print(rawbytes.hex())
    elif replies:
        print(json.dumps([decode_msg(r) for r in replies], sort_keys=True))
    else:
        print("ok")
    return 0


def keys(argv):
    alg = argv[0]
    if alg not in ALGS:
        raise Fail("unknown algorithm %r" % alg)
    import random
    rnd = random.Random(num(argv[2])) if len(argv) > 2 and argv[1] == "--seed" else random.SystemRandom()
    _e, enc_len, auth_len = ALGS[alg]
    if alg.startswith("3des"):
        # Three distinct DES keys (degenerate ones are refused as weak).
        enc = b"".join(bytes(rnd.randrange(256) for _ in range(8)) for _ in range(3))
    else:
        enc = bytes(rnd.randrange(256) for _ in range(enc_len))
    auth = bytes(rnd.randrange(256) for _ in range(auth_len))
    print("%s %s" % (enc.hex() or "-", auth.hex() or "-"))
    return 0


def main(argv):
    if not argv or argv[0] in ("-h", "--help"):
        print(__doc__)
        return 0
    if argv[0] == "keys":
        return keys(argv[1:])
    if argv[0] == "batch":
        return batch()
    g = Genl()
    w = argv[0]
    if w == "crypto":
        crypto(g, argv[1:])
    elif argv[:3] == ["clear", "crypto", "sa"]:
        cmd_sa_flush(g, argv[3:])
    elif w == "sa-dump":
        body = dev_attr(argv[1])
        if len(argv) > 3 and argv[2] == "--peer":
            body += nest(A["DMVPN_A_SA"], a_addr(SA["DMVPN_SA_A_PEER_ADDR"], argv[3]))
        print(json.dumps(dump(g, "DMVPN_CMD_SA_GET", body), sort_keys=True))
        return 0
    elif w == "sa-get":
        rawout = "--raw" in argv
        args = [a for a in argv[1:] if a != "--raw"]
        body = dev_attr(args[0]) + nest(A["DMVPN_A_SA"], sa_key_attrs(
            args[1], args[2], args[3] if len(args) > 3 else None,
            args[4] if len(args) > 4 else None))
        err, msg, replies, rawbytes = g.request(CMD["DMVPN_CMD_SA_GET"], body)
        check((err, msg, replies, rawbytes))
        print(rawbytes.hex() if rawout else json.dumps(decode_msg(replies[0]), sort_keys=True))
        return 0
    elif w == "nhrp-dump":
        print(json.dumps(dump(g, "DMVPN_CMD_NHRP_GET", dev_attr(argv[1])), sort_keys=True))
        return 0
    elif w == "nhs-dump":
        print(json.dumps(dump(g, "DMVPN_CMD_NHS_GET", dev_attr(argv[1])), sort_keys=True))
        return 0
    elif w == "mcast-dump":
        print(json.dumps(dump(g, "DMVPN_CMD_MCAST_GET", dev_attr(argv[1])), sort_keys=True))
        return 0
    elif w == "peer-dump":
        print(json.dumps(dump(g, "DMVPN_CMD_PEER_GET", dev_attr(argv[1])), sort_keys=True))
        return 0
    elif w == "dev-get":
        print(json.dumps(decode_msg(check(g.request(CMD["DMVPN_CMD_DEV_GET"],
                                                    dev_attr(argv[1])))[0]), sort_keys=True))
        return 0
    elif w == "monitor":
        return monitor(g, argv[1:])
    elif w == "sock-serve":
        return sock_serve(g, argv[1:])
    elif w == "raw":
        return raw(g, argv[1:])
    else:
        raise Fail("unknown command %r (see --help)" % w)
    return 0


def batch():
    """One request per stdin line, its arguments separated by \\x1f; one
    line out per request: what the command prints, else its error, with
    "rc=N " in front.  Saves a Python start per request."""
    import io
    for line in sys.stdin:
        argv = line.rstrip("\n").split("\x1f")
        buf, rc = io.StringIO(), 0
        saved, sys.stdout = sys.stdout, buf
        try:
            rc = main(argv) or 0
        except Fail as e:
            msg = str(e)
            print(msg if msg.startswith("error:") else "esp_ctl.py: %s" % msg)
            rc = 1
        except (OSError, IndexError, KeyError, ValueError) as e:
            print("esp_ctl.py: %s: %s" % (type(e).__name__, e))
            rc = 1
        finally:
            sys.stdout = saved
        print("rc=%d %s" % (rc, buf.getvalue().strip().replace("\n", " ")), flush=True)
    return 0


def cli():
    """Entry point (also for the selftests' launcher, which imports this
    module so that its bytecode is cached: see esp_lib.sh)."""
    try:
        return main(sys.argv[1:])
    except Fail as e:
        msg = str(e)
        print(msg if msg.startswith("error:") else "esp_ctl.py: %s" % msg, file=sys.stderr)
        return 1
    except (OSError, IndexError, KeyError) as e:
        print("esp_ctl.py: %s: %s" % (type(e).__name__, e), file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(cli())
