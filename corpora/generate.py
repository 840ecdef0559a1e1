#!/usr/bin/env python3
"""Writes the project's labelled corpora from a fixed seed (Python 3 standard library only):

  corpora/pii/<entity>.jsonl         {"id", "text", "entities": [{"type", "start", "end"}]}
  corpora/pii/hard_negatives.jsonl   look-alikes only, no entities
  corpora/prose/clean_en.txt         entity-free prose for throughput and stream hold-back runs
  corpora/injection/*.jsonl          {"id", "text", "injection", "category", "lang"} (hand-written
                                     cases from injection_cases.py; encoded payloads computed here)

Offsets are BYTE offsets into the UTF-8 text, end exclusive. Every labelled value is produced by a
generator in pii_values.py (checksums computed there), and everything else in a text is template prose
or a hard negative, so a label is right by construction. Run again and the files are byte-identical:
`python3 corpora/generate.py --check` verifies that without writing.
"""

import argparse
import io
import json
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import pii_values as pv  # noqa: E402
import prose  # noqa: E402
import injection_cases  # noqa: E402
import injection_multilingual  # noqa: E402
import injection_extraction  # noqa: E402
import injection_indirect  # noqa: E402
import injection_hard_negatives  # noqa: E402
import technical_cases  # noqa: E402

SEED = 20261123
RECORDS_PER_TYPE = 130
NEGATIVE_RECORDS = 300

LANGS_ALL = ["en", "en", "en", "de", "fr", "es", "it", "pt", "nl", "ja", "zh"]

# ---------------------------------------------------------------------------------------------
# Per-type description: what a value is called in each language (the context a reader would see),
# the key names it gets in code, logs and CSV, and the contexts where it realistically appears.

NOUNS = {
    "EMAIL": {"en": ["email address", "email", "contact email"], "de": ["E-Mail-Adresse"],
              "fr": ["adresse e-mail"], "es": ["correo electrónico"], "it": ["indirizzo email"],
              "pt": ["e-mail"], "nl": ["e-mailadres"], "ja": ["メールアドレス"], "zh": ["邮箱地址"]},
    "PHONE": {"en": ["phone number", "mobile number", "phone", "callback number"], "de": ["Telefonnummer"],
              "fr": ["numéro de téléphone"], "es": ["número de teléfono"], "it": ["numero di telefono"],
              "pt": ["número de telefone"], "nl": ["telefoonnummer"], "ja": ["電話番号"], "zh": ["电话号码"]},
    "SSN": {"en": ["SSN", "social security number", "Social Security No."]},
    "CREDIT_CARD": {"en": ["card number", "credit card", "Visa card", "card"], "de": ["Kreditkartennummer"],
                    "fr": ["numéro de carte"], "es": ["número de tarjeta"], "it": ["numero della carta"],
                    "pt": ["número do cartão"], "nl": ["creditcardnummer"], "ja": ["カード番号"],
                    "zh": ["信用卡号"]},
    "IBAN": {"en": ["IBAN", "bank account (IBAN)"], "de": ["IBAN", "Bankverbindung (IBAN)"], "fr": ["IBAN"],
             "es": ["IBAN", "cuenta IBAN"], "it": ["IBAN"], "pt": ["IBAN"], "nl": ["IBAN"], "ja": ["IBAN"],
             "zh": ["IBAN账号"]},
    "IP_ADDRESS": {"en": ["IP address", "server IP", "client IP"], "de": ["IP-Adresse"], "fr": ["adresse IP"],
                   "es": ["dirección IP"], "it": ["indirizzo IP"], "pt": ["endereço IP"], "nl": ["IP-adres"],
                   "ja": ["IPアドレス"], "zh": ["IP地址"]},
    "US_BANK_ROUTING": {"en": ["routing number", "ABA routing number", "ABA", "RTN", "routing no."]},
    "UK_NINO": {"en": ["National Insurance number", "NI number", "NINO", "NI no."]},
    "US_PASSPORT": {"en": ["passport number", "US passport no.", "passport #", "passport"]},
    "DATE_OF_BIRTH": {"en": ["date of birth", "DOB", "birth date", "Date of Birth"], "de": ["Geburtsdatum"],
                      "fr": ["date de naissance"], "es": ["fecha de nacimiento"], "it": ["data di nascita"],
                      "pt": ["data de nascimento"], "ja": ["生年月日"], "zh": ["出生日期"]},
    "API_KEY": {"en": ["API key", "token", "secret key", "access token"], "de": ["API-Schlüssel"],
                "fr": ["clé API"], "es": ["clave de API"], "it": ["chiave API"], "pt": ["chave de API"],
                "nl": ["API-sleutel"], "ja": ["APIキー"], "zh": ["API密钥"]},
    "JWT": {"en": ["bearer token", "JWT", "session token", "id_token"], "de": ["JWT-Token"], "fr": ["jeton JWT"],
            "es": ["token JWT"], "ja": ["JWTトークン"], "zh": ["JWT令牌"]},
    "PASSWORD": {"en": ["password", "pwd", "passphrase"], "de": ["Passwort"], "fr": ["mot de passe"],
                 "es": ["contraseña"], "it": ["password"], "pt": ["senha"], "nl": ["wachtwoord"],
                 "ja": ["パスワード"], "zh": ["密码"]},
}

