"""`python -m playground` (make demo): the bot in a browser, without Telegram."""

import argparse
import contextlib
import logging
import os
import sys
from pathlib import Path

import uvloop

from playground.web import serve


def main() -> None:
    parser = argparse.ArgumentParser(
        prog="python -m playground",
        description="A local playground: the real bot against a fake Telegram, in a browser.",
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=int(os.environ.get("DEMO_PORT", "8765")))
    parser.add_argument("--database", type=Path, default=Path(".demo/playground.db"),
                        help="the demo's own SQLite file, made afresh at every start")
    parser.add_argument("--language", choices=("zh", "en"), default="zh",
                        help="until a browser asks for another")
    args = parser.parse_args()
    # The one line worth reading is the address; the bot's own log stays quiet unless wrong.
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    with contextlib.suppress(KeyboardInterrupt):
        sys.exit(uvloop.run(serve(args.database.resolve(), args.host, args.port, args.language)))


if __name__ == "__main__":
    main()
