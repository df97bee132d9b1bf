"""A small safe YAML subset for sweep files when PyYAML is not installed.

Block mappings and block lists by indentation, flow lists `[a, b]` and flow mappings `{a: 1}` of
scalars, quoted and plain scalars, `#` comments. Anchors, tags and multi-line strings are refused
with the line number, never guessed at.
"""

import json
import re

_NUMBER = re.compile(r"[-+]?(\d+\.?\d*([eE][-+]?\d+)?|\.\d+([eE][-+]?\d+)?)\Z")
_INT = re.compile(r"[-+]?\d+\Z")


class YamlError(ValueError):
    pass


def loads(text):
    lines = []
    for number, raw in enumerate(text.splitlines(), 1):
        line = _strip_comment(raw).rstrip()
        if not line.strip() or line.strip() in ("---", "..."):
            continue
        if "\t" in line[: len(line) - len(line.lstrip())]:
            raise YamlError("line %d: tabs are not allowed for indentation" % number)
        if line.lstrip()[:1] in ("&", "*", "!", "|", ">"):
            raise YamlError("line %d: anchors, tags and block strings are not supported" % number)
        lines.append((number, len(line) - len(line.lstrip()), line.strip()))
    if not lines:
        return None
    value, end = _block(lines, 0, lines[0][1])
    if end != len(lines):
        raise YamlError("line %d: unexpected indentation" % lines[end][0])
    return value


def _strip_comment(line):
    quote = None
    for i, c in enumerate(line):
        if quote:
            if c == quote:
                quote = None
        elif c in "\"'":
            quote = c
        elif c == "#" and (i == 0 or line[i - 1] in " \t"):
            return line[:i]
    return line


def _block(lines, i, indent):
    if lines[i][2].startswith("- ") or lines[i][2] == "-":
        out = []
        while i < len(lines) and lines[i][1] == indent and (lines[i][2].startswith("- ") or lines[i][2] == "-"):
            number, _, text = lines[i]
            rest = text[1:].strip()
            if not rest:
                if i + 1 >= len(lines) or lines[i + 1][1] <= indent:
                    raise YamlError("line %d: empty list item" % number)
                value, i = _block(lines, i + 1, lines[i + 1][1])
            elif _key(rest) is not None:
                # "- key: value" opens a mapping whose further keys sit under the first one.
                sub = [(number, indent + 2, rest)]
                j = i + 1
                while j < len(lines) and lines[j][1] > indent:
                    sub.append(lines[j])
                    j += 1
                value, _ = _block(sub, 0, indent + 2)
                i = j
            else:
                value, i = _scalar(rest, number), i + 1
            out.append(value)
        return out, i
    out = {}
    while i < len(lines) and lines[i][1] == indent:
        number, _, text = lines[i]
        key_value = _key(text)
        if key_value is None:
            raise YamlError("line %d: expected 'key: value', got %r" % (number, text))
        key, rest = key_value
        if key in out:
            raise YamlError("line %d: key %r appears twice" % (number, key))
        if rest:
            out[key], i = _scalar(rest, number), i + 1
        elif i + 1 < len(lines) and lines[i + 1][1] > indent:
            out[key], i = _block(lines, i + 1, lines[i + 1][1])
        elif i + 1 < len(lines) and lines[i + 1][1] == indent and lines[i + 1][2].startswith("-"):
            out[key], i = _block(lines, i + 1, indent)
        else:
            out[key], i = None, i + 1
    return out, i


def _key(text):
    if text[:1] in "\"'":
        end = text.find(text[0], 1)
        if end > 0 and text[end + 1: end + 2] == ":":
            return text[1:end], text[end + 2:].strip()
        return None
    m = re.match(r"([^:\[\]{},]+?):(\s|$)", text)
    if not m:
        return None
    return m.group(1).strip(), text[m.end():].strip()


def _scalar(text, number):
    if text[:1] in "[{":
        return _flow(text, number)
    if text[:1] == '"':
        try:
            return json.loads(text)
        except ValueError:
            raise YamlError("line %d: bad double-quoted string %s" % (number, text))
    if text[:1] == "'":
        if len(text) < 2 or text[-1] != "'":
            raise YamlError("line %d: bad single-quoted string %s" % (number, text))
        return text[1:-1].replace("''", "'")
    low = text.lower()
    if low in ("null", "~"):
        return None
    if low in ("true", "yes", "on"):
        return True
    if low in ("false", "no", "off"):
        return False
    if low in (".inf", "+.inf"):
        return float("inf")
    if low == "-.inf":
        return float("-inf")
    if low == ".nan":
        return float("nan")
    if _INT.match(text):
        return int(text)
    if _NUMBER.match(text):
        return float(text)
    return text


def _flow(text, number):
    items, pos = _flow_value(text, 0, number)
    if text[pos:].strip():
        raise YamlError("line %d: unexpected text after %s" % (number, text[:pos]))
    return items


def _flow_value(text, pos, number):
    while pos < len(text) and text[pos] == " ":
        pos += 1
    if pos >= len(text):
        raise YamlError("line %d: unclosed bracket in %s" % (number, text))
    if text[pos] in "[{":
        close = "]" if text[pos] == "[" else "}"
        is_map = text[pos] == "{"
        out = {} if is_map else []
        pos += 1
        while True:
            while pos < len(text) and text[pos] == " ":
                pos += 1
            if pos < len(text) and text[pos] == close:
                return out, pos + 1
            if is_map:
                colon = text.find(":", pos)
                if colon < 0:
                    raise YamlError("line %d: expected 'key: value' in %s" % (number, text))
                key = _scalar(text[pos:colon].strip(), number)
                value, pos = _flow_value(text, colon + 1, number)
                out[str(key)] = value
            else:
                value, pos = _flow_value(text, pos, number)
                out.append(value)
            while pos < len(text) and text[pos] == " ":
                pos += 1
            if pos < len(text) and text[pos] == ",":
                pos += 1
            elif pos < len(text) and text[pos] == close:
                return out, pos + 1
            else:
                raise YamlError("line %d: expected ',' or '%s' in %s" % (number, close, text))
    if text[pos] in "\"'":
        end = text.find(text[pos], pos + 1)
        if end < 0:
            raise YamlError("line %d: unclosed quote in %s" % (number, text))
        return _scalar(text[pos:end + 1], number), end + 1
    end = pos
    while end < len(text) and text[end] not in ",]}":
        end += 1
    return _scalar(text[pos:end].strip(), number), end
