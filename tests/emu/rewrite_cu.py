#!/usr/bin/env python3
"""Build-time rewrite of a .cu file for the CUDA emulator (tests/emu): the only two constructs C++ cannot
express are rewritten, nothing else, and line numbers are kept (a #line directive names the original file,
so diagnostics, __FILE__ and the emulator's messages point at the real .cu source):

  kernel<<<grid, block, shared, stream>>>(args)  ->  ::segmint_emu::launch(kernel, "kernel", launch_config(...), ...)
  __shared__ T name[N];                         ->  auto& name = ::segmint_emu::shared_static<T[N]>();
  extern __shared__ T name[];                   ->  T* const name = ::segmint_emu::shared_dynamic<T>();

Usage: rewrite_cu.py INPUT.cu OUTPUT.cpp
"""
import re
import sys

DYNAMIC = re.compile(r"extern\s+__shared__\s+(?:__align__\(\s*\d+\s*\)\s+)?([A-Za-z_][\w:<>,\s\*]*?)\s+(\w+)\s*\[\s*\]\s*;")
STATIC = re.compile(r"__shared__\s+(?:__align__\(\s*\d+\s*\)\s+)?([A-Za-z_][\w:<>,\s\*]*?)\s+(\w+)\s*((?:\[[^\]]+\]\s*)*);")


def matching(text, start, open_ch, close_ch):
    """Index of the bracket closing the one at `start` (which holds open_ch)."""
    depth = 0
    i = start
    while i < len(text):
        c = text[i]
        if c in "\"'":  # skip literals
            q = c
            i += 1
            while i < len(text) and text[i] != q:
                i += 2 if text[i] == "\\" else 1
        elif c == open_ch:
            depth += 1
        elif c == close_ch:
            depth -= 1
            if depth == 0:
                return i
        i += 1
    raise SystemExit(f"rewrite_cu: unbalanced {open_ch}{close_ch} from offset {start}")


def callee_start(text, end):
    """Start of the expression naming the kernel that ends just before `end` (identifiers, ::, <...>)."""
    i = end
    while i > 0 and text[i - 1].isspace():
        i -= 1
    while i > 0:
        c = text[i - 1]
        if c.isalnum() or c in "_:":
            i -= 1
        elif c == ">":
            depth = 0
            while i > 0:
                i -= 1
                if text[i] == ">":
                    depth += 1
                elif text[i] == "<":
                    depth -= 1
                    if depth == 0:
                        break
        else:
            break
    return i


def rewrite_launches(text):
    out = []
    pos = 0
    while True:
        at = text.find("<<<", pos)
        if at < 0:
            out.append(text[pos:])
            return "".join(out)
        start = callee_start(text, at)
        callee = text[start:at].strip()
        close = text.find(">>>", at)
        config = text[at + 3:close]
        paren = close + 3
        while text[paren].isspace():
            paren += 1
        if text[paren] != "(":
            raise SystemExit(f"rewrite_cu: expected '(' after the launch configuration of {callee}")
        end = matching(text, paren, "(", ")")
        args = text[paren + 1:end]
        alias = re.search(r"auto\s+" + re.escape(callee) + r"\s*=\s*([^;]+);", text)
        name = " ".join((alias.group(1) if alias else callee).split()).replace('"', "'")
        call = (f'::segmint_emu::launch({callee}, "{name}", ::segmint_emu::launch_config({config}), __FILE__, __LINE__'
                + (f", {args})" if args.strip() else ")"))
        out.append(text[pos:start])
        out.append(call)
        pos = end + 1


def rewrite(text):
    text = DYNAMIC.sub(lambda m: f"{m.group(1)}* const {m.group(2)} = ::segmint_emu::shared_dynamic<{m.group(1)}>();", text)
    text = STATIC.sub(lambda m: f"auto& {m.group(2)} = ::segmint_emu::shared_static<{m.group(1)}{m.group(3).replace(' ', '')}>();", text)
    return rewrite_launches(text)


def main():
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    source, target = sys.argv[1], sys.argv[2]
    with open(source, encoding="utf-8") as f:
        text = f.read()
    result = rewrite(text)
    if result.count("\n") != text.count("\n"):
        raise SystemExit("rewrite_cu: the rewrite changed the line count")
    with open(target, "w", encoding="utf-8") as f:
        f.write(f'#line 1 "{source}"\n' + result)


if __name__ == "__main__":
    main()
