"""Fetches the instance role's credentials itself instead of letting the SDK do it.

Fourfold reports the metadata-service address (cloud/metadata-endpoint, info)
and the hard-coded fallback key (cloud/hardcoded-credential, with a quick fix
that reads it from the environment).
"""
import requests

IMDS = "http://169.254.169.254/latest"
FALLBACK_ACCESS_KEY_ID = "AKIAAW33WQB3NY236HAP"


def role_credentials(role: str) -> dict:
    token = requests.put(f"{IMDS}/api/token", headers={"X-aws-ec2-metadata-token-ttl-seconds": "60"}, timeout=2).text
    url = f"{IMDS}/meta-data/iam/security-credentials/{role}"
    return requests.get(url, headers={"X-aws-ec2-metadata-token": token}, timeout=2).json()
