"""MS-OVBA compression (section 2.4.1): the LZ77 variant VBA source streams are stored in."""

from __future__ import annotations

import struct

CHUNK = 4096


def _copy_token_help(position: int) -> tuple[int, int, int]:
    """(bit count, length mask, maximum length) for a copy token at ``position`` in its chunk."""
    bit_count = 4
    while (1 << bit_count) < position:
        bit_count += 1
    length_mask = 0xFFFF >> bit_count
    return bit_count, length_mask, length_mask + 3


def decompress(data: bytes) -> bytes:
    if not data or data[0] != 0x01:
        raise ValueError("not a compressed container (signature is not 0x01)")
    out = bytearray()
    pos = 1
    while pos < len(data):
        (header,) = struct.unpack_from("<H", data, pos)
        size = (header & 0x0FFF) + 3
        if (header >> 12) & 0x7 != 0b011:
            raise ValueError(f"bad chunk signature at byte {pos}")
        chunk_end = min(len(data), pos + size)
        pos += 2
        chunk_start = len(out)
        if not header >> 15:  # raw chunk
            out += data[pos:pos + CHUNK]
            pos += CHUNK
            continue
        while pos < chunk_end:
            flags = data[pos]
            pos += 1
            for bit in range(8):
                if pos >= chunk_end:
                    break
                if not (flags >> bit) & 1:
                    out.append(data[pos])
                    pos += 1
                    continue
                (token,) = struct.unpack_from("<H", data, pos)
                pos += 2
                bit_count, length_mask, _ = _copy_token_help(len(out) - chunk_start)
                length = (token & length_mask) + 3
                source = len(out) - ((token >> (16 - bit_count)) + 1)
                for i in range(length):  # the copy may overlap itself
                    out.append(out[source + i])
    return bytes(out)


def _compress_chunk(chunk: bytes) -> bytes:
    out = bytearray()
    seen: dict[bytes, list[int]] = {}
    pos, n = 0, len(chunk)
    while pos < n:
        flag_at = len(out)
        out.append(0)
        flags = 0
        for bit in range(8):
            if pos >= n:
                break
            best_length, best_offset = 0, 0
            if pos + 3 <= n:
                _, _, max_length = _copy_token_help(pos)
                max_length = min(max_length, n - pos)
                for candidate in reversed(seen.get(chunk[pos:pos + 3], ())):
                    length = 3
                    while length < max_length and chunk[candidate + length] == chunk[pos + length]:
                        length += 1
                    if length > best_length:
                        best_length, best_offset = length, pos - candidate
                        if length == max_length:
                            break
            if best_length >= 3:
                bit_count, _, _ = _copy_token_help(pos)
                out += struct.pack("<H", ((best_offset - 1) << (16 - bit_count)) | (best_length - 3))
                flags |= 1 << bit
                advance = best_length
            else:
                out.append(chunk[pos])
                advance = 1
            for p in range(pos, pos + advance):
                if p + 3 <= n:
                    seen.setdefault(chunk[p:p + 3], []).append(p)
            pos += advance
        out[flag_at] = flags
    return bytes(out)


def compress(data: bytes) -> bytes:
    out = bytearray(b"\x01")
    for start in range(0, len(data), CHUNK):
        chunk = data[start:start + CHUNK]
        body = _compress_chunk(chunk)
        if len(body) <= CHUNK:
            out += struct.pack("<H", 0xB000 | (len(body) - 1)) + body
        else:  # incompressible: a raw chunk of exactly 4096 bytes
            out += struct.pack("<H", 0x3FFF) + chunk.ljust(CHUNK, b"\x00")
    return bytes(out)
