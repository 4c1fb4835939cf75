"""Markup in quiz prompts and feedback: `code`, code blocks and simple $maths$, turned into safe HTML or plain text.

The course is offline and prints its pages, so maths is not typeset by a script:
simple expressions are written as HTML (superscripts, subscripts, fractions and
symbols) that shows the same in the slides, in JupyterLab and on paper. Anything
else is reported by :func:`problems` when the bank loads, so a bank never shows
raw LaTeX to a learner.

What an author may write:

- ``$...$`` inline maths: ``x^2``, ``x^{10}``, ``a_1``, ``\\frac{22}{7}``, ``\\sqrt{2}``,
  the symbols in :data:`SYMBOLS`, and ``\\text{...}``. ``\\$`` is a dollar sign.
- ```code``` inline code, and a question's ``code`` field for a block of code.
"""
from __future__ import annotations

import html
import re

SYMBOLS = {
    "times": "×", "div": "÷", "cdot": "·", "pm": "±", "mp": "∓", "le": "≤", "leq": "≤", "ge": "≥", "geq": "≥",
    "neq": "≠", "ne": "≠", "approx": "≈", "infty": "∞", "to": "→", "rightarrow": "→", "leftarrow": "←",
    "percent": "%", "%": "%", "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "Delta": "Δ", "pi": "π",
    "mu": "μ", "sigma": "σ", "Sigma": "Σ", "theta": "θ", "lambda": "λ", "sum": "Σ", "degree": "°", "circ": "°",
    "tau": "τ", "phi": "φ", "Phi": "Φ", "omega": "ω", "Omega": "Ω", "rho": "ρ", "epsilon": "ε", "eta": "η",
    "Pi": "Π", "Theta": "Θ", "Lambda": "Λ", "Gamma": "Γ", "chi": "χ", "psi": "ψ", "kappa": "κ", "nu": "ν",
    ",": "\u2009", ";": " ", "quad": "\u2003", " ": " ", "{": "{", "}": "}", "_": "_", "&": "&", "#": "#",
}
WITH_ARGUMENT = ("frac", "sqrt", "text", "mathrm", "textrm", "mathbf", "left", "right")
_SUPERSCRIPT = str.maketrans("0123456789+-=()n", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿ")
_SUBSCRIPT = str.maketrans("0123456789+-=()", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎")

# $...$ not preceded by a backslash; `...` for inline code. Code is matched first, so a $ inside code stays a $.
_PIECES = re.compile(r"`([^`]+)`|(?<!\\)\$(.+?)(?<!\\)\$", re.DOTALL)


class _Maths:
    """A tiny reader for the subset of TeX above; it records what it cannot show instead of guessing."""

    def __init__(self, source: str, plain: bool):
        self.s, self.i, self.plain = source, 0, plain
        self.unknown: list[str] = []

    def group(self) -> str:
        """The next argument: {...} or one character."""
        while self.i < len(self.s) and self.s[self.i] == " ":
            self.i += 1
        if self.i >= len(self.s):
            self.unknown.append("a missing argument")
            return ""
        if self.s[self.i] == "{":
            depth, start = 1, self.i + 1
            j = start
            while j < len(self.s) and depth:
                depth += {"{": 1, "}": -1}.get(self.s[j], 0)
                j += 1
            if depth:
                self.unknown.append("an unclosed {")
            inner = self.s[start:j - 1] if not depth else self.s[start:]
            self.i = j
            return _Maths.render(inner, self.plain, self.unknown)
        if self.s[self.i] == "\\":
            return self.command()
        ch = self.s[self.i]
        self.i += 1
        return ch if self.plain else html.escape(ch)

    def command(self) -> str:
        self.i += 1  # the backslash
        match = re.match(r"[A-Za-z]+|.", self.s[self.i:], re.DOTALL)
        if not match:
            self.unknown.append("a lone backslash")
            return ""
        name = match.group(0)
        self.i += len(name)
        if name in SYMBOLS:
            return SYMBOLS[name] if self.plain else html.escape(SYMBOLS[name])
        if name == "frac":
            top, bottom = self.group(), self.group()
            if self.plain:
                wrap = lambda t: t if re.fullmatch(r"[\w.]+", t) else f"({t})"
                return f"{wrap(top)}/{wrap(bottom)}"
            return (f"<span class='course-frac'><span class='course-frac-top'>{top}</span>"
                    f"<span class='course-frac-bottom'>{bottom}</span></span>")
        if name == "sqrt":
            inner = self.group()
            return f"√({inner})" if self.plain else f"√<span class='course-sqrt'>{inner}</span>"
        if name in ("text", "mathrm", "textrm", "mathbf"):
            inner = self.group()
            return inner if self.plain else f"<span class='course-math-text'>{inner}</span>"
        if name in ("left", "right"):
            return self.group()
        self.unknown.append(f"\\{name}")
        return ("\\" + name) if self.plain else html.escape("\\" + name)

    def script(self, table) -> str:
        inner = self.group()
        if self.plain:
            shown = inner.translate(table)
            if all(c in "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿ₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎" for c in shown):
                return shown
            return ("^" if table is _SUPERSCRIPT else "_") + (inner if len(inner) == 1 else f"({inner})")
        tag = "sup" if table is _SUPERSCRIPT else "sub"
        return f"<{tag}>{inner}</{tag}>"

    @staticmethod
    def render(source: str, plain: bool, unknown: list[str]) -> str:
        reader = _Maths(source, plain)
        reader.unknown = unknown
        out = []
        while reader.i < len(source):
            ch = source[reader.i]
            if ch == "\\":
                out.append(reader.command())
            elif ch in "^_":
                reader.i += 1
                out.append(reader.script(_SUPERSCRIPT if ch == "^" else _SUBSCRIPT))
            elif ch in "{}":
                reader.i += 1  # plain grouping braces
            else:
                reader.i += 1
                out.append(ch if plain else html.escape(ch))
        return "".join(out)


def _maths(source: str, plain: bool) -> tuple[str, list[str]]:
    unknown: list[str] = []
    shown = _Maths.render(source, plain, unknown)
    return shown, unknown


def _pieces(text: str):
    """(kind, content) in order: "text", "code" or "maths"."""
    text = str(text)
    last = 0
    for match in _PIECES.finditer(text):
        if match.start() > last:
            yield "text", text[last:match.start()]
        yield ("code", match.group(1)) if match.group(1) is not None else ("maths", match.group(2))
        last = match.end()
    if last < len(text):
        yield "text", text[last:]


def _unescape_dollars(text: str) -> str:
    return text.replace("\\$", "$")


def to_html(text: str) -> str:
    """``text`` as safe HTML: everything escaped, then `code` and $maths$ shown as such."""
    out = []
    for kind, content in _pieces(text):
        if kind == "text":
            out.append(html.escape(_unescape_dollars(content)))
        elif kind == "code":
            out.append(f"<code class='course-code'>{html.escape(content)}</code>")
        else:
            shown, _ = _maths(content, plain=False)
            out.append(f"<span class='course-math'>{shown}</span>")
    return "".join(out)


def to_plain(text: str) -> str:
    """``text`` for a place that shows no HTML (a radio button's label): maths as Unicode, code as it is."""
    out = []
    for kind, content in _pieces(text):
        if kind == "text":
            out.append(_unescape_dollars(content))
        elif kind == "code":
            out.append(content)
        else:
            out.append(_maths(content, plain=True)[0])
    return "".join(out)


def code_block(code: str) -> str:
    return f"<pre class='course-code-block'><code>{html.escape(str(code))}</code></pre>"


def problems(text: str) -> list[str]:
    """What in ``text`` the course cannot show: TeX it does not know, a $ left open. Empty when all is well."""
    found = []
    text = str(text)
    for kind, content in _pieces(text):
        if kind == "maths":
            found += [f"the maths '${content}$' uses {u}, which the course cannot show offline"
                      for u in dict.fromkeys(_maths(content, plain=True)[1])]
        elif kind == "text" and re.search(r"(?<!\\)\$", content):
            found.append("a $ opens maths that is never closed; write \\$ for a dollar sign")
    return found


def markup_css(scope: str) -> str:
    """The style of maths and code drawn by :func:`to_html`, for the page element ``scope`` (a quiz, a printed page)."""
    return f"""{scope} .course-math {{ font-family: "Cambria Math", "STIX Two Math", "Latin Modern Math", serif; white-space: nowrap; }}
{scope} .course-frac {{ display: inline-flex; flex-direction: column; vertical-align: middle; text-align: center; font-size: .9em; }}
{scope} .course-frac-top {{ border-bottom: 1px solid currentColor; padding: 0 .15em; }}
{scope} .course-frac > span {{ line-height: 1.15; }}
{scope} .course-sqrt {{ border-top: 1px solid currentColor; }}
{scope} .course-code {{ font-family: var(--jp-code-font-family, monospace); background: rgba(128,128,128,.15); padding: 0 .2em; border-radius: 3px; }}
{scope} .course-code-block {{ font-family: var(--jp-code-font-family, monospace); background: rgba(128,128,128,.12);
  padding: .5em .7em; border-radius: 4px; overflow-x: auto; white-space: pre; max-width: 100%; box-sizing: border-box; font-size: .85em; }}
"""
