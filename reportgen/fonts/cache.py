"""Parsed TrueType fonts, kept per user so a font is parsed once per machine.

reportlab parses a TrueType file in pure Python (``TTFontFile.extractInfo``):
about 25 ms for a Latin face and 300 ms for a CJK one, every run. What it
keeps from the parse is plain data (metrics, the character map, glyph
widths and offsets, the table directory); only the subsetter reads the file's
bytes again, when a PDF is written. So the parsed state is stored in the
platform's cache folder and the bytes are read only when a subset is made.

The entry is keyed by the file's path, size and modification time, the face
index and the reportlab version, and holds that key too: an entry that does
not match, or cannot be read, is rebuilt, never an error. It is written
atomically (a temporary file, then ``os.replace``). It is a pickle of
builtin types only, read by an unpickler that refuses every class, from a
folder only its owner may write (mode 0700, owner checked), so an entry can
neither run code nor come from another user.

The entries live in the ``fonts`` folder of the per-user cache
(``usercache``: ``REPORTGEN_CACHE_DIR`` moves it, ``REPORTGEN_NO_CACHE=1``
turns it off, and fonts are then parsed every run, as before).
"""

from __future__ import annotations

import array
import gc
import hashlib
import io
import json
import os
import pickle
import sys
import threading
from fnmatch import fnmatch
from pathlib import Path
from weakref import WeakKeyDictionary

import reportlab
from reportlab import rl_config
from reportlab.pdfbase import ttfonts
from reportlab.pdfbase.ttfonts import TTEncoding, TTFNameBytes, TTFont, TTFontFace

from ..files import usercache

#: bumped when what an entry holds changes
FORMAT = 1

#: attributes of a parsed face that are not plain data: the file's bytes
#: (read again on demand), the read position and the scale function
#: (rebuilt from unitsPerEm)
_NOT_STORED = ("_ttf_data", "_pos", "_pdfScale")

# in-process: one face per (file, index, stat), shared by every name
# (the PDF writer and the charts register the same files)
_FACES: dict[tuple, TTFontFace] = {}
_COVERAGE: dict[tuple, frozenset[int]] = {}
_LOCK = threading.Lock()


def ttfont(name: str, path: Path, index: int = 0) -> TTFont:
    """``TTFont(name, path, subfontIndex=index)``, its face from the cache."""
    font = TTFont.__new__(TTFont)
    # what TTFont.__init__ sets, with the face it would have parsed
    font.fontName = name
    font.face = face(path, index)
    font.encoding = TTEncoding()
    font.state = WeakKeyDictionary()
    # private to reportlab, and so absent from its stubs: the attribute
    # TTFont.__init__ sets, and the glob list it reads from its own module
    font._asciiReadable = rl_config.ttfAsciiReadable  # type: ignore[attr-defined]
    globs = ttfonts.unShapedFontGlob  # type: ignore[attr-defined]
    font.shapable = not any(fnmatch(name, glob) for glob in globs)
    return font


def face(path: Path, index: int = 0) -> TTFontFace:
    """The parsed face of ``path``: from this process, the disk cache
    (its bulk read on first use), or the file itself (and then stored)."""
    key = _key(path, index)
    if key not in _FACES:
        _FACES[key] = _load_or_parse(path, index, key)
    return _FACES[key]


def coverage(path: Path, index: int = 0) -> frozenset[int]:
    """The code points the face maps to a glyph, without loading the rest
    of the face when the cache has it (a fallback font is checked for a
    character long before, and far more often than, it is drawn)."""
    loaded = face(path, index)  # a face from the cache brings its coverage along
    key = _key(path, index)
    if key not in _COVERAGE:
        _COVERAGE[key] = frozenset(loaded.charToGlyph)
    return _COVERAGE[key]


def _key(path: Path, index: int) -> tuple:
    info = os.stat(path)
    return (str(path), int(index), info.st_size, info.st_mtime_ns, reportlab.Version, FORMAT)


def _load_or_parse(path: Path, index: int, key: tuple) -> TTFontFace:
    folder = usercache.folder("fonts")
    if folder is None:
        return TTFontFace(str(path), subfontIndex=index)
    stem = folder / hashlib.sha256(repr((key, sys.byteorder)).encode()).hexdigest()
    head = _read_head(stem.with_suffix(".head"), key)
    if head is not None:
        _COVERAGE[key] = head[2]
        return _lazy(head[0], head[1], stem.with_suffix(".pickle"), key)
    parsed = TTFontFace(str(path), subfontIndex=index)
    usercache.write(stem.with_suffix(".pickle"), _pickled(key, _state(parsed)))
    usercache.write(stem.with_suffix(".head"), _head_bytes(key, parsed))
    return parsed


# --------------------------------------------------------------------------
# The face's state as builtin data