KEYS = {
    "EMAIL": ["email", "contact_email", "EMAIL_FROM", "reply_to", "user.email"],
    "PHONE": ["phone", "support_phone", "msisdn", "contact.phone"],
    "SSN": ["ssn", "social_security_number", "tax_ssn"],
    "CREDIT_CARD": ["card_number", "pan", "cc_number", "payment.card"],
    "IBAN": ["iban", "payout_iban", "bank_iban", "IBAN"],
    "IP_ADDRESS": ["client_ip", "remote_addr", "host", "bind_address", "src_ip", "peer"],
    "US_BANK_ROUTING": ["routing_number", "aba_routing", "bank_routing_number"],
    "UK_NINO": ["ni_number", "nino", "national_insurance_number"],
    "US_PASSPORT": ["passport_number", "us_passport_no", "passport_no"],
    "DATE_OF_BIRTH": ["date_of_birth", "dob", "birth_date"],
    "API_KEY": ["ANTHROPIC_API_KEY", "OPENAI_API_KEY", "api_key", "GITHUB_TOKEN", "STRIPE_SECRET_KEY",
                "SLACK_BOT_TOKEN", "access_token", "NPM_TOKEN", "SENDGRID_API_KEY", "secret_key"],
    "JWT": ["token", "id_token", "access_token", "jwt", "session"],
    "PASSWORD": ["password", "DB_PASSWORD", "passwd", "pwd", "admin_password", "smtp_password"],
}

CONTEXTS = {
    "EMAIL": ["chat", "email", "ticket", "log", "csv", "code"],
    "PHONE": ["chat", "email", "ticket", "log", "csv", "code"],
    "SSN": ["chat", "email", "ticket", "csv", "code"],
    "CREDIT_CARD": ["chat", "email", "ticket", "log", "csv", "code"],
    "IBAN": ["chat", "email", "ticket", "csv", "code"],
    "IP_ADDRESS": ["chat", "ticket", "log", "csv", "code"],
    "US_BANK_ROUTING": ["chat", "email", "ticket", "code"],
    "UK_NINO": ["chat", "email", "ticket", "csv"],
    "US_PASSPORT": ["chat", "email", "ticket"],
    "DATE_OF_BIRTH": ["chat", "email", "ticket", "code"],
    "API_KEY": ["chat", "ticket", "log", "code"],
    "JWT": ["chat", "ticket", "log", "code"],
    "PASSWORD": ["chat", "ticket", "log", "code"],
    "PRIVATE_KEY": ["chat", "ticket", "code"],
    "URL_CREDENTIALS": ["chat", "ticket", "log", "code"],
}

