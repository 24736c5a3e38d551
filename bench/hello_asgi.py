"""The bare ASGI app the tracked-link benchmark compares against: a 302, nothing else."""


async def app(scope, receive, send):
    if scope["type"] != "http":
        return
    await send(
        {
            "type": "http.response.start",
            "status": 302,
            "headers": [(b"location", b"https://www.example.com/"), (b"content-length", b"0")],
        }
    )
    await send({"type": "http.response.body", "body": b""})
