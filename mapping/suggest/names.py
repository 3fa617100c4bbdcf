"""Names of fields and paths, as the suggester compares them.

Both names are split into tokens (camelCase, snake_case, digits, dotted
paths, glued words such as ``ordnum`` or ``shipaddr``), abbreviations and
synonyms are folded into concepts (addr → address, tel → phone, zip →
postal, sold-to → billing …), and the weighted overlap of the concept sets
is scored; a character-trigram similarity catches what the lexicon does not
know. Words only an ERP's own field names use come from its package.
"""

import re
import unicodedata
from functools import lru_cache

from integrations.erps.registry import ERPS

# ---------------------------------------------------------------- lexicon

_LEXICON: dict[str, tuple[str, ...]] = {
    # addresses
    "addr": ("address",),
    "adr": ("address",),
    "address": ("address",),
    "street": ("address", "line"),
    # An address supplement (Adresszusatz) is its second line.
    "supplement": ("address", "line", "#2"),
    # A supplemental (supplementary) address is the line after the street:
    # the second, read so only beside the word address (not an extra note).
    "supplemental": ("#2",),
    "supplementary": ("#2",),
    "line": ("line",),
    "ln": ("line",),
    "city": ("city",),
    "town": ("city",),
    "locality": ("city",),
    "suburb": ("city",),
    # One word (not town and ship): a division of the town, read as a place.
    "township": ("city",),
    "state": ("state",),
    "st": ("state",),
    "province": ("state",),
    "prov": ("state",),
    "region": ("state",),
    "county": ("state",),
    "subdivision": ("state",),
    "zip": ("postal",),
    "postal": ("postal",),
    "postcode": ("postal",),
    "zipcode": ("postal",),
    "pincode": ("postal",),
    "plz": ("postal",),
    "pcode": ("postal",),
    "post": ("postal",),
    "country": ("country",),
    "ctry": ("country",),
    "cntry": ("country",),
    "nation": ("country",),
    "sold": ("billing",),
    "bill": ("billing",),
    "billing": ("billing",),
    "billto": ("billing",),
    "soldto": ("billing",),
    "ship": ("shipping",),
    "shipping": ("shipping",),
    "shipto": ("shipping",),
    "delivery": ("shipping",),
    "deliver": ("shipping",),
    # Where a party resides (country of residence) is its address.
    "residence": ("address",),
    # The party goods are consigned to is the ship-to party.
    "consignee": ("shipping",),
    # what is shipped: a shipment, a consignment (its note, its reference)
    "shipment": ("shipment",),
    "consignment": ("shipment",),
    # parties and contact
    "cust": ("customer",),
    "customer": ("customer",),
    "client": ("customer",),
    "partner": ("customer",),
    "bpartner": ("customer",),
    "debtor": ("customer",),
    "debitor": ("customer",),
    "party": ("customer",),
    "buyer": ("customer",),
    "shopper": ("customer",),
    "payer": ("customer",),
    "payor": ("customer",),
    "name": ("name",),
    "company": ("name", "company"),
    "display": ("name",),
    "contact": ("contact", "name"),
    "fullname": ("name",),
    "addressee": ("name",),
    # the name on a card or account: its holder (card_holder, AccountHolder)
    "holder": ("name",),
    "invoicee": ("customer",),
    "first": ("first",),
    "last": ("last",),
    "fname": ("first", "name"),
    "lname": ("last", "name"),
    "firstname": ("first", "name"),
    "lastname": ("last", "name"),
    "middlename": ("middle", "name"),
    "term": ("terms",),
    "identifier": ("id",),
    "division": ("state",),
    "net": ("subtotal",),
    "subtotal": ("subtotal",),
    "ids": ("id",),
    "abn": ("tax",),
    "gst": ("tax",),
    # A tax identification number (TIN), India's GSTIN among them: a tax id.
    "tin": ("tax", "id"),
    "gstin": ("tax", "id"),
    "origin": ("reference",),
    "url": ("url",),
    "link": ("url",),
    "given": ("first",),
    # forename, the British word for a given name (beside surname)
    "forename": ("first",),
    "forenames": ("first",),
    "family": ("last",),
    "surname": ("last",),
    "email": ("email",),
    "mail": ("email",),
    "e": (),
    "phone": ("phone",),
    "tel": ("phone",),
    "telephone": ("phone",),
    "mobile": ("phone",),
    "cell": ("phone",),
    # GSM, the mobile network's name, for a mobile number (Turkey, Belgium)
    "gsm": ("phone",),
    # MSISDN, the mobile network's number of a subscriber: a mobile number
    "msisdn": ("phone",),
    # a voice line, as vCard and LDAP call a telephone beside a fax
    "voice": ("phone",),
    "fax": ("fax",),
    # a card's brand; ERPs call it the card issuer (VISA)
    "brand": ("brand",),
    "issuer": ("brand",),
    # documents and references
    "no": ("number",),
    "num": ("number",),
    "nbr": ("number",),
    "nr": ("number",),
    "number": ("number",),
    "id": ("id",),
    "code": ("code",),
    "key": ("id",),
    "ref": ("reference",),
    "reference": ("reference",),
    "po": ("reference",),
    "external": ("reference",),
    "ext": ("extended",),
    "inv": ("invoice",),
    "invoice": ("invoice",),
    # a transaction, as ledgers and database columns shorten it (transid,
    # trans_date, tranDate, TxnDate, trxn_ref)
    "trans": ("transaction",),
    "tran": ("transaction",),
    "txn": ("transaction",),
    "trxn": ("transaction",),
    "ord": ("order",),
    "order": ("order",),
    "so": ("order",),
    "sales": ("order",),
    "document": ("document",),
    "doc": ("document",),
    "memo": ("description",),
    # a voucher's summary line (Chinese ERPs translate 摘要 as digest)
    "digest": ("description",),
    "credit": ("credit",),
    "cred": ("credit",),
    "debit": ("debit",),
    "refund": ("credit",),
    "payment": ("payment",),
    "pay": ("payment",),
    "receipt": ("payment",),
    "charge": ("payment",),
    "journal": ("journal",),
    "entry": ("entry",),
    # money and quantities
    "amt": ("amount",),
    "amount": ("amount",),
    "value": ("amount",),
    "total": ("amount",),
    "sum": ("amount",),
    "gross": ("amount",),
    "price": ("price",),
    "rate": ("price",),
    "cost": ("price",),
    "unit": ("unit",),
    "uom": ("unit",),
    "qty": ("quantity",),
    "quantity": ("quantity",),
    "count": ("quantity",),
    "tax": ("tax",),
    "vat": ("tax",),
    "disc": ("discount",),
    "discount": ("discount",),
    "curr": ("currency",),
    # foreign exchange (fxRate, amountfx: an amount in the foreign currency)
    "fx": ("exchange",),
    "currency": ("currency",),
    "ccy": ("currency",),
    "cur": ("currency",),
    "cury": ("currency",),
    "limit": ("limit",),
    "balance": ("balance",),
    "fee": ("fee",),
    # dates and states
    "date": ("date",),
    "dated": ("date",),
    "dte": ("date",),
    "dt": ("date",),
    "created": ("date",),
    "issued": ("date",),
    "placed": ("date",),  # placedOn: when an order was placed, the sale's date
    "added": ("date",),  # dateAdded: when the record was added, its creation
    "time": ("date",),
    "timestamp": ("date",),
    "on": (),
    "at": ("date",),
    "day": ("date",),
    "posting": ("posting",),
    "period": ("period",),
    "year": ("year",),
    "status": ("status",),
    "stat": ("status",),
    "state_code": ("state",),
    "hold": ("hold",),
    "active": ("status",),
    # when a record is activated is when it takes effect (activationDate)
    "activation": ("effective",),
    "activated": ("effective",),
    # items and ledgers
    "item": ("item",),
    "sku": ("item",),
    "stock": ("item",),
    "product": ("item",),
    "part": ("item",),
    "article": ("item",),
    "material": ("item",),
    "description": ("description",),
    # What a payer's bank statement shows of a payment: no description of it.
    "descriptor": ("descriptor",),
    "desc": ("description",),
    "descrip": ("description",),
    "descr": ("description",),
    "notation": ("description",),
    "narrative": ("description",),
    "narration": ("description",),
    "comment": ("description",),
    "comments": ("description",),
    "note": ("description",),
    "notes": ("description",),
    "text": ("description",),
    "remark": ("description",),
    # a note written on a record (a payment's notice, a German Hinweis)
    "notice": ("description",),
    "remarks": ("description",),
    # what is known of a party, written as its background: a note on it
    "background": ("description",),
    # What a payment is for, as a transfer or a payment page states it
    # (a transferPurpose): its text, as a bank's remittance line is.
    "purpose": ("description",),
    "particulars": ("description",),
    "freetext": ("description",),
    "label": ("description",),
    "reason": ("reason",),
    "bank": ("bank",),
    "account": ("account",),
    "acct": ("account",),
    "ledger": ("account",),
    "gl": ("account",),
    "warehouse": ("warehouse",),
    "whse": ("warehouse",),
    "location": ("warehouse",),
    "terms": ("terms",),
    "method": ("method",),
    "type": ("type",),
    "kind": ("type",),
    "lines": ("lines",),
    "items": ("lines",),
    "details": ("lines",),
    "short": ("short",),
    "metadata": ("meta",),
    "details_": (),
}
# The same words in German, Dutch, Danish, Norwegian and Swedish (and a few
# French and Spanish ones), as European accounting APIs name their fields;
# written without diacritics, as tokens() folds them (Währung → wahrung).
_EUROPEAN: dict[str, tuple[str, ...]] = {
    "kunde": ("customer",),
    "kunden": ("customer",),
    "kund": ("customer",),
    "kunder": ("customer",),
    "klant": ("customer",),
    "debiteur": ("customer",),
    "debitoren": ("customer",),
    "relatie": ("customer",),
    "kontakt": ("contact", "name"),
    "nummer": ("number",),
    "numero": ("number",),
    "nro": ("number",),
    "rechnung": ("invoice",),
    "rechnungs": ("invoice",),
    "faktura": ("invoice",),
    "factuur": ("invoice",),
    "facture": ("invoice",),
    "factura": ("invoice",),
    "wahrung": ("currency",),
    # WKZ, the Währungskennzeichen: the currency's code.
    "wkz": ("currency",),
    # Kurs: the rate one currency is converted at; Basis: the company's own
    # currency beside the document's (Basisumsatz, Basiswährung).
    "kurs": ("exchange",),
    "basis": (),
    "waehrung": ("currency",),
    "valuta": ("currency",),
    "devise": ("currency",),
    "land": ("country",),
    "pays": ("country",),
    "pais": ("country",),
    "ort": ("city",),
    "stadt": ("city",),
    "stad": ("city",),
    "plaats": ("city",),
    "woonplaats": ("city",),
    "ville": ("city",),
    "ciudad": ("city",),
    "postort": ("city",),
    "poststed": ("city",),
    "postnummer": ("postal",),
    "postnr": ("postal",),
    "postleitzahl": ("postal",),
    "strasse": ("address", "line"),
    "straat": ("address", "line"),
    "gade": ("address", "line"),
    "gata": ("address", "line"),
    "vej": ("address", "line"),
    "rue": ("address", "line"),
    "calle": ("address", "line"),
    "adresse": ("address",),
    "adres": ("address",),
    "adress": ("address",),
    "anschrift": ("address",),
    # An address's addition (Adresszusatz): its second line.
    "adresszusatz": ("address", "line", "#2"),
    # An address's complement (complemento: apartment, block, floor), as
    # Brazilian and Portuguese addresses give it: its second line.
    "complement": ("address", "line", "#2"),
    "complemento": ("address", "line", "#2"),
    "naam": ("name",),
    "navn": ("name",),
    "namn": ("name",),
    "nom": ("name",),
    "nombre": ("name",),
    "firma": ("name", "company"),
    "firmenname": ("name", "company"),
    # A short designation (Kurzbezeichnung) of a party: its short name.
    "kurzbezeichnung": ("short", "name"),
    "bedrijfsnaam": ("name", "company"),
    "firmanavn": ("name", "company"),
    "vorname": ("first", "name"),
    "voornaam": ("first", "name"),
    "fornavn": ("first", "name"),
    "fornamn": ("first", "name"),
    "prenom": ("first", "name"),
    "nachname": ("last", "name"),
    "achternaam": ("last", "name"),
    "efternavn": ("last", "name"),
    "efternamn": ("last", "name"),
    "etternavn": ("last", "name"),
    "familienname": ("last", "name"),
    "telefon": ("phone",),
    "telefoon": ("phone",),
    "telefonnummer": ("phone",),
    "tlf": ("phone",),
    "mobil": ("phone",),
    "epost": ("email",),
    "beschreibung": ("description",),
    "bemerkung": ("description",),
    "notiz": ("description",),
    "kommentar": ("description",),
    "omschrijving": ("description",),
    "opmerking": ("description",),
    "notitie": ("description",),
    "beskrivelse": ("description",),
    "beskrivning": ("description",),
    "verwendungszweck": ("description",),
    "betrag": ("amount",),
    # Umsatz: the turnover a booking line carries, its amount.
    "umsatz": ("amount",),
    "bedrag": ("amount",),
    "debet": ("debit",),
    "soll": ("debit",),
    "haben": ("credit",),
    "belob": ("amount",),
    "belop": ("amount",),
    "belopp": ("amount",),
    "summe": ("amount",),
    "totaal": ("amount",),
    "brutto": ("amount",),
    "netto": ("subtotal",),
    "datum": ("date",),
    # A Beleg is the voucher behind a booking (Belegdatum, Belegnummer); a
    # Buchung the booking itself (Buchungstext, Buchungsdatum).
    "beleg": ("document",),
    "belegs": ("document",),
    "buchung": ("posting",),
    "buchungs": ("posting",),
    "dato": ("date",),
    "fecha": ("date",),
    "deadline": ("due",),
    # When a debt matures it falls due: a maturity date is the due date.
    "maturity": ("due",),
    "falligkeit": ("due",),
    "faelligkeit": ("due",),
    "falligkeits": ("due",),
    "faelligkeits": ("due",),
    "verval": ("due",),
    "forfald": ("due",),
    "forfalds": ("due",),
    "forfallo": ("due",),
    "steuer": ("tax",),
    "umsatzsteuer": ("tax",),
    "mwst": ("tax",),
    "btw": ("tax",),
    "moms": ("tax",),
    "mva": ("tax",),
    "iva": ("tax",),
    "tva": ("tax",),
    "konto": ("account",),
    "rekening": ("account",),
    "grootboek": ("account",),
    "zahlung": ("payment",),
    "zahlungs": ("payment",),
    "betaling": ("payment",),
    "betalings": ("payment",),
    "betalning": ("payment",),
    "betalnings": ("payment",),
    "referenz": ("reference",),
    "referentie": ("reference",),
    "kenmerk": ("reference",),
    "referanse": ("reference",),
    "referens": ("reference",),
    "menge": ("quantity",),
    "anzahl": ("quantity",),
    "aantal": ("quantity",),
    "antal": ("quantity",),
    "preis": ("price",),
    "prijs": ("price",),
    "pris": ("price",),
    "rabatt": ("discount",),
    "korting": ("discount",),
    "rabat": ("discount",),
    "artikel": ("item",),
    "produkt": ("item",),
    # Spanish, as Spanish and Latin American ERPs name their columns, often
    # run together after a short prefix (codcliente, fecpago, numfactura).
    "cod": ("code",),
    "codigo": ("code",),
    "fec": ("date",),
    "dir": ("address",),
    "cliente": ("customer",),
    "proveedor": ("supplier",),
    "direccion": ("address",),
    "domicilio": ("address",),
    "provincia": ("state",),
    "localidad": ("city",),
    "poblacion": ("city",),
    "municipio": ("city",),
    "divisa": ("currency",),
    "moneda": ("currency",),
    "apellido": ("last", "name"),
    "apellidos": ("last", "name"),
    "razonsocial": ("name", "company"),
    "telefono": ("phone",),
    "movil": ("phone",),
    "celular": ("phone",),
    "correo": ("email",),
    "observacion": ("description",),
    "observaciones": ("description",),
    "comentario": ("description",),
    "comentarios": ("description",),
    "nota": ("description",),
    "notas": ("description",),
    "concepto": ("description",),
    "descripcion": ("description",),
    "importe": ("amount",),
    "monto": ("amount",),
    "bruto": ("amount",),
    "neto": ("subtotal",),
    "saldo": ("balance",),
    "cantidad": ("quantity",),
    "precio": ("price",),
    # PVP, the precio de venta al público: the selling price.
    "pvp": ("price",),
    "unitario": ("unit",),
    "impuesto": ("tax",),
    "impuestos": ("tax",),
    # What the payer withholds: a retención, Spain's IRPF (income tax).
    "retencion": ("withholding",),
    "retenciones": ("withholding",),
    "irpf": ("withholding",),
    "descuento": ("discount",),
    "dto": ("discount",),
    # Sin dto. (sin descuento): without the discount, which the amount
    # leaves out rather than is.
    "sindto": (),
    "vencimiento": ("due",),
    # A refund's reasons as Spanish gateways word them: a charge duplicated
    # or fraudulent, or the buyer's request (solicitud del comprador).
    "duplicado": ("duplicate",),
    "fraudulento": ("fraudulent",),
    "solicitud": ("request",),
    "comprador": ("customer",),
    # Spain's tax ids, a company's CIF and a person's NIF, often one column
    # (cifnif).
    "cif": ("tax", "id"),
    "nif": ("tax", "id"),
    # Brazil's taxpayer numbers, a person's CPF and a company's CNPJ, often
    # one field (cpf_cnpj).
    "cpf": ("tax", "id"),
    "cnpj": ("tax", "id"),
    "pago": ("payment",),
    "pagos": ("payment",),
    "cobro": ("payment",),
    "cuenta": ("account",),
    "subcuenta": ("account",),
    "debe": ("debit",),
    "haber": ("credit",),
    "referencia": ("reference",),
    "documento": ("document",),
    "pedido": ("order",),
    "linea": ("line",),
    "lineas": ("lines",),
    "articulo": ("item",),
    "producto": ("item",),
}
for _word, _concepts in _EUROPEAN.items():
    _LEXICON.setdefault(_word, _concepts)
