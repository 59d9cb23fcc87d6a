#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-only
"""Check Documentation/netlink/specs/dmvpn.yaml against the uapi header.

Every constant, enum entry, flag, attribute, command and multicast group
the spec names must exist in include/uapi/linux/dmvpn.h with the same
value; every enum of the header that the spec covers must have no
entries the spec lacks; every enum and constant of the header must be
covered; and every nested attribute set must be reachable from the
family's own set.  Exit 0 when they agree, 1 otherwise.

  check_spec.py [--spec FILE] [--header FILE] [--selftest] [--schema FILE]

--schema validates the spec against the kernel's schema file
(Documentation/netlink/genetlink.yaml of a Linux tree; needs jsonschema).
"""
import argparse
import copy
import os
import re
import sys

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))


def c_name(s):
    return s.upper().replace("-", "_")


# ---------------------------------------------------------------- header

def strip_comments(text):
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    return re.sub(r"//[^\n]*", " ", text)


def c_eval(expr, known):
    """Evaluate a small C constant expression (ints, U suffix, <<, |)."""
    expr = re.sub(r"\b(0x[0-9a-fA-F]+|\d+)[uUlL]*\b", r"\1", expr.strip())
    expr = re.sub(r"\b([A-Za-z_]\w*)\b",
                  lambda m: str(known[m.group(1)]) if m.group(1) in known
                  else m.group(1), expr)
    if not re.fullmatch(r"[\d\sxa-fA-F()<>|+\-~]*", expr):
        raise ValueError(expr)
    return int(eval(expr, {"__builtins__": {}}))  # digits and operators only


def parse_header(path):
    """Return (values, enums, strings): name -> int, enum name -> [names],
    macro -> string literal."""
    text = strip_comments(open(path).read())
    values, enums, strings = {}, {}, {}
    for m in re.finditer(r"\benum\s*(\w*)\s*\{(.*?)\}\s*;", text, re.S):
        name = m.group(1) or "<anon@%d>" % m.start()
        nxt, members = 0, []
        for item in m.group(2).split(","):
            item = item.strip()
            if not item:
                continue
            ident, _, val = item.partition("=")
            ident = ident.strip()
            nxt = c_eval(val, values) if val else nxt
            values[ident] = nxt
            members.append(ident)
            nxt += 1
        enums[name] = members
    for m in re.finditer(r"^\s*#\s*define\s+(\w+)[ \t]+(.+?)\s*$", text, re.M):
        name, body = m.group(1), m.group(2)
        s = re.fullmatch(r'"([^"]*)"', body)
        if s:
            strings[name] = s.group(1)
            continue
        try:
            values[name] = c_eval(body.replace("\\", ""), values)
        except (ValueError, SyntaxError, NameError):
            pass
    return values, enums, strings


# ------------------------------------------------------------------ spec

def entry_names(entries):
    out = []
    for e in entries:
        out.append((e["name"], e.get("value")) if isinstance(e, dict) else (e, None))
    return out


def expected(spec):
    """Return (pairs, groups): pairs is [(C name, value, where)], groups is
    [(header enum member list predicate, [C names], where)]."""
    fam = spec["name"]
    pairs, groups = [], []

    for d in spec.get("definitions", []):
        where = "definitions/%s" % d["name"]
        prefix = d.get("name-prefix", "%s-%s-" % (fam, d["name"]))
        if d["type"] == "const":
            pairs.append((c_name(d.get("name-prefix", fam + "-") + d["name"]),
                          d["value"], where))
            continue
        names = []
        nxt = d.get("value-start", 0)
        for name, val in entry_names(d["entries"]):
            nxt = val if val is not None else nxt
            value = (1 << nxt) if d["type"] == "flags" else nxt
            names.append(c_name(prefix + name))
            pairs.append((names[-1], value, where))
            nxt += 1
        groups.append((names, where, d["type"] == "flags", c_name(prefix)))

    for s in spec["attribute-sets"]:
        where = "attribute-sets/%s" % s["name"]
        dflt = "%s-a-" % fam if s["name"] == fam else "%s-a-%s-" % (fam, s["name"])
        prefix = s.get("name-prefix", dflt)
        names, nxt = [], 1
        for a in s["attributes"]:
            nxt = a.get("value", nxt)
            names.append(c_name(prefix + a["name"]))
            pairs.append((names[-1], nxt, where))
            nxt += 1
        groups.append((names, where, False, c_name(prefix)))

    ops = spec["operations"]
    prefix = ops.get("name-prefix", "%s-cmd-" % fam)
    names, nxt = [], 1
    for o in ops["list"]:
        nxt = o.get("value", nxt)
        names.append(c_name(prefix + o["name"]))
        pairs.append((names[-1], nxt, "operations/%s" % o["name"]))
        nxt += 1
    groups.append((names, "operations", False, c_name(prefix)))
    return pairs, groups


