"""The words news pages print around an article, for the page-capture importer.

A page capture is text copied from a news page, so besides the article it holds the
page's interface in the page's language: the heading of the related-articles section,
credit lines under images, labels on cards, cookie notices and buttons. These are the
phrases that tell those lines apart, kept here as data so that capture.py stays logic
and a new language or label is a one-line change. Phrases are matched against the
whole line (or each part of a line split at "·", "|", "•"), case-folded, with a
trailing colon ignored: see :func:`key`.
"""

from __future__ import annotations

import re


def key(line: str) -> str:
    """The form lines are matched in: case-folded, one space, no trailing colon."""
    return " ".join(line.casefold().replace("’", "'").split()).rstrip(":").rstrip()


def _phrases(text: str) -> frozenset[str]:
    return frozenset(key(line) for line in text.strip().splitlines() if line.strip())


# Heading of the related-articles section -> the language of the page's interface.
RELATED_HEADINGS: dict[str, str] = {
    phrase: lang
    for lang, phrases in {
        "en": """
            Related articles
            Related
            Related stories
            Related content
            Related coverage
            Related news
            Related reading
            Related links
            More on this topic
            More on this story
            More like this
            Read next
            Read also
            See also
            You may also like
            You might also like
            Recommended
            Recommended for you
            Recommended articles
            Further reading
        """,
        "de": """
            Verwandte Artikel
            Verwandte Themen
            Ähnliche Artikel
            Mehr zum Thema
            Mehr zu diesem Thema
            Passend zum Thema
            Zum Thema
            Weitere Artikel
            Lesen Sie auch
            Lesen Sie mehr
            Auch interessant
            Das könnte Sie auch interessieren
            Das könnte Sie interessieren
            Empfohlene Artikel
        """,
        "fr": """
            Articles liés
            Articles connexes
            Articles similaires
            À lire aussi
            A lire aussi
            À lire également
            Lire aussi
            Sur le même sujet
            Sur le même thème
            Vous aimerez aussi
        """,
        "es": """
            Artículos relacionados
            Noticias relacionadas
            Contenido relacionado
            Te puede interesar
            También te puede interesar
            Lee también
            Más sobre este tema
        """,
        "it": """
            Articoli correlati
            Notizie correlate
            Articoli simili
            Potrebbe interessarti
            Ti potrebbe interessare
            Leggi anche
        """,
        "nl": """
            Gerelateerde artikelen
            Gerelateerd
            Lees ook
            Ook interessant
            Meer over dit onderwerp
        """,
        "pt": """
            Artigos relacionados
            Notícias relacionadas
            Conteúdo relacionado
            Leia também
            Veja também
            Mais sobre este tema
            Você também pode gostar
        """,
    }.items()
    for phrase in _phrases(phrases)
}

# The first line of a cookie notice; the notice runs on until its buttons.
COOKIE_NOTICE = re.compile(
    r"(?:this (?:web)?site uses cookies|we use cookies|we value your privacy|cookie (?:notice|settings|consent)"
    r"|diese (?:web)?seite (?:verwendet|nutzt) cookies|diese website (?:verwendet|nutzt) cookies"
    r"|wir (?:verwenden|nutzen|setzen) cookies|datenschutzeinstellungen|cookie-einstellungen"
    r"|ce site utilise des cookies|nous utilisons des cookies|este sitio (?:web )?utiliza cookies"
    r"|utilizamos cookies|questo sito (?:web )?utilizza (?:i )?cookie|utilizziamo (?:i )?cookie"
    r"|deze website gebruikt cookies|wij gebruiken cookies|we gebruiken cookies"
    r"|este (?:site|sítio) (?:usa|utiliza) cookies|(?:nós )?(?:usamos|utilizamos) cookies)"
)

# Buttons, links and notices that are page furniture wherever they appear.
FURNITURE = _phrases(
    """
    Accept
    Accept all
    Accept cookies
    Accept all cookies
    Allow all
    Allow cookies
    Agree
    I agree
    OK
    Got it
    Decline
    Reject
    Reject all
    Deny
    Refuse
    Necessary only
    Only necessary
    Essential only
    Settings
    Cookie settings
    Manage settings
    Manage cookies
    Manage preferences
    Preferences
    Customise
    Customize
    More options
    Save
    Save settings
    Save preferences
    Confirm choices
    Ablehnen
    Alle ablehnen
    Akzeptieren
    Alle akzeptieren
    Alles akzeptieren
    Zustimmen
    Alle zustimmen
    Einverstanden
    Verstanden
    Einstellungen
    Cookie-Einstellungen
    Datenschutzeinstellungen
    Nur notwendige
    Nur notwendige Cookies
    Nur essenzielle Cookies
    Speichern
    Auswahl speichern
    Auswahl bestätigen
    Mehr erfahren
    Learn more
    More information
    Weitere Informationen
    Tout accepter
    Accepter
    Refuser
    Tout refuser
    Paramètres
    Personnaliser
    Aceptar
    Aceptar todo
    Rechazar
    Rechazar todo
    Configuración
    Configurar
    Accetta
    Accetta tutto
    Rifiuta
    Rifiuta tutto
    Impostazioni
    Accepteren
    Alles accepteren
    Weigeren
    Instellingen
    Aceitar
    Aceitar tudo
    Rejeitar
    Recusar
    Definições
    Configurações
    Partilhar
    Compartilhar
    Share
    Share this
    Share this article
    Teilen
    Artikel teilen
    Partager
    Compartir
    Condividi
    Delen
    Tweet
    Facebook
    Twitter
    X
    LinkedIn
    WhatsApp
    Email
    E-Mail
    Mail
    Print
    Drucken
    Imprimer
    Copy link
    Link kopieren
    Save article
    Artikel merken
    Merken
    Bookmark
    Listen
    Listen to this article
    Anhören
    Artikel anhören
    Vorlesen
    Advertisement
    Advertising
    Ad
    Anzeige
    Werbung
    Publicité
    Publicidad
    Pubblicità
    Advertentie
    Skip to content
    Skip to main content
    Zum Inhalt springen
    Direkt zum Inhalt
    Menu
    Menü
    Search
    Suche
    Log in
    Login
    Sign in
    Anmelden
    Subscribe
    Abonnieren
    Newsletter
    Back to top
    Nach oben
    Zurück nach oben
    Show more
    Mehr anzeigen
    Load more
    Mehr laden
    Read more
    Weiterlesen
    Comments
    Kommentare
    Impressum
    Datenschutz
    Datenschutzerklärung
    Privacy
    Privacy policy
    Cookie policy
    Terms
    Terms of use
    Terms of service
    AGB
    Nutzungsbedingungen
    Kontakt
    Contact
    Contact us
    About us
    Über uns
    Imprint
    Sitemap
    """
)