# Words only an ERP's own field names use come from its package.
_LEXICON.update(
    (word, concepts)
    for package in ERPS.values()
    for word, concepts in package.vocabulary.items()
)
_STOP = {"to", "the", "of", "and", "a", "is", "for", "data", "object", "ptr"}
# Concepts that say little on their own.
_WEAK = {
    "number": 0.5,
    "id": 0.4,
    "code": 0.5,
    "name": 0.8,
    "line": 0.6,
    "date": 0.8,
    "amount": 0.8,
    "type": 0.5,
    "meta": 0.3,
    "status": 0.7,
}

_CAMEL = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|\d+")


@lru_cache(maxsize=8192)
def _split_glued(word: str) -> tuple[str, ...]:
    """Split a glued lower-case word into lexicon words (ordnum → ord, num)."""
    if word in _LEXICON or len(word) < 4:
        return (word,)
    for cut in range(len(word) - 1, 1, -1):
        head, tail = word[:cut], word[cut:]
        if head in _LEXICON and (tail in _LEXICON or tail.isdigit()):
            return (head, tail)
        if head in _LEXICON and len(tail) >= 4:
            rest = _split_glued(tail)
            if all(p in _LEXICON for p in rest):
                return (head, *rest)
    for cut in range(3, min(6, len(word) - 6)):
        # multicurrency → multi, currency: a long known word after a short
        # prefix (a short one would find nation in destination).
        if word[cut:] in _LEXICON:
            return (word[:cut], word[cut:])
    for cut in range(3, 5):
        # basecreditlimit → base, credit, limit: a short word before two or
        # more known ones, each long enough not to be found by chance.
        rest = _split_glued(word[cut:])
        if len(rest) > 1 and all(len(p) > 3 and p in _LEXICON for p in rest):
            return (word[:cut], *rest)
    return (word,)


