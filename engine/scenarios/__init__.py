"""Scenarios: small data files beside the diagrams (workflows/scenarios/) that drive one case through the
engine's own services on a throw-away database with a manual clock, and say after each step what a
person would see: whose inbox holds which task, the case's stage and status, the supervision notices,
a value of the case's data.

`format` reads and checks the files, `world` builds the throw-away database, `runner` plays the steps
and `expectations` judges them; `gate` is the studio's check before a version is published."""
