"""Project-wide middleware."""


class AdminFramingMiddleware:
    """Let the Wagtail admin frame its own pages (the live preview panel).

    Everything else keeps ``X-Frame-Options: DENY``: Django's clickjacking middleware
    leaves a header that is already set, and this one sits inside it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith("/admin/"):
            response.headers.setdefault("X-Frame-Options", "SAMEORIGIN")
        return response
