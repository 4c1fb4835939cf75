"""Markup in quiz texts: `code`, code blocks and TeX maths between $ signs, as safe HTML (MathML) or plain text.

Maths is TeX, turned into MathML by latex2mathml (pure Python, on the course's
own computer). Chromium, Safari and Firefox draw MathML themselves: no script,
no web font, nothing fetched, and it prints. So a question looks the same in the
slides, in JupyterLab, on a phone and on paper.

What an author may write:

- ``$...$`` maths in the line, ``$$...$$`` maths on a line of its own; ``\\$`` is a dollar sign;
- ```code``` inline code, and a question's ``code`` field for a block of code.

latex2mathml's output is read back here and written out again with only the
MathML elements and attributes a browser draws (no links, no colours), every text
escaped. What it cannot show (a command it does not know, a fraction with one part,
a ``{`` left open) is reported by :func:`problems` when the bank loads, naming the
command, so a learner never meets raw TeX.
"""
from __future__ import annotations

import html
import re
from functools import lru_cache

from latex2mathml.converter import convert as _tex_to_mathml

# $$...$$ before $...$; `...` first, so a $ inside code stays a $. A \$ is a dollar sign, never a delimiter.
_PIECES = re.compile(r"`([^`]+)`|(?<!\\)\$\$(.+?)(?<!\\)\$\$|(?<!\\)\$(.+?)(?<!\\)\$", re.DOTALL)

# The MathML a browser draws (MathML Core, plus menclose for \boxed), and the attributes that only change layout.
ELEMENTS = {"math", "mrow", "mi", "mn", "mo", "mtext", "ms", "mspace", "mfrac", "msqrt", "mroot", "mstyle", "merror",
            "mpadded", "mphantom", "msub", "msup", "msubsup", "munder", "mover", "munderover", "mmultiscripts",
            "mprescripts", "none", "mtable", "mtr", "mtd", "menclose", "semantics", "annotation"}
ATTRIBUTES = {"display", "displaystyle", "scriptlevel", "mathvariant", "stretchy", "fence", "form", "separator",
              "accent", "accentunder", "largeop", "movablelimits", "symmetric", "lspace", "rspace", "minsize",
              "maxsize", "linethickness", "width", "height", "depth", "columnalign", "rowalign", "columnspacing",
              "rowspacing", "columnlines", "rowlines", "frame", "notation", "voffset", "columnspan", "rowspan"}
# Parts each layout element needs: \frac{1} makes an <mfrac> with one part, which a browser cannot draw.
PARTS = {"mfrac": ("a fraction", "a top and a bottom, as in \\frac{1}{2}"),
         "mroot": ("a root", "an index and a number"),
         "msub": ("a subscript", "something before and after _"), "msup": ("a power", "something before and after ^"),
         "munder": ("a limit", "something under it"), "mover": ("an accent", "something under it"),
         "msubsup": ("a subscript and a power", "something before, after _ and after ^"),
         "munderover": ("a sum or limit", "something under and over it")}
