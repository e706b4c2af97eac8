"""Errors the user can act on; each message says what to do."""


class KgError(Exception):
    """Base for every error the CLI reports as one line."""


class InputError(KgError):
    """A corpus file cannot be read as an article."""


class GoldFormatError(KgError):
    """A gold file line is malformed."""


class QueryError(KgError):
    """A SPARQL query does not parse or fails."""