# The noun suffix -ship after a word for a party (partnership: the standing
# of partners, a kind of firm) makes one word, no party and no shipping.
_STANDING_SUFFIX = "ship"
_PARTY_CONCEPTS = {"customer", "contact"}


def _standing_of_a_party(word: str) -> bool:
    head = word.removesuffix(_STANDING_SUFFIX)
    return head != word and bool(set(_LEXICON.get(head, ())) & _PARTY_CONCEPTS)


# Words concepts() reads by the word after them rather than from the
# lexicon (PARTYMAILINGNAME: a mailing name, a postal one, no e-mail's); a run
# may be cut at them.
_CONTEXT_WORDS = {"mailing"}
# Plain words of field names a run may be cut at besides the lexicon's: they
# carry no concept but stand between ones that do (invoicingcustomerpostnumber,
# sourcename, defaulttextbeforeinvoicelines).
_SPLIT_WORDS = {
    "salesperson",
    "invoicing",
    "additional",
    "source",
    "target",
    "person",
    "default",
    "before",
    "after",
    "our",
    "your",
    "extension",
    "purchase",
    "voucher",
    "addition",
}
# Words joining two names of one thing in a run (stateorprovince: a state or
# a province, one place): a run may be cut at them between two words, and they
# are dropped from the run's words, carrying no concept.
_JOINING_WORDS = {"or"}
_SHORTEST_CUT = 2