VALUE = {
    "EMAIL": pv.email, "PHONE": pv.phone, "SSN": pv.ssn, "CREDIT_CARD": pv.credit_card, "IBAN": pv.iban,
    "IP_ADDRESS": pv.ip_address, "US_BANK_ROUTING": pv.routing_number, "UK_NINO": pv.uk_nino,
    "US_PASSPORT": pv.us_passport, "API_KEY": pv.api_key, "JWT": pv.jwt, "PASSWORD": pv.password,
    "PRIVATE_KEY": pv.private_key,
}
NEGATIVE = {
    "EMAIL": pv.email_negative, "PHONE": pv.phone_negative, "SSN": pv.ssn_negative,
    "CREDIT_CARD": pv.credit_card_negative, "IBAN": pv.iban_negative, "IP_ADDRESS": pv.ip_negative,
    "US_BANK_ROUTING": pv.routing_negative, "UK_NINO": pv.uk_nino_negative,
    "US_PASSPORT": pv.us_passport_negative, "DATE_OF_BIRTH": pv.date_of_birth_negative,
    "API_KEY": pv.api_key_negative, "JWT": pv.jwt_negative, "PASSWORD": pv.password_negative,
    "PRIVATE_KEY": pv.private_key_negative, "URL_CREDENTIALS": pv.url_credentials_negative,
}
# Types that are only recognisable by the words in front of them (a bare nine-digit number is nothing):
# their values always follow their noun. ("Is 1987-04-12 still the right DOB?" is personal data too, but
# a scanner that confirms on context it has already seen cannot know it; docs/accuracy.md says so.)
CONTEXT_BEFORE = {"US_BANK_ROUTING", "US_PASSPORT", "DATE_OF_BIRTH"}
# Types whose negatives are still wrong with their context words in front (a failed checksum next to
# "card number" is a typo, not a card); the others' negatives are look-alikes shown without context.
NEGATIVE_WITH_CONTEXT = {"SSN", "CREDIT_CARD", "IBAN", "US_BANK_ROUTING", "UK_NINO", "US_PASSPORT",
                         "DATE_OF_BIRTH", "PASSWORD"}

# ---------------------------------------------------------------------------------------------
# Prose templates. `{N}` is the noun, capitalised when it starts the sentence; the value always comes
# AFTER its noun, because a reader (and a streaming scanner) sees the words before the value first.

SENTENCES = {
    "en": ["My {N} is {V}.", "Please update the {N} on file to {V} before Friday.", "{N}: {V}",
           "The {N} we have for her is {V}, can you double-check it?",
           "Hi, quick question: is {V} still the right {N}?", "New {N} -> {V} (effective today)",
           "Customer confirmed the {N} {V} over the phone."],
    "de": ["Bitte ändern Sie das Feld „{N}“ auf {V}, danke.", "{N}: {V}",
           "Der Kunde hat als {N} {V} angegeben – bitte prüfen."],
    "fr": ["Pouvez-vous mettre à jour le champ « {N} » avec {V} ?", "{N} : {V}",
           "Le client a indiqué comme {N} {V}, merci de vérifier."],
    "es": ["Por favor, actualice el campo «{N}» a {V}.", "{N}: {V}",
           "El cliente indicó como {N} {V}; ¿puede comprobarlo?"],
    "it": ["Potete aggiornare il campo «{N}» con {V}?", "{N}: {V}",
           "Il cliente ha indicato come {N} {V}, per favore verificate."],
    "pt": ["Pode atualizar o campo «{N}» para {V}?", "{N}: {V}", "O cliente informou como {N} {V}; pode verificar?"],
    "nl": ["Kunt u het veld '{N}' bijwerken naar {V}?", "{N}: {V}"],
    "ja": ["{N}は {V} です。確認をお願いします。", "{N}：{V}", "お客様の{N}を {V} に変更してください。"],
    "zh": ["我的{N}是 {V}，请帮我更新。", "{N}：{V}", "客户提供的{N}为 {V}，请核实。"],
}
# Sentences that carry a hard negative: the look-alike is not the entity.
NEG_SENTENCES = {
    "en": ["(Ref {X} is unrelated.)", "Build {X} was deployed yesterday.", "Ignore {X}, that is an internal id.",
           "See item {X} in the tracker."],
    "de": ["(Referenz {X} gehört nicht dazu.)", "Vorgang {X} ist erledigt."],
    "fr": ["(La référence {X} n'a rien à voir.)", "Dossier {X} clos."],
    "es": ["(La referencia {X} no tiene relación.)", "Expediente {X} cerrado."],
    "it": ["(Il riferimento {X} non c'entra.)", "Pratica {X} chiusa."],
    "pt": ["(A referência {X} não tem relação.)", "Processo {X} encerrado."],
    "nl": ["(Referentie {X} hoort er niet bij.)"],
    "ja": ["（参照番号 {X} は関係ありません。）"],
    "zh": ["（编号 {X} 与此无关。）"],
}
CONTEXT_NEG_SENTENCES = {
    "en": ["The {N} on the old form, {X}, was a typo.", "Earlier someone typed {N} {X} but that one is invalid."],
}

