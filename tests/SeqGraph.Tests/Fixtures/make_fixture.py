#!/usr/bin/env python3
"""Builds fixture.safetensors byte by byte from the safetensors spec, independently of SeqGraph.

Only the standard library is used (struct + json), so no torch is needed. The file is written on
purpose in ways SeqGraph's writer does not: tensors laid out in an unsorted order, the header
written with json.dumps' default ", " / ": " separators, and "__metadata__" as the last key.
SafetensorsTests.FixtureFromIndependentWriter asserts the exact values below.

Run from this folder:  python3 make_fixture.py
"""
import json
import struct

# (name, dtype, shape, struct format per element, values)
TENSORS = [
    ("weight", "F32", [2, 3], "<f", [1.5, -2.25, 0.0, 0.001, 65504.0, -0.0]),
    ("bias", "F64", [3], "<d", [0.1, -1e300, 3.141592653589793]),
    ("steps", "I64", [2], "<q", [9007199254740993, -5]),
    ("count", "I32", [], "<i", [42]),
    ("half", "F16", [2], "<e", [0.5, -1.0]),
    ("bf", "BF16", [2], "<H", [0x3F80, 0xC060]),  # bfloat16 bit patterns of 1.0 and -3.5
    ("empty", "F32", [0], "<f", []),
    ("mask", "BOOL", [3], "<B", [1, 0, 1]),
]
METADATA = {"format": "pt", "note": "made by make_fixture.py"}

header = {}
data = b""
for name, dtype, shape, fmt, values in TENSORS:
    raw = b"".join(struct.pack(fmt, v) for v in values)
    header[name] = {"dtype": dtype, "shape": shape, "data_offsets": [len(data), len(data) + len(raw)]}
    data += raw
header["__metadata__"] = METADATA

text = json.dumps(header).encode("utf-8")
text += b" " * (-len(text) % 8)  # pad with spaces to a multiple of 8
with open("fixture.safetensors", "wb") as f:
    f.write(struct.pack("<Q", len(text)))
    f.write(text)
    f.write(data)
print(f"wrote fixture.safetensors: header {len(text)} bytes, data {len(data)} bytes")
