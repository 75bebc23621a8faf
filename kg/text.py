"""Text that is safe to print, to encode and to serialize.

- :func:`escape`: what negkg prints for a person (tables, CSV, JSON, errors, status lines) has its
  control characters (C0 but newline and tab, DEL, C1), bidirectional overrides and unpaired
  surrogates written as ``\\uXXXX``, so data cannot move the cursor, recolour or retitle the
  terminal, or reorder what is shown. In JSON, N-Triples and Turtle strings that escape means the
  same character, so nothing is lost.
- :func:`check_text`: a ``UsageError`` for a string that is not valid Unicode (a non-UTF-8 byte in an
  argument or a file, which Python keeps as an unpaired surrogate).
- :func:`xml_problem`: the first character XML 1.0 cannot hold (XML writers refuse such data);
  :func:`check_document` refuses control characters in a Markdown or HTML document.

>>> escape("a\\x1b[2Jb\\tc\\u202ed")
'a\\\\u001b[2Jb\\tc\\\\u202ed'
>>> xml_problem("fine"), xml_problem("a\\x00b")
(None, 'U+0000 at character 1')
"""

from __future__ import annotations

import re

from kg.errors import UsageError

__all__ = ["escape", "check_text", "xml_problem", "check_document"]

_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_NOT_DOCUMENT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def escape(text: str) -> str:
    """``text`` with terminal-driving characters written as ``\\uXXXX`` (newline and tab kept)."""
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def check_text(value: str, what: str) -> str:
    """``value`` if it is valid Unicode text; else a one-line ``UsageError`` naming ``what``."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as e:
        code = ord(value[e.start])
        byte = f"the byte 0x{code - 0xDC00:02x}" if 0xDC80 <= code <= 0xDCFF else f"U+{code:04X}"
        raise UsageError(f"{what} is not valid UTF-8 text ({byte} at character {e.start})") from None
    return value


def xml_problem(value: str) -> str | None:
    """Where ``value`` holds a character XML 1.0 cannot represent (``U+0000 at character 1``), or None."""
    m = _NOT_XML.search(value)
    return None if m is None else f"U+{ord(m.group()):04X} at character {m.start()}"


def check_document(text: str, what: str) -> str:
    """``text`` (a Markdown or HTML document) if it holds no control character but tab and line breaks; else a
    one-line ``InvalidInput`` (HTML and CommonMark treat them as errors; a NUL never belongs in a document)."""
    from kg.errors import InvalidInput

    m = _NOT_DOCUMENT.search(text)
    if m:
        raise InvalidInput(f"cannot write {what}: the data holds U+{ord(m.group()):04X}, a control character")
    return text
