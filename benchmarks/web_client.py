"""What the page benchmarks share: signing in through the login form with Flask's test client, and timing GETs."""
from __future__ import annotations

import re
import time


def sign_in(client, username: str, password: str) -> None:
    token = re.search(r'name="csrf-token" content="([^"]+)"', client.get("/login").get_data(as_text=True)).group(1)
    response = client.post("/login", data={"username": username, "password": password, "csrf_token": token})
    assert response.status_code == 302, "sign-in failed"


def timed_gets(client, path: str, requests: int, headers: dict, warmup: int = 1) -> list[float]:
    """Seconds each of `requests` GETs of `path` took, after `warmup` untimed ones; every answer must be 200."""
    for _ in range(warmup):
        assert client.get(path, headers=headers).status_code == 200, path
    samples = []
    for _ in range(requests):
        started = time.perf_counter()
        response = client.get(path, headers=headers)
        samples.append(time.perf_counter() - started)
        assert response.status_code == 200, (path, response.status_code, response.get_data(as_text=True)[:300])
    return samples
