"""Anti-abuse: what the edit door asks before a person's edit is saved, beside who may edit
and the young-account limits. Today: the link blocklist and allowlist (`LinkPattern`, checked
on newly added links) and the captcha a young account answers to add links (`captcha.py`).
The door calls one function, `services.edit_screen`; abuse rules and held edits are meant to
join there."""
