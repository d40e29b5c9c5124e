"""Column-name hints: what a column's name says it holds.

Names are split into lower-case tokens ("patientDOB" -> "patient dob", "e-mail_addr" ->
"e mail addr") and matched against the rules below, each a regex over the spaced tokens
with a weight in (0, 1]: 0.95 for unambiguous names ("ssn"), about 0.6 for suggestive
ones ("name", "id"). A rule's ``unless`` pattern vetoes it ("ip address" is no street
address). A hint never decides alone when the entity has a value pattern: the classifier
checks the values agree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

_PERSON_ROLES = (
    r"patient|person|customer|cust|client|member|employee|emp|user|contact|provider|physician|doctor|dr|nurse|"
    r"owner|guardian|subscriber|insured|beneficiary|mother|father|spouse|student|applicant|holder|cardholder|"
    r"recipient|sender|driver|passenger|guest|resident|tenant|donor|author|manager|agent|representative|rep|"
    r"caller|attending|referring|prescriber|practitioner|surgeon|parent|child|witness|kin|emergency contact|"
    r"participant|subject|respondent|individual|citizen|voter|taxpayer|claimant|policyholder|enrollee"
)
_NOT_A_PERSON = (
    r"\b(company|org|organi[sz]ation|business|product|item|file|host|domain|street|city|state|country|county|"
    r"brand|drug|medication|med|plan|payer|payor|insurer|employer|bank|facility|hospital|practice|clinic|site|"
    r"store|project|app|device|dataset|table|column|field|event|category|group|team|department|dept|school|"
    r"university|vendor|supplier|merchant|pharmacy|lab|test|procedure|diagnosis|user|account|screen|login|"
    r"course|model|class|type|region|place|location|species|breed|pet|animal|town|district|ward|unit|building|"
    r"road|campaign|channel|sheet|host|server|network|job|role|title|display|code|program|service|package)s? ?name"
)


@dataclass(frozen=True)
class HintRule:
    """``pattern`` (over spaced tokens) suggests ``entity`` with ``weight``, unless ``unless`` matches."""

    entity: str
    pattern: str
    weight: float
    unless: str | None = None


RULES: tuple[HintRule, ...] = (
    # names and online identity
    HintRule(
        "PERSON_NAME",
        r"\b(first ?names?|fname|given ?names?|forenames?|middle ?names?|mname|last ?names?|lname|surnames?|"
        r"family ?names?|full ?names?|maiden ?names?|legal ?names?|person ?names?|names? of (the )?(patient|person))\b",
        0.95,
    ),
    HintRule(
        "PERSON_NAME",
        rf"\b({_PERSON_ROLES})s? ?(full ?|first ?|last ?)?names?\b",
        0.9,
        unless=r"\b(user ?names?|usernames?)\b",
    ),
    HintRule("PERSON_NAME", r"^names?$", 0.6),
    HintRule("PERSON_NAME", r"^(first|last|middle|maiden|given|family|surname|forename|fname|lname)$", 0.8),
    HintRule("PERSON_NAME", r"\bnames?\b", 0.45, unless=_NOT_A_PERSON),
    HintRule("USERNAME", r"\b(user ?names?|login( ?name)?|screen ?name|handle|account ?name|nick ?name)\b", 0.85),
    HintRule("EMAIL", r"\b(e ?mails?|mail ?address(es)?)\b", 0.95),
    HintRule(
        "PHONE",
        r"\b(phone|telephone|tel|mobile|cell|cellphone|landline|msisdn|contact ?number)s?( ?(number|no|num))?\b",
        0.85,
    ),
    HintRule("FAX", r"\bfax( ?(number|no|num))?\b", 0.9),
    # national identifiers
    HintRule("US_SSN", r"\b(ssns?|social ?security( ?(number|no|num))?|social ?sec|ss ?(number|no|num))\b", 0.95),
    HintRule("US_ITIN", r"\bitin\b", 0.95),
    HintRule("TAX_ID", r"\b(tax ?(id|number|no|code)|tin|ein|fein|vat ?(id|number|no)?|tfn|steuer ?id)\b", 0.8),
    HintRule("UK_NINO", r"\b(nino|ni ?(number|no)|national ?insurance( ?(number|no))?)\b", 0.95),
    HintRule("UK_NHS", r"\bnhs( ?(number|no|num|id))?\b", 0.95),
    HintRule("PASSPORT", r"\bpassports?( ?(number|no|num|id))?\b", 0.95),
    HintRule(
        "DRIVER_LICENSE",
        r"\b(drivers? ?licen[cs]es?|driving ?licen[cs]es?|dl ?(number|no|num|id)|dln|dl)\b|^drivers?$",
        0.9,
    ),
    HintRule(
        "LICENSE_NUMBER",
        r"\b(licen[cs]e ?(number|no|num|id)?|certificate ?(number|no|id)?|cert ?(number|no)|permit ?(number|no))\b",
        0.7,
        unless=r"\b(drivers?|driving|plate|software|dea)\b",
    ),
    HintRule("MEDICAL_LICENSE", r"\b(dea( ?(number|no|num))?|medical ?licen[cs]e)\b", 0.9),
    # finance
    HintRule(
        "CREDIT_CARD",
        r"\b(credit ?cards?|debit ?cards?|card ?(number|num|no)|cc ?(number|num|no)?|ccn|pan|cardnumber|creditcard)\b",
        0.9,
    ),
    HintRule("CREDIT_CARD", r"\bcards?\b", 0.6, unless=r"\b(type|brand|kind|expiry|expiration|exp|cvv|issuer)\b"),
    HintRule("IBAN", r"\biban\b", 0.95),
    HintRule(
        "BANK_ACCOUNT",
        r"\b(bank ?accounts?|account ?(number|num|no|nbr)|acct ?(number|num|no|nbr)?|acc ?(no|num)|"
        r"routing ?(number|no)?|aba|sort ?code|bic|swift|bank ?(number|no))\b",
        0.85,
    ),
    HintRule(
        "CRYPTO_WALLET",
        r"\b(bitcoin|btc|ethereum|eth|wallets?|crypto|litecoin|ltc|monero|xrp)( ?address(es)?)?\b",
        0.9,
    ),
    # location
    HintRule(
        "ADDRESS",
        r"\b(street|address(es)?|addr|address ?line ?\d?|addressline\d?|house ?number|street ?number|po ?box)\b",
        0.85,
        unless=r"\b(ip|ips|email|e mail|mac|web|url|ipv4|ipv6|wallet|eth|btc|bitcoin|server|host|network|memory|"
        r"hardware|hw|remote|type|status|verified|valid|flag|count|source|kind|changed|city|state|county|zip|postal|"
        r"country|phone|telephone|fax|number of)\b",
    ),
    HintRule("ADDRESS", r"\bresidence\b", 0.5),
    HintRule(
        "ZIP_CODE", r"\b(zip|zipcode|zip ?code|zip5|zip3|postal|postcode|post ?code|postal ?code|plz|cep)\b", 0.95
    ),
    HintRule("CITY", r"\b(city|cities|town|municipality|village|locality)\b", 0.85, unless=r"\bbirth\b"),
    HintRule("COUNTY", r"\b(county|counties|parish|borough|precinct|fips)\b", 0.8, unless=r"\bstate\b"),
    HintRule("STATE", r"\b(province|territory|us ?state|state ?code|state ?province)\b", 0.8),
    HintRule("STATE", r"\bstates?\b", 0.6, unless=r"\b(status|machine|of)\b"),
    HintRule(
        "COUNTRY", r"\b(country|countries|nation|country ?code)\b", 0.8, unless=r"\b(native|birth|origin|citizenship)\b"
    ),
    HintRule(
        "NATIONALITY",
        r"\b(nationality|citizenship|native ?country|country ?of ?(birth|origin|citizenship)|birth ?country|"
        r"birth ?place|birthplace|place ?of ?birth|immigration|immigrant|foreign|foreigner)\b",
        0.8,
    ),
    HintRule("GEO_REGION", r"\b(region|area|zone|geography|geo)\b", 0.5),
    HintRule(
        "GEO_COORDINATE",
        r"\b(lat|latitude|lon|lng|longitude|coord|coords|coordinates|geo ?location|geolocation|gps|geo ?point|"
        r"geopoint|lat ?lon|lat ?lng|latlong|latlng)\b",
        0.9,
    ),
    HintRule("GEO_COORDINATE", r"^long$", 0.7),
    # network and devices
    HintRule("IP_ADDRESS", r"\b(ip|ips|ip ?address(es)?|ipaddress|ipv4|ipv6|ip ?addr|remote ?addr)\b", 0.95),
    HintRule("MAC_ADDRESS", r"\b(mac|mac ?address(es)?|macaddress|hw ?addr|hardware ?address|bssid)\b", 0.9),
    HintRule(
        "URL",
        r"\b(urls?|uri|website|web ?site|homepage|home ?page|web ?page|webpage|links?|href|domain)\b",
        0.8,
    ),
    HintRule(
        "DEVICE_ID",
        r"\b(device ?id|serial( ?(number|no|num))?|imei|meid|udid|idfa|gaid|advertising ?id|android ?id|device)\b",
        0.8,
    ),
    HintRule("VIN", r"\b(vin|vehicle ?id|vehicle ?identification( ?number)?|chassis( ?number)?)\b", 0.95),
    HintRule("LICENSE_PLATE", r"\b(licen[cs]e ?plate|plate( ?(number|no))?|number ?plate|registration ?plate)\b", 0.85),
    # health and record identifiers
    HintRule(
        "MEDICAL_RECORD_NUMBER",
        r"\b(mrn|medical ?record( ?(number|no|num|id))?|med ?rec|medrec|chart ?(number|no|id)|"
        r"hospital ?(number|no)|patient ?(number|no|num|nbr))\b",
        0.95,
    ),
    HintRule(
        "HEALTH_PLAN_ID",
        r"\b(member ?(id|number|no|num)|subscriber ?(id|number|no)|policy ?(id|number|no|num)|"
        r"insurance ?(id|number|no)|health ?plan ?(id|number|no)?|beneficiary ?(id|number|no)|mbi|hicn|"
        r"medicare ?(id|number|no)?|medicaid ?(id|number|no)?|group ?(number|no))\b",
        0.92,
    ),
    HintRule("NPI", r"\b(npi|national ?provider( ?id(entifier)?)?)\b", 0.95),
    HintRule(
        "ID",
        rf"\b({_PERSON_ROLES}|account|household|family|case|visitor|record|encounter|visit|claim)s? ?(id|ids|identifier|key|uuid|guid|code|no|num|number|nbr)\b",
        0.9,
    ),
    HintRule(
        "ID",
        r"\b(id|ids|uuid|guid|identifier|pk|primary ?key|key|ident|uid|unique ?id|record ?id|row ?id)\b",
        0.6,
        unless=r"\b(diagnosis|icd|cpt|drg|hcpcs|ndc|product|item|category|type|class|state|country|region|dept|"
        r"department|store|sku|lang|language|zip|version|group|status|plan|job|occupation|race|gender|sex|marital|"
        r"color|model|brand|ward|unit|room|bed|facility|hospital|site|payer|payor|insurer|drug|procedure|test|lab|"
        r"event|order|transaction|invoice|session|product|campaign|channel|batch|run|job|task|api|secret|foreign)\b",
    ),
    HintRule(
        "BIOMETRIC",
        r"\b(fingerprints?|finger ?prints?|biometrics?|retina|iris ?scan|voice ?prints?|voiceprint|face ?template|faceprint|palm ?print|dna)\b",
        0.9,
    ),
    HintRule(
        "PHOTO",
        r"\b(photos?|photograph|picture|pic|headshot|portrait|selfie|face ?image|avatar|mugshot|images?)\b",
        0.7,
    ),
    # dates
    HintRule(
        "DATE_OF_BIRTH",
        r"\b(dob|birth ?date|date ?of ?birth|birthdate|birthday|born( ?(on|date))?|birth ?dt|bdate|d o b)\b",
        0.95,
    ),
    HintRule("BIRTH_YEAR", r"\b(birth ?year|year ?of ?birth|yob|born ?year)\b", 0.95),
    HintRule(
        "DATE_OF_DEATH",
        r"\b(dod|death ?date|date ?of ?death|deceased ?(date|on)|death ?dt|died( ?on)?|deathdate)\b",
        0.95,
    ),
    HintRule(
        "PERSON_DATE",
        r"\b(admission|admit|admitted|adm|discharge|discharged|disch|visit|encounter|service|svc|procedure|surgery|"
        r"appointment|appt|diagnosis|dx|onset|enrollment|enrolment|hire|hired|termination|registration|collection|"
        r"specimen|vaccination|vaccine|immunization|treatment|prescription|rx|dispense|dispensed|incident|injury|"
        r"accident|marriage|graduation|arrival|departure|check ?in|check ?out|signup|joined|last ?seen|last ?visit)s? ?"
        r"(date|dt|time|timestamp|datetime|ts|on|at|day)\b",
        0.85,
    ),
    HintRule("PERSON_DATE", r"\b(admit|admission|discharge|deceased)\b", 0.8),
    HintRule("DATE", r"\b(date|dt|datetime|timestamp|time|day|created|updated|modified|when)\b", 0.4),
    # demographics (quasi-identifiers)
    HintRule(
        "AGE",
        r"\b(age|ages|age ?years|age ?yrs|age ?at ?\w+|age ?group|age ?band|age ?range|age ?bracket|agegroup|age ?in ?years|age ?cat)\b",
        0.9,
    ),
    HintRule("GENDER", r"\b(gender|gndr|sex|gender ?identity|sex ?at ?birth|is ?male|is ?female)\b", 0.95),
    HintRule("RACE", r"\b(race|races|ethnicity|ethnic|ethnic ?group|race ?ethnicity)\b", 0.95),
    HintRule(
        "MARITAL_STATUS",
        r"\b(marital|married|marriage ?status|civil ?status|personal ?status|relationship ?status)\b",
        0.9,
    ),
    HintRule("RELATIONSHIP", r"\b(relationship|relation|household ?role|rel ?to|kinship)\b", 0.8, unless=r"\bstatus\b"),
    HintRule("RELIGION", r"\b(religion|religious|faith|denomination)\b", 0.9),
    HintRule("LANGUAGE", r"\b(language|lang|mother ?tongue|spoken ?language)\b", 0.7),
    HintRule("OCCUPATION", r"\b(occupation|occupations|job|job ?title|profession|jobtitle)\b", 0.85),
    HintRule("EDUCATION", r"\b(education|educational|degree|schooling|qualification|edu|highest ?grade)\b", 0.85),
    HintRule(
        "ORGANIZATION",
        r"\b(employer|company|organi[sz]ation|org|business|firm|hospital|facility|clinic|practice|payer|payor|"
        r"insurer|institution|agency|university|vendor|supplier|merchant)( ?name)?\b",
        0.7,
    ),
    # free text
    HintRule(
        "FREE_TEXT",
        r"\b(notes?|comments?|description|desc|narrative|text|remarks?|summary|history|complaint|message|body|"
        r"feedback|review|memo|details?|free ?text|transcript|observations?|findings?|impression|reason)\b",
        0.6,
    ),
)


@lru_cache(maxsize=1)
def _compiled() -> tuple[tuple[HintRule, re.Pattern[str], re.Pattern[str] | None], ...]:
    return tuple((r, re.compile(r.pattern), re.compile(r.unless) if r.unless else None) for r in RULES)


def tokens(column: object) -> list[str]:
    """Lower-case tokens of a column name ("patientDOB" -> ["patient", "dob"])."""
    text = str(column)
    text = re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", text)
    text = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1 \2", text)
    return re.findall(r"[a-z]+|\d+", text.lower())


@lru_cache(maxsize=4096)
def name_hints(column: str) -> dict[str, float]:
    """entity -> strongest hint weight that the column's name gives for it."""
    spaced = " ".join(tokens(column))
    hints: dict[str, float] = {}
    if not spaced:
        return hints
    for rule, pattern, unless in _compiled():
        if pattern.search(spaced) and not (unless and unless.search(spaced)):
            hints[rule.entity] = max(hints.get(rule.entity, 0.0), rule.weight)
    return hints


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


