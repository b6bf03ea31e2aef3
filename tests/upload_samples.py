"""Small files of every type the upload check knows, and of types it refuses.

Each is the smallest byte string with the structure the check looks for (the
magic bytes, an ISO brand, two MP3 frames...), not a real photo or recording:
the check reads structure, and the tests stay fast.
"""

from __future__ import annotations

import struct
import zlib


def pdf() -> bytes:
    return (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"
            b"trailer\n<< /Root 1 0 R >>\n%%EOF\n")


def png(width: int = 1, height: int = 1) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data)))

    raw = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2,
                                                              0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def jpeg() -> bytes:
    return b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"


def webp() -> bytes:
    body = b"WEBPVP8 " + struct.pack("<I", 10) + b"\x00" * 10
    return b"RIFF" + struct.pack("<I", len(body)) + body


def ftyp(major: bytes, *compatible: bytes) -> bytes:
    body = b"ftyp" + major + b"\x00\x00\x00\x00" + b"".join(compatible)
    return struct.pack(">I", len(body) + 4) + body + b"\x00\x00\x00\x08free"


def heic() -> bytes:
    return ftyp(b"heic", b"mif1", b"heic")


def heif() -> bytes:
    return ftyp(b"mif1", b"mif1", b"miaf")


def m4a() -> bytes:
    return ftyp(b"M4A ", b"M4A ", b"mp42", b"isom")


def three_gp() -> bytes:
    return ftyp(b"3gp4", b"isom", b"3gp4")


#: MPEG-1 layer III, 128 kbit/s, 44.1 kHz: frames of 417 bytes.
MP3_FRAME = b"\xff\xfb\x90\x00" + b"\x00" * 413


def mp3() -> bytes:
    return MP3_FRAME * 3


def mp3_id3() -> bytes:
    tag = b"TIT2" + struct.pack(">I", 6) + b"\x00\x00\x03call"
    return b"ID3\x04\x00\x00" + bytes([0, 0, 0, len(tag)]) + tag + MP3_FRAME * 2


def aac() -> bytes:
    length = 7 + 20
    head = bytes([0xFF, 0xF1, 0x50, 0x80 | (length >> 11), (length >> 3) & 0xFF,
                  ((length & 7) << 5) | 0x1F, 0xFC])
    return (head + b"\x00" * 20) * 2


def ogg(first_packet: bytes = b"OpusHead\x01\x01\x38\x01\x80\xbb\x00\x00\x00\x00\x00") -> bytes:
    header = (b"OggS\x00\x02" + b"\x00" * 8 + b"\x01\x00\x00\x00" + b"\x00" * 8
              + bytes([1, len(first_packet)]))
    return header + first_packet


def wav() -> bytes:
    fmt = b"fmt " + struct.pack("<IHHIIHH", 16, 1, 1, 8000, 16000, 2, 16)
    data = b"data" + struct.pack("<I", 4) + b"\x00" * 4
    body = b"WAVE" + fmt + data
    return b"RIFF" + struct.pack("<I", len(body)) + body


def amr() -> bytes:
    return b"#!AMR\n" + b"\x3c" + b"\x00" * 31


def amr_wb() -> bytes:
    return b"#!AMR-WB\n" + b"\x44" + b"\x00" * 60


#: (key, bytes, a name the phone might give it)
ACCEPTED = [
    ("pdf", pdf(), "letter.pdf"),
    ("png", png(), "Screenshot_2027-01-03.png"),
    ("jpeg", jpeg(), "IMG_0001.JPG"),
    ("webp", webp(), "chat.webp"),
    ("heic", heic(), "IMG_0002.HEIC"),
    ("heif", heif(), "photo.heif"),
    ("mp3", mp3(), "call.mp3"),
    ("mp3", mp3_id3(), "通话录音.mp3"),
    ("m4a", m4a(), "Voice Memo.m4a"),
    ("3gp", three_gp(), "call.3gp"),
    ("aac", aac(), "call.aac"),
    ("ogg", ogg(), "voice.opus"),
    ("ogg", ogg(b"\x01vorbis" + b"\x00" * 22), "voice.ogg"),
    ("wav", wav(), "call.wav"),
    ("amr", amr(), "通话 13800138000.amr"),
    ("amr-wb", amr_wb(), "call.awb"),
]

HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = (b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">'
       b"<script>alert(2)</script></svg>")

#: (why, bytes, name): everything here is refused, whatever its name.
REFUSED = [
    ("html named .pdf", HTML, "letter.pdf"),
    ("html", HTML, "page.html"),
    ("html with a bom", b"\xef\xbb\xbf" + HTML, "page.htm"),
    ("svg", SVG, "image.svg"),
    ("svg named .png", SVG, "photo.png"),
    ("bare svg", b'<svg xmlns="http://www.w3.org/2000/svg"/>', "x.svg"),
    ("shell script", b"#!/bin/sh\nrm -rf ~\n", "call.amr"),
    ("javascript", b"alert(1)//", "x.js"),
    ("zip", b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + b"\x00" * 20, "letter.zip"),
    ("docx", b"PK\x03\x04\x14\x00\x06\x00\x08\x00" + b"\x00" * 20, "letter.docx"),
    ("gif", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "x.gif"),
    ("windows program", b"MZ\x90\x00\x03\x00\x00\x00", "x.exe"),
    ("plain text", b"I called on Monday.", "notes.txt"),
    ("pdf marker later on", b"<html>%PDF-1.7</html>", "x.pdf"),
    ("ogg video", ogg(b"\x80theora" + b"\x00" * 30), "clip.ogv"),
    ("a video box", ftyp(b"qt  ", b"qt  "), "clip.mov"),
    ("one lucky mp3 byte pair", b"\xff\xfb\x90\x00" + b"<script>" * 60, "x.mp3"),
    ("avi", b"RIFF\x10\x00\x00\x00AVI LIST", "clip.avi"),
]
