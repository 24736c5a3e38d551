"""A SAML 2.0 identity provider for the single sign-on tests: pysaml2's own IdP
(``saml2.server.Server``) behind a small WSGI front, with signed assertions.

Usage: python saml_idp.py CONFIG.json
CONFIG: {"port": P, "key_file": ..., "cert_file": ..., "sp_metadata_file": ...,
         "accounts": {"<login>": {"mail": [...], "givenName": [...], ...}}}
GET /metadata gives its metadata; GET /sso/redirect takes an AuthnRequest (HTTP-Redirect
binding) and shows a sign-in form; signing in posts a signed Response to the service
provider's assertion consumer service (HTTP-POST binding). The service provider's
metadata is read from sp_metadata_file at each request (it is written once the portal
runs).
"""

import html
import json
import sys
from urllib.parse import parse_qs
from wsgiref.simple_server import WSGIRequestHandler, make_server

from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.config import IdPConfig
from saml2.metadata import create_metadata_string
from saml2.saml import (
    AUTHN_PASSWORD_PROTECTED,
    NAME_FORMAT_URI,
    NAMEID_FORMAT_EMAILADDRESS,
    NameID,
)
from saml2.server import Server

config = json.load(open(sys.argv[1]))  # noqa: SIM115
base = f"http://127.0.0.1:{config['port']}"


def idp_config(with_sp: bool) -> IdPConfig:
    conf = {
        "entityid": f"{base}/metadata",
        "xmlsec_binary": "/usr/bin/xmlsec1",
        "allow_unknown_attributes": True,
        "key_file": config["key_file"],
        "cert_file": config["cert_file"],
        "service": {
            "idp": {
                "name": "Tests' identity provider",
                "endpoints": {
                    "single_sign_on_service": [(f"{base}/sso/redirect", BINDING_HTTP_REDIRECT)],
                },
                "name_id_format": [NAMEID_FORMAT_EMAILADDRESS],
                "policy": {
                    "default": {
                        "lifetime": {"minutes": 15},
                        "attribute_restrictions": None,
                        "name_form": NAME_FORMAT_URI,
                    }
                },
            }
        },
    }
    if with_sp:
        conf["metadata"] = {"local": [config["sp_metadata_file"]]}
    return IdPConfig().load(conf)


METADATA = create_metadata_string(None, config=idp_config(False), valid=None).decode()


def page(body: str, status="200 OK", kind="text/html; charset=utf-8"):
    return status, [("Content-Type", kind)], body.encode()


def application(environ, start_response):
    path = environ["PATH_INFO"]
    if path == "/metadata":
        status, headers, body = page(METADATA, kind="application/samlmetadata+xml")
    elif path == "/sso/redirect":
        query = parse_qs(environ["QUERY_STRING"])
        request = query["SAMLRequest"][0]
        relay = query.get("RelayState", [""])[0]
        status, headers, body = page(
            "<!DOCTYPE html><title>Identity provider</title><h1>Sign in at the identity "
            "provider</h1><form method='post' action='/sso/login'>"
            f"<input type='hidden' name='SAMLRequest' value='{html.escape(request)}'>"
            f"<input type='hidden' name='RelayState' value='{html.escape(relay)}'>"
            "<label>Login <input name='login'></label><button>Sign in</button></form>"
        )
    elif path == "/sso/login":
        size = int(environ.get("CONTENT_LENGTH") or 0)
        form = parse_qs(environ["wsgi.input"].read(size).decode())
        login = form["login"][0]
        server = Server(config=idp_config(True))
        request = server.parse_authn_request(form["SAMLRequest"][0], BINDING_HTTP_REDIRECT)
        message = request.message
        destination = message.assertion_consumer_service_url
        response = server.create_authn_response(
            identity=config["accounts"][login],
            in_response_to=message.id,
            destination=destination,
            sp_entity_id=message.issuer.text,
            name_id=NameID(format=NAMEID_FORMAT_EMAILADDRESS, text=login),
            sign_assertion=True,
            authn={"class_ref": AUTHN_PASSWORD_PROTECTED, "authn_auth": base},
        )
        answer = server.apply_binding(
            BINDING_HTTP_POST, str(response), destination, form.get("RelayState", [""])[0],
            response=True,
        )  # fmt: skip
        status, headers, body = page(answer["data"])
    else:
        status, headers, body = page("not found", "404 Not Found", "text/plain")
    start_response(status, headers)
    return [body]


class QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):
        pass


with make_server("127.0.0.1", config["port"], application, handler_class=QuietHandler) as httpd:
    print(f"ready {base}", flush=True)
    httpd.serve_forever()