CHAT_OPENERS = {
    "en": ["Hey Claude, can you help me write a reply to this?\n\n", "Summarise this for me:\n", "",
           "Translate the following into Spanish:\n", "Fix the grammar please:\n"],
    "de": ["Kannst du mir helfen, darauf zu antworten?\n\n", "Fasse das bitte zusammen:\n"],
    "fr": ["Peux-tu m'aider à répondre à ce message ?\n\n", "Résume ceci :\n"],
    "es": ["¿Me ayudas a responder a esto?\n\n", "Resume esto:\n"],
    "it": ["Mi aiuti a rispondere a questo messaggio?\n\n", "Riassumi questo:\n"],
    "pt": ["Pode me ajudar a responder isto?\n\n", "Resuma isto:\n"],
    "nl": ["Kun je me helpen dit te beantwoorden?\n\n"],
    "ja": ["次の内容に返信する文面を考えてください。\n\n", "要約してください：\n"],
    "zh": ["请帮我回复下面这段话：\n\n", "请总结一下：\n"],
}
GREETINGS = {"en": ("Hi {n},", "Thanks,\n{m}"), "de": ("Hallo {n},", "Viele Grüße\n{m}"),
             "fr": ("Bonjour {n},", "Cordialement,\n{m}"), "es": ("Hola {n}:", "Saludos,\n{m}"),
             "it": ("Ciao {n},", "Grazie,\n{m}"), "pt": ("Olá {n},", "Obrigado,\n{m}"),
             "nl": ("Hoi {n},", "Groet,\n{m}"), "ja": ("{n}様", "よろしくお願いいたします。\n{m}"),
             "zh": ("{n}，你好：", "谢谢！\n{m}")}
SUBJECTS = ["Re: account update", "Payment details", "Onboarding paperwork", "Fwd: customer record",
            "Question about my order", "Escalation", "HR file update", "Urgent: billing"]
TICKET_TITLES = ["Customer cannot log in", "Refund request", "Update payment details", "Data correction",
                 "Integration failing in prod", "KYC check stuck", "Wrong record merged", "Access request"]


# ---------------------------------------------------------------------------------------------
# A document is a list of pieces: plain strings, or (TYPE, value) for labelled values. Rendering
# computes byte offsets as it concatenates.


def render(pieces):
    buf = io.BytesIO()
    entities = []
    for piece in pieces:
        if isinstance(piece, tuple):
            kind, value = piece
            raw = value.encode()
            start = buf.tell()
            buf.write(raw)
            entities.append({"type": kind, "start": start, "end": start + len(raw)})
        else:
            buf.write(piece.encode())
    return buf.getvalue().decode(), entities


def fill(template, noun, value_piece, capital):
    """Splits a template around {V} and returns pieces; {N} becomes the noun."""
    before, after = template.split("{V}")
    n = noun[:1].upper() + noun[1:] if capital else noun
    before = before.replace("{N}", n if before.startswith("{N}") else noun)
    after = after.replace("{N}", noun)
    return [before, value_piece, after]


