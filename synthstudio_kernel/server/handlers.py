"""Authenticated JSON routes under ``/synthstudio/api/`` (thin: payloads.py builds the JSON)."""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Callable
from typing import Any

import tornado.web
from jupyter_server.base.handlers import APIHandler
from jupyter_server.utils import url_path_join

from ..errors import SynthStudioError
from . import payloads

NAMESPACE = "synthstudio/api"
RUN_ID = re.compile(r"[0-9A-Za-z_-]{1,64}")


def _ledger() -> Any:
    from ..privacy.ledger import get_ledger

    return get_ledger()


class _LedgerHandler(APIHandler):
    """Runs one payload builder off the event loop and writes its JSON (or a JSON error)."""

    async def _reply(self, build: Callable[..., dict[str, Any]], *args: Any, **kwargs: Any) -> None:
        try:
            payload = await asyncio.to_thread(lambda: build(_ledger(), *args, **kwargs))
        except payloads.NotFound as exc:
            raise tornado.web.HTTPError(404, str(exc)) from None
        except SynthStudioError as exc:  # ledger unreachable or misconfigured: say so, it is actionable
            raise tornado.web.HTTPError(503, str(exc)) from None
        self.set_header("Cache-Control", "no-store")
        self.finish(json.dumps(payload))

    def _int_argument(self, name: str, default: int, *, low: int = 0, high: int = payloads.MAX_RUNS) -> int:
        raw = self.get_query_argument(name, None)
        if raw is None:
            return default
        try:
            value = int(raw)
        except ValueError:
            raise tornado.web.HTTPError(400, f"?{name}= must be an integer.") from None
        if not low <= value <= high:
            raise tornado.web.HTTPError(400, f"?{name}= must be between {low} and {high}.")
        return value


class DatasetsHandler(_LedgerHandler):
    @tornado.web.authenticated
    async def get(self) -> None:
        runs = self._int_argument("runs", payloads.LIST_RUNS, high=100)
        await self._reply(payloads.datasets_payload, runs_per_dataset=runs)


class DatasetHandler(_LedgerHandler):
    @tornado.web.authenticated
    async def get(self, name: str) -> None:
        await self._reply(payloads.dataset_payload, name, limit=self._int_argument("limit", payloads.MAX_RUNS))


class RunsHandler(_LedgerHandler):
    @tornado.web.authenticated
    async def get(self) -> None:
        dataset = self.get_query_argument("dataset", None) or None
        await self._reply(payloads.runs_payload, dataset=dataset, limit=self._int_argument("limit", 50))


class RunHandler(_LedgerHandler):
    @tornado.web.authenticated
    async def get(self, run_id: str) -> None:
        await self._reply(payloads.run_payload, run_id)


class ComplianceHandler(_LedgerHandler):
    @tornado.web.authenticated
    async def get(self, run_id: str) -> None:
        await self._reply(payloads.compliance_payload, run_id)


class FrameworksHandler(_LedgerHandler):
    @tornado.web.authenticated
    async def get(self, run_id: str) -> None:
        await self._reply(payloads.frameworks_payload, run_id)


class FrameworksBatchHandler(_LedgerHandler):
    """``?run=<id>&run=<id>...``: the framework badges of the runs the sidebar lists."""

    @tornado.web.authenticated
    async def get(self) -> None:
        run_ids = [r for r in self.get_query_arguments("run") if r]
        if len(run_ids) > payloads.MAX_BADGE_RUNS:
            raise tornado.web.HTTPError(400, f"Ask for at most {payloads.MAX_BADGE_RUNS} runs at once.")
        if any(not RUN_ID.fullmatch(r) for r in run_ids):
            raise tornado.web.HTTPError(400, "?run= takes run ids (letters, digits, '-' and '_').")
        await self._reply(payloads.frameworks_batch_payload, run_ids)


class RunReportHandler(APIHandler):
    """The run's self-contained HTML report (status, privacy report, scorecard, compliance)."""

    @tornado.web.authenticated
    async def get(self, run_id: str) -> None:
        try:
            page = await asyncio.to_thread(lambda: payloads.run_report_page(_ledger(), run_id))
        except payloads.NotFound as exc:
            raise tornado.web.HTTPError(404, str(exc)) from None
        except SynthStudioError as exc:
            raise tornado.web.HTTPError(503, str(exc)) from None
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        self.finish(page)


ROUTES: list[tuple[str, type[APIHandler]]] = [
    (r"datasets/?", DatasetsHandler),
    (r"datasets/(?P<name>[^/]+)/?", DatasetHandler),
    (r"runs/?", RunsHandler),
    (r"runs/(?P<run_id>[0-9A-Za-z_-]+)/?", RunHandler),
    (r"runs/(?P<run_id>[0-9A-Za-z_-]+)/compliance/?", ComplianceHandler),
    (r"runs/(?P<run_id>[0-9A-Za-z_-]+)/report/?", RunReportHandler),
    (r"runs/(?P<run_id>[0-9A-Za-z_-]+)/frameworks/?", FrameworksHandler),
    (r"frameworks/?", FrameworksBatchHandler),
]


def setup_handlers(web_app: Any) -> None:
    """Add the routes to the server's Tornado application."""
    base_url = web_app.settings["base_url"]
    handlers = [(url_path_join(base_url, NAMESPACE, pattern), handler) for pattern, handler in ROUTES]
    web_app.add_handlers(".*$", handlers)
