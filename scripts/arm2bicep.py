#!/usr/bin/env python3
"""Writes the Bicep twin of an ARM fixture, for the rule fixtures (testdata/<RULE>/bicep/).

    python3 scripts/arm2bicep.py testdata/NET001/arm/violating.json > testdata/NET001/bicep/violating.bicep

It decompiles what the fixtures use: parameters (types, defaults, @secure), variables, resources
(conditions, copy loops, property copy loops, nested child resources), and template expressions
(parameters(), variables(), copyIndex(), if(), createArray(), createObject(), add() and the other
functions Bicep calls by the same name). A nested deployment with an inline template becomes a
resource whose template is a literal object, as Bicep writes one. Comments are not kept. Review
what it writes: the fixture is Bicep a person would write, and the ARM one stays the reference.
What Bicep cannot write is left out with a comment (an API version from an expression); an ARM
template's `apiProfile` (Azure Stack Hub) has no Bicep equivalent, so a fixture whose verdict
depends on it needs a Bicep case of its own.
"""

import json
import re
import sys

IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
KEYWORDS = {"resource", "param", "var", "output", "module", "if", "for", "in", "true", "false",
            "null", "existing", "import", "type", "func", "metadata", "targetScope"}


def strip_comments(text):
    out, i, n = [], 0, len(text)
    in_str = False
    while i < n:
        c = text[i]
        if in_str:
            out.append(c)
            if c == "\\":
                out.append(text[i + 1])
                i += 2
                continue
            if c == '"':
                in_str = False
        elif c == '"':
            in_str = True
            out.append(c)
        elif text.startswith("//", i):
            while i < n and text[i] != "\n":
                i += 1
            continue
        elif text.startswith("/*", i):
            i = text.index("*/", i) + 2
            continue
        else:
            out.append(c)
        i += 1
    return re.sub(r",(\s*[}\]])", r"\1", "".join(out))


def quote(s):
    s = s.replace("\\", "\\\\").replace("'", "\\'").replace("${", "\\${")
    s = s.replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")
    return "'" + s + "'"


def key(k):
    return k if IDENT.match(k) and k not in KEYWORDS else quote(k)


# ---------------------------------------------------------------------------------------------
# ARM expressions

class Parser:
    def __init__(self, text):
        self.t, self.i = text, 0

    def ws(self):
        while self.i < len(self.t) and self.t[self.i].isspace():
            self.i += 1

    def peek(self):
        self.ws()
        return self.t[self.i] if self.i < len(self.t) else ""

    def expr(self):
        self.ws()
        c = self.peek()
        if c == "'":
            self.i += 1
            s = []
            while True:
                if self.t[self.i] == "'":
                    if self.t[self.i + 1:self.i + 2] == "'":
                        s.append("'")
                        self.i += 2
                        continue
                    self.i += 1
                    break
                s.append(self.t[self.i])
                self.i += 1
            node = ("str", "".join(s))
        elif c.isdigit() or c == "-":
            m = re.match(r"-?\d+(\.\d+)?", self.t[self.i:])
            self.i += m.end()
            node = ("num", m.group(0))
        else:
            m = re.match(r"[A-Za-z_][A-Za-z0-9_.]*", self.t[self.i:])
            if not m:
                raise ValueError("cannot read " + self.t[self.i:])
            name = m.group(0)
            self.i += m.end()
            self.ws()
            args = []
            if self.peek() == "(":
                self.i += 1
                while self.peek() != ")":
                    args.append(self.expr())
                    if self.peek() == ",":
                        self.i += 1
                self.i += 1
            node = ("call", name, args)
        while True:
            c = self.peek()
            if c == ".":
                self.i += 1
                m = re.match(r"[A-Za-z_$][A-Za-z0-9_$]*", self.t[self.i:])
                self.i += m.end()
                node = ("prop", node, m.group(0))
            elif c == "[":
                self.i += 1
                idx = self.expr()
                self.ws()
                self.i += 1
                node = ("index", node, idx)
            else:
                return node


class Ctx:
    def __init__(self, params, variables):
        self.params, self.variables = params, variables
        self.loops = {}  # copy name (lowercase, '' for the resource's own) -> Bicep index variable


def bicep_expr(node, ctx):
    kind = node[0]
    if kind == "str":
        return quote(node[1])
    if kind == "num":
        return node[1]
    if kind == "prop":
        return f"{bicep_expr(node[1], ctx)}.{node[2]}"
    if kind == "index":
        return f"{bicep_expr(node[1], ctx)}[{bicep_expr(node[2], ctx)}]"
    _, name, args = node
    low = name.lower()
    a = [bicep_expr(x, ctx) for x in args]
    if low in ("parameters", "variables") and args and args[0][0] == "str":
        return symbol(args[0][1])
    if low == "copyindex":
        loop = ""
        offset = None
        for x in args:
            if x[0] == "str":
                loop = x[1].lower()
            else:
                offset = bicep_expr(x, ctx)
        var = ctx.loops.get(loop, "i")
        return f"({var} + {offset})" if offset else var
    if low == "if" and len(a) == 3:
        return f"({a[0]} ? {a[1]} : {a[2]})"
    if low == "createarray":
        return "[" + ", ".join(a) + "]"
    if low == "createobject":
        pairs = [f"{key(json.loads(json.dumps(args[i][1])) if args[i][0] == 'str' else a[i])}: {a[i + 1]}"
                 for i in range(0, len(a) - 1, 2)]
        return "{ " + ", ".join(pairs) + " }"
    binary = {"add": "+", "sub": "-", "mul": "*", "div": "/", "mod": "%", "equals": "==",
              "less": "<", "lessorequals": "<=", "greater": ">", "greaterorequals": ">="}
    if low in binary and len(a) == 2:
        return f"({a[0]} {binary[low]} {a[1]})"
    if low == "not" and len(a) == 1:
        return f"!{a[0]}"
    if low in ("and", "or"):
        op = " && " if low == "and" else " || "
        return "(" + op.join(a) + ")"
    if low in ("true", "false", "null") and not a:
        return low
    return f"{name}({', '.join(a)})"