class builder:
    def __init__(self, rng):
        self.rng = rng

    def value(self, kind, lang):
        r = self.rng
        if kind == "DATE_OF_BIRTH":
            return [(kind, pv.date_of_birth(r, lang))]
        if kind == "URL_CREDENTIALS":
            pre, cred, post = pv.url_credentials(r)
            return [pre, (kind, cred), post]
        if kind == "API_KEY" and r.random() < 0.1:
            return [("aws_secret_access_key = "), (kind, pv.aws_secret(r))]
        return [(kind, VALUE[kind](r))]

    def noun(self, kind, lang):
        return self.rng.choice(NOUNS[kind][lang])

    def sentence(self, kind, lang):
        """A sentence of prose in `lang` carrying one value of `kind` after its noun."""
        r = self.rng
        if kind == "PRIVATE_KEY":
            intro = r.choice(["Here is the deploy key, please add it to the server:\n",
                              "Our private key (don't share!):\n", "This key fails to load, why?\n\n"])
            return [intro, ("PRIVATE_KEY", pv.private_key(r)), "\n"]
        if kind == "URL_CREDENTIALS":
            return [r.choice(["The service connects with ", "Connection string: ", "I set DATABASE_URL to "])] + \
                self.value(kind, lang) + [r.choice([" but it times out.", "", " and it works locally."])]
        if kind == "PASSWORD" and r.random() < 0.5:
            noun = self.noun(kind, lang)
            return [r.choice(["%s: " % noun, "%s = " % noun, "%s=" % noun]), (kind, pv.password(r)),
                    r.choice(["", " (temporary)", "\n"])]
        templates = SENTENCES[lang]
        if kind in CONTEXT_BEFORE:
            templates = [t for t in templates if t.index("{N}") < t.index("{V}")]
        template = r.choice(templates)
        pieces = self.value(kind, lang)
        before, _, after = fill(template, self.noun(kind, lang), "", template.startswith("{N}"))
        return [before] + pieces + [after]

    def negative_sentence(self, kind, lang):
        r = self.rng
        x = NEGATIVE[kind](r)
        if kind in NEGATIVE_WITH_CONTEXT and lang in NOUNS.get(kind, {}) and r.random() < 0.6:
            if lang == "en":
                t = r.choice(CONTEXT_NEG_SENTENCES["en"])
                return t.replace("{N}", self.noun(kind, lang)).replace("{X}", x)
            return "%s: %s (?)" % (self.noun(kind, lang), x)
        if kind == "DATE_OF_BIRTH":
            x = pv.plain_date(r)  # a date with no birth-date context
        return r.choice(NEG_SENTENCES[lang]).replace("{X}", x)

    # --- document shapes ------------------------------------------------------------------------

    def prose_doc(self, kind, lang, shape, extra):
        r = self.rng
        body = self.sentence(kind, lang)
        for k in extra:
            klang = lang if lang in NOUNS.get(k, {}) else "en"
            body += [" " if lang not in ("ja", "zh") else ""] + self.sentence(k, klang)
        if r.random() < 0.6:
            body += [" " if lang not in ("ja", "zh") else "", self.negative_sentence(kind, lang)]
        if shape == "chat":
            return [r.choice(CHAT_OPENERS[lang])] + body
        hello, bye = GREETINGS[lang]
        first, last = pv.person(r)
        me = r.choice(pv.FIRST).title()
        if shape == "email":
            return ["Subject: %s\n\n" % r.choice(SUBJECTS), hello.replace("{n}", first.title()), "\n\n"] + body + \
                ["\n\n", bye.replace("{m}", me)]
        return ["Ticket #%d — %s\nPriority: P%d\nReporter: %s %s\n\n" % (
            r.randrange(1000, 99999), r.choice(TICKET_TITLES), r.randrange(1, 5), first.title(),
            last.title())] + body + ["\n\nStatus: open"]

    def timestamp(self):
        r = self.rng
        return "2025-%02d-%02dT%02d:%02d:%02d.%03dZ" % (r.randrange(1, 13), r.randrange(1, 29), r.randrange(24),
                                                        r.randrange(60), r.randrange(60), r.randrange(1000))

    def uuid(self):
        h = pv.alnum(self.rng, 32, pv.HEXL)
        return "%s-%s-4%s-a%s-%s" % (h[:8], h[8:12], h[13:16], h[17:20], h[20:])

    def log_doc(self, kind):
        r = self.rng
        lines = [r.choice(["Why does this keep failing? Logs below.\n\n", "Here are the logs:\n```\n", ""])]
        service = r.choice(["api.gateway", "auth", "billing-worker", "checkout", "sync-job"])
        for _ in range(r.randrange(2, 6)):
            ts, level = self.timestamp(), r.choice(["INFO ", "WARN ", "ERROR", "DEBUG"])
            key = r.choice(KEYS.get(kind, ["dsn", "url"]))
            if kind == "URL_CREDENTIALS":
                key = r.choice(["dsn", "url", "upstream", "DATABASE_URL"])
            negative = r.random() < 0.3
            if negative:
                value = [NEGATIVE[kind](r) if kind not in ("DATE_OF_BIRTH",) else pv.plain_date(r)]
                if kind not in NEGATIVE_WITH_CONTEXT:
                    key = r.choice(["ref", "build", "trace", "object", "version", "etag"])
            else:
                value = self.value(kind, "en")
                if value[0] == "aws_secret_access_key = ":
                    key, value = "aws_secret_access_key", value[1:]
            if r.random() < 0.5:
                lines += ["%s %s %s request_id=%s %s=" % (ts, level, service, self.uuid(), key)] + value + \
                    [" latency_ms=%d\n" % r.randrange(1, 3000)]
            else:
                lines += ['{"ts":"%s","level":"%s","svc":"%s","%s":"' % (ts, level.strip().lower(), service, key)] + \
                    value + ['","trace_id":"%s"}\n' % pv.alnum(r, 32, pv.HEXL)]
        if lines[0].endswith("```\n"):
            lines.append("```\n")
        return lines

    def csv_doc(self, kind):
        r = self.rng
        col = r.choice(KEYS[kind])
        sep = r.choice([",", ";", "\t", ","])
        head = r.choice(["Can you find duplicates in this export?\n\n", "Clean up this CSV:\n", ""])
        out = [head, sep.join(["id", "name", col, "created_at"]) + "\n"]
        for i in range(r.randrange(2, 7)):
            f, l = pv.person(r)
            out.append("%d%s%s %s%s" % (1000 + i, sep, f.title(), l.title(), sep))
            if r.random() < 0.2 and kind in NEGATIVE_WITH_CONTEXT:
                out.append(NEGATIVE[kind](r))
            else:
                out += self.value(kind, "en")
            out.append("%s%s\n" % (sep, self.timestamp()[:10]))
        return out

    def code_doc(self, kind):
        r = self.rng
        if kind == "PRIVATE_KEY":
            pem = pv.private_key(r)
            if r.random() < 0.5:
                return ["Why does paramiko reject this key?\n\n```python\nKEY = \"\"\"", ("PRIVATE_KEY", pem),
                        "\"\"\"\nclient.connect(host, pkey=load(KEY))\n```\n"]
            # A YAML block scalar indents every line of the key; the span still runs BEGIN..END.
            return ["```yaml\ntls:\n  key: |\n    ", ("PRIVATE_KEY", pem.replace("\n", "\n    ")),
                    "\n  cert_file: /etc/ssl/server.crt\n```\n"]
        key = r.choice(KEYS.get(kind, ["DATABASE_URL", "dsn", "connection_string"]))
        value = self.value(kind, "en")
        if value[0] == "aws_secret_access_key = ":
            key, value = "aws_secret_access_key", value[1:]
        form = r.randrange(5)
        neg = ""
        if r.random() < 0.5:
            nkey = r.choice(["commit", "build_id", "request_id", "checksum", "version", "ref"])
            nval = NEGATIVE[kind](r) if kind != "DATE_OF_BIRTH" else pv.plain_date(r)
            if kind in NEGATIVE_WITH_CONTEXT:
                nkey = "old_" + key.lower().replace(".", "_")
            if "\n" not in nval:
                neg = ("%s: %s" if form == 2 else "%s=%s" if form == 3 else "%s = %r") % (nkey, nval)
        ask = r.choice(["This config doesn't load, what's wrong?\n\n", "Review this please:\n\n",
                        "Convert to TOML:\n\n", ""])
        if form == 0:
            return [ask, "```python\nimport os\n\n%s = \"" % key] + value + ["\"\n%s\n```\n" % neg]
        if form == 1:
            return [ask, "const config = {\n  %s: '" % key.replace(".", "_")] + value + \
                ["',\n  retries: 3,\n};\n// %s\n" % neg]
        if form == 2:
            return [ask, "```yaml\nservice:\n  name: billing\n  %s: " % key] + value + ["\n  %s\n```\n" % neg]
        if form == 3:
            return [ask, "# .env\nNODE_ENV=production\n%s=" % key.upper().replace(".", "_")] + value + ["\n%s\n" % neg]
        return [ask, '{\n  "%s": "' % key] + value + ['",\n  "enabled": true\n}\n']


