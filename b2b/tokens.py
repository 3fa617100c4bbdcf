"""One-time links for buyers: the invitation, and Django's password reset.

Both tokens hash the user's password and last login, so a link stops working
once it has been used to set a password (or the buyer logs in), and after
PASSWORD_RESET_TIMEOUT. The invitation has its own salt: a reset link is not
an invitation and the reverse.
"""

from django.contrib.auth.tokens import PasswordResetTokenGenerator


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "b2b.tokens.InvitationTokenGenerator"


invitation_tokens = InvitationTokenGenerator()