_COUNT = {"mfrac": 2, "mroot": 2, "msub": 2, "msup": 2, "munder": 2, "mover": 2, "msubsup": 3, "munderover": 3}
# TeX's named spaces and math units (18 mu = 1 em), which MathML Core leaves to CSS lengths.
_NAMED_SPACES = {"veryverythinmathspace": "0.056em", "verythinmathspace": "0.111em", "thinmathspace": "0.167em",
                 "mediummathspace": "0.222em", "thickmathspace": "0.278em", "verythickmathspace": "0.333em",
                 "veryverythickmathspace": "0.389em", "negativethinmathspace": "-0.167em",
                 "negativemediummathspace": "-0.222em", "negativethickmathspace": "-0.278em"}
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)((?:\s+[a-zA-Z:_-]+=\"[^\"]*\")*)\s*(/?)>")
_ATTRIBUTE = re.compile(r"([a-zA-Z:_-]+)=\"([^\"]*)\"")
_COMMAND = re.compile(r"\\([A-Za-z]+|.)")


class MathsProblem(ValueError):
    """Why a piece of TeX cannot be drawn."""


class _Node:
    __slots__ = ("tag", "attrs", "children")

    def __init__(self, tag: str, attrs: dict[str, str]):
        self.tag, self.attrs, self.children = tag, attrs, []


def _is_mathml(tag: str) -> bool:
    return tag.lower().startswith("m") or tag.lower() in ("none", "semantics", "annotation")


def _read_mathml(markup: str) -> _Node:
    """latex2mathml's output as a tree. Its texts are not always escaped (``\\text{<b>}``), so tags are
    matched by pattern and everything between them is text."""
    root = _Node("", {})
    stack = [root]
    last = 0
    for match in _TAG.finditer(markup):
        if not _is_mathml(match.group(2)):
            continue  # a tag typed inside \text{...}: it is text, and is escaped with the rest
        text = markup[last:match.start()]
        if text:
            stack[-1].children.append(html.unescape(text))
        last = match.end()
        closing, tag, attrs, empty = match.group(1), match.group(2).lower(), match.group(3), match.group(4)
        if closing:
            if len(stack) == 1 or stack[-1].tag != tag:
                raise MathsProblem("its braces do not match")
            stack.pop()
            continue
        node = _Node(tag, {k.lower(): html.unescape(v) for k, v in _ATTRIBUTE.findall(attrs)})
        stack[-1].children.append(node)
        if not empty:
            stack.append(node)
    if markup[last:]:
        stack[-1].children.append(html.unescape(markup[last:]))
    if len(stack) != 1 or not root.children or not isinstance(root.children[0], _Node):
        raise MathsProblem("its braces do not match")
    return root.children[0]


def _check(node: _Node, found: list[str]) -> None:
    """What in the tree a browser cannot draw: commands latex2mathml passed through as text, missing parts."""
    expected = _COUNT.get(node.tag)
    parts = [c for c in node.children if isinstance(c, _Node)]
    if expected and len(parts) != expected:
        what, needs = PARTS[node.tag]
        found.append(f"{what} that is not complete (it needs {needs})")
    for child in node.children:
        if isinstance(child, _Node):
            _check(child, found)
        else:
            found += [f"\\{name}" for name in re.findall(r"\\([A-Za-z]+)", child)]


def _length(value: str) -> str:
    value = _NAMED_SPACES.get(value, value)
    mu = re.fullmatch(r"(-?[\d.]+)\s*mu", value)
    return f"{float(mu.group(1)) / 18:.3f}em" if mu else value


def _write(node: _Node) -> str:
    """The tree as HTML: allowed elements and attributes only, every text and value escaped."""
    inner = "".join(_write(c) if isinstance(c, _Node) else html.escape(c, quote=False) for c in node.children)
    if node.tag not in ELEMENTS:
        return inner  # an element a browser does not draw (\href's link): its content stays
    if node.tag == "mo" and node.children == ["∅"]:
        node = _Node("mi", {})  # latex2mathml writes \emptyset as an operator, which a browser spaces as one
        node.children = ["∅"]
    attrs = ""
    for name, value in node.attrs.items():
        if name in ATTRIBUTES:
            if name in ("width", "height", "depth", "lspace", "rspace", "voffset"):
                value = _length(value)
            attrs += f' {name}="{html.escape(value)}"'
    return f"<{node.tag}{attrs}>{inner}</{node.tag}>"


@lru_cache(maxsize=4096)
def _convert(tex: str, block: bool) -> tuple[_Node | None, tuple[str, ...]]:
    """(the MathML tree, what cannot be shown) for one piece of TeX."""
    try:
        markup = _tex_to_mathml(tex, display="block" if block else "inline")
        tree = _read_mathml(markup)
    except MathsProblem as problem:
        return None, (str(problem),)
    except Exception as error:  # latex2mathml's own errors name the problem only by their class
        return None, (_library_error(error, tex),)
    found: list[str] = []
    _check(tree, found)
    return tree, tuple(dict.fromkeys(found))


def _library_error(error: Exception, tex: str) -> str:
    name = type(error).__name__
    reasons = {"MissingSuperScriptOrSubscriptError": "a ^ or _ has nothing after it",
               "ExtraLeftOrMissingRightError": "a \\left has no \\right",
               "MissingEndError": "a \\begin has no \\end", "NumeratorNotFoundError": "a fraction has no top",
               "DenominatorNotFoundError": "a fraction has no bottom",
               "DoubleSubscriptsError": "two _ in a row (write x_{ab})",
               "DoubleSuperscriptsError": "two ^ in a row (write x^{ab})",
               "NoAvailableTokensError": "something is missing after a command or a {"}
    begun, ended = re.findall(r"\\begin\{([^}]*)\}", tex), re.findall(r"\\end\{([^}]*)\}", tex)
    if sorted(begun) != sorted(ended):
        missing = next(iter(set(begun) - set(ended)), None)
        return f"a \\begin{{{missing}}} has no \\end{{{missing}}}" if missing else "an \\end has no \\begin"
    if name in reasons:
        return reasons[name]
    if tex.count("{") - tex.count("\\{") != tex.count("}") - tex.count("\\}"):
        return "a { is not closed"
    return f"latex2mathml cannot read it ({name})"


def _pieces(text: str):
    """(kind, content) in order: "text", "code", "maths" or "display"."""
    text = str(text)
    last = 0
    for match in _PIECES.finditer(text):
        if match.start() > last:
            yield "text", text[last:match.start()]
        if match.group(1) is not None:
            yield "code", match.group(1)
        elif match.group(2) is not None:
            yield "display", match.group(2)
        else:
            yield "maths", match.group(3)
        last = match.end()
    if last < len(text):
        yield "text", text[last:]


def _unescape_dollars(text: str) -> str:
    return text.replace("\\$", "$")


def maths_html(tex: str, block: bool = False) -> str:
    """One piece of TeX as MathML; TeX it cannot read is shown as it was typed (the bank's check names it first)."""
    tree, _ = _convert(tex.strip(), block)
    if tree is None:
        return f"<code class='course-code'>{html.escape(tex)}</code>"
    return _write(tree)


def to_html(text: str) -> str:
    """``text`` as safe HTML: everything escaped, then `code` and $maths$ shown as such.

    Maths in the line keeps the punctuation that touches it (``($E$).``) on its line."""
    out: list[str] = []
    glue = ""  # punctuation before a formula, moved into its unbreakable span
    pieces = list(_pieces(text))
    for n, (kind, content) in enumerate(pieces):
        if kind == "text":
            raw = _unescape_dollars(content)
            if n and pieces[n - 1][0] == "maths":  # punctuation right after a formula joins it
                after = re.match(r"[^\s\w]*", raw).group(0)
                out[-1] = out[-1][:-len("</span>")] + html.escape(after) + "</span>"
                raw = raw[len(after):]
            before_maths = n + 1 < len(pieces) and pieces[n + 1][0] == "maths"
            glue = re.search(r"[^\s\w]*$", raw).group(0) if before_maths else ""
            out.append(html.escape(raw[:len(raw) - len(glue)]))
        elif kind == "code":
            out.append(f"<code class='course-code'>{html.escape(content)}</code>")
        elif kind == "maths":
            out.append(f"<span class='course-math'>{html.escape(glue)}{maths_html(content)}</span>")
            glue = ""
        else:
            out.append(f"<span class='course-math course-math-block'>{maths_html(content, block=True)}</span>")
    return "".join(out)


def has_maths(text: str) -> bool:
    return any(kind in ("maths", "display") for kind, _ in _pieces(text))


# -- plain text, for a place that shows no HTML (a drop-down's choice, a spreadsheet) ---------------------------
_SUPERSCRIPT = str.maketrans("0123456789+-−=()niT", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁻⁼⁽⁾ⁿⁱᵀ")
_SUBSCRIPT = str.maketrans("0123456789+-−=()aeoxijnr", "₀₁₂₃₄₅₆₇₈₉₊₋₋₌₍₎ₐₑₒₓᵢⱼₙᵣ")
_SCRIPT_CHARS = set("⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿⁱᵀ₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑₒₓᵢⱼₙᵣ")
# Combining marks for accents over a letter: a bar (\overline, \bar), a hat, a tilde, a dot, an arrow.
_ACCENTS = {"―": "\u0305", "¯": "\u0305", "‾": "\u0305", "_": "\u0305", "^": "\u0302", "ˆ": "\u0302",
            "~": "\u0303", "˜": "\u0303", "˙": "\u0307", ".": "\u0307", "→": "\u20d7", "⃗": "\u20d7"}
_SPACED = set("=<>≤≥≠≈∈∉∩∪∣⊂⊆⊃⊇→←⇒⇔±×÷+−")


def _wrap(text: str) -> str:
    return text if re.fullmatch(r"[\w.]+(\(.*\))?|\(.*\)", text) else f"({text})"


def _script(base: str, script: str, table, mark: str) -> str:
    shown = script.translate(table)
    if script and all(c in _SCRIPT_CHARS for c in shown):
        return base + shown
    return f"{base}{mark}{_wrap(script)}"


def _plain(node) -> str:
    if isinstance(node, str):
        return node
    parts = [c for c in node.children if isinstance(c, _Node)]
    text = [_plain(c) for c in parts]
    tag = node.tag
    if tag == "mfrac" and len(text) == 2:
        return f"{_wrap(text[0])}/{_wrap(text[1])}"
    if tag == "msqrt":
        return f"√{_wrap(''.join(text))}"
    if tag == "mroot" and len(text) == 2:
        return _script("", text[1], _SUPERSCRIPT, "root ") + f"√{_wrap(text[0])}"
    if tag == "msup" and len(text) == 2:
        return _script(text[0], text[1], _SUPERSCRIPT, "^")
    if tag == "msub" and len(text) == 2:
        return _script(text[0], text[1], _SUBSCRIPT, "_")
    if tag == "msubsup" and len(text) == 3:
        return _script(_script(text[0], text[1], _SUBSCRIPT, "_"), text[2], _SUPERSCRIPT, "^")
    if tag == "mover" and len(text) == 2:
        mark = _ACCENTS.get(text[1].strip())
        return "".join(c + mark for c in text[0]) if mark else f"{text[0]}{text[1]}"
    if tag in ("munder", "munderover") and len(text) >= 2:
        return "".join([text[0], "_", _wrap(text[1])] + (["^", _wrap(text[2])] if len(text) == 3 else []))
    if tag == "mo":
        shown = "".join(c for c in node.children if isinstance(c, str))
        return f" {shown} " if shown in _SPACED else ", " if shown == "," else shown
    if tag == "mspace":
        return " " if not node.attrs.get("width", "").startswith("-") else ""
    if tag == "mtable":
        return "; ".join(text)
    if tag == "mtr":
        return ", ".join(t.strip() for t in text)
    own = "".join(_plain(c) for c in node.children)
    return own


def maths_plain(tex: str) -> str:
    tree, _ = _convert(tex.strip(), False)
    if tree is None:
        return tex
    return re.sub(r"\s+", " ", _plain(tree)).strip()


def to_plain(text: str) -> str:
    """``text`` for a place that shows no HTML: maths as Unicode (x², ½ as 1/2, A̅), code as it is."""
    out = []
    for kind, content in _pieces(text):
        if kind == "text":
            out.append(_unescape_dollars(content))
        elif kind == "code":
            out.append(content)
        else:
            out.append(maths_plain(content))
    return "".join(out)


def code_block(code: str) -> str:
    return f"<pre class='course-code-block'><code>{html.escape(str(code))}</code></pre>"


def problems(text: str) -> list[str]:
    """What in ``text`` the course cannot show: TeX the library cannot draw, a $ left open. Empty when all is well."""
    found = []
    for kind, content in _pieces(str(text)):
        if kind in ("maths", "display"):
            sign = "$$" if kind == "display" else "$"
            _, trouble = _convert(content.strip(), kind == "display")
            for what in trouble:
                if what.startswith("\\"):
                    found.append(f"the maths '{sign}{content}{sign}' uses {what}, which the course cannot show "
                                 "(latex2mathml does not know it); write it another way")
                else:
                    found.append(f"the maths '{sign}{content}{sign}' cannot be shown: {what}")
        elif kind == "text" and re.search(r"(?<!\\)\$", content):
            found.append("a $ opens maths that is never closed; write \\$ for a dollar sign")
    return found


def markup_css(scope: str) -> str:
    """The style of maths and code drawn by :func:`to_html`, for the page element ``scope`` (a quiz, a printed page).

    Math fonts are the system's own (Cambria Math on Windows, STIX Two Math on a Mac or an iPhone, DejaVu Math or
    Noto Sans Math on Linux and Android): none is fetched. DejaVu comes before Noto, whose braces do not stretch.
    Fractions in the line are drawn at full size (math-style: normal), so their numbers stay readable on a phone.
    A wide formula on a line of its own scrolls sideways instead of being cut off on a phone."""
    return f"""{scope} math {{ font-family: "Latin Modern Math", "STIX Two Math", "Cambria Math",
  "DejaVu Math TeX Gyre", "Noto Sans Math", math; font-size: 1.1em; math-style: normal; }}
{scope} .course-math {{ white-space: nowrap; }}
{scope} .course-math-block {{ display: block; white-space: normal; max-width: 100%; overflow-x: auto;
  overflow-y: hidden; margin: .3em 0; padding: .1em 0; }}
{scope} math [mathvariant="bold"] {{ font-weight: bold; }}
{scope} math [mathvariant="italic"] {{ font-style: italic; }}
{scope} .course-code {{ font-family: var(--jp-code-font-family, monospace); background: rgba(128,128,128,.15);
  padding: 0 .2em; border-radius: 3px; }}
{scope} .course-code-block {{ font-family: var(--jp-code-font-family, monospace); background: rgba(128,128,128,.12);
  padding: .5em .7em; border-radius: 4px; overflow-x: auto; white-space: pre; max-width: 100%; box-sizing: border-box;
  font-size: .85em; }}
"""