def pick_extra(rng, kind):
    if rng.random() < 0.3:
        return [rng.choice(["EMAIL", "PHONE", "IP_ADDRESS", "CREDIT_CARD"])]
    return []


def generate_pii(rng):
    files = {}
    b = builder(rng)
    for kind in list(NOUNS) + ["PRIVATE_KEY", "URL_CREDENTIALS"]:
        records = []
        langs = [l for l in LANGS_ALL if l in NOUNS.get(kind, {"en": 1})]
        for i in range(RECORDS_PER_TYPE):
            shape = rng.choice(CONTEXTS[kind])
            lang = rng.choice(langs) if shape in ("chat", "email", "ticket") else "en"
            if shape in ("chat", "email", "ticket"):
                pieces = b.prose_doc(kind, lang, shape, pick_extra(rng, kind))
            elif shape == "log":
                pieces = b.log_doc(kind)
            elif shape == "csv":
                pieces = b.csv_doc(kind)
            else:
                pieces = b.code_doc(kind)
            text, entities = render(pieces)
            records.append({"id": "%s-%04d" % (kind.lower().replace("_", "-"), i), "text": text,
                            "entities": entities, "lang": lang, "shape": shape})
        files["pii/%s.jsonl" % kind.lower()] = records
    negatives = []
    kinds = sorted(NEGATIVE)
    for i in range(NEGATIVE_RECORDS):
        kind = kinds[i % len(kinds)]
        lang = rng.choice([l for l in LANGS_ALL if l in NEG_SENTENCES])
        parts = [rng.choice(CHAT_OPENERS[lang])]
        for _ in range(rng.randrange(1, 4)):
            parts.append(b.negative_sentence(kind, lang) + ("" if lang in ("ja", "zh") else " "))
        text, entities = render(parts)
        negatives.append({"id": "negative-%04d" % i, "text": text.rstrip(), "entities": [], "lang": lang,
                          "shape": "negatives:" + kind})
    files["pii/hard_negatives.jsonl"] = negatives
    return files


