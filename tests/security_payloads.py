"""Hostile strings shared by the security tests: OWASP-style XSS payloads and query-injection payloads.

Every XSS payload that ran would set ``window.__xss`` (to its three-digit number) or open a dialog;
``marker(p)`` is the text ``__xss=NNN`` that identifies it in a page's source. The data directory
tests/fixtures/xss places each payload in at least one name, locator or source field
(its files say where).

>>> len(XSS) >= 20 and len({marker(p) for p in XSS}) == len(XSS)
True
"""

from __future__ import annotations

import re
from pathlib import Path

XSS_DIR = Path(__file__).resolve().parent / "fixtures" / "xss"
XSS_CASE = "xss-1990"

#: (payload, what it tries); each sets window.__xss = its number if it ever runs
XSS: list[str] = [
    "<script>window.__xss=101;alert(101)</script>",  # plain script element
    '<img src=x onerror="window.__xss=102;alert(102)">',  # event handler on a broken image
    '<svg onload="window.__xss=103;alert(103)">',  # SVG onload
    "<svg><script>window.__xss=104</script></svg>",  # script inside SVG
    '<iframe srcdoc="<script>parent.__xss=105;parent.alert(105)</script>"></iframe>',  # iframe srcdoc
    '<a href="javascript:window.__xss=106;alert(106)">click</a>',  # javascript: link
    "javascript:window.__xss=107;alert(107)",  # a bare javascript: URL as text
    '"><img src=x onerror=window.__xss=108>',  # double-quoted attribute breakout
    "'><svg onload=window.__xss=109>",  # single-quoted attribute breakout
    "</script><script>window.__xss=110;alert(110)</script>",  # closing the data script element
    "</title><script>window.__xss=111</script>",  # closing <title>
    "</style></textarea><script>window.__xss=112</script>",  # closing raw-text elements
    '<div style="background:url(javascript:window.__xss=113);width:expression(window.__xss=113)">css</div>',  # style
    "<body onload=window.__xss=114>",  # a second body
    '<details open ontoggle="window.__xss=115;alert(115)">',  # auto-firing handler
    "{{constructor.constructor('window.__xss=116;alert(116)')()}}",  # AngularJS-style template
    "${window.__xss=117} `${alert(117)}`",  # template literal
    "{{7*7}} {% if true %}window.__xss=118{% endif %}",  # Jinja / server-side template syntax
    "\\u003cscript\\u003ewindow.__xss=119\\u003c/script\\u003e",  # JSON unicode escapes, as literal text
    "&lt;script&gt;window.__xss=120&lt;/script&gt;",  # entity-encoded: must show as &lt;, not run
    "[click me](javascript:window.__xss=121)",  # Markdown link injection
    '![x](x" onerror="window.__xss=122)',  # Markdown image injection
    "<math><mtext><table><mglyph><style><img src=x onerror=window.__xss=123>",  # mutation XSS
    '<object data="javascript:window.__xss=124"></object><embed src="javascript:window.__xss=124">',  # plugins
    "<input autofocus onfocus=window.__xss=125>",  # autofocus handler
    '<meta http-equiv="refresh" content="0;url=javascript:window.__xss=126">',  # refresh to javascript:
    "\uff1cscript\uff1ewindow.__xss=127\uff1c/script\uff1e",  # fullwidth angle brackets
    "<ScRiPt >window.__xss=128</sCrIpT >",  # mixed case, space before >
    '<base href="javascript:window.__xss=129//">',  # base URL hijack
    "line\u2028break\u2029</script><script>window.__xss=130</script>",  # JS line separators, then a breakout
    "<svg><animate onbegin=window.__xss=131 attributeName=x dur=1s>",  # SVG animation handler
    "jaVasCript:/*-/*`/*\\`/*'/*\"/**/(/* */oNcliCk=window.__xss=132 )//%0D%0A%0d%0a//</stYle/</titLe/"
    "</teXtarEa/</scRipt/--!>\\x3csVg/<sVg/oNloAd=window.__xss=132//>\\x3e",  # the 0xSobky polyglot
]

#: source URLs: valid ones (http(s), no spaces, quotes or angle brackets: validation refuses those, see
#: tests/bad/url-with-quotes.yaml) that still carry script text and ampersands, which every output must escape
XSS_URLS: list[str] = [
    "https://example.org/?q=%22%3E%3Cscript%3Ewindow.__xss=133%3C/script%3E&amp=1",
    "https://example.org/?q=javascript:window.__xss=134&x=%27onmouseover=%27window.__xss=134",
]

ALL_XSS = XSS + XSS_URLS

#: query-injection payloads passed as parameter values
INJECTIONS: list[str] = [
    "' OR 1=1 //",
    "}) DETACH DELETE n //",
    '"} ; DROP ALL ; #',
    "\\u0027 OR 1=1",
    "\u0027 OR 1=1",
    '"; DELETE WHERE { ?s ?p ?o } #',
    "x'}) MATCH (n) DETACH DELETE n //",
    '" OR ""="',
    "$case",
    "river-1990' OR '1'='1",
    "river-1990\" } } ; INSERT DATA { <urn:x> <urn:y> <urn:z> } #",
    '"""} CLEAR ALL #',
    ">\"'<\u0000 \\\\ \\",
]


def marker(payload: str) -> str:
    """The ``__xss=NNN`` text that identifies a payload.

    >>> marker("<b onclick=window.__xss=999>")
    '__xss=999'
    """
    m = re.search(r"__xss=(\d{3})", payload)
    assert m, payload
    return m.group()


def norm(text: str) -> str:
    """Whitespace collapsed to single spaces (browsers render U+2028 and newlines as spaces or breaks).

    >>> norm("a\\u2028b  c\\n")
    'a b c'
    """
    return " ".join(text.split())
