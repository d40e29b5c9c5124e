"""dp-mst: noisy one-way marginals, a maximum spanning tree of two-way marginals chosen
under DP, Gaussian measurements of its edges, and a graphical-model estimate
(McKenna, Miklau & Sheldon 2021, "Winning the NIST Contest").

Budget (after DP bounds): a third for the one-way measurements, a third for the ``d − 1``
exponential-mechanism selections, a third for measuring the selected pairs. Each round
selects one edge (among pairs joining two components, scored by the L1 error of the
independent model) and measures it; Stop ends the rounds and estimates from what was measured.
"""

from __future__ import annotations

import itertools
from typing import Any, ClassVar

import numpy as np

from ..base import FitContext
from .base import MarginalSynthesizer, RunState
from .plan import MarginalPlan, mst_rounds

#: Mirror-descent steps of the one-way (independent) model used to score the edges.
SCORE_ITERS = 30


class DPMSTMethod(MarginalSynthesizer):
    """Differentially private MST."""

    name: ClassVar[str] = "dp-mst"
    ONE_WAY_SHARE: ClassVar[float] = 1 / 3
    DEFAULTS: ClassVar[dict[str, Any]] = {}

    def _schedule(self, plan: MarginalPlan, left: float) -> None:
        rounds, sigma, epsilon = mst_rounds(left, len(plan.modelled))
        plan.rounds, plan.sigma_round, plan.epsilon_select = rounds, sigma, epsilon

    def _run(self, state: RunState, context: FitContext) -> None:
        plan = state.plan
        attrs = state.attrs
        context.begin_epochs(max(plan.rounds, 1))
        independent = state.estimate(SCORE_ITERS)
        pairs = list(itertools.combinations(attrs, 2))
        scores = np.array([np.abs(state.exact(p) - independent.marginal(p)).sum() for p in pairs])
        parent = {a: a for a in attrs}

        def find(a: str) -> str:
            while parent[a] != a:
                parent[a] = parent[parent[a]]
                a = parent[a]
            return a

        for round_ in range(1, plan.rounds + 1):
            open_ = [i for i, (a, b) in enumerate(pairs) if find(a) != find(b)]
            names = ["|".join(pairs[i]) for i in open_]
            chosen = pairs[open_[state.select(scores[open_], names, epsilon=plan.epsilon_select, sensitivity=1.0)]]
            parent[find(chosen[0])] = find(chosen[1])
            state.measure(chosen, plan.sigma_round)
            state.rounds = round_
            stop = context.epoch_end(round_, plan.rounds, {}, epsilon=state.epsilon(), extra={"selected": list(chosen)})
            if stop and round_ < plan.rounds:
                state.stopped = True
                break
        state.estimate(self.params["iters"])
        if plan.rounds == 0:
            context.epoch_end(1, 1, {}, epsilon=state.epsilon(), extra={})
