"""boilerstrip: strip boilerplate from news HTML and return the article.

>>> import boilerstrip
>>> boilerstrip.clean("<html><body><p>Hello world, this is the story.</p></body></html>")
'Hello world, this is the story.'
"""
from .api import OUTPUT_FORMATS, clean
from .batch import CleanError, clean_many
from .model import Model, load_model

__version__ = "0.1.0"
__all__ = ["clean", "clean_many", "CleanError", "load_model", "Model", "OUTPUT_FORMATS",
           "__version__"]
