"""One process of WebSocket clients for bench/leaderboard_fanout.py (no Django here).

Reads its clients from the first line of stdin (JSON: ``batch``, and ``clients``, a list
of [address, cookie, origin]), connects them ``batch`` at a time, each waiting for its
snapshot, and prints ``ready``. A socket that fails to open or is closed tries again
after 1 s, then 2, 4... up to 30 (as the portal's page does). Then it takes commands,
one per line:
- ``stop``: close every socket and print, as one JSON line, each message received as
  [the wall clock when it arrived, the update's "at"], and how many connection attempts
  failed;
- ``rounds N``: N rounds of every client connecting, taking its snapshot and leaving,
  then ``done``.
"""

import asyncio
import json
import random
import sys
import time

import websockets

failures = 0


async def listen(address, cookie, origin, ready: asyncio.Event, out: list) -> None:
    global failures
    headers = {"Cookie": cookie}
    delay = 1.0
    while True:
        try:
            async with websockets.connect(
                address, max_queue=None, additional_headers=headers, origin=origin
            ) as socket:
                await socket.recv()  # the snapshot
                ready.set()
                delay = 1.0
                async for text in socket:
                    # Only the clock here; "at" is cut out of the text (no parsing now).
                    start = text.find('"at":"') + 6
                    out.append((time.time(), text[start : text.index('"', start)]))
        except (OSError, websockets.WebSocketException, TimeoutError):
            pass
        failures += 1
        await asyncio.sleep(delay * (0.5 + random.random()))
        delay = min(delay * 2, 30.0)


async def touch(address, cookie, origin) -> None:
    async with websockets.connect(
        address, additional_headers={"Cookie": cookie}, origin=origin, open_timeout=300
    ) as socket:
        await socket.recv()


async def main() -> None:
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader(limit=2**28)  # the first line lists every client
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    setup = json.loads(await reader.readline())
    clients, batch_size = setup["clients"], setup["batch"]
    received: list = []
    readies = [asyncio.Event() for _ in clients]
    tasks = []
    for batch in range(0, len(clients), batch_size):
        for index in range(batch, min(batch + batch_size, len(clients))):
            tasks.append(asyncio.create_task(listen(*clients[index], readies[index], received)))
        await asyncio.gather(*(ready.wait() for ready in readies[batch : batch + batch_size]))
    print("ready", flush=True)
    while command := (await reader.readline()).decode().split():
        if command[0] == "stop":
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            print(json.dumps({"received": received, "failures": failures}), flush=True)
        elif command[0] == "rounds":
            for _ in range(int(command[1])):
                for batch in range(0, len(clients), batch_size):
                    await asyncio.gather(*(touch(*c) for c in clients[batch : batch + batch_size]))
            print("done", flush=True)


if __name__ == "__main__":
    asyncio.run(main())
