"""What a file is, by its content (magic bytes), never by its name.

Only the types Parley keeps as evidence are recognised: PDF; photos and
screenshots (PNG, JPEG, WebP, HEIC/HEIF from phones); recordings (MP3,
M4A/AAC and 3GP in an ISO ``ftyp`` box, raw AAC, OGG with Opus/Vorbis/FLAC,
WAV, AMR as Chinese phones record calls). Anything else (HTML, SVG, scripts,
ZIP and office files, empty files) is not a :class:`FileType` at all, so it
can never be stored, let alone served with a type a browser would run.

Each check looks for a structure, not just a prefix where that is cheap (the
next MP3 frame, the Ogg codec header, the ISO brand), so that a script or a
page that starts with two lucky bytes is not taken for a recording.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FileType:
    """A type Parley accepts: what to call it and how to serve it."""

    key: str
    #: the media type it is served with (never text/*, never an executable type)
    media_type: str
    #: file-name extensions that fit; the first is used when the name's does not
    extensions: tuple[str, ...]
    #: "document", "image" or "audio"
    family: str
    #: short name for messages and lists (not translated: these are format names)
    label: str


TYPES: dict[str, FileType] = {t.key: t for t in (
    FileType("pdf", "application/pdf", (".pdf",), "document", "PDF"),
    FileType("png", "image/png", (".png",), "image", "PNG"),
    FileType("jpeg", "image/jpeg", (".jpg", ".jpeg", ".jfif"), "image", "JPEG"),
    FileType("webp", "image/webp", (".webp",), "image", "WebP"),
    FileType("heic", "image/heic", (".heic", ".heics"), "image", "HEIC"),
    FileType("heif", "image/heif", (".heif", ".heifs", ".heic"), "image", "HEIF"),
    FileType("mp3", "audio/mpeg", (".mp3",), "audio", "MP3"),
    FileType("m4a", "audio/mp4", (".m4a", ".mp4", ".m4b", ".aac"), "audio", "M4A"),
    FileType("3gp", "audio/3gpp", (".3gp", ".3gpp", ".3g2", ".m4a"), "audio", "3GP"),
    FileType("aac", "audio/aac", (".aac", ".adts"), "audio", "AAC"),
    FileType("ogg", "audio/ogg", (".ogg", ".opus", ".oga"), "audio", "OGG"),
    FileType("wav", "audio/wav", (".wav",), "audio", "WAV"),
    FileType("amr", "audio/amr", (".amr",), "audio", "AMR"),
    FileType("amr-wb", "audio/amr-wb", (".awb", ".amr"), "audio", "AMR-WB"),
)}

#: ISO base media ``ftyp`` brands, by the type they make a file.
HEIC_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"hevm", b"hevs"}
HEIF_BRANDS = {b"mif1", b"msf1", b"mif2"}
M4A_BRANDS = {b"M4A ", b"M4B ", b"M4P ", b"mp41", b"mp42", b"isom", b"iso2", b"iso4",
              b"iso5", b"iso6", b"dash", b"f4a "}
THREE_GP_BRANDS = {b"3gp4", b"3gp5", b"3gp6", b"3gp7", b"3gs7", b"3ge6", b"3ge7", b"3gg6",
                   b"3g2a", b"3g2b", b"3g2c"}
#: The first packet of an Ogg stream that holds audio (not Theora video).
OGG_AUDIO = (b"OpusHead", b"\x01vorbis", b"\x7fFLAC", b"Speex   ")

# MPEG audio layer III: kbit/s by bitrate index (MPEG-1, then MPEG-2/2.5), Hz by
# sample-rate index (MPEG-1; MPEG-2 halves them, MPEG-2.5 quarters them).
_MP3_KBPS = {3: (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320),
             2: (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160)}
_MP3_HZ = (44100, 48000, 32000)
#: How far past an ID3 tag the first MP3 frame may start (padding, odd encoders).
_ID3_SLACK = 64 * 1024


def sniff(data: bytes) -> FileType | None:
    """The accepted type ``data`` is, or None (refuse it)."""
    if data.startswith(b"%PDF-") and data[5:6] in (b"1", b"2"):
        return TYPES["pdf"]
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return TYPES["png"]
    if data.startswith(b"\xff\xd8\xff"):
        return TYPES["jpeg"]
    if data[:4] == b"RIFF" and len(data) >= 12:
        return {b"WEBP": TYPES["webp"], b"WAVE": TYPES["wav"]}.get(data[8:12])
    if data[4:8] == b"ftyp":
        return _iso(data)
    if data.startswith(b"OggS"):
        return _ogg(data)
    if data.startswith(b"#!AMR\n"):
        return TYPES["amr"]
    if data.startswith(b"#!AMR-WB\n"):
        return TYPES["amr-wb"]
    if data.startswith(b"ID3"):
        return _id3(data)
    if _mp3_frame(data, 0) is not None:
        return TYPES["mp3"]
    if _adts_frames(data):
        return TYPES["aac"]
    return None


def _iso(data: bytes) -> FileType | None:
    """An ISO base media file (HEIC photo, M4A or 3GP recording) by its brands."""
    size = int.from_bytes(data[:4], "big")
    if size < 16 or size % 4 or len(data) < min(size, 64):
        return None
    brands = [data[8:12]] + [data[i:i + 4] for i in range(16, min(size, 64), 4)]
    major = brands[0]
    if major in HEIC_BRANDS:
        return TYPES["heic"]
    if major in HEIF_BRANDS:
        # A generic HEIF brand: HEIC when a HEVC brand is listed too.
        return TYPES["heic"] if HEIC_BRANDS & set(brands) else TYPES["heif"]
    if major in M4A_BRANDS:
        return TYPES["m4a"]
    if major in THREE_GP_BRANDS:
        return TYPES["3gp"]
    return None


def _ogg(data: bytes) -> FileType | None:
    """An Ogg stream whose first packet is an audio codec's header."""
    if len(data) < 28 or data[4] != 0:
        return None
    start = 27 + data[26]  # after the segment table
    return TYPES["ogg"] if data[start:start + 8].startswith(OGG_AUDIO) else None


