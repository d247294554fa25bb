"""A pass to a domain's docs site, for a reader of another domain (docs/terraform.md, "The docs
site"): prints a sign-in URL to open in a browser.

    python -m lakehouse.docs.docs_pass --url https://d111111abcdef8.cloudfront.net/ \\
        --key-arn arn:aws:kms:eu-west-1:111122223333:key/<id> --key-pair-id K2JCJMDEHXQW5F

(the baseline's `docs_pass_command` output is that line). The pass is a CloudFront signed URL
whose policy covers the whole site until it expires (`--hours`, 12 by default: no longer than
the site allows), signed with the domain's KMS key by the reader's own AWS credentials: the
domain lists the reader's account or role in `docs_readers`, and the reader's own IAM policy
allows `kms:Sign` on that key. The site's edge function then keeps the pass as cookies for the
rest of the visit. Needs only Python 3 and boto3: copy this file where the repository is not.
"""

from __future__ import annotations

import argparse
import base64
import json
import re
import sys
import time
from urllib.parse import urlsplit

from botocore.exceptions import BotoCoreError, ClientError

SIGNING_ALGORITHM = "RSASSA_PKCS1_V1_5_SHA_256"  # CloudFront's RSA with SHA-256
KEY_ARN = re.compile(r"^arn:aws[a-z-]*:kms:([a-z0-9-]+):[0-9]{12}:key/[0-9a-f-]+$")


class PassError(Exception):
    """What stops a pass, in one line."""


def site_root(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.netloc:
        raise PassError(f"--url {url!r} is not the site's https:// address")
    return f"https://{parts.netloc}"


def policy(site: str, expires: int) -> bytes:
    """The custom policy of a pass to every page of `site` until `expires` (Unix seconds),
    without whitespace, as CloudFront compares it."""
    statement = {"Resource": f"{site}/*", "Condition": {"DateLessThan": {"AWS:EpochTime": expires}}}
    return json.dumps({"Statement": [statement]}, separators=(",", ":")).encode()


def cloudfront_base64(data: bytes) -> str:
    """Base64 with CloudFront's URL-safe characters: '-' for '+', '_' for '=', '~' for '/'."""
    return base64.b64encode(data).decode().translate(str.maketrans("+=/", "-_~"))


def sign_in_url(
    kms, url: str, key_arn: str, key_pair_id: str, hours: float, now: float | None = None
) -> str:
    """The signed URL of the site's home page: a pass valid for `hours` from `now`."""
    site = site_root(url)
    expires = int((time.time() if now is None else now) + hours * 3600)
    statement = policy(site, expires)
    signature = kms.sign(
        KeyId=key_arn, Message=statement, MessageType="RAW", SigningAlgorithm=SIGNING_ALGORITHM
    )["Signature"]
    return (
        f"{site}/?Policy={cloudfront_base64(statement)}&Signature={cloudfront_base64(signature)}"
        f"&Key-Pair-Id={key_pair_id}&Hash-Algorithm=SHA256"
    )


def main(argv: list[str] | None = None, kms=None) -> int:
    parser = argparse.ArgumentParser(description="Print a sign-in URL of a domain's docs site.")
    parser.add_argument("--url", required=True, help="the site's address (https://...)")
    parser.add_argument("--key-arn", required=True, help="the domain's pass signing key (KMS)")
    parser.add_argument("--key-pair-id", required=True, help="its CloudFront public key id")
    parser.add_argument("--hours", type=float, default=12, help="how long the pass lasts")
    args = parser.parse_args(argv)
    try:
        match = KEY_ARN.match(args.key_arn)
        if match is None:
            raise PassError(f"--key-arn {args.key_arn!r} is not a KMS key ARN")
        if args.hours <= 0:
            raise PassError("--hours must be more than 0")
        if kms is None:
            import boto3

            kms = boto3.client("kms", region_name=match.group(1))
        print(sign_in_url(kms, args.url, args.key_arn, args.key_pair_id, args.hours))
    except PassError as refused:
        print(f"error: {refused}", file=sys.stderr)
        return 2
    except (BotoCoreError, ClientError) as failed:  # no credentials, access denied, no key
        print(
            f"error: KMS did not sign the pass ({type(failed).__name__}: {failed}); your role "
            "needs kms:Sign on the key, and the domain must list it in docs_readers",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
