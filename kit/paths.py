"""Where the kit's bundled files live, in a source checkout and in an installed wheel alike."""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent


def _bundled_root() -> Path:
    """The checkout root when running from source, else the copy the wheel carries."""
    checkout = PACKAGE_DIR.parent
    if (checkout / "assessments").is_dir() and (checkout / "pyproject.toml").is_file():
        return checkout
    return PACKAGE_DIR / "_bundled"


ROOT = _bundled_root()
ASSESSMENTS_DIR = ROOT / "assessments"
CONTENT_DIR = ROOT / "content"
NOTEBOOKS_DIR = ROOT / "notebooks"
SAMPLES_DIR = PACKAGE_DIR / "samples"
SAMPLE_COHORT = SAMPLES_DIR / "sample_cohort.csv"
