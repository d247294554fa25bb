"""The checkout under test: its root folder and its virtual environment."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = ROOT / ".venv" / "bin"
