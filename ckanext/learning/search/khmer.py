"""TEMPORARY placeholder until the measured segmenter lands (helper writes the real one)."""
import re
import unicodedata

_KH = re.compile(r"[\u1780-\u17ff\u19e0-\u19ff]")


def normalize(text):
    text = unicodedata.normalize("NFC", text).replace("\u17d2\u178a", "\u17d2\u178f")
    return re.sub("[\u200b-\u200d]", "", text)


def has_khmer(text):
    return bool(_KH.search(text))


def index_tokens(text):
    return normalize(text).split()


def query_tokens(word):
    return normalize(word).split()