class _LazyFace(TTFontFace):
    """A face restored from the cache. Registering it reads only its name;
    the bulk (character map, widths, glyph offsets) is read from its entry
    on first use, and the font file's bytes when a subset is made."""

    def __getattr__(self, attr: str):
        # only called for attributes the instance does not have (yet)
        if attr.startswith("__"):  # copy and pickle probing: not face data
            raise AttributeError(attr)
        with _LOCK:  # another thread may be loading it: wait, then look again
            loader = self.__dict__.pop("_rg_loader", None)
            if loader is not None:
                self.__dict__.update(loader())
        if attr in self.__dict__:
            return self.__dict__[attr]
        raise AttributeError(attr)

    @property
    def _ttf_data(self) -> bytes:
        data = self.__dict__.get("_rg_data")
        if data is None:
            data = Path(self.filename).read_bytes()
            if len(data) != self._rg_size:
                # the file changed after it was measured: a rerun parses it afresh
                raise ttfonts.TTFError(f"font file {self.filename} changed while in use")
            self.__dict__["_rg_data"] = data
        return data

    @_ttf_data.setter
    def _ttf_data(self, value: bytes) -> None:
        self.__dict__["_rg_data"] = value


def _lazy(name: str, filename: str, entry: Path, key: tuple) -> TTFontFace:
    def load() -> dict:
        state = _read_state(entry, key)
        if state is None:  # removed or damaged since the head was read
            parsed = TTFontFace(key[0], subfontIndex=key[1])
            usercache.write(entry, _pickled(key, _state(parsed)))
            attrs = dict(vars(parsed))
            attrs["_rg_data"] = attrs.pop("_ttf_data")  # where _LazyFace keeps it
            return {**attrs, "_rg_size": key[2]}
        return _restored(state, key[2])

    restored = _LazyFace.__new__(_LazyFace)
    restored.__dict__.update(name=TTFNameBytes(name.encode("utf8")), filename=filename)
    restored.__dict__["_rg_loader"] = load
    return restored


def _state(parsed: TTFontFace) -> dict:
    """The face's attributes as builtin types; reportlab's name strings
    (a bytes subclass) are kept as their text and rebuilt on load."""
    out: dict = {"names": {}, "attrs": {}}
    for attr, value in vars(parsed).items():
        if attr in _NOT_STORED:
            continue
        if isinstance(value, TTFNameBytes):
            out["names"][attr] = value.ustr
        else:
            out["attrs"][attr] = value
    return out


def _pdf_scale(units_per_em: int):
    # the same arithmetic as TTFontFile.extractInfo, so every width matches
    if units_per_em == 1000:
        return lambda x: x
    mult = 1000 / units_per_em
    return lambda x: x * mult


def _restored(state: dict, size: int) -> dict:
    attrs = dict(state["attrs"])
    for attr, text in state["names"].items():
        attrs[attr] = TTFNameBytes(text.encode("utf8"))
    attrs.update(_rg_size=size, _pos=0, _pdfScale=_pdf_scale(attrs["unitsPerEm"]))
    return attrs


# --------------------------------------------------------------------------
# The folder and its entries


class _DataOnly(pickle.Unpickler):
    """An unpickler that builds builtin containers and scalars only."""

    def find_class(self, module: str, name: str):
        raise pickle.UnpicklingError(f"a font cache entry may not name {module}.{name}")


def _pickled(key: tuple, state: dict) -> bytes:
    return pickle.dumps({"key": list(key), "state": state}, protocol=4)


def _read_state(entry: Path, key: tuple) -> dict | None:
    """The stored state for ``key``, or None (missing, corrupt, stale,
    or not safe to read: all mean parse the font again)."""
    raw = usercache.read(entry)
    if raw is None:
        return None
    enabled_gc = gc.isenabled()
    gc.disable()  # a face is ~200,000 small objects: no collection can free any
    try:
        stored = _DataOnly(io.BytesIO(raw)).load()
    except Exception:  # any unreadable entry is rebuilt, never an error
        return None
    finally:
        if enabled_gc:
            gc.enable()
    if not isinstance(stored, dict) or stored.get("key") != list(key):
        return None
    state = stored.get("state")
    return state if isinstance(state, dict) and _complete(state) else None


def _complete(state: dict) -> bool:
    attrs, names = state.get("attrs"), state.get("names")
    if not isinstance(attrs, dict) or not isinstance(names, dict):
        return False
    needed = ("charToGlyph", "charWidths", "glyphPos", "table", "unitsPerEm", "filename")
    return all(n in attrs for n in needed) and all(isinstance(t, str) for t in names.values())


def _head_bytes(key: tuple, parsed: TTFontFace) -> bytes:
    """The head entry: one JSON line (key, PostScript name, file name),
    then the covered code points as native unsigned 32-bit integers."""
    meta = {"key": list(key), "name": parsed.name.ustr, "filename": parsed.filename}
    codes = array.array("I", sorted(parsed.charToGlyph))
    return json.dumps(meta).encode() + b"\n" + codes.tobytes()


def _read_head(entry: Path, key: tuple) -> tuple[str, str, frozenset[int]] | None:
    raw = usercache.read(entry)
    if raw is None:
        return None
    line, _, rest = raw.partition(b"\n")
    try:
        meta = json.loads(line)
        codes = array.array("I")
        codes.frombytes(rest)
        name, filename = meta["name"], meta["filename"]
    except (ValueError, KeyError, TypeError):
        return None
    if meta.get("key") != list(key) or not isinstance(name, str) or not isinstance(filename, str):
        return None
    return name, filename, frozenset(codes)