@lru_cache(maxsize=8192)
def _segment_capitals(word: str) -> tuple[str, ...]:
    """PARTYMAILINGNAME → party, mailing, name; () unless every part is known.

    XML tags and old column names run their words together in capitals, with
    no case change to split at. Cut such a run into words the suggester
    knows, the longest first, and only when the whole run is cut cleanly (a
    plural counts as its singular): a run with any unknown part (CUSTNMBR)
    stays one word for the other readers.
    """
    if word in _LEXICON or word in _STOP:
        return ()
    parts = _cut_known(word)
    return parts if len(parts) > 1 else ()


@lru_cache(maxsize=8192)
def _cut_known(word: str) -> tuple[str, ...]:
    for cut in range(len(word), _SHORTEST_CUT - 1, -1):
        head, tail = word[:cut], word[cut:]
        if not _segment_word(head):
            continue
        if not tail:
            return (head,)
        rest = _cut_known(tail)
        if rest:
            return (head, *rest)
    return ()


def _segment_word(word: str) -> bool:
    return (
        word in _LEXICON
        or word in _STOP
        or word in _CONTEXT_WORDS
        or word in _SPLIT_WORDS
        or word in _JOINING_WORDS
        or _singular(word) in _LEXICON
    )


_FOLDED = str.maketrans({"ß": "ss", "ø": "o", "Ø": "O", "æ": "ae", "Æ": "Ae"})


