"""The business logic: sends the day's orders through whatever provides
example:service/processing (the Rust validator, once composed) and prints
one line per order with what came back."""

import wit_world
from wit_world.imports import processing
from componentize_py_types import Err
from wit_world import exports

# The orders to process: the last two are rejected by the validator.
ORDERS = [
    processing.Request(id="order-42", payload=b"hello, components", priority=3),
    processing.Request(id="order-43", payload=b"two languages, one component", priority=9),
    processing.Request(id="order-44", payload=b"", priority=1),
    processing.Request(id="order-45", payload=b"rush", priority=12),
]


def describe(req: processing.Request) -> str:
    """Calls the linked processor and renders its result on one line."""
    try:
        resp = processing.process(req)
    except Err as e:
        return f"rejected {req.id}: {e.value}"
    tags = ",".join(resp.tags)
    return (
        f"accepted {resp.id} (status {resp.status}, checksum {resp.checksum},"
        f" tags {tags}): {resp.message}"
    )


class WitWorld(wit_world.WitWorld):
    def handle(self, input: str) -> str:
        req = processing.Request(id="handle", payload=input.encode("utf-8"), priority=5)
        return describe(req)


class Run(exports.Run):
    def run(self) -> None:
        for req in ORDERS:
            print("business: " + describe(req))
