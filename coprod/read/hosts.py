"""Links go where they say (issue 26, item 7): the host of a web address a contributor gives.

Two ways a link can go somewhere other than where it reads:

- its host looks like another: letters of two scripts in one label (``exаmple.org`` with a
  Cyrillic ``а``), a label written only in Cyrillic or Greek letters that look Latin
  (``аррӏе``), or characters that change when the address is read (fullwidth ``ｅ``,
  ligatures: anything NFKC changes). Such a host is refused, with its ASCII (punycode) form
  in the message so the contributor sees what it really is. A host in one script (``例え.jp``,
  ``bücher.de``) is accepted.
- its host is an address inside a network rather than on the web: private, loopback,
  link-local (``169.254.169.254``, a cloud's metadata service), shared, reserved,
  multicast or unspecified, in IPv4 or IPv6 (also IPv4 written inside IPv6), and in every
  spelling a browser or URL parser accepts: ``2130706433``, ``0x7f.1``, ``0177.0.0.1``,
  ``127.1``. ``localhost`` and ``*.localhost``/``*.local`` names are refused too. (A public
  name that resolves to a private address cannot be seen without the network, which the
  checks never use.)

:func:`host_problem` is one pass over the address.
"""

from __future__ import annotations

import ipaddress
import unicodedata
from urllib.parse import urlsplit

# Cyrillic and Greek letters that look like Latin ones (Unicode's confusables, the common
# part): a label made only of these reads as a Latin word.
_LATIN_LOOKALIKES = frozenset(
    "аеорсухіјѕԁһӏԛԝвкмнтзьАВЕКМНОРСТХУІЈЅԚԜ"  # Cyrillic
    "οαιντκρυχεΑΒΕΖΗΙΚΜΝΟΡΤΥΧ"  # Greek
)
_SCRIPT_FAMILIES = {"HIRAGANA": "CJK", "KATAKANA": "CJK", "CJK": "CJK", "HANGUL": "CJK"}
_LOCAL_NAMES = ("localhost", "localhost.", "local", "local.")


def _script(char: str) -> str:
    name = unicodedata.name(char, "")
    first = name.split(" ", 1)[0] if name else "UNKNOWN"
    return _SCRIPT_FAMILIES.get(first, first)


def _ipv4_number(host: str) -> int | None:
    """The address a URL parser reads from an all-numeric host (WHATWG's IPv4 parser:
    1 to 4 parts, each decimal, 0x hex or 0-led octal, the last filling the rest), or None."""
    parts = host.split(".")
    if parts and parts[-1] == "" and len(parts) > 1:
        parts = parts[:-1]
    if not 1 <= len(parts) <= 4:
        return None
    numbers = []
    for part in parts:
        if part[:2].lower() == "0x":
            digits, base = part[2:] or "0", 16
        elif len(part) > 1 and part.startswith("0"):
            digits, base = part[1:], 8
        else:
            digits, base = part, 10
        if not digits or len(digits) > 32:
            return None
        try:
            numbers.append(int(digits, base))
        except ValueError:
            return None
    *head, last = numbers
    if any(n > 255 for n in head) or last >= 256 ** (5 - len(numbers)):
        return None
    value = last
    for index, number in enumerate(head):
        value += number << (8 * (3 - index))
    return value


def ip_of(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """The IP address a host names, in any spelling a URL parser accepts; None for a name."""
    if host.startswith("[") and host.endswith("]"):
        try:
            address = ipaddress.IPv6Address(host[1:-1].split("%", 1)[0])
        except ValueError:
            return None
        return address.ipv4_mapped or address
    number = _ipv4_number(host)
    return ipaddress.IPv4Address(number) if number is not None else None


def _not_on_the_web(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str:
    """What kind of address this is, if it is not a public address on the web ("" if it is)."""
    if address.is_loopback:
        return "a loopback address (this computer)"
    if address.is_link_local:
        return "a link-local address (such as a cloud's metadata service)"
    if address.is_private:
        return "a private network address"
    if address.is_multicast or address.is_unspecified or address.is_reserved or not address.is_global:
        return "a reserved address, not on the web"
    return ""


def host_problem(url: str) -> str:
    """Why the host of ``url`` does not go where it reads ("" when it is fine, or when
    ``url`` has no host: other checks deal with the form of the address)."""
    try:
        netloc = urlsplit(url.strip()).netloc
    except ValueError:
        return ""
    host = netloc.rsplit("@", 1)[-1]
    if not host.startswith("["):
        host = host.split(":", 1)[0]
    if not host:
        return ""
    if unicodedata.normalize("NFKC", host) != host:
        return (f"the host {host!r} holds characters that change when it is read as an address "
                f"(it is read as {unicodedata.normalize('NFKC', host)!r})")
    lowered = host.lower()
    if lowered in _LOCAL_NAMES or lowered.rstrip(".").endswith((".localhost", ".local")):
        return f"the host {host!r} names this computer or its local network, not a site on the web"
    address = ip_of(lowered)
    if address is not None:
        kind = _not_on_the_web(address)
        return f"the host {host!r} is {kind} ({address})" if kind else ""
    if host.isascii():
        return ""
    for label in host.split("."):
        scripts = {_script(char) for char in label if char.isalpha()}
        lookalike = scripts and "LATIN" not in scripts and all(
            char in _LATIN_LOOKALIKES for char in label if char.isalpha())
        if len(scripts) > 1 or lookalike:
            try:
                ascii_form = host.encode("idna").decode("ascii")
            except UnicodeError:
                ascii_form = host.encode("punycode").decode("ascii")
            what = f"letters of {len(scripts)} scripts ({', '.join(sorted(s.title() for s in scripts))})" \
                if len(scripts) > 1 else "only letters that look like Latin ones"
            return (f"the host {host!r} mixes scripts or imitates another: its label {label!r} has {what}; "
                    f"it is really {ascii_form}")
    return ""