def _fold(text: str) -> str:
    """Währung → Wahrung, beløb → belob: letters without their diacritics."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_FOLDED))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


# A country's first-level administrative division, named by its level
# (administrative_area_level_1, AdministrativeDistrictLevel1, as Google's and
# other address formats name it): the state or province.
_FIRST_ADMINISTRATIVE_LEVEL = re.compile(
    r"(?i)admin(?:istrative)?[\W_]?(?:area|district|division|region|unit)"
    r"[\W_]?level[\W_]?(?:1|one)(?![0-9])"
)


# A bracket saying what the value goes without, a debit or credit marker
# (Umsatz (ohne Soll/Haben-Kz), Amount (without Dr/Cr sign)): the value is
# unsigned, and the sides it names are not its own.
_WITHOUT_SIDE_MARKER = re.compile(
    r"(?i)\((?:ohne|without|sans|zonder|uden|utan|sin)\b"
    r"[^)]*\b(?:soll|haben|debit|credit|dr|cr|debet)\b[^)]*\)"
)

# A path segment that only says the one before it repeats (ADDRESS.LIST.0,
# as XML serialisers name a list's element): the numbered item is that
# thing's.
_LIST_MARKER = re.compile(r"(?i)\.list(?=\.\d)")


def _glued_words(piece: str) -> tuple[str, ...]:
    """A piece with no case change to split at, cut into its words.

    A run in capitals is cut into known words first; a lower-case one keeps
    the glued splitter's two or three words and is cut into known words only
    when that splitter finds none (invoicingcustomerpostnumber: XML elements
    that run a long name together in lower case).
    """
    low = piece.lower()
    if _standing_of_a_party(low):
        return (low,)
    if piece.isupper():
        return _segment_capitals(low) or _split_glued(low)
    glued = _split_glued(low)
    if len(glued) > 1:
        return glued
    cut = _segment_capitals(low)
    if cut and (cut[0] in _JOINING_WORDS or cut[-1] in _JOINING_WORDS):
        return glued  # creditor: no credit "or", a joining word joins two
    return tuple(w for w in cut if w not in _JOINING_WORDS) or glued


@lru_cache(maxsize=8192)
def tokens(name: str) -> tuple[str, ...]:
    out: list[str] = []
    name = _FIRST_ADMINISTRATIVE_LEVEL.sub("_state_", name)
    name = _LIST_MARKER.sub("", name)
    name = _WITHOUT_SIDE_MARKER.sub("", name)
    for chunk in re.split(r"[^A-Za-z0-9]+", _fold(name)):
        for piece in _CAMEL.findall(chunk):
            low = piece.lower()
            if low.isdigit():
                out.append(low)
                continue
            for word in _glued_words(piece):
                if word not in _STOP:
                    out.append(word)
    return tuple(out)


_STREET_WORDS = {"address", "addr", "adr", "street", "to"}
# A place of an address and the word saying it is written out as text
# (cityText, stateText: the free-text form beside a key of a place record).
_ADDRESS_PARTS = {"city", "state", "postal", "country"}
_FORM_WORDS = {"text", "txt"}
# Places whose name (StreetName, city_name) is the place itself: the word
# "name" after one names no party.
_NAMED_PLACES = {
    "street",
    "road",
    "town",
    "city",
    "village",
    "district",
    "county",
    "suburb",
}
# A credit or debit memo (or note) is a document, not a memo's text.
_MEMO_DOCUMENTS = {"credit", "debit"}
_NOTE_WORDS = {"memo", "note"}
# A line's number spelled out (line_one, AddressLineTwo), read as its digit.
_SPELLED_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5}
_NUMBERED_LINES = {"line", "address", "street"}
# The last digits spelled out (lastFour, last_four): their count, as last4
# gives it.
_LAST_DIGITS = {"last"}
# A line's place spelled as an ordinal before it (first_line, SecondLine): its
# number, as line1 and line2 give it.
_ORDINALS = {"first": 1, "second": 2, "third": 3}
# A country's area (countryArea, country_area): the state or province it is
# divided into, not the country; so is an administrative area, the address
# standards' word for it; a postal area (postalArea, post_area): the place a
# postal code stands for, the city, not the code.
_AREAS = {"area", "areas"}
_AREA_OF = {
    "country": "state",
    "administrative": "state",
    "postal": "city",
    "post": "city",
}
# A zone named for the address it is part of (payment_zone, shipping_zone,
# AddressZone) is that address's state; a time, tax or transport zone is not.
_ZONE_OF = {"billing", "shipping", "payment", "address"}


# An address's addition (address_addition, addressaddition: Adresszusatz) is
# what is added to its street, Stripe's line2; a house number's is not.
_ADDRESS_WORDS = {"address", "addr", "adr"}


def known_word(word: str) -> bool:
    """Whether the lexicon reads the word (a digit or a stop word counts)."""
    return word.isdigit() or word in _LEXICON or word in _STOP


# Parties a contact record is kept for (customerContactNumbers: the keys of
# the customer's contacts, no numbers to call).
_CONTACTS_OWNERS = {"customer", "client", "supplier", "vendor", "debtor", "creditor"}


@lru_cache(maxsize=8192)
def concepts(name: str) -> frozenset[str]:
    found: set[str] = set()
    words = tokens(name)
    for index, tok in enumerate(words):
        following = words[index + 1] if index + 1 < len(words) else ""
        after_e = index > 0 and words[index - 1] == "e"  # E-Mail address
        if tok in ("mail", "mailing") and following in _STREET_WORDS and not after_e:
            continue  # MailAddress, mailing address: postal, not e-mail
        if tok in _FORM_WORDS and index and concepts(words[index - 1]) & _ADDRESS_PARTS:
            continue  # cityText, state_name_text: the place written out, no note
        if tok in _NOTE_WORDS and index and words[index - 1] in _MEMO_DOCUMENTS:
            continue  # CreditMemoRequest, credit_note_number: a document, no text
        if tok == "name" and index and words[index - 1] in _NAMED_PLACES:
            continue  # StreetName, city_name: the place, not a party's name
        if tok == "background" and following:
            continue  # background_color: what shows behind a thing, no note
        if tok == "sales" and following == "tax":
            continue  # sales_tax: the tax a sale is charged, no sales order
        if tok == "purchase" and _LEXICON.get(following) == ("date",):
            continue  # purchaseDate: when the buyer bought, as placedOn: the sale's
        if tok in _AREA_OF and following in _AREAS:
            found.add(_AREA_OF[tok])
        elif tok in _AREAS and index and words[index - 1] in _AREA_OF:
            continue
        elif tok == "zone" and index and concepts(words[index - 1]) & _ZONE_OF:
            found.add("state")
        elif tok == "addition" and index and words[index - 1] in _ADDRESS_WORDS:
            found.update(("line", "#2"))  # addressaddition: what the street adds
        elif tok == "uom" and index and "amount" in concepts(words[index - 1]):
            # amountUomId: the unit an amount is measured in, its currency
            found.discard("amount")
            found.add("currency")
        elif tok == "post" and after_e:
            found.add("email")  # E-Post (Norwegian, Swedish): e-mail
        elif tok == "post" and following and _LEXICON.get(following) == ("date",):
            found.add("posting")  # GLPOSTDT, post_date: the posting date
        elif tok == "post" and _LEXICON.get(following) == ("transaction",):
            found.add("posting")  # post_txn: the transaction posting made
        elif tok.isdigit():
            found.add(f"#{int(tok)}")
        elif (
            tok in _SPELLED_NUMBERS
            and index
            and (
                concepts(words[index - 1]) & _NUMBERED_LINES
                or words[index - 1] in _LAST_DIGITS
            )
        ):
            found.add(f"#{_SPELLED_NUMBERS[tok]}")
        elif tok in _ORDINALS and following and "line" in concepts(following):
            found.add(f"#{_ORDINALS[tok]}")
        elif (
            tok == "contact"
            and following == "numbers"
            and not (index and words[index - 1] in _CONTACTS_OWNERS)
        ):
            # contactNumbers: a list of the numbers to call, phones; one
            # contact number may be a contact record's own key, and a
            # customer contact's numbers are that record's.
            found.add("phone")
        elif tok in ("line", "lines") and index and words[index - 1] == "name":
            continue  # "Name line 1": a line of the name, not of an address
        elif tok in _LEXICON:
            found.update(_LEXICON[tok])
        elif _singular(tok) in _LEXICON:
            found.update(_LEXICON[_singular(tok)])  # a list: telephones, addresses
        else:
            found.add(tok)
    return frozenset(found)


def _singular(word: str) -> str:
    """The singular of an English plural (entries → entry, addresses → address)."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("sses", "xes", "ches", "shes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us")):
        return word[:-1]
    return word


