"""An S3 API on loopback for tests: moto's server, spoken to over real HTTP by
boto3 (no mocks in the client), one fresh bucket per test.

Use the fixtures by importing them into a test module (``from tests.s3_support
import s3, s3_server  # noqa: F401``)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

import pytest

REGION = "us-east-1"


@dataclass
class S3Box:
    url: str  #: the endpoint, http://127.0.0.1:PORT
    bucket: str  #: a new, empty bucket of this test's own
    client: Any  #: a boto3 client to look at the bucket from outside Parley

    def names(self, prefix: str = "") -> list[str]:
        listed = self.client.list_objects_v2(Bucket=self.bucket, Prefix=prefix)
        return sorted(item["Key"] for item in listed.get("Contents", []))

    def settings(self, prefix: str = "evidence") -> dict:
        """The app settings that put uploads in this bucket."""
        return {"UPLOAD_STORE": f"s3://{self.bucket}/{prefix}", "S3_ENDPOINT_URL": self.url,
                "S3_REGION": REGION, "S3_ADDRESSING_STYLE": "path"}


@pytest.fixture(scope="session")
def s3_server():
    """moto's S3 on 127.0.0.1, on a port the system chooses; its URL."""
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def s3(s3_server, monkeypatch, tmp_path) -> S3Box:
    """A new bucket; credentials in the standard AWS variables, as a deployment
    sets them (and never this machine's own ~/.aws files)."""
    import boto3
    from botocore.config import Config

    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "parley-test")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "parley-test-secret")
    for name in ("AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_DEFAULT_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-aws-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-aws-credentials"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    client = boto3.session.Session().client(
        "s3", endpoint_url=s3_server, region_name=REGION,
        config=Config(s3={"addressing_style": "path"}))
    bucket = f"parley-{secrets.token_hex(6)}"
    client.create_bucket(Bucket=bucket)
    return S3Box(s3_server, bucket, client)
