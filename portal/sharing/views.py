"""Content hub pages and the conversions API; thin: check the request, call a service, render."""

import hmac
import json
import time
from datetime import UTC, datetime
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from courses.selectors import sharing_blockers
from portal import signatures
from portal.errors import ServiceError, form_run
from portal.fields import cleaned
from portal.locales import localised_one
from portal.submissions import ALREADY_DONE, ALREADY_SENT, form_run_once

from . import links, quality, selectors, services
from .forms import ShareForm, SuggestForm
from .models import Kind, Network, Share
from .tracking import sharer_cookie_set

FEED_PAGE_SIZE = 12


@login_required
def hub(request):
    tag = request.GET.get("tag", "")[:100]
    kind = request.GET.get("kind", "")
    if kind not in Kind.values:
        kind = ""
    query = " ".join(request.GET.get("q", "").replace("\x00", " ").split())[:200]
    feed = selectors.hub_feed(user=request.user, tag=tag, kind=kind, query=query)
    kept = urlencode(
        [(name, value) for name, value in (("q", query), ("tag", tag), ("kind", kind)) if value]
    )
    page = Paginator(feed.cards, FEED_PAGE_SIZE).get_page(request.GET.get("page"))
    response = TemplateResponse(
        request,
        "sharing/hub.html",
        {
            "feed": feed,
            "page": page,
            "tag": tag,
            "kind": kind,
            "query": query,
            "filters": kept + "&" if kept else "",
            "kinds": Kind.choices,
            "blockers": sharing_blockers(user=request.user),
        },
    )
    sharer_cookie_set(response, request.user)
    return response


@login_required
def share(request, pk: int):
    item = selectors.hub_item(user=request.user, pk=pk)
    if item is None:
        raise Http404("This item is not in your hub.")
    # People read, and share, the item's words in their language; the share is the item's.
    shown = localised_one(item)
    blockers = sharing_blockers(user=request.user)
    if blockers:
        return TemplateResponse(
            request,
            "sharing/locked.html",
            {"item": item, "shown": shown, "blockers": blockers},
            status=403,
        )
    network = request.GET.get("network", Network.LINKEDIN)
    if network not in Network.values:
        network = Network.LINKEDIN
    status = 200
    if request.method == "POST":
        form = ShareForm(request.POST)
        made, status = form_run(
            form,
            lambda data: services.shares_create(
                user=request.user, item=item, networks=data["network"], caption=data["caption"]
            ),
        )
        if made:
            first, *others = made
            ready = reverse("sharing:share_ready", args=[first.code])
            if others:
                ready += "?" + urlencode([("also", other.code) for other in others])
            response = redirect(ready)
            sharer_cookie_set(response, request.user)
            return response
    else:
        form = ShareForm(initial={"network": [network], "caption": shown.caption_for(network)})
    captions = {value: shown.caption_for(value) for value in Network.values}
    limits = {value: services.caption_limit(value) for value in Network.values}
    return TemplateResponse(
        request,
        "sharing/share_form.html",
        {
            "item": item,
            "shown": shown,
            "form": form,
            "captions": captions,
            "limits": limits,
            "touch_for_full": quality.TOUCH_FOR_FULL_MARKS,
        },
        status=status,
    )


@login_required
def share_ready(request, code: str):
    made = Share.objects.select_related("item").filter(code=code, user=request.user).first()
    if made is None:
        raise Http404("You have no share with this code.")
    # The same post made for other networks at once (only the person's own, same item).
    also = [code for code in request.GET.getlist("also") if links.code_is_well_formed(code)]
    others = sorted(
        Share.objects.filter(user=request.user, item=made.item, code__in=also).exclude(pk=made.pk),
        key=lambda other: also.index(other.code),
    )
    cards = [_ready_card(made), *(_ready_card(other) for other in others)]
    return TemplateResponse(
        request,
        "sharing/share_ready.html",
        {
            **cards[0],
            "cards": cards,
            "networks_text": _list_text([card["share"].get_network_display() for card in cards]),
        },
    )


