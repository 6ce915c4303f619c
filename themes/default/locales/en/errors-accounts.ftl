## Accounts, sessions and rate limits: what sign-up, sign-in, profiles, API tokens and the
## pages for certain roles say when they refuse something.

accounts-unknown-role = unknown role "{ $role }": use member, staff, moderator or admin
accounts-handle-length = a handle has 3 to 32 characters
accounts-handle-characters = a handle uses only letters, digits, _ and -
accounts-handle-start = a handle starts with a letter or a digit
accounts-email-invalid = enter a valid email address
accounts-password-too-short = a password has at least 10 characters
accounts-password-too-long = a password has at most 1024 characters
accounts-handle-taken = the handle "{ $handle }" is taken
accounts-email-taken = an account with this email exists; sign in instead
accounts-user-not-found = user not found
accounts-wrong-credentials = wrong handle, email or password
accounts-suspended = this account is suspended
accounts-last-admin = the last admin cannot lose the admin role
accounts-current-password-wrong = the current password is wrong
accounts-token-not-found = token not found
accounts-setup-link-not-found = setup link (it was used already or has expired) not found

# Rate limits: $wait is how long to wait ("2 minutes", "1 hour").
accounts-too-many-sign-ins = too many failed sign-ins: try again in { $wait }
accounts-too-many-sign-ups = too many new accounts from your address: try again in { $wait }
accounts-too-many-wrong-tokens = too many requests with a wrong API token: try again in { $wait }
limits-contention = too much contention on a rate limit; try again

## Pages and API calls for signed-in people or certain roles.

session-sign-in-required = sign in to continue
session-moderators-only = this page is for staff and moderators
session-curators-only = only staff, moderators and admins can do this
session-staff-only = only staff can do this
session-admins-only = this page is for admins
session-form-expired = this form has expired or came from another site: reload the page and try again
session-bearer-missing = use `Authorization: Bearer <token>`
session-bearer-required = this call needs `Authorization: Bearer <token>`
session-token-invalid = the API token is invalid or was revoked

## The database and the event log (readiness checks and `peerdesk events`).

# $reason is the database's own error text.
db-unreachable = the database does not answer: { $reason }
events-lease-lost = lost the lease of { $consumer }
events-consumer-name-invalid = "{ $name }" is not a consumer name (letters, digits and -_.@: only)
accounts-signup-honeypot = this form was filled in by a program, not a person: leave the hidden "website" field empty
