"""The tests' password hasher: Django's PBKDF2 with 1,000 rounds instead of a million.

Hashing a password the production way takes a quarter of a second or more, and the suite
makes a user with a password in most of its tests: a fifth of its time went there. Django's
testing documentation gives the remedy (a faster hasher). This one writes hashes of the same
algorithm, `pbkdf2_sha256$1000$…`, which carry their rounds: the servers a test starts
(gunicorn, task-queue workers), on production settings, check them as they are.
"""

from django.contrib.auth.hashers import PBKDF2PasswordHasher


class QuickPBKDF2PasswordHasher(PBKDF2PasswordHasher):
    iterations = 1000
