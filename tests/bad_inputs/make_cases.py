#!/usr/bin/env python3
"""How the bad-input cases in this folder were made (kept for reference; the case folders are the fixtures
and are edited by hand when behaviour is meant to change). Each case folder holds its input files and a
case.json: args ({dir} = the case folder, {out} = a fresh output folder), exit_code, stderr_contains,
stdout_contains, segments_contains, no_outputs. tests/cli/test_bad_inputs.cpp runs every folder.

To add a case: make a folder with input.csv and case.json (copy a neighbour) — no code change needed.
"""
