from django.apps import AppConfig


class IdentityConfig(AppConfig):
    """Identity: single sign-on (OpenID Connect, SAML 2.0) and provisioning (SCIM 2.0)
    from the company's identity systems, onto the people app's rules."""

    name = "portal.identity"
    label = "identity"
    verbose_name = "Sign-on and provisioning"
