"""Value generators for the PII corpus: one function per entity type that returns a real-looking
instance in one of many formats (checksums computed here), and one per type that returns a hard
negative: something that looks like the entity but is not one (failed checksum, wrong prefix,
placeholder, look-alike identifier). Everything draws from the `random.Random` passed in, so the
corpus is a pure function of the seed."""

import base64
import json
import string

# ---------------------------------------------------------------------------------------------
# Checksums


def luhn_check_digit(digits):
    """The digit that makes `digits + d` pass Luhn."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return str((10 - total % 10) % 10)


def luhn_ok(number):
    total = 0
    for i, ch in enumerate(reversed(number)):
        d = int(ch)
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def iban_check_digits(country, bban):
    rearranged = bban + country + "00"
    numeric = "".join(str(int(c, 36)) for c in rearranged)
    return "%02d" % (98 - int(numeric) % 97)


def iban_ok(iban):
    s = iban[4:] + iban[:4]
    return int("".join(str(int(c, 36)) for c in s)) % 97 == 1


def aba_ok(digits):
    d = [int(c) for c in digits]
    return (3 * (d[0] + d[3] + d[6]) + 7 * (d[1] + d[4] + d[7]) + (d[2] + d[5] + d[8])) % 10 == 0


# ---------------------------------------------------------------------------------------------
# Small helpers


def digits(rng, n):
    return "".join(rng.choice(string.digits) for _ in range(n))


def alnum(rng, n, alphabet=string.ascii_letters + string.digits):
    return "".join(rng.choice(alphabet) for _ in range(n))


def group(s, sizes, sep):
    out, i = [], 0
    for size in sizes:
        out.append(s[i:i + size])
        i += size
    return sep.join(out)


def b64url(data):
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


FIRST = ["anna", "ben", "carla", "david", "elif", "felix", "grace", "hiro", "ines", "jonas", "kofi",
         "lena", "marco", "nadia", "oscar", "priya", "quentin", "rosa", "sven", "tomoko", "ursula",
         "victor", "wei", "yusuf", "zoe", "li", "maria", "jose", "sophie", "lukas"]
LAST = ["schmidt", "garcia", "rossi", "dubois", "nguyen", "okafor", "tanaka", "kowalski", "silva",
        "johansson", "murphy", "haddad", "novak", "fischer", "moreau", "lopez", "bianchi", "costa",
        "yamamoto", "chen", "patel", "oconnor", "weber", "martin", "kim"]
DOMAINS = ["example.com", "acme-corp.io", "mail.example.org", "contoso.de", "fabrikam.fr",
           "northwind.co.uk", "globex.es", "initech.it", "umbrella.com.br", "hooli.jp", "gmail.com",
           "outlook.com", "yahoo.co.jp", "web.de", "orange.fr", "company.ch", "uni-hamburg.de",
           "support.example.net", "eu.tickets.example.com", "sub.mail.example.co"]


def person(rng):
    return rng.choice(FIRST), rng.choice(LAST)


# ---------------------------------------------------------------------------------------------
# EMAIL


def email(rng):
    f, l = person(rng)
    d = rng.choice(DOMAINS)
    form = rng.randrange(9)
    if form == 0:
        local = f + "." + l
    elif form == 1:
        local = f[0] + l
    elif form == 2:
        local = f + "_" + l + digits(rng, 2)
    elif form == 3:
        local = f + "+" + rng.choice(["news", "billing", "test", "github", "x"])
    elif form == 4:
        local = (f + "." + l).title().replace(".", ".")
    elif form == 5:
        local = f + "-" + l
    elif form == 6:
        local = l + digits(rng, 4)
    elif form == 7:
        local = rng.choice(["support", "billing", "hr", "security", "noreply", "info", "jobs"])
    else:
        local = f + "." + l[0]
    if rng.random() < 0.1:
        return (local + "@" + d).upper()
    return local + "@" + d


def email_negative(rng):
    form = rng.randrange(6)
    if form == 0:
        return rng.choice(["lodash", "react", "typescript", "express", "left-pad"]) + "@" + "%d.%d.%d" % (
            rng.randrange(1, 20), rng.randrange(30), rng.randrange(30))
    if form == 1:
        return "@" + rng.choice(FIRST) + "_" + rng.choice(LAST)
    if form == 2:
        return rng.choice(FIRST) + " at " + rng.choice(["the office", "noon", "home"])
    if form == 3:
        return "@" + rng.choice(["types/node", "babel/core", "angular/cli", "nestjs/common"])
    if form == 4:
        return rng.choice(FIRST) + "@@" + rng.choice(DOMAINS)
    return "user@" + rng.choice(["localhost", "server01", "build-agent"])


# ---------------------------------------------------------------------------------------------
# PHONE: formats libphonenumber accepts — US national formats, and international numbers with +CC.

US_AREAS = ["212", "213", "305", "312", "404", "415", "503", "512", "602", "617", "646", "702", "713",
            "718", "720", "773", "786", "818", "858", "917", "206", "303", "347", "408", "510", "571",
            "619", "650", "678", "703", "425", "480"]


def us_subscriber(rng):
    while True:
        exch = str(rng.randrange(2, 10)) + digits(rng, 2)
        if exch[1:] != "11" and exch != "555":
            return exch, digits(rng, 4)


INTL = [
    # (country code, national significant number generator, grouping)
    ("44", lambda r: "20" + str(r.randrange(7, 9)) + digits(r, 7), [2, 4, 4]),   # London
    ("44", lambda r: "79" + digits(r, 8), [4, 6]),                                # UK mobile
    ("49", lambda r: "30" + str(r.randrange(2, 9)) + digits(r, 7), [2, 8]),       # Berlin
    ("49", lambda r: "151" + digits(r, 8), [3, 8]),                               # DE mobile
    ("49", lambda r: "89" + str(r.randrange(2, 9)) + digits(r, 6), [2, 7]),       # Munich
    ("33", lambda r: "1" + str(r.randrange(4, 5)) + digits(r, 7), [1, 2, 2, 2, 2]),  # Paris
    ("33", lambda r: "6" + digits(r, 8), [1, 2, 2, 2, 2]),                        # FR mobile
    ("34", lambda r: "6" + digits(r, 8), [3, 3, 3]),                              # ES mobile
    ("34", lambda r: "91" + str(r.randrange(2, 8)) + digits(r, 6), [2, 3, 2, 2]),  # Madrid
    ("39", lambda r: "06" + str(r.randrange(4, 9)) + digits(r, 7), [2, 4, 4]),    # Rome
    ("39", lambda r: "3" + str(r.randrange(20, 50)) + digits(r, 7), [3, 3, 4]),   # IT mobile
    ("351", lambda r: "91" + digits(r, 7), [3, 3, 3]),                            # PT mobile
    ("31", lambda r: "6" + str(r.randrange(1, 5)) + digits(r, 7), [1, 8]),        # NL mobile
    ("81", lambda r: "3" + str(r.randrange(3, 7)) + digits(r, 7), [1, 4, 4]),     # Tokyo
    ("81", lambda r: "90" + str(r.randrange(1, 9)) + digits(r, 7), [2, 4, 4]),    # JP mobile
    ("91", lambda r: "98" + digits(r, 8), [5, 5]),                                # IN mobile
    ("61", lambda r: "4" + str(r.randrange(0, 9)) + digits(r, 7), [3, 3, 3]),     # AU mobile
]


def phone(rng):
    form = rng.randrange(11)
    if form < 6:
        area = rng.choice(US_AREAS)
        exch, sub = us_subscriber(rng)
        return [
            "(%s) %s-%s" % (area, exch, sub),
            "%s-%s-%s" % (area, exch, sub),
            "%s.%s.%s" % (area, exch, sub),
            "+1 %s %s %s" % (area, exch, sub),
            "+1-%s-%s-%s" % (area, exch, sub),
            "+1 (%s) %s-%s" % (area, exch, sub),
        ][form]
    cc, gen, sizes = rng.choice(INTL)
    nsn = gen(rng)
    if form == 10:
        return "+" + cc + nsn
    sep = " " if form < 9 else "-"
    return "+" + cc + " " + group(nsn, sizes, sep)


def phone_negative(rng):
    form = rng.randrange(7)
    if form == 0:
        return "v%d.%d.%d" % (rng.randrange(1, 12), rng.randrange(40), rng.randrange(200))
    if form == 1:
        return "%04d-%02d-%02d" % (rng.randrange(2015, 2026), rng.randrange(1, 13), rng.randrange(1, 29))
    if form == 2:
        return "ISBN 978-%d-%03d-%05d-%d" % (rng.randrange(0, 4), rng.randrange(1000), rng.randrange(100000),
                                             rng.randrange(10))
    if form == 3:
        return "%d,%03d,%03d" % (rng.randrange(1, 999), rng.randrange(1000), rng.randrange(1000))
    if form == 4:
        return "%02d:%02d:%02d.%03d" % (rng.randrange(24), rng.randrange(60), rng.randrange(60), rng.randrange(1000))
    if form == 5:
        return "1-%d" % rng.randrange(100, 999)
    return "%d.%d" % (rng.randrange(1000, 99999), rng.randrange(1000, 9999))


# ---------------------------------------------------------------------------------------------
# SSN


def ssn_parts(rng):
    while True:
        area = rng.randrange(1, 900)
        if area != 666:
            break
    return "%03d" % area, "%02d" % rng.randrange(1, 100), "%04d" % rng.randrange(1, 10000)


def ssn(rng):
    a, g, s = ssn_parts(rng)
    return rng.choice(["%s-%s-%s", "%s-%s-%s", "%s-%s-%s", "%s %s %s"]) % (a, g, s)


def ssn_negative(rng):
    a, g, s = ssn_parts(rng)
    form = rng.randrange(5)
    if form == 0:
        a = "000"
    elif form == 1:
        a = "666"
    elif form == 2:
        a = str(rng.randrange(900, 1000))
    elif form == 3:
        g = "00"
    else:
        s = "0000"
    return "%s-%s-%s" % (a, g, s)


# ---------------------------------------------------------------------------------------------
# CREDIT_CARD: issuer prefix and length, Luhn check digit computed.

CARD_ISSUERS = [
    (lambda r: "4" + digits(r, 5), 16),                                   # Visa
    (lambda r: "4" + digits(r, 5), 16),
    (lambda r: str(r.randrange(51, 56)) + digits(r, 4), 16),              # Mastercard
    (lambda r: str(r.randrange(2221, 2721)) + digits(r, 2), 16),          # Mastercard 2-series
    (lambda r: r.choice(["34", "37"]) + digits(r, 4), 15),                # Amex
    (lambda r: "6011" + digits(r, 2), 16),                                # Discover
    (lambda r: "65" + digits(r, 4), 16),                                  # Discover
    (lambda r: str(r.randrange(3528, 3590)) + digits(r, 2), 16),          # JCB
    (lambda r: "36" + digits(r, 4), 14),                                  # Diners Club International
    (lambda r: r.choice(["38", "39"]) + digits(r, 4), 16),                # Diners Club (Discover network)
]


def card_digits(rng):
    gen, length = rng.choice(CARD_ISSUERS)
    body = gen(rng)
    body += digits(rng, length - 1 - len(body))
    return body + luhn_check_digit(body)


def format_card(rng, number):
    n = len(number)
    sizes = {16: [4, 4, 4, 4], 15: [4, 6, 5], 14: [4, 6, 4]}[n]
    form = rng.randrange(4)
    if form == 0:
        return number
    if form == 1 or form == 3:
        return group(number, sizes, " ")
    return group(number, sizes, "-")


def credit_card(rng):
    return format_card(rng, card_digits(rng))


def credit_card_negative(rng):
    form = rng.randrange(4)
    if form <= 1:  # right shape, wrong Luhn digit
        number = card_digits(rng)
        bad = str((int(number[-1]) + rng.randrange(1, 10)) % 10)
        return format_card(rng, number[:-1] + bad)
    if form == 2:  # IMEI: 15 digits, passes Luhn, but no card issuer has that prefix and length
        body = rng.choice(["35", "86", "01"]) + digits(rng, 12)
        return body + luhn_check_digit(body)
    # an order or tracking number of card length starting with a non-issuer digit, failing Luhn
    body = rng.choice(["1", "7", "8", "9"]) + digits(rng, 14)
    check = luhn_check_digit(body)
    return body + str((int(check) + 1) % 10)


# ---------------------------------------------------------------------------------------------
# IBAN: per-country BBAN shape, mod-97 check digits.

def _n(k):
    return lambda r: digits(r, k)


def _a(k):
    return lambda r: "".join(r.choice(string.ascii_uppercase) for _ in range(k))


def _c(k):
    return lambda r: "".join(r.choice(string.ascii_uppercase + string.digits) for _ in range(k))


IBAN_COUNTRIES = {
    "DE": [_n(18)], "GB": [_a(4), _n(14)], "FR": [_n(10), _c(11), _n(2)], "ES": [_n(20)],
    "IT": [_a(1), _n(10), _c(12)], "NL": [_a(4), _n(10)], "BE": [_n(12)], "CH": [_n(5), _c(12)],
    "AT": [_n(16)], "PL": [_n(24)], "SE": [_n(20)], "IE": [_a(4), _n(14)], "PT": [_n(21)],
    "DK": [_n(14)], "NO": [_n(11)], "FI": [_n(14)], "LU": [_n(3), _c(13)],
}


def iban_compact(rng):
    country = rng.choice(sorted(IBAN_COUNTRIES))
    bban = "".join(part(rng) for part in IBAN_COUNTRIES[country])
    return country + iban_check_digits(country, bban) + bban


def format_iban(rng, compact):
    if rng.random() < 0.5:
        return compact
    return " ".join(compact[i:i + 4] for i in range(0, len(compact), 4))


def iban(rng):
    return format_iban(rng, iban_compact(rng))


def iban_negative(rng):
    compact = iban_compact(rng)
    check = int(compact[2:4])
    bad = "%02d" % ((check + rng.randrange(1, 90)) % 97 + 2)
    if bad == compact[2:4]:
        bad = "%02d" % ((check + 1) % 97 + 2)
    candidate = compact[:2] + bad + compact[4:]
    if iban_ok(candidate):  # astronomically rare, but never emit a valid IBAN as a negative
        candidate = compact[:2] + "%02d" % ((check + 3) % 97 + 2) + compact[4:]
    return format_iban(rng, candidate)


# ---------------------------------------------------------------------------------------------
# IP_ADDRESS


def ipv4(rng):
    form = rng.randrange(5)
    if form == 0:
        return "10.%d.%d.%d" % (rng.randrange(256), rng.randrange(256), rng.randrange(1, 255))
    if form == 1:
        return "192.168.%d.%d" % (rng.randrange(256), rng.randrange(1, 255))
    if form == 2:
        return "172.%d.%d.%d" % (rng.randrange(16, 32), rng.randrange(256), rng.randrange(1, 255))
    return "%d.%d.%d.%d" % (rng.randrange(11, 224), rng.randrange(256), rng.randrange(256), rng.randrange(1, 255))


def ipv6(rng):
    groups = ["%x" % rng.randrange(0x10000) for _ in range(8)]
    form = rng.randrange(5)
    if form == 0:
        return ":".join(groups)
    if form == 1:
        return "2001:db8::" + groups[0]
    if form == 2:
        return "fe80::" + ":".join(groups[:4])
    if form == 3:
        return "2a02:%s:%s::%s" % (groups[0], groups[1], groups[2])
    return ":".join("%04x" % int(g, 16) for g in groups)


def ip_address(rng):
    return ipv6(rng) if rng.random() < 0.3 else ipv4(rng)


def ip_negative(rng):
    form = rng.randrange(6)
    if form == 0:
        return "%d.%d.%d.%d" % (rng.randrange(256, 999), rng.randrange(256), rng.randrange(256), rng.randrange(256))
    if form == 1:
        return "%d.%d.%d" % (rng.randrange(1, 20), rng.randrange(30), rng.randrange(100))
    if form == 2:
        return ":".join("%02X" % rng.randrange(256) for _ in range(6))  # MAC address
    if form == 3:
        return "%02d:%02d:%02d" % (rng.randrange(24), rng.randrange(60), rng.randrange(60))
    if form == 4:
        return "%d.%d.%d.%d.%d" % tuple(rng.randrange(300, 999) for _ in range(5))
    return "%d.%d.%d-rc%d" % (rng.randrange(1, 9), rng.randrange(20), rng.randrange(20), rng.randrange(1, 5))


# ---------------------------------------------------------------------------------------------
# US_BANK_ROUTING: 9 digits, valid Federal Reserve prefix, ABA checksum.

ABA_PREFIXES = list(range(1, 13)) + list(range(21, 33)) + list(range(61, 73)) + [80]


def routing_number(rng):
    while True:
        body = "%02d" % rng.choice(ABA_PREFIXES) + digits(rng, 6)
        for last in range(10):
            if aba_ok(body + str(last)):
                return body + str(last)


def routing_negative(rng):
    good = routing_number(rng)
    bad = good[:-1] + str((int(good[-1]) + rng.randrange(1, 10)) % 10)
    return bad


# ---------------------------------------------------------------------------------------------
# UK_NINO

NINO_FIRST = [c for c in string.ascii_uppercase if c not in "DFIQUV"]
NINO_SECOND = [c for c in string.ascii_uppercase if c not in "DFIOQUV"]
NINO_BANNED = {"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"}


def uk_nino(rng):
    while True:
        prefix = rng.choice(NINO_FIRST) + rng.choice(NINO_SECOND)
        if prefix not in NINO_BANNED:
            break
    num = digits(rng, 6)
    suffix = rng.choice("ABCD")
    if rng.random() < 0.5:
        return prefix + num + suffix
    return "%s %s %s %s %s" % (prefix, num[:2], num[2:4], num[4:], suffix)


def uk_nino_negative(rng):
    form = rng.randrange(3)
    num = digits(rng, 6)
    if form == 0:
        return rng.choice(["QQ", "GB", "NK", "TN", "DA", "FO"]) + num + rng.choice("ABCD")
    if form == 1:
        return rng.choice(["AB", "JK", "SP", "WL"]) + num + rng.choice("EFXZ")
    return rng.choice(["AB", "CE", "HJ"]) + digits(rng, 5) + rng.choice("ABCD")


# ---------------------------------------------------------------------------------------------
# US_PASSPORT: 9 digits, or a letter and 8 digits (next-generation books).


def us_passport(rng):
    while True:
        if rng.random() < 0.35:
            value = rng.choice("ACEFHJKLMNPRSTWXZ") + digits(rng, 8)
        else:
            value = str(rng.randrange(1, 10)) + digits(rng, 8)
        tail = value[-8:]
        if len(set(tail)) > 2 and tail not in "0123456789" and tail not in "9876543210":
            return value


def us_passport_negative(rng):
    return rng.choice(["000000000", "123456789", "111111111", "999999999", "987654321"])


# ---------------------------------------------------------------------------------------------
# DATE_OF_BIRTH: a real date between 1930 and 2008 in a format chosen to match the language.

MONTHS = {
    "en": ["January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December"],
    "de": ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober",
           "November", "Dezember"],
    "fr": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
           "novembre", "décembre"],
    "es": ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre",
           "octubre", "noviembre", "diciembre"],
}
DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]


def birth_date(rng):
    year = rng.randrange(1930, 2008)
    month = rng.randrange(1, 13)
    day = rng.randrange(1, DAYS_IN_MONTH[month - 1] + 1)
    return year, month, day


def date_of_birth(rng, lang="en"):
    y, m, d = birth_date(rng)
    form = rng.randrange(6)
    if form == 0:
        return "%04d-%02d-%02d" % (y, m, d)
    if lang == "en":
        if form <= 2:
            return "%02d/%02d/%04d" % (m, d, y)
        if form == 3:
            return "%s %d, %04d" % (MONTHS["en"][m - 1], d, y)
        if form == 4:
            return "%d %s %04d" % (d, MONTHS["en"][m - 1], y)
        return "%d/%d/%04d" % (m, d, y)
    if lang == "de":
        return "%02d.%02d.%04d" % (d, m, y) if form < 4 else "%d. %s %04d" % (d, MONTHS["de"][m - 1], y)
    if lang in ("fr", "es") and form >= 4:
        if lang == "fr":
            return "%d %s %04d" % (d, MONTHS["fr"][m - 1], y)
        return "%d de %s de %04d" % (d, MONTHS["es"][m - 1], y)
    if lang in ("ja", "zh"):
        return "%04d年%d月%d日" % (y, m, d) if form >= 3 else "%04d/%02d/%02d" % (y, m, d)
    return "%02d/%02d/%04d" % (d, m, y)


def date_of_birth_negative(rng):
    """A date that is not a birth date: impossible calendar dates (used WITH a birth-date context)."""
    y = rng.randrange(1950, 2000)
    form = rng.randrange(3)
    if form == 0:
        return "%02d/%02d/%04d" % (2, rng.randrange(30, 32), y)
    if form == 1:
        return "%04d-%02d-%02d" % (y, rng.randrange(13, 20), rng.randrange(1, 28))
    return "%04d-%02d-%02d" % (rng.randrange(2090, 2200), rng.randrange(1, 13), rng.randrange(1, 28))


def plain_date(rng):
    """A date with no birth-date meaning (used without context as a hard negative for DATE_OF_BIRTH)."""
    y, m, d = rng.randrange(2019, 2026), rng.randrange(1, 13), rng.randrange(1, 28)
    return rng.choice(["%04d-%02d-%02d" % (y, m, d), "%02d/%02d/%04d" % (m, d, y), "%02d.%02d.%04d" % (d, m, y)])


# ---------------------------------------------------------------------------------------------
# API_KEY: provider formats.

B62 = string.ascii_letters + string.digits
B64URL = B62 + "-_"
HEXL = "0123456789abcdef"


def api_key(rng):
    form = rng.randrange(16)
    if form == 0:
        return "sk-ant-api03-" + alnum(rng, 93, B64URL) + "AA"
    if form == 1:
        return "sk-proj-" + alnum(rng, 74, B64URL) + "T3BlbkFJ" + alnum(rng, 74, B64URL)
    if form == 2:
        return "sk-" + alnum(rng, 20) + "T3BlbkFJ" + alnum(rng, 20)
    if form == 3:
        return "AKIA" + alnum(rng, 16, string.ascii_uppercase + "234567")
    if form == 4:
        return "ghp_" + alnum(rng, 36)
    if form == 5:
        return "github_pat_11" + alnum(rng, 20, string.ascii_uppercase + string.digits) + "_" + alnum(rng, 59)
    if form == 6:
        return "glpat-" + alnum(rng, 20, B64URL)
    if form == 7:
        return "xoxb-" + digits(rng, 12) + "-" + digits(rng, 13) + "-" + alnum(rng, 24)
    if form == 8:
        return rng.choice(["sk_live_", "rk_live_"]) + alnum(rng, rng.choice([24, 99]))
    if form == 9:
        return "AIza" + alnum(rng, 35, B64URL)
    if form == 10:
        return "SG." + alnum(rng, 22, B64URL) + "." + alnum(rng, 43, B64URL)
    if form == 11:
        return "npm_" + alnum(rng, 36)
    if form == 12:
        return "pypi-AgEIcHlwaS5vcmc" + alnum(rng, 70, B64URL)
    if form == 13:
        return "SK" + alnum(rng, 32, HEXL)  # Twilio API key SID
    if form == 14:
        return "gho_" + alnum(rng, 36)
    return "xoxp-" + digits(rng, 12) + "-" + digits(rng, 12) + "-" + digits(rng, 13) + "-" + alnum(rng, 32, HEXL)


def aws_secret(rng):
    return alnum(rng, 40, B62 + "+/")


def api_key_negative(rng):
    form = rng.randrange(8)
    if form == 0:
        return alnum(rng, 40, HEXL)  # git commit hash
    if form == 1:
        return alnum(rng, 64, HEXL)  # sha256
    if form == 2:
        h = alnum(rng, 32, HEXL)
        return "%s-%s-%s-%s-%s" % (h[:8], h[8:12], "4" + h[13:16], "a" + h[17:20], h[20:])  # UUID
    if form == 3:
        return rng.choice(["sk-ant-xxxxxxxxxxxxxxxxxxxx", "YOUR_API_KEY_HERE", "sk-...", "<OPENAI_API_KEY>",
                           "ghp_XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX", "${ANTHROPIC_API_KEY}"])
    if form == 4:
        return "sha256-" + base64.b64encode(bytes(rng.randrange(256) for _ in range(32))).decode()
    if form == 5:
        return "task-runner-" + digits(rng, 4)
    if form == 6:
        return "pk_live_" + alnum(rng, 24)  # Stripe publishable key: public by design
    return "AC" + alnum(rng, 32, HEXL)  # Twilio account SID: an identifier, not a secret


# ---------------------------------------------------------------------------------------------
# JWT


def jwt(rng):
    alg = rng.choice(["HS256", "RS256", "ES256", "HS512", "RS512"])
    header = {"alg": alg, "typ": "JWT"}
    if rng.random() < 0.3:
        header = {"typ": "JWT", "alg": alg, "kid": alnum(rng, 8, HEXL)}
    payload = {"sub": digits(rng, rng.randrange(4, 11)), "iat": 1700000000 + rng.randrange(10 ** 7)}
    if rng.random() < 0.5:
        payload["name"] = " ".join(w.title() for w in person(rng))
    if rng.random() < 0.5:
        payload["scope"] = rng.choice(["read", "read write", "admin"])
    sig_len = {"HS256": 43, "ES256": 86, "HS512": 86, "RS256": 342, "RS512": 342}[alg]
    return (b64url(json.dumps(header, separators=(",", ":")).encode()) + "." +
            b64url(json.dumps(payload, separators=(",", ":")).encode()) + "." + alnum(rng, sig_len, B64URL))


def jwt_negative(rng):
    """Base64url JSON that is not a token header (no "alg"), joined like a JWT."""
    header = {"typ": "event", "v": rng.randrange(1, 4)}
    payload = {"id": digits(rng, 6)}
    return (b64url(json.dumps(header, separators=(",", ":")).encode()) + "." +
            b64url(json.dumps(payload, separators=(",", ":")).encode()) + "." + alnum(rng, 20, B64URL))


# ---------------------------------------------------------------------------------------------
# PRIVATE_KEY: PEM blocks.


def pem_body(rng, n_bytes):
    raw = base64.b64encode(bytes(rng.randrange(256) for _ in range(n_bytes))).decode()
    return "\n".join(raw[i:i + 64] for i in range(0, len(raw), 64))


def private_key(rng):
    label, size = rng.choice([("RSA PRIVATE KEY", 1190), ("PRIVATE KEY", 1217), ("EC PRIVATE KEY", 121),
                              ("OPENSSH PRIVATE KEY", 399), ("ENCRYPTED PRIVATE KEY", 1298),
                              ("PRIVATE KEY", 48), ("DSA PRIVATE KEY", 444)])
    return "-----BEGIN %s-----\n%s\n-----END %s-----" % (label, pem_body(rng, size), label)


def private_key_negative(rng):
    label, size = rng.choice([("PUBLIC KEY", 294), ("CERTIFICATE", 800), ("CERTIFICATE REQUEST", 600),
                              ("RSA PUBLIC KEY", 270), ("PGP SIGNATURE", 300)])
    return "-----BEGIN %s-----\n%s\n-----END %s-----" % (label, pem_body(rng, size), label)


# ---------------------------------------------------------------------------------------------
# PASSWORD (the value of a password assignment) and URL_CREDENTIALS (user:password in a URL)

PASSWORD_WORDS = ["Winter", "Harbor", "Falcon", "Maple", "Quartz", "Tiger", "Velvet", "Orbit", "Cobalt",
                  "Saffron", "Nimbus", "Juniper"]


def password(rng):
    form = rng.randrange(4)
    if form == 0:
        return alnum(rng, rng.randrange(14, 24), B62 + "!@#%^&*-_")
    if form == 1:
        return rng.choice(PASSWORD_WORDS) + rng.choice("!#$%&*") + digits(rng, 4) + rng.choice(PASSWORD_WORDS).lower()
    if form == 2:
        return alnum(rng, 32, B62)
    return rng.choice(PASSWORD_WORDS) + "-" + rng.choice(PASSWORD_WORDS).lower() + "-" + digits(rng, 3) + alnum(rng, 3)


def password_negative(rng):
    return rng.choice(["********", "<your-password>", "${DB_PASSWORD}", "changeme", "os.environ['DB_PASS']",
                       "process.env.DB_PASSWORD", "REDACTED", "xxxxxxxx", "{{ vault_db_password }}",
                       "getpass()", "null", "\"\"", "[hidden]", "password"])


URL_SCHEMES = [("postgres", "5432"), ("postgresql", "5432"), ("mysql", "3306"), ("mongodb+srv", None),
               ("redis", "6379"), ("amqp", "5672"), ("https", None), ("ftp", "21"), ("mssql", "1433")]
HOSTS = ["db.internal", "prod-db-01.acme-corp.io", "cluster0.ab1cd.mongodb.net", "10.0.3.17.nip.io",
         "cache.example.com", "mq.example.org", "git.example.com", "files.fabrikam.fr", "sql.contoso.de"]


def url_credentials(rng):
    """Returns (prefix, credentials, suffix): only `credentials` (user:password) is labelled."""
    scheme, port = rng.choice(URL_SCHEMES)
    user = rng.choice(["admin", "app", "svc_billing", "root", "deploy", "etl_user", rng.choice(FIRST)])
    host = rng.choice(HOSTS)
    pw = password(rng).replace("@", "x").replace("/", "x").replace("#", "x").replace("%", "x").replace(":", "x")
    tail = host + (":" + port if port else "") + rng.choice(["/app", "/billing?sslmode=require", "/", "/org/repo.git", ""])
    return scheme + "://", user + ":" + pw, "@" + tail


def url_credentials_negative(rng):
    scheme, port = rng.choice(URL_SCHEMES)
    host = rng.choice(HOSTS)
    form = rng.randrange(4)
    if form == 0:
        return "%s://%s:%s/app" % (scheme, host, port or "8443")
    if form == 1:
        return "%s://deploy@%s/app" % (scheme, host)
    if form == 2:
        return "%s://app:${DB_PASSWORD}@%s/app" % (scheme, host)
    return "%s://user:password@localhost/app" % scheme