# Labels on articles and cards: dropped, as are reading times and bylines.
LABELS = _phrases(
    """
    Reported by AI
    Written by AI
    Generated by AI
    Summarised by AI
    Summarized by AI
    AI-generated
    AI generated
    Von KI berichtet
    Von KI geschrieben
    Von KI erstellt
    Von KI zusammengefasst
    KI-generiert
    Rapporté par l'IA
    Rédigé par l'IA
    Généré par l'IA
    Informado por IA
    Redactado por IA
    Generado por IA
    Scritto dall'IA
    Riportato dall'IA
    Generato dall'IA
    Gerapporteerd door AI
    Geschreven door AI
    Gegenereerd door AI
    Relatado por IA
    Escrito por IA
    Gerado por IA
    Opinião
    Análise
    Ao vivo
    Exclusivo
    Opinie
    Analyse
    Opinion
    Analysis
    Comment
    Live
    Live blog
    Video
    Podcast
    Audio
    Exclusive
    Breaking
    Breaking news
    Updated
    Sponsored
    Advertorial
    Paid content
    Premium
    Plus
    Free
    New
    Explainer
    Interview
    Review
    Feature
    Fact check
    Meinung
    Kommentar
    Analyse
    Exklusiv
    Eilmeldung
    Aktualisiert
    Gesponsert
    Neu
    Liveblog
    Hintergrund
    Erklärt
    Faktencheck
    Opinión
    Análisis
    En direct
    Exclusif
    Tribune
    Analisi
    Opinione
    In diretta
    Esclusiva
    Mening
    """
)

# A credit under an image: "Image generated by AI", "Bild: KI-generiert", "Foto: dpa", "© Reuters".
CREDIT = re.compile(
    r"(?:image|images|photo|photos|picture|illustration|graphic|bild|bilder|foto|fotos|grafik|abbildung"
    r"|imagen|immagine|imagem|afbeelding|photo credit|image credit|crédit photo|credits?|crédits?|bildquelle|bildnachweis)"
    r"\s*(?::|©|\(c\)|\b(?:generated|generiert|erstellt|créée?|générée?|generada|generata|gerada|gegenereerd"
    r"|by|von|mit|par|avec|con|por|da|door)\b)"
    r"|©|\(c\)|copyright\b|symbolbild\b"
    r"|(?:ai|ki|ia)[- ](?:generated|generiert)\w* (?:image|bild|photo|foto)\b"
)

READING_TIME = re.compile(
    r"(?:lesezeit:? ?)?\d+ ?(?:min|mins|minutes|minute|minuten)\.?"
    r"(?: (?:read|lesezeit|lecture|de lectura|di lettura|leestijd))?"
)
RELATIVE_TIME = re.compile(
    r"(?:vor \d+ \w+|\d+ \w+ ago|il y a \d+ \w+|hace \d+ \w+|\d+ \w+ fa|\d+ \w+ geleden|just now|gerade eben)"
)
DATE_PREFIX = re.compile(
    r"(?:published|updated|posted|first published|last updated|veröffentlicht|aktualisiert|erschienen|stand"
    r"|publié|mis à jour|publicado|actualizado|pubblicato|aggiornato|gepubliceerd|bijgewerkt|date|datum)"
    r"(?: on| am| le| el| il| op)?:? "
)
BYLINE_START = re.compile(r"(?:by|von|par|por|di|door|text:|von:) ")
BYLINE_JOINERS = frozenset("and und & et y e en van von de der den la le du".split())
SOURCE_LINE = re.compile(r"(?:source|quelle|publisher|herausgeber|fuente|fonte|bron): ?(?P<source>.+)", re.IGNORECASE)
URL_LINE = re.compile(r"(?:(?:url|link|source url|quelle|source): ?)?(?P<url>https?://\S+)", re.IGNORECASE)
SEPARATORS = re.compile(r"\s*[·|•‧∙⋅]\s*")
