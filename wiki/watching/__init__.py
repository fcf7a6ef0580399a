"""Watchlists and the e-mail they send: who watches which page (`models.Watch`), their
preferences, the mails waiting to go out (`models.PendingMail`) and their delivery (`mail`)."""
