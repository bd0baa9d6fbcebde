"""Telegram Desktop exports (``result.json``): one document per message that has text.

Telegram Desktop's "Export chat history" (JSON) writes one object with ``name``, ``type``, ``id``
and a ``messages`` list; a full account export nests such chats under ``chats.list``.  A
message's ``text`` is a string, or a list of strings and entity objects
(``{"type": "bold", "text": "..."}``) that we join in order, so the document text is what a
reader sees in the app and every offset refers to it.  Service messages (pins, joins) are left
out.  The message date, author (``from``) and channel name become the document's metadata.

The export is one JSON object, read whole: a channel of 100,000 posts is a few hundred MB of
memory while its messages are turned into documents (which are then streamed).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from redline.document import Document
from redline.errors import InputError
from redline.ingest.files import open_regular

Item = Document | InputError


def message_text(text: object) -> str:
    """The visible text of a message: a plain string, or the parts of a rich-text list joined."""
    if isinstance(text, str):
        return text
    if isinstance(text, list):
        return "".join(
            part if isinstance(part, str) else str(part.get("text", ""))
            for part in text
            if isinstance(part, str | dict)
        )
    return ""


def _chats(export: dict[str, Any]) -> list[dict[str, Any]]:
    """A single-chat export, or every chat of a full account export."""
    if isinstance(export.get("messages"), list):
        return [export]
    chats = export.get("chats")
    listed = chats.get("list") if isinstance(chats, dict) else None
    if isinstance(listed, list):
        return [c for c in listed if isinstance(c, dict) and isinstance(c.get("messages"), list)]
    return []


def _message_document(msg: dict[str, Any], chat: dict[str, Any]) -> Document | None:
    if msg.get("type", "message") != "message":
        return None
    text = message_text(msg.get("text"))
    if not text.strip():
        return None
    channel = str(chat.get("name") or "Telegram")
    meta: dict[str, Any] = {
        "id": f"telegram:{chat.get('id', '')}:{msg.get('id', '')}",
        "source": channel,
        "speaker": msg.get("from") or msg.get("author") or channel,
        "date": msg.get("date"),
        "telegram_chat_type": chat.get("type"),
        "telegram_message_id": msg.get("id"),
    }
    for extra in ("forwarded_from", "reply_to_message_id", "edited"):
        if msg.get(extra) is not None:
            meta[f"telegram_{extra}"] = msg[extra]
    doc = Document(text=text, id=meta["id"], source=channel)
    doc.meta.update({k: v for k, v in meta.items() if v is not None})
    return doc


def read_export(path: Path, name: str, max_bytes: int) -> Iterator[Item]:
    """Yield one `Document` per text message in the export at ``path``, or one `InputError`."""
    try:
        with open_regular(path) as fh:
            export = json.loads(fh.read().decode("utf-8-sig"))
    except OSError as exc:
        yield InputError(name, f"cannot read: {exc.strerror or exc}")
        return
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        yield InputError(name, f"not valid JSON ({str(exc).splitlines()[0][:80]})")
        return
    chats = _chats(export) if isinstance(export, dict) else []
    if not chats:
        yield InputError(name, "not a Telegram Desktop export (no 'messages' list)")
        return
    found = False
    for chat in chats:
        for msg in chat["messages"]:
            item = _message_document(msg, chat) if isinstance(msg, dict) else None
            if item is None:
                continue
            found = True
            if len(item.text) > max_bytes:
                yield InputError(f"{name}#{msg.get('id')}", "message is over the size limit")
                continue
            yield item
    if not found:
        yield InputError(name, "this Telegram export holds no messages with text")


def count_messages(path: Path) -> int:
    """How many documents `read_export` would yield (for a progress bar's total)."""
    try:
        with open_regular(path) as fh:
            export = json.loads(fh.read().decode("utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return 1
    chats = _chats(export) if isinstance(export, dict) else []
    total = sum(
        1 for chat in chats for m in chat["messages"]
        if isinstance(m, dict) and m.get("type", "message") == "message"
        and message_text(m.get("text")).strip()
    )
    return max(total, 1)
