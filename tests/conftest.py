"""Shared fixtures: tiny tables, scalar-and-array inputs, hypothesis profiles."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, settings

DATA = Path(__file__).parent / "data"

settings.register_profile(
    "ci",
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=True,
)
settings.register_profile("dev", max_examples=60, deadline=None)
settings.register_profile("big", max_examples=3000, deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else os.environ.get("HYPOTHESIS_PROFILE", "dev"))


@pytest.fixture
def tiny_catalogue_path() -> Path:
    return DATA / "tiny_catalogue.csv"


@pytest.fixture
def tiny_sites_path() -> Path:
    return DATA / "tiny_sites.csv"


@pytest.fixture
def tiny_catalogue(tiny_catalogue_path):
    from rangemap.catalogue import load_catalogue

    return load_catalogue(tiny_catalogue_path)


@pytest.fixture
def tiny_sites(tiny_sites_path):
    from rangemap.sites import load_sites

    return load_sites(tiny_sites_path)


@pytest.fixture(params=["scalar", "array"])
def scalar_and_array(request):
    """Turn a scalar into itself or a one-element array (like pyproj's fixture)."""
    if request.param == "scalar":
        return lambda x: x
    return lambda x: np.array([x])