def check_refs(spec, errors):
    """Internal consistency: every name the spec refers to exists."""
    defs = {d["name"]: d for d in spec.get("definitions", [])}
    sets = {s["name"]: s for s in spec["attribute-sets"]}
    groups = {g["name"] for g in spec.get("mcast-groups", {}).get("list", [])}
    for s in sets.values():
        for a in s["attributes"]:
            w = "attribute-sets/%s/%s" % (s["name"], a["name"])
            if a["type"] == "nest" and a.get("nested-attributes") not in sets:
                errors.append("%s: unknown nested-attributes %r" % (w, a.get("nested-attributes")))
            if "enum" in a and a["enum"] not in defs:
                errors.append("%s: unknown enum %r" % (w, a["enum"]))
    for o in spec["operations"]["list"]:
        w = "operations/%s" % o["name"]
        aset = sets.get(o.get("attribute-set"))
        if aset is None:
            errors.append("%s: unknown attribute-set %r" % (w, o.get("attribute-set")))
            continue
        known = {a["name"] for a in aset["attributes"]}
        for mode in ("do", "dump"):
            for part in ("request", "reply"):
                for name in o.get(mode, {}).get(part, {}).get("attributes", []):
                    if name not in known:
                        errors.append("%s/%s/%s: unknown attribute %r" % (w, mode, part, name))
        for name in o.get("event", {}).get("attributes", []):
            if name not in known:
                errors.append("%s/event: unknown attribute %r" % (w, name))
        if "mcgrp" in o and o["mcgrp"] not in groups:
            errors.append("%s: unknown mcgrp %r" % (w, o["mcgrp"]))


# Numeric macros that are not part of what the spec describes.
NOT_IN_SPEC = {"DMVPN_GENL_VERSION"}
# Attribute sets that are roots, not nested anywhere.
ROOT_SETS = {"dmvpn", "link"}


def check_nesting(spec, errors):
    """Every attribute set is the family's own, or nested from it."""
    sets = {s["name"]: s for s in spec["attribute-sets"]}
    seen, todo = set(), [n for n in ROOT_SETS if n in sets]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        for a in sets[name]["attributes"]:
            if a["type"] == "nest" and a.get("nested-attributes") in sets:
                todo.append(a["nested-attributes"])
    for name in sets:
        if name not in seen:
            errors.append("attribute-sets/%s: not reachable from the %s set"
                          % (name, spec["name"]))


def check_coverage(values, enums, pairs, groups, errors):
    """Every enum and numeric constant of the header is in the spec."""
    described = {name for name, _, _ in pairs}
    for ename, members in enums.items():
        real = [m for m in members if not m.startswith("__")
                and not m.endswith("_MAX") and not m.endswith("_UNSPEC")]
        if real and not any(m in described for m in real):
            errors.append("header enum %s is not described by the spec"
                          % (ename if not ename.startswith("<") else real[0]))
    in_enums = {m for members in enums.values() for m in members}
    for name in values:
        if (name in in_enums or name in described or name in NOT_IN_SPEC
                or name.endswith("_MAX") or name.endswith("_ALL")
                or not name.startswith(("DMVPN_", "IFLA_DMVPN_"))):
            continue
        errors.append("header constant %s is not described by the spec" % name)


def check(spec, header):
    values, enums, strings = parse_header(header)
    errors = []
    check_refs(spec, errors)
    check_nesting(spec, errors)

    if strings.get("DMVPN_GENL_NAME") != spec["name"]:
        errors.append("family name %r != DMVPN_GENL_NAME %r"
                      % (spec["name"], strings.get("DMVPN_GENL_NAME")))
    for g in spec.get("mcast-groups", {}).get("list", []):
        macro = "DMVPN_MCGRP_" + c_name(g["name"])
        if strings.get(macro) != g["name"]:
            errors.append("mcast group %r: %s is %r"
                          % (g["name"], macro, strings.get(macro)))

    pairs, groups = expected(spec)
    for name, value, where in pairs:
        if name not in values:
            errors.append("%s: %s is not in the header" % (where, name))
        elif values[name] != value:
            errors.append("%s: %s is %d in the spec, %d in the header"
                          % (where, name, value, values[name]))

    # nothing in the header that the spec lacks
    for names, where, is_flags, prefix in groups:
        if is_flags:
            members = [n for n in values if n.startswith(prefix)
                       and n not in enums.get("", []) and not n.endswith("_ALL")
                       and not any(n in m for m in enums.values())]
        else:
            home = [m for m in enums.values() if names and names[0] in m]
            if not home:
                continue    # already reported as missing
            members = home[0]
        for n in members:
            if n.startswith("__") or n.endswith("_MAX") or n.endswith("_UNSPEC"):
                continue
            if n not in names:
                errors.append("%s: header has %s, the spec does not" % (where, n))
    check_coverage(values, enums, pairs, groups, errors)
    return errors, len(pairs)