def jsonl(records):
    return "".join(json.dumps(r, ensure_ascii=False, sort_keys=False) + "\n" for r in records)


INJECTION_MODULES = [injection_multilingual, injection_extraction, injection_indirect,
                     injection_hard_negatives]


def build_all():
    rng = random.Random(SEED)
    out = {}
    for path, records in generate_pii(rng).items():
        out[path] = jsonl(records)
    out["prose/clean_en.txt"] = prose.generate(random.Random(SEED + 1), target_bytes=256 * 1024)
    for path, records in injection_cases.build(random.Random(SEED + 2)).items():
        out[path] = jsonl(records)
    # The training additions (issue 13): each module writes one file from its own seed, so adding rows to
    # one leaves the others byte-identical.
    for offset, module in enumerate(INJECTION_MODULES):
        for path, records in module.build(random.Random(SEED + 10 + offset)).items():
            out[path] = jsonl(records)
    for path, records in technical_cases.build(random.Random(SEED + 3), render).items():
        out[path] = jsonl(records)
    return out


def self_check(files):
    """Every label must cut the text at the value it names, and values must pass their checksums."""
    for path, content in files.items():
        if not path.endswith(".jsonl") or not path.startswith("pii/"):
            continue
        for line in content.splitlines():
            rec = json.loads(line)
            raw = rec["text"].encode()
            for e in rec["entities"]:
                span = raw[e["start"]:e["end"]].decode()
                digits_only = "".join(c for c in span if c.isdigit())
                if e["type"] == "CREDIT_CARD":
                    assert pv.luhn_ok(digits_only), (rec["id"], span)
                if e["type"] == "IBAN":
                    assert pv.iban_ok(span.replace(" ", "")), (rec["id"], span)
                if e["type"] == "US_BANK_ROUTING":
                    assert pv.aba_ok(span), (rec["id"], span)
                assert span == span.strip() and span, (rec["id"], span)


