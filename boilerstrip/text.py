"""Word lists and text patterns used by the phrasing features.

Every list here was written for boilerstrip.  They are deliberately short:
the model only needs rates (how much of a block is function words, how often
it addresses the reader), not a full lexicon.
"""
from __future__ import annotations

import re

#: Frequent function words per language (lower case).  Used for the
#: stopword density of a block in the page's dominant language.
STOPWORDS = {
    "en": """the of and to a in is that it for was on are as with be at by this
        have from or had not but what all were when we there can an which their
        if has will one he she they his her its been would who more so no than
        them some could into other then these two may only do did our out up
        about also after over such those any where most very just how between""",
    "de": """der die das und in zu den von mit sich des auf für ist im dem nicht
        ein eine als auch es an werden aus er hat dass sie nach wird bei einer um
        am sind noch wie einem über einen so zum war haben nur oder aber vor zur
        bis mehr durch man sein wurde sei hatte kann gegen vom schon wenn habe
        seine ihre dann unter wir soll ich eines jahr zwei diese dieser wieder""",
    "fr": """le la les de des du et en un une est que qui dans pour pas sur au
        avec ce il elle se par plus ne son sa ses sont aux ou mais comme on été
        leur nous vous cette ont fait être aussi tout bien peut dont entre très
        après sans deux ces lui même avait était""",
    "es": """el la los las de del y en un una es que por con para no se su sus al
        lo como más pero fue ha son este esta entre cuando muy sin sobre también
        me hasta hay donde quien desde todo nos durante todos uno les ni contra
        otros ese eso ante ellos esto mí antes algunos qué unos yo otro otras""",
    "it": """il lo la i gli le di del della dei delle e in un una che per con non
        si sono è al alla da dal nel nella come ma anche più se questo questa
        ha hanno essere stato era tra fra suo sua loro""",
    "pt": """o a os as de do da dos das e em um uma que para com não se por mais
        como mas foi ao à seu sua ou quando muito nos já está também só pelo pela
        até isso ela entre era depois sem mesmo aos ter seus quem""",
    "nl": """de het een en van in is dat op te zijn voor met die niet aan er als
        maar om ook bij dan door naar heeft was werd wordt nog uit tot over""",
    "pl": """i w na z się nie do to że jest o jak ale po co tak za od przez dla
        jego już tylko może być są przy pod który która które oraz lub jednak""",
}
STOPWORD_LANGS = tuple(STOPWORDS)
#: word -> bit mask of the languages whose list holds it
STOPWORD_BITS: dict[str, int] = {}
for _i, _lang in enumerate(STOPWORD_LANGS):
    for _w in STOPWORDS[_lang].split():
        STOPWORD_BITS[_w] = STOPWORD_BITS.get(_w, 0) | (1 << _i)

WORD_RE = re.compile(r"\w+")

#: Single-word lexicons; every token of a page is looked up once in
#: :data:`LEXICON`, which maps a lower-cased word to a bit mask of categories.
SECOND_PERSON = """you your yours yourself yourselves vous votre vos du dich dein deine
    deinen deinem ihnen usted ustedes tu tus"""
FIRST_PLURAL = """we our ours us ourselves wir uns unser unsere unserer unseren nous notre
    nos nosotros nuestro nuestra nuestros"""
#: Verbs of calls to action ("sign" and "log" stand for sign up/in, log in).
CTA_WORDS = """sign signup signin subscribe subscribed subscribing subscriber subscribers
    subscription subscriptions join login logout log register registered registering
    registration donate donating donation donations support supporting share sharing
    follow click tap refresh reload download contribute contribution enable allow accept
    comment comments commenting newsletter newsletters unsubscribe membership
    anmelden abonnieren abonnement teilen registrieren spenden weiterlesen newsletter
    inscrivez inscription partager abonnez suscríbete suscribirse compartir"""
THANKS = "thanks thank danke merci gracias"
MONTH_WORDS = """january february march april may june july august september october november
    december jan feb mar apr jun jul aug sep sept oct nov dec januar februar märz mai
    juni juli oktober dezember janvier février mars avril juin juillet août septembre
    octobre novembre décembre enero febrero marzo abril mayo junio julio agosto
    septiembre octubre noviembre diciembre ago yesterday today updated published"""
COPYRIGHT_WORDS = "copyright rights reserved vorbehalten droits"
#: First person singular: readers' comments and forum posts speak as "I".
FIRST_SINGULAR = """i me my mine myself ich mich mir mein meine meinen meinem je moi mon ma
    mes yo mi mis io mio mia"""
#: Words of comment threads and forum posts (reply buttons, permalinks, "posted
#: 3 hours ago", moderation links).
COMMENT_WORDS = """reply replies replied permalink wrote posted quote quoted flag report
    abuse upvote downvote upvotes likes ago edited anonymous guest commenter commenters
    avatar antworten répondre responder"""

N_LANGS = len(STOPWORD_LANGS)
SECOND_BIT = 1 << N_LANGS
FIRST_PLURAL_BIT = 1 << (N_LANGS + 1)
CTA_BIT = 1 << (N_LANGS + 2)
THANKS_BIT = 1 << (N_LANGS + 3)
MONTH_BIT = 1 << (N_LANGS + 4)
COPYRIGHT_BIT = 1 << (N_LANGS + 5)
FIRST_SINGULAR_BIT = 1 << (N_LANGS + 6)
COMMENT_BIT = 1 << (N_LANGS + 7)
LEXICON: dict[str, int] = dict(STOPWORD_BITS)
for _words, _bit in ((SECOND_PERSON, SECOND_BIT), (FIRST_PLURAL, FIRST_PLURAL_BIT),
                     (CTA_WORDS, CTA_BIT), (THANKS, THANKS_BIT), (MONTH_WORDS, MONTH_BIT),
                     (COPYRIGHT_WORDS, COPYRIGHT_BIT), (FIRST_SINGULAR, FIRST_SINGULAR_BIT),
                     (COMMENT_WORDS, COMMENT_BIT)):
    for _w in _words.split():
        LEXICON[_w] = LEXICON.get(_w, 0) | _bit