def _weight(concept: str) -> float:
    if concept.startswith("#"):
        return 0.8
    return _WEAK.get(concept, 1.0)


def _trigrams(text: str) -> set[str]:
    s = f"  {re.sub(r'[^a-z0-9]', '', text.lower())} "
    return {s[i : i + 3] for i in range(len(s) - 2)}


def _one_lexicon_word(name: str) -> bool:
    """A name of one word, which the lexicon folds into a concept."""
    words = tokens(name)
    return len(words) == 1 and words[0] in _LEXICON


def _apart_from_the_start(target: str, leaf: str) -> bool:
    """Two names of one word each whose first three letters differ."""
    words, leaves = tokens(target), tokens(leaf)
    return (
        len(words) == 1
        and len(leaves) == 1
        and min(len(words[0]), len(leaves[0])) >= 3
        and words[0][:3] != leaves[0][:3]
    )


# A record sent as its values by field name (values.SeasonYear,
# values.PaidSum): the container only says each part is one of the record's
# values, so its word names no sum; the field is what follows it.
_VALUES_BY_FIELD_NAME = re.compile(r"(?i)^values\.(?=[^\d.])")


def name_similarity(target: str, path: str) -> tuple[float, str]:
    """0..1 similarity of a target name and a source path, and why."""
    target = _VALUES_BY_FIELD_NAME.sub("", target)
    segments = path.split(".")
    leaf = segments[-1]
    context = ".".join(s for s in segments[:-1] if not s.isdigit())
    t_concepts = concepts(target)
    s_leaf = concepts(leaf)
    s_context = concepts(context) if context else frozenset()
    source_all = s_leaf | s_context
    if not t_concepts:
        return 0.0, ""
    shared = t_concepts & source_all
    if shared and all(c.startswith("#") for c in shared) and t_concepts - shared:
        # numero2 ~ address.line2: a position shared alone, the things
        # numbered apart, says nothing of what the field is.
        shared = frozenset()
    # Context (outer path segments) counts less than the leaf name.
    gain = sum(_weight(c) * (1.0 if c in s_leaf else 0.7) for c in shared)
    total = sum(_weight(c) for c in t_concepts) + 0.5 * sum(
        _weight(c) for c in s_leaf - t_concepts
    )
    score = gain / total if total else 0.0
    digits_t = {c for c in t_concepts if c.startswith("#")}
    digits_s = {c for c in source_all if c.startswith("#")}
    if digits_t and digits_s and not digits_t & digits_s:
        score *= 0.5
    grams_t, grams_s = _trigrams(target), _trigrams(leaf)
    tri = len(grams_t & grams_s) / len(grams_t | grams_s) if grams_t else 0.0
    last = target.split(".")[-1]
    if not shared and (
        (_one_lexicon_word(last) and _one_lexicon_word(leaf))
        or _apart_from_the_start(last, leaf)
    ):
        # descriptor ~ description: two words the lexicon knows, of no
        # concept in common, are different things however alike spelled;
        # subscription ~ description: one word each, alike only in their
        # endings, are two words (a word misspelt or shortened keeps its start).
        tri = 0.0
    score = max(score, 0.8 * tri)
    reason = ""
    if shared:
        reason = "name shares " + ", ".join(sorted(c.lstrip("#") for c in shared))
    elif tri > 0.3:
        reason = "names are spelled alike"
    return min(score, 1.0), reason


_PLACES = frozenset({"country", "state", "city", "currency"})


def head_concepts(name: str) -> frozenset[str]:
    """What a compound name is, by its last word (English compounds are
    head-final): MailCity is a city, CustomerName a name. The name or code of
    a place (CountryName, StateCode) is that place, a postal or a country's
    area the place it names (a city, a state). Empty for one word."""
    words = [t for t in tokens(name) if not t.isdigit()]
    if len(words) < 2:
        return frozenset()
    head = concepts(words[-1])
    if head & {"name", "code"} and concepts(words[-2]) & _PLACES:
        return concepts(words[-2]) & _PLACES
    if words[-1] in _AREAS and words[-2] in _AREA_OF:
        return frozenset({_AREA_OF[words[-2]]})  # postalArea: a city
    return head
