"""The performance benchmark (SPEC §10): ``python -m bench``; see ``bench/run.py``."""
