"""Public pages: certificate verification (page, search, API, OpenAPI) and the registry."""

from . import PUBLIC

EXPECTED = {
    "public.verify": PUBLIC,
    "public.verify_search": PUBLIC,
    "public.verify_photo": PUBLIC,
    "public.registry": PUBLIC,
    "public.api_verify": PUBLIC,
    "public.openapi": PUBLIC,
}
