"""Keys reach what the keys before them opened, in the order they were typed.

A terminal hands auditui a fast typist's keys (a barcode scanner's, or keys typed while
the laptop was busy) several at once. Textual sends each key to whatever has the focus
*when the key is taken from the queue*, but a key that opens a screen or moves the focus
does so a few messages later: the keys behind it went to the old screen or field. Typed
right after `e`, a note was lost; after enter in the new-session form, the next field's
text was added to the field before it; `g 2` lost the `2`.

So keys (and pastes) are held in one queue of their own and handed on one at a time: each
goes on only once everything the one before it set in motion has settled (no messages
waiting on the app or any widget of the screen now shown), or after half a second at the
most, so a handler that keeps working cannot hold the keyboard hostage.

A key that stands for two (esc and a letter typed at once arrive as `alt+` the letter
where the terminal driver's parser is Textual's own) is put back as those two at the
front of the queue (`put_back_keys`), before the keys typed after it: posted as new
events, they went behind them, and a fail typed after esc landed on the item before the
one the auditor moved to. An `EscapeThen` (`escape_keys`: a Mac's option+arrow) is
settled here, when its turn comes: a word move in a text box, nothing anywhere else (it
failed the item on the walkthrough, taken as esc and f).
"""

from __future__ import annotations

import asyncio
from collections import deque
from typing import TypeVar

from textual import events
from textual.app import App
from textual.message_pump import MessagePump

from auditui.tui.escape_keys import EscapeThen

ReturnType = TypeVar("ReturnType")

SETTLE_ROUNDS = 12
"""At most this many passes over the message queues after a key (each pass lets every
queue run what it held when the pass began; a screen that opens needs about four)."""
SETTLE_SECONDS = 0.5
"""At most this long is the next key held back."""


class OrderedKeysApp(App[ReturnType]):
    """An app whose keys each wait for what the key before them started."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._keys_held: deque[events.Key | events.Paste] = deque()
        self._keys_moving = False

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, (events.Key, events.Paste)) and not event.is_forwarded:
            self._keys_held.append(event)
            if not self._keys_moving:
                self._keys_moving = True
                self.run_worker(self._hand_on_keys(), group="keys", exit_on_error=True)
            return
        await super().on_event(event)

    def put_back_keys(self, *keys: events.Key) -> None:
        """Hand these keys on next, before any key still held (see above)."""
        self._keys_held.extendleft(reversed(keys))
        if not self._keys_moving:
            self._keys_moving = True
            self.run_worker(self._hand_on_keys(), group="keys", exit_on_error=True)

    def keys_waiting(self) -> bool:
        """Whether keys typed after the one being handled are already here: typed on
        without a look at what that one opened (a question asked, say)."""
        return any(isinstance(key, events.Key) and key.is_printable for key in self._keys_held)

    async def _hand_on_keys(self) -> None:
        try:
            while self._keys_held:
                key = self._keys_held.popleft()
                if isinstance(key, EscapeThen):  # settled where the keys before it left
                    if not self._in_a_text_box():
                        continue  # a word move, with no word to move in: nothing
                    key = events.Key(key.key, None)
                await super().on_event(key)
                await self._settle()
        finally:
            self._keys_moving = False

    def _in_a_text_box(self) -> bool:
        from textual.widgets import Input, TextArea

        return isinstance(self.focused, (Input, TextArea))

    async def _settle(self) -> None:
        """Wait until the app and the screen shown have nothing left to do (see above)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + SETTLE_SECONDS
        for _ in range(SETTLE_ROUNDS):
            try:
                screen = self.screen
            except Exception:  # no screen: the app is ending
                return
            everything: list[MessagePump] = [self, *screen.walk_children(with_self=True)]
            # Waited on: what holds messages, and what may still be running the key's
            # handler (the app, the screen, the focused widget). The others have nothing
            # to run, and a barrier message to each of them costs more than the key.
            pumps = list(
                dict.fromkeys(
                    [self, screen, *([self.focused] if self.focused else [])]
                    + [pump for pump in everything if pump.message_queue_size]
                )
            )
            if not await _one_pass(pumps, deadline - loop.time()):
                return
            if self.screen is screen and not any(p.message_queue_size for p in everything):
                return


async def _one_pass(pumps: list[MessagePump], seconds: float) -> bool:
    """Let each pump run what it held when this began; False when time ran out."""
    waiting = 0
    done = asyncio.Event()

    def one_done() -> None:
        nonlocal waiting
        waiting -= 1
        if waiting == 0:
            done.set()

    for pump in pumps:
        if pump.call_later(one_done):
            waiting += 1
    if not waiting:
        return True
    try:
        await asyncio.wait_for(done.wait(), max(seconds, 0))
    except TimeoutError:
        return False
    return True
