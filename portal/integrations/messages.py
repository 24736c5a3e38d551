"""What a chat message says, in each tool's own format: Slack blocks (mrkdwn) and
Microsoft Teams Adaptive Cards. One ``Message`` (a title, lines, an optional link)
becomes either."""

from dataclasses import dataclass, field

from .models import ChatKind


@dataclass(frozen=True)
class Message:
    title: str
    lines: list[str] = field(default_factory=list)
    link: tuple[str, str] | None = None  # (label, url)

    @property
    def text(self) -> str:
        """Plain text: the notification and fallback every tool shows."""
        return " ".join([self.title, *self.lines])


def _slack_escape(text: str) -> str:
    # Slack's mrkdwn treats these three as markup (links, mentions).
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def slack_payload(message: Message) -> dict:
    blocks: list[dict] = [
        {"type": "header", "text": {"type": "plain_text", "text": message.title[:150]}}
    ]
    if message.lines:
        body = "\n".join(_slack_escape(line) for line in message.lines)
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": body[:3000]}})
    if message.link:
        label, url = message.link
        blocks.append(
            {
                "type": "actions",
                "elements": [
                    {
                        "type": "button",
                        "text": {"type": "plain_text", "text": label[:75]},
                        "url": url,
                    }
                ],
            }
        )
    return {"text": message.text[:3000], "blocks": blocks}


def teams_payload(message: Message) -> dict:
    body: list[dict] = [
        {
            "type": "TextBlock",
            "text": message.title,
            "weight": "Bolder",
            "size": "Medium",
            "wrap": True,
        }
    ]
    body += [{"type": "TextBlock", "text": line, "wrap": True} for line in message.lines]
    card: dict = {
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "type": "AdaptiveCard",
        "version": "1.4",
        "body": body,
    }
    if message.link:
        label, url = message.link
        card["actions"] = [{"type": "Action.OpenUrl", "title": label, "url": url}]
    return {
        "type": "message",
        "summary": message.text[:200],
        "attachments": [
            {
                "contentType": "application/vnd.microsoft.card.adaptive",
                "contentUrl": None,
                "content": card,
            }
        ],
    }


def chat_payload(kind: str, message: Message) -> dict:
    return slack_payload(message) if kind == ChatKind.SLACK else teams_payload(message)
