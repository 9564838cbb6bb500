"""Initial consumer population (docs/ODD.md §5): draws every consumer's traits into the store."""

from __future__ import annotations

import numpy as np

from socialabm.agents.consumer import ConsumerStore
from socialabm.network import SocialNetwork


def beta_with_mean(
    rng: np.random.Generator, mean: float, n: int, concentration: float = 4.0
) -> np.ndarray:
    """``n`` Beta draws with the given mean on [0, 1] (degenerate at 0 or 1)."""
    if mean <= 0.0 or mean >= 1.0:
        return np.full(n, float(mean))
    return rng.beta(mean * concentration, (1.0 - mean) * concentration, size=n)


def initialise(
    store: ConsumerStore,
    network: SocialNetwork,
    params: dict,
    qualities: np.ndarray,
    brands: np.ndarray,
    rng: np.random.Generator,
) -> None:
    """Draw initial traits, beliefs, fans and informedness for every consumer.

    Incomes are log-normal with mean ``income_mean`` (spread ``income_sd``), paid on a day of
    the pay period drawn uniformly per consumer; the credit line is ``credit_multiple`` times
    the income.

    Well-informed consumers are aware of every product and believe near its true quality;
    semi-informed ones know brands (belief around ``0.25 + 0.5 * brand``) but are unaware of the
    product; uninformed ones are unaware with a skeptical prior. Fans (``fan_share``) favour
    strong brands and are aware at each campaign's start.
    """
    n, p = store.n, params
    a = store.arrays
    a["valuation"][:] = p["valuation_mean"] * rng.lognormal(
        -0.5 * p["valuation_sd"] ** 2, p["valuation_sd"], n
    )
    a["cash"][:] = rng.exponential(p["cash_mean"], n) if p["cash_mean"] > 0 else 0.0
    a["income"][:] = p["income_mean"] * rng.lognormal(-0.5 * p["income_sd"] ** 2, p["income_sd"], n)
    a["pay_phase"][:] = rng.integers(0, p["income_every"], n)
    a["credit_limit"][:] = p["credit_multiple"] * a["income"]
    a["dignity"][:] = beta_with_mean(rng, p["dignity_mean"], n)
    a["self_restraint"][:] = beta_with_mean(rng, p["self_restraint_mean"], n)
    a["restraint_initial"][:] = a["self_restraint"]
    a["social_use"][:] = beta_with_mean(rng, p["social_use_mean"], n)
    a["trading_use"][:] = beta_with_mean(rng, p["trading_use_mean"], n)
    a["weak_share"][:] = network.weak_share()
    a["inflation"][:] = p["inflation_base"] + p["inflation_social"] * a["weak_share"]

    u = rng.random(n)
    well = u < p["share_well_informed"]
    semi = ~well & (u < p["share_well_informed"] + p["share_semi_informed"])
    a["informed"][:] = np.where(well, 2, np.where(semi, 1, 0))
    n_r = len(qualities)
    noise = rng.normal(0.0, p["brand_noise"], size=(n, n_r))
    brand_prior = 0.25 + 0.5 * brands[None, :]
    belief = np.where(semi[:, None], brand_prior + noise, p["uninformed_prior"] + noise)
    belief = np.where(well[:, None], qualities[None, :] + 0.25 * noise, belief)
    a["belief"][:] = np.clip(belief, 0.0, 1.0)
    a["aware"][:] = well[:, None]

    fans = rng.random(n) < p["fan_share"]
    weights = brands / brands.sum() if brands.sum() > 0 else np.full(n_r, 1.0 / n_r)
    a["fan_of"][:] = np.where(fans, rng.choice(n_r, size=n, p=weights), -1)
    a["loyalty"][:] = np.where(fans, rng.uniform(0.5, 1.0, n), 0.0)