def symbol(name):
    return name if IDENT.match(name) and name not in KEYWORDS else "p_" + re.sub(r"\W", "_", name)


def value(v, ctx, indent):
    pad = "  " * indent
    if isinstance(v, str):
        if v.startswith("[[") and v.endswith("]"):
            return quote(v[1:])
        if v.startswith("[") and v.endswith("]"):
            return bicep_expr(Parser(v[1:-1]).expr(), ctx)
        return quote(v)
    if isinstance(v, bool):
        return "true" if v else "false"
    if v is None:
        return "null"
    if isinstance(v, (int, float)):
        return json.dumps(v)
    if isinstance(v, list):
        if not v:
            return "[]"
        items = "".join(f"\n{pad}  {value(x, ctx, indent + 1)}" for x in v)
        return f"[{items}\n{pad}]"
    # An object, with its property copy loops.
    loops = {c["name"]: c for c in v.get("copy", [])} if isinstance(v.get("copy"), list) else {}
    lines = []
    for k, x in v.items():
        if k == "copy" and loops:
            continue
        lines.append(f"{pad}  {key(k)}: {value(x, ctx, indent + 1)}")
    for name, c in loops.items():
        var = "j" if "j" not in ctx.loops.values() else "k"
        ctx.loops[name.lower()] = var
        count = value(c["count"], ctx, indent + 1)
        body = value(c["input"], ctx, indent + 1)
        del ctx.loops[name.lower()]
        lines.append(f"{pad}  {key(name)}: [for {var} in range(0, {count}): {body}]")
    if not lines:
        return "{}"
    return "{\n" + "\n".join(lines) + f"\n{pad}}}"


def resource(r, ctx, n, indent, nested):
    pad = "  " * indent
    rtype = r["type"]
    api = r.get("apiVersion", "")
    if api.startswith("["):
        return f"{pad}// {r.get('name', '')}: an API version from an expression cannot be written in Bicep"
    typ = f"{rtype}@{api}" if api else rtype
    header = f"{pad}resource r{n} {quote(typ)} = "
    body_ctx = ctx
    close = ""
    if isinstance(r.get("copy"), dict):
        ctx.loops[""] = "i"
        ctx.loops[r["copy"]["name"].lower()] = "i"
        header += f"[for i in range(0, {value(r['copy']['count'], ctx, indent)}): "
        close = "]"
    if "condition" in r:
        header += f"if ({value(r['condition'], ctx, indent)}) "
    lines = []
    children = []
    for k, x in r.items():
        if k in ("type", "apiVersion", "copy", "condition", "dependsOn", "comments"):
            continue
        if k == "resources":
            children = x
            continue
        lines.append(f"{pad}  {key(k)}: {value(x, body_ctx, indent + 1)}")
    for i, c in enumerate(children):
        lines.append(resource(c, ctx, f"{n}_{i}", indent + 1, True))
    ctx.loops.pop("", None)
    if isinstance(r.get("copy"), dict):
        ctx.loops.pop(r["copy"]["name"].lower(), None)
    return header + "{\n" + "\n".join(lines) + f"\n{pad}}}" + close


def convert(template):
    params = template.get("parameters", {}) or {}
    variables = template.get("variables", {}) or {}
    ctx = Ctx(params, variables)
    out = []
    types = {"securestring": "string", "secureobject": "object"}
    for name, p in params.items():
        t = (p.get("type") or "string").lower()
        secure = t in types
        bt = types.get(t, t)
        if bt not in ("string", "int", "bool", "object", "array"):
            bt = "string"
        line = ("@secure()\n" if secure else "") + f"param {symbol(name)} {bt}"
        if "allowedValues" in p:
            line = f"@allowed({value(p['allowedValues'], ctx, 0)})\n" + line
        if "defaultValue" in p:
            line += f" = {value(p['defaultValue'], ctx, 0)}"
        out.append(line)
    for name, v in variables.items():
        if name == "copy":
            continue
        out.append(f"var {symbol(name)} = {value(v, ctx, 0)}")
    for n, r in enumerate(template.get("resources", []) or []):
        out.append(resource(r, ctx, n, 0, False))
    return "\n\n".join(out) + "\n"


def main():
    text = open(sys.argv[1], encoding="utf-8-sig").read()
    template = json.loads(strip_comments(text))
    sys.stdout.write(convert(template))


if __name__ == "__main__":
    main()
