"""reportgen: policy briefs in Word and PDF from case data and narrative templates."""

__version__ = "0.1.0"