def selftest(spec, header):
    """Each mutation of a good spec must be caught."""
    def mutated(fn):
        s = copy.deepcopy(spec)
        fn(s)
        return check(s, header)[0]

    sets = lambda s: {x["name"]: x for x in s["attribute-sets"]}
    defs = lambda s: {x["name"]: x for x in s["definitions"]}
    ops = lambda s: {x["name"]: x for x in s["operations"]["list"]}
    cases = {
        "attribute removed": lambda s: sets(s)["nhrp"]["attributes"].pop(3),
        "attributes swapped": lambda s: sets(s)["dev"]["attributes"].reverse(),
        "enum entry renamed": lambda s: s["definitions"][1]["entries"].__setitem__(2, "dynamo"),
        "flag dropped": lambda s: s["definitions"][2]["entries"].pop(),
        "op value": lambda s: s["operations"]["list"][0].__setitem__("value", 9),
        "const value": lambda s: s["definitions"][0].__setitem__("value", 2),
        "family name": lambda s: s.__setitem__("name", "dmvpn2"),
        "bad reference": lambda s: s["operations"]["list"][1]["do"]["request"]["attributes"].append("nope"),
        "whole enum missing": lambda s: s.__setitem__("definitions", [
            d for d in s["definitions"] if d["name"] != "sa-mode"]),
        "whole set missing": lambda s: s.__setitem__("attribute-sets", [
            x for x in s["attribute-sets"] if x["name"] != "peer"]),
        "constant missing": lambda s: s.__setitem__("definitions", [
            d for d in s["definitions"] if d["name"] != "natt-port"]),
        "nested set unreachable": lambda s: sets(s)["sa"]["attributes"].__setitem__(
            19, dict(sets(s)["sa"]["attributes"][19], type="u64")),
        "nested attribute dropped": lambda s: sets(s)["dev"]["attributes"].pop(),
        # the NHRP protocol additions
        "nhs state dropped": lambda s: defs(s)["nhs-state"]["entries"].pop(),
        "nhrp counter dropped": lambda s: defs(s)["nhrp-stat"]["entries"].pop(5),
        "implicit flag renamed": lambda s: defs(s)["nhrp-f"]["entries"][4].__setitem__(
            "name", "implied"),
        "conf attribute removed": lambda s: sets(s)["nhrp-conf"]["attributes"].pop(1),
        "nhs attributes swapped": lambda s: sets(s)["nhs"]["attributes"].reverse(),
        "nhrp-stats set unreachable": lambda s: sets(s)["dev"]["attributes"][-1].update(
            type="binary"),
        "new op value": lambda s: ops(s)["mcast-get"].__setitem__("value", 22),
        "new op missing": lambda s: s["operations"].__setitem__("list", [
            o for o in s["operations"]["list"] if o["name"] != "nhs-del"]),
        "holdtime default": lambda s: defs(s)["nhrp-holdtime-default"].__setitem__(
            "value", 7201),
    }
    bad = [name for name, fn in cases.items() if not mutated(fn)]
    for name in bad:
        print("selftest: mutation not detected: %s" % name)
    return not bad


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--spec", default=os.path.join(ROOT, "Documentation/netlink/specs/dmvpn.yaml"))
    ap.add_argument("--header", default=os.path.join(ROOT, "include/uapi/linux/dmvpn.h"))
    ap.add_argument("--selftest", action="store_true", help="also check that mutations are caught")
    ap.add_argument("--schema", help="kernel's Documentation/netlink/genetlink.yaml")
    args = ap.parse_args()

    spec = yaml.safe_load(open(args.spec))
    if args.schema:
        import jsonschema
        try:
            jsonschema.validate(spec, yaml.safe_load(open(args.schema)))
        except jsonschema.ValidationError as e:
            print("spec does not follow %s: %s" % (args.schema, e.message))
            return 1
        print("spec follows %s" % args.schema)
    errors, n = check(spec, args.header)
    for e in errors:
        print("spec/header mismatch: %s" % e)
    if errors:
        return 1
    print("spec and header agree: %d values checked" % n)
    if args.selftest and not selftest(spec, args.header):
        return 1
    if args.selftest:
        print("selftest: every mutation detected")
    return 0


if __name__ == "__main__":
    sys.exit(main())
