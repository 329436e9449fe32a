"""bench/submit.py --fast-secret-hash: the application with the tracking secret hashed by a
light Argon2 (1 pass, 1 MiB, 1 lane) instead of the password hasher (2 passes, 100 MiB, 8
lanes), to measure what the proposed change to submit_dossier would give. Bench only."""

from functools import partial

from django.contrib.auth.hashers import Argon2PasswordHasher, make_password

from opendvc.wsgi import application  # noqa: F401  (sets Django up first)


class LightSecretHasher(Argon2PasswordHasher):
    # A 10-symbol secret from 32 symbols carries 50 random bits: no dictionary to slow down.
    algorithm = "argon2"  # same encoding, so check_password verifies it unchanged
    time_cost = 1
    memory_cost = 1024
    parallelism = 1


from opendvc.dossiers.actions import filing  # noqa: E402

filing.make_password = partial(make_password, hasher=LightSecretHasher())