# The injection files written for training (issue 13): id prefix, label every row carries (None: mixed),
# and the least they must hold so the README's promises stay true.
TRAINING_FILES = {
    "injection/multilingual_attacks.jsonl": ("mlang-", True),
    "injection/extraction_attacks.jsonl": ("extr-", True),
    "injection/indirect_attacks.jsonl": ("indir-", True),
    "injection/hard_negatives.jsonl": ("hardneg-", False),
}
FAMILY_SHARE_MAX = 0.05


def check_injection(files):
    """Every injection line has its fields; ids are unique across the files; a text never carries both
    labels; the training files keep their prefixes, labels, spans, minimum sizes and template caps."""
    missing = [path for path in TRAINING_FILES if path not in files]
    assert not missing, ("the generator no longer writes", missing)
    seen_ids, label_of = set(), {}
    for path, content in sorted(files.items()):
        if not path.startswith("injection/"):
            continue
        rows = [json.loads(line) for line in content.splitlines()]
        for rec in rows:
            for key, kind in (("id", str), ("text", str), ("injection", bool), ("category", str), ("lang", str)):
                assert isinstance(rec.get(key), kind) and rec[key] != "", (path, rec.get("id"), key)
            assert rec["id"] not in seen_ids, ("duplicate id", rec["id"])
            seen_ids.add(rec["id"])
            key = " ".join(rec["text"].split()).casefold()
            assert label_of.setdefault(key, rec["injection"]) == rec["injection"], ("both labels", rec["id"])
        if path not in TRAINING_FILES:
            continue
        prefix, label = TRAINING_FILES[path]
        texts = set()
        families = {}
        for rec in rows:
            assert rec["id"].startswith(prefix), (path, rec["id"])
            assert rec["injection"] is label, (path, rec["id"])
            assert rec["text"] not in texts, ("duplicate text", rec["id"])
            texts.add(rec["text"])
            families[rec["family"]] = families.get(rec["family"], 0) + 1
            if "span" in rec:
                raw = rec["text"].encode()
                start, end = rec["span"]["start"], rec["span"]["end"]
                assert 0 <= start < end <= len(raw), (rec["id"], start, end)
                piece = raw[start:end].decode()  # raises when a bound cuts a character
                assert piece == piece.strip() and piece, (rec["id"], piece)
        cap = max(1, int(FAMILY_SHARE_MAX * len(rows)))
        worst = max(families.items(), key=lambda kv: kv[1])
        assert worst[1] <= cap, (path, "template family over %d rows" % cap, worst)
        if path.endswith("indirect_attacks.jsonl"):
            assert all("span" in rec for rec in rows), path
            assert len(rows) >= 300, (path, len(rows))
        if path.endswith("extraction_attacks.jsonl"):
            assert len(rows) >= 300, (path, len(rows))
        if path.endswith("multilingual_attacks.jsonl"):
            per_lang = {}
            for rec in rows:
                per_lang[rec["lang"]] = per_lang.get(rec["lang"], 0) + 1
            assert sum(1 for lang, n in per_lang.items() if lang != "mixed" and n >= 40) >= 10, per_lang
        if path.endswith("hard_negatives.jsonl"):
            assert len(rows) >= 600, (path, len(rows))
            assert sum(1 for rec in rows if rec["lang"] != "en") >= 100, path


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="verify the committed files match; write nothing")
    parser.add_argument("--out", default=os.path.dirname(os.path.abspath(__file__)))
    args = parser.parse_args()
    files = build_all()
    self_check(files)
    check_injection(files)
    stale = []
    for path, content in sorted(files.items()):
        target = os.path.join(args.out, path)
        if args.check:
            try:
                with open(target, encoding="utf-8") as f:
                    if f.read() != content:
                        stale.append(path)
            except FileNotFoundError:
                stale.append(path)
            continue
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "w", encoding="utf-8") as f:
            f.write(content)
    if args.check:
        if stale:
            print("corpora differ from the generator's output: " + ", ".join(stale), file=sys.stderr)
            return 1
        print("corpora are up to date (%d files)" % len(files))
    return 0


if __name__ == "__main__":
    sys.exit(main())