def _list_text(names: list[str]) -> str:
    """ "LinkedIn", "LinkedIn and X", "LinkedIn, X and Email", in the reader's language."""
    if len(names) < 2:
        return "".join(names)
    return _("%(first)s and %(last)s") % {"first": ", ".join(names[:-1]), "last": names[-1]}


def _ready_card(made: Share) -> dict:
    link = links.tracked_url(made.code)
    return {
        "share": made,
        "link": link,
        "text": f"{made.caption}\n\n{link}",
        "network_url": links.share_page_url(
            network=made.network, text=made.caption, link=link, subject=made.item.title
        ),
        "takes_text": links.network_takes_text(made.network),
    }


@login_required
def my_shares(request):
    summaries = selectors.my_shares(user=request.user)
    response = TemplateResponse(
        request,
        "sharing/my_shares.html",
        {
            "summaries": summaries,
            "totals": selectors.share_totals(user=request.user),
            "mix": selectors.recent_mix(user=request.user),
            "steps": quality.STEPS,
        },
    )
    sharer_cookie_set(response, request.user)
    return response


@login_required
def suggest(request):
    status = 200
    if request.method == "POST":
        form = SuggestForm(request.POST)
        made, status = form_run_once(
            form, lambda data: services.item_suggest(user=request.user, **data), user=request.user
        )
        if made is ALREADY_DONE:
            messages.info(request, ALREADY_SENT)
            return redirect("sharing:hub")
        if made is not None:
            messages.success(
                request,
                _(
                    "Thank you: the programme team will review your suggestion before it "
                    "appears in the hub."
                ),
            )
            return redirect("sharing:hub")
    else:
        form = SuggestForm()
    return TemplateResponse(request, "sharing/suggest.html", {"form": form}, status=status)


# --- the conversions API -----------------------------------------------------------------


def _refuse(status: int, message: str) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


@csrf_exempt
@require_POST
def conversions_api(request):
    """The company's site reports a conversion: ``{"code", "id", "label"?}``, signed.

    Headers: ``X-Advocate-Timestamp`` (Unix seconds) and ``X-Advocate-Signature``.
    A bad signature, a stale timestamp, a repeated id or an unknown code is refused.
    """
    secret = settings.SHARING_CONVERSION_SECRET
    if not secret:
        return _refuse(503, "Conversion tracking is not configured on this portal.")
    timestamp = request.headers.get(signatures.TIMESTAMP_HEADER, "")
    signature = request.headers.get(signatures.SIGNATURE_HEADER, "")
    expected = signatures.signature(secret=secret, timestamp=timestamp, body=request.body)
    if not signature or not hmac.compare_digest(signature, expected):
        return _refuse(401, "The signature does not match.")
    try:
        sent = int(timestamp)
    except ValueError:
        return _refuse(401, "The timestamp is not a number of seconds.")
    if abs(time.time() - sent) > settings.SHARING_CONVERSION_MAX_AGE:
        return _refuse(401, "The report is too old (or from the future): send it again.")
    try:
        payload = json.loads(request.body)
        code, external_id = payload["code"], payload["id"]
        if not isinstance(code, str) or not isinstance(external_id, str | int):
            raise TypeError
    except (ValueError, KeyError, TypeError):
        return _refuse(400, 'Send JSON with a share "code" and a conversion "id".')
    label = payload.get("label", "")
    try:
        conversion = services.conversion_record(
            code=cleaned(code, label=_("share code")),
            external_id=cleaned(str(external_id), label=_("conversion id")),
            label=cleaned(label, label=_("label")) if isinstance(label, str) else "",
            at=datetime.fromtimestamp(sent, tz=UTC),
        )
    except ServiceError as error:
        return _refuse(error.status, error.message)
    return JsonResponse({"counted": True, "share": conversion.share.code}, status=201)
