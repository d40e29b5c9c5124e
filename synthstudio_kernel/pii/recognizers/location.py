"""Street addresses, ZIP and postal codes, geographic coordinates."""

from __future__ import annotations

from .spec import PatternSpec

#: Street-type words (USPS suffixes, their common abbreviations and a few UK/IE ones).
STREET_SUFFIXES: tuple[str, ...] = (
    "Alley", "Aly", "Avenue", "Ave", "Av", "Bend", "Boulevard", "Blvd", "Branch", "Bridge", "Brook", "Bypass",
    "Causeway", "Center", "Ctr", "Circle", "Cir", "Close", "Common", "Commons", "Corner", "Course", "Court", "Ct",
    "Cove", "Cv", "Creek", "Crescent", "Cres", "Crest", "Crossing", "Xing", "Crossroad", "Curve", "Dale", "Drive",
    "Dr", "Estate", "Estates", "Expressway", "Expy", "Extension", "Falls", "Ferry", "Field", "Fields", "Flat",
    "Flats", "Ford", "Forest", "Fork", "Fort", "Freeway", "Fwy", "Garden", "Gardens", "Gateway", "Glen", "Green",
    "Grove", "Grv", "Harbor", "Haven", "Heights", "Hts", "Highway", "Hwy", "Hill", "Hills", "Hollow", "Junction",
    "Jct", "Key", "Knoll", "Lake", "Lakes", "Landing", "Lane", "Ln", "Loop", "Mall", "Manor", "Meadow", "Meadows",
    "Mews", "Mill", "Mills", "Motorway", "Mount", "Mountain", "Orchard", "Oval", "Overpass", "Park", "Parkway",
    "Pkwy", "Pass", "Passage", "Path", "Pike", "Pines", "Place", "Pl", "Plaza", "Plz", "Point", "Pt", "Port",
    "Prairie", "Ranch", "Ridge", "Rdg", "River", "Road", "Rd", "Route", "Rte", "Row", "Rue", "Run", "Spring",
    "Springs", "Square", "Sq", "Station", "Sta", "Street", "St", "Summit", "Terrace", "Ter", "Trace", "Trail",
    "Trl", "Turnpike", "Tpke", "Valley", "Via", "View", "Village", "Vista", "Walk", "Way", "Wy", "Wynd",
    "Brooks", "Burg", "Burgs", "Camp", "Canyon", "Cape", "Centers", "Circles", "Cliff", "Cliffs", "Club", "Corners",
    "Courts", "Coves", "Dam", "Divide", "Drives", "Extensions", "Fall", "Fords", "Forge", "Forges", "Forks", "Glens",
    "Greens", "Groves", "Harbors", "Inlet", "Island", "Islands", "Isle", "Junctions", "Keys", "Knolls", "Land",
    "Light", "Lights", "Loaf", "Lock", "Locks", "Lodge", "Manors", "Mission", "Mountains", "Neck", "Parks",
    "Parkways", "Pine", "Plain", "Plains", "Points", "Ports", "Radial", "Ramp", "Rapid", "Rapids", "Rest", "Ridges",
    "Roads", "Shoal", "Shoals", "Shore", "Shores", "Skyway", "Spur", "Spurs", "Squares", "Stravenue", "Stream",
    "Streets", "Throughway", "Track", "Trafficway", "Tunnel", "Underpass", "Union", "Unions", "Valleys", "Viaduct",
    "Views", "Villages", "Ville", "Walks", "Wall", "Ways", "Well", "Wells",
)  # fmt: skip

_SUFFIX = "|".join(sorted(set(STREET_SUFFIXES), key=len, reverse=True))
_UNIT = r"(?:,?\s+(?:Apt|Apartment|Suite|Ste|Unit|Fl|Floor|Rm|Room|Bldg|#)\.?\s*#?\s*[A-Za-z0-9-]{1,6})?"
_US_STREET = (
    r"\b\d{1,6}[A-Za-z]?(?:-\d{1,4})?\s+(?:[NSEW]\.?\s+|(?:North|South|East|West)\s+)?"
    r"(?:[A-Za-z0-9][A-Za-z0-9'.\-]*\s+){0,4}(?:" + _SUFFIX + r")\.?(?:\s+[NSEW]{1,2}\b\.?)?" + _UNIT + r"(?!\w)"
)

ADDRESS = PatternSpec(
    name="StreetAddressRecognizer",
    entity="ADDRESS",
    patterns=(
        ("US/UK street", _US_STREET, 0.5),
        ("PO box", r"\bP\.?\s?O\.?\s*Box\s+\d{1,6}\b", 0.5),
        (
            "German street",
            r"\b[A-ZÄÖÜ][\wäöüß\-]{0,40}?(?:straße|strasse|str\.|weg|gasse|platz|allee|ring|damm|ufer)\s+\d{1,4}\s?[a-z]?\b",
            0.5,
        ),
        (
            "Romance street",
            r"\b\d{1,4}(?:\s?(?:bis|ter))?,?\s+(?:rue|avenue|boulevard|bd|chemin|place|allée|impasse|quai|calle|"
            r"avenida|via|viale|piazza|corso|rua|travessa)\s+[\w'’\-]+(?:[ \t][\w'’\-]+){0,4}",
            0.4,
        ),
    ),
    context=("address", "street", "addr", "residence"),
)

ZIP_CODE = PatternSpec(
    name="PostalCodeRecognizer",
    entity="ZIP_CODE",
    patterns=(
        ("US ZIP+4", r"\b\d{5}-\d{4}\b", 0.4),
        ("US ZIP / 5-digit postal code (weak)", r"\b\d{5}\b", 0.05),
        ("US ZIP+4 without dash (weak)", r"\b\d{9}\b", 0.02),
        ("UK postcode", r"\b(?:[A-Z]{1,2}\d[A-Z\d]? ?\d[ABD-HJLNP-UW-Z]{2}|GIR ?0AA)\b", 0.4),
        ("Canadian postal code", r"\b[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z] ?\d[ABCEGHJ-NPRSTV-Z]\d\b", 0.4),
    ),
    context=("zip", "postal", "postcode", "plz"),
    case_sensitive=True,
)

GEO_COORDINATE = PatternSpec(
    name="GeoCoordinateRecognizer",
    entity="GEO_COORDINATE",
    patterns=(
        (
            "Decimal lat,lon pair",
            r"(?<![\d.])[-+]?(?:90(?:\.0+)?|[1-8]?\d\.\d{3,})\s*,\s*[-+]?(?:180(?:\.0+)?|(?:1[0-7]\d|[1-9]?\d)\.\d{3,})(?![\d.])",
            0.5,
        ),
        ("Degrees minutes seconds", r"\b\d{1,3}°\s?\d{1,2}['′]\s?\d{1,2}(?:\.\d+)?[\"″]?\s?[NSEW]\b", 0.6),
        ("POINT(lon lat)", r"\bPOINT\s?\(\s?[-+]?\d{1,3}\.\d+\s+[-+]?\d{1,2}\.\d+\s?\)", 0.6),
    ),
    context=("lat", "latitude", "lon", "longitude", "coordinates", "gps"),
)

SPECS = (ADDRESS, ZIP_CODE, GEO_COORDINATE)