#: Whose key a column holds, by its name: the person the row is about (``subject``), or a
#: related party that is no Safe Harbor identifier of the individual (``party``).
_SUBJECT_WORDS = _words(
    "patient patients person persons pat pt customer customers cust client clients member members mbr subscriber "
    "insured beneficiary user users employee employees emp student applicant cardholder holder resident tenant guest "
    "participant subject subjects respondent individual citizen voter taxpayer claimant policyholder enrollee "
    "household family mother father spouse guardian parent child kin contact donor passenger driver visitor "
    "account acct encounter encounters visit visits admission claim claims case record registry"
)
_PARTY_WORDS = _words(
    "provider providers prov physician doctor dr nurse attending referring prescriber practitioner surgeon clinician "
    "organization organisation organizations org orgs payer payers payor insurer plan facility facilities hospital "
    "clinic site lab labs laboratory merchant merchants vendor supplier store shop pharmacy location department dept "
    "agent branch terminal product item sku campaign partner carrier"
)


@lru_cache(maxsize=4096)
def key_relation(column: str) -> str | None:
    """``"subject"`` when a key column's name names the person (or their record), ``"party"``
    when it names a provider, payer, organization or other party, None when it says neither.
    The first role word read from the right decides ("patient_provider_id" -> party)."""
    for word in reversed(tokens(column)):
        if word in _PARTY_WORDS:
            return "party"
        if word in _SUBJECT_WORDS:
            return "subject"
    return None