def _id3(data: bytes) -> FileType | None:
    """An ID3v2 tag, then MPEG audio frames."""
    if len(data) < 10 or data[3] not in (2, 3, 4) or any(b >= 0x80 for b in data[6:10]):
        return None
    size = 0
    for b in data[6:10]:  # "syncsafe": 7 bits a byte
        size = size << 7 | b
    start = 10 + size + (10 if data[5] & 0x10 else 0)
    for offset in range(start, min(start + _ID3_SLACK, len(data) - 3)):
        if data[offset] == 0xFF and _mp3_frame(data, offset) is not None:
            return TYPES["mp3"]
    return None


def _mp3_frame(data: bytes, offset: int, follow: bool = True) -> int | None:
    """The length of the MPEG layer III frame at ``offset``, or None. With
    ``follow``, the frame after it must be one too (when the data goes that far)."""
    head = data[offset:offset + 4]
    if len(head) < 4 or head[0] != 0xFF or head[1] & 0xE0 != 0xE0:
        return None
    version, layer = head[1] >> 3 & 3, head[1] >> 1 & 3
    bitrate, rate, padding = head[2] >> 4, head[2] >> 2 & 3, head[2] >> 1 & 1
    if version == 1 or layer != 1 or bitrate in (0, 15) or rate == 3:
        return None
    mpeg1 = version == 3
    hz = _MP3_HZ[rate] // {3: 1, 2: 2, 0: 4}[version]
    kbps = _MP3_KBPS[3 if mpeg1 else 2][bitrate]
    length = (144 if mpeg1 else 72) * kbps * 1000 // hz + padding
    after = offset + length
    if follow and after + 4 <= len(data) and _mp3_frame(data, after, follow=False) is None:
        return None
    return length


def _adts_frames(data: bytes) -> bool:
    """Raw AAC (ADTS): a frame header, and the next one where the data goes that far."""
    offset = 0
    for _ in range(2):
        head = data[offset:offset + 7]
        if len(head) < 7:
            return offset > 0
        if head[0] != 0xFF or head[1] & 0xF6 != 0xF0 or (head[2] >> 2 & 0xF) > 12:
            return False
        length = (head[3] & 3) << 11 | head[4] << 3 | head[5] >> 5
        if length < 7:
            return False
        offset += length
    return True
