"""`python -m lakehouse.docs.docs_pass`: a reader's pass to the docs site, signed with KMS
(moto's, in this process) as CloudFront verifies it: RSA with SHA-256 over the exact policy
bytes; the policy covers the whole site until the expiry asked for; a refusal is one line."""

import base64
import json
import time
from urllib.parse import parse_qs, urlsplit

import boto3
import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding
from moto import mock_aws

from lakehouse.docs import docs_pass

SITE = "https://d111111abcdef8.cloudfront.net"
KEY_PAIR_ID = "K2JCJMDEHXQW5F"


def cloudfront_decoded(text: str) -> bytes:
    return base64.b64decode(text.translate(str.maketrans("-_~", "+=/")))


@pytest.fixture
def kms():
    with mock_aws():
        client = boto3.client("kms", region_name="eu-west-1")
        yield client


def signing_key(kms) -> str:
    key = kms.create_key(KeySpec="RSA_2048", KeyUsage="SIGN_VERIFY")
    return key["KeyMetadata"]["Arn"]


def verifies(kms, key_arn: str, signature: bytes, message: bytes) -> bool:
    der = kms.get_public_key(KeyId=key_arn)["PublicKey"]
    public = serialization.load_der_public_key(der)
    try:
        public.verify(signature, message, padding.PKCS1v15(), hashes.SHA256())
    except InvalidSignature:
        return False
    return True


def test_the_pass_is_the_whole_site_until_its_expiry_signed_by_the_key(kms):
    key_arn = signing_key(kms)
    now = time.time()
    url = docs_pass.sign_in_url(kms, f"{SITE}/#!/overview", key_arn, KEY_PAIR_ID, 4, now=now)
    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == f"{SITE}/"
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    assert (query["Key-Pair-Id"], query["Hash-Algorithm"]) == (KEY_PAIR_ID, "SHA256")
    policy = cloudfront_decoded(query["Policy"])
    assert json.loads(policy) == {
        "Statement": [
            {
                "Resource": f"{SITE}/*",
                "Condition": {"DateLessThan": {"AWS:EpochTime": int(now + 4 * 3600)}},
            }
        ]
    }
    assert b" " not in policy  # CloudFront verifies the policy's exact bytes
    signature = cloudfront_decoded(query["Signature"])
    assert verifies(kms, key_arn, signature, policy)
    assert not verifies(kms, signing_key(kms), signature, policy), "another key verified it"
    assert not verifies(kms, key_arn, signature, policy.replace(b"/*", b"/x"))


def test_main_prints_the_url_and_refuses_in_one_line(kms, capsys):
    key_arn = signing_key(kms)
    args = ["--url", SITE, "--key-arn", key_arn, "--key-pair-id", KEY_PAIR_ID]
    assert docs_pass.main(args, kms=kms) == 0
    assert capsys.readouterr().out.startswith(f"{SITE}/?Policy=")

    assert docs_pass.main(["--url", "http://example.com", *args[2:]], kms=kms) == 2
    assert capsys.readouterr().err == (
        "error: --url 'http://example.com' is not the site's https:// address\n"
    )
    missing = key_arn.rsplit("/", 1)[0] + "/00000000-0000-4000-8000-000000000000"
    assert docs_pass.main([*args[:3], missing, *args[4:]], kms=kms) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: KMS did not sign the pass (NotFoundException")
    assert err.endswith("the domain must list it in docs_readers\n") and err.count("\n") == 1
