"""Country names as creator lists spell them -> ISO 3166-1 alpha-2.

Not a full gazetteer: every name that occurs in the vendor exports we test against, the
larger creator markets, and the usual English variants. Anything else can be given as a
two-letter code, which every list understands.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from tastemaker.kit.iso import COUNTRY_CODES

# Keys are normalised by country_key(): lower case, accents and punctuation removed.
# fmt: off
_NAMES: dict[str, str] = {
    "afghanistan": "AF", "albania": "AL", "algeria": "DZ", "andorra": "AD", "angola": "AO",
    "anguilla": "AI", "argentina": "AR", "armenia": "AM", "australia": "AU", "austria": "AT",
    "azerbaijan": "AZ", "bahrain": "BH", "bangladesh": "BD", "barbados": "BB",
    "belarus": "BY", "belgium": "BE", "bolivia": "BO", "bosnia and herzegovina": "BA",
    "brazil": "BR", "brasil": "BR", "british virgin islands": "VG", "bulgaria": "BG",
    "cambodia": "KH", "cameroon": "CM", "canada": "CA", "chile": "CL", "china": "CN",
    "colombia": "CO", "costa rica": "CR", "cote d ivoire": "CI", "ivory coast": "CI",
    "croatia": "HR", "cuba": "CU", "cyprus": "CY", "czech republic": "CZ", "czechia": "CZ",
    "denmark": "DK", "dominican republic": "DO", "ecuador": "EC", "egypt": "EG",
    "el salvador": "SV", "estonia": "EE", "ethiopia": "ET", "finland": "FI", "france": "FR",
    "georgia": "GE", "germany": "DE", "ghana": "GH", "greece": "GR", "guatemala": "GT",
    "honduras": "HN", "hong kong": "HK", "hungary": "HU", "iceland": "IS", "india": "IN",
    "indonesia": "ID", "iran": "IR", "iraq": "IQ", "ireland": "IE", "israel": "IL",
    "italy": "IT", "jamaica": "JM", "japan": "JP", "jordan": "JO", "kazakhstan": "KZ",
    "kenya": "KE", "kosovo": "XK", "kuwait": "KW", "latvia": "LV", "lebanon": "LB",
    "libya": "LY", "lithuania": "LT", "luxembourg": "LU", "malaysia": "MY", "malta": "MT",
    "mexico": "MX", "moldova": "MD", "mongolia": "MN", "montenegro": "ME", "morocco": "MA",
    "myanmar": "MM", "nepal": "NP", "netherlands": "NL", "the netherlands": "NL",
    "holland": "NL", "new zealand": "NZ", "nicaragua": "NI", "nigeria": "NG",
    "north macedonia": "MK", "norway": "NO", "oman": "OM", "pakistan": "PK",
    "palestine": "PS", "panama": "PA", "paraguay": "PY", "peru": "PE", "philippines": "PH",
    "poland": "PL", "portugal": "PT", "puerto rico": "PR", "qatar": "QA", "romania": "RO",
    "russia": "RU", "russian federation": "RU", "samoa": "WS", "saudi arabia": "SA",
    "senegal": "SN", "serbia": "RS", "singapore": "SG", "slovakia": "SK", "slovenia": "SI",
    "somalia": "SO", "south africa": "ZA", "south korea": "KR", "korea": "KR",
    "republic of korea": "KR", "korea republic of": "KR", "spain": "ES", "sri lanka": "LK",
    "sudan": "SD", "sweden": "SE", "switzerland": "CH", "syria": "SY", "taiwan": "TW",
    "tanzania": "TZ", "thailand": "TH", "tunisia": "TN", "turkey": "TR", "turkiye": "TR",
    "uganda": "UG", "ukraine": "UA", "united arab emirates": "AE", "uae": "AE",
    "united kingdom": "GB", "uk": "GB", "great britain": "GB", "england": "GB",
    "scotland": "GB", "wales": "GB", "united states": "US",
    "united states of america": "US", "usa": "US", "us": "US", "america": "US",
    "uruguay": "UY", "uzbekistan": "UZ", "venezuela": "VE", "vietnam": "VN", "viet nam": "VN",
    "yemen": "YE", "zambia": "ZM", "zimbabwe": "ZW",
}
# fmt: on

_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def country_key(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return _NON_ALNUM.sub(" ", ascii_text.lower()).strip()


@lru_cache(maxsize=4096)
def country_code(text: str) -> str | None:
    """'United States' / 'us' / 'Côte d'Ivoire' -> 'US' / 'US' / 'CI'; None when unknown."""
    # Cached: a list names a few dozen countries over thousands of rows.
    stripped = text.strip()
    if len(stripped) == 2 and stripped.upper() in COUNTRY_CODES:
        return stripped.upper()
    return _NAMES.get(country_key(stripped))
