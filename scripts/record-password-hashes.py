"""Records password hashes made by the real libraries, for test/integration/import.test.ts.

passlib 1.7 (bcrypt, bcrypt_sha256 and argon2 on its builtin/argon2-cffi backends, pbkdf2),
argon2-cffi for argon2i / argon2d, and the bcrypt package. Flask-Security's double hash is
reproduced as its utils.hash_password does it: the password normalised (NFKD, its default
SECURITY_PASSWORD_NORMALIZE_FORM), then base64(HMAC-SHA512(SECURITY_PASSWORD_SALT, password)),
then the passlib scheme.

Run: PASSLIB_BUILTIN_BCRYPT=enabled python3 scripts/record-password-hashes.py
(with passlib, bcrypt and argon2-cffi installed; passlib's builtin bcrypt backend is used
because passlib 1.7.4 cannot load bcrypt>=4.1's backend).
"""
import base64
import hashlib
import hmac
import json
import sys
import unicodedata

import argon2
import argon2.low_level
import bcrypt as pybcrypt
import passlib
from passlib.hash import argon2 as passlib_argon2
from passlib.hash import bcrypt, bcrypt_sha256, pbkdf2_sha1, pbkdf2_sha256, pbkdf2_sha512

bcrypt.set_backend("builtin")
bcrypt_sha256.set_backend("builtin")

PASSWORD = "correct horse battery café"  # precomposed é: NFKD changes it
SALT = "flask-security-fixture-salt-0123456789"


def flask_hmac(password: str) -> str:
    normalised = unicodedata.normalize("NFKD", password)
    digest = hmac.new(SALT.encode(), normalised.encode(), hashlib.sha512).digest()
    return base64.b64encode(digest).decode("ascii")


def argon2_raw(kind: argon2.low_level.Type) -> str:
    return argon2.low_level.hash_secret(
        PASSWORD.encode(), b"fixture-salt-16b", time_cost=2, memory_cost=8192, parallelism=1,
        hash_len=32, type=kind,
    ).decode()


flask = [
    ("bcrypt", bcrypt.using(rounds=6).hash(flask_hmac(PASSWORD))),
    ("bcrypt-sha256", bcrypt_sha256.using(rounds=6).hash(flask_hmac(PASSWORD))),
    ("pbkdf2-sha512", pbkdf2_sha512.hash(flask_hmac(PASSWORD))),
    ("argon2id", passlib_argon2.using(memory_cost=8192, rounds=2).hash(flask_hmac(PASSWORD))),
]
plain = [
    ("bcrypt", pybcrypt.hashpw(PASSWORD.encode(), pybcrypt.gensalt(rounds=6)).decode()),
    ("bcrypt-2a", pybcrypt.hashpw(PASSWORD.encode(), pybcrypt.gensalt(rounds=6, prefix=b"2a")).decode()),
    ("argon2i", argon2_raw(argon2.low_level.Type.I)),
    ("argon2d", argon2_raw(argon2.low_level.Type.D)),
    ("argon2id", argon2.PasswordHasher(time_cost=2, memory_cost=8192, parallelism=1).hash(PASSWORD)),
    ("bcrypt-sha256-v1", bcrypt_sha256.using(rounds=6, version=1).hash(PASSWORD)),
    ("pbkdf2-sha256", pbkdf2_sha256.hash(PASSWORD)),
    ("pbkdf2-sha1", pbkdf2_sha1.hash(PASSWORD)),
]
json.dump(
    {
        "description": "password hashes made by the real libraries (scripts/record-password-hashes.py)",
        "libraries": {
            "passlib": passlib.__version__,
            "bcrypt": pybcrypt.__version__,
            "argon2-cffi": __import__("importlib.metadata").metadata.version("argon2-cffi"),
        },
        "password": PASSWORD,
        "flaskSecurity": {
            "passwordSalt": SALT,
            "normalize": "NFKD",
            "hashes": [{"scheme": s, "hash": h} for s, h in flask],
        },
        "plain": [{"scheme": s, "hash": h} for s, h in plain],
    },
    sys.stdout,
    indent=2,
    ensure_ascii=False,
)
print()
