## Sign-in with other providers (OAuth2 / OpenID Connect). $provider is the provider's name as
## the site configured it ("GitHub", "Corp SSO"); nothing was changed when these are shown.

oauth-provider-not-found = sign-in provider not found
oauth-not-started-here = This sign-in was not started in this browser, or it was already finished. Please sign in again.
oauth-too-slow = This sign-in took too long. Please sign in again.
oauth-state-mismatch = This sign-in answer does not belong to the sign-in started in this browser. Please sign in again.
oauth-answer-used = This sign-in answer was already used. Please sign in again.
oauth-cancelled = You cancelled signing in with { $provider }. Nothing was changed.
# $error is the provider's error code (e.g. server_error).
oauth-provider-error = { $provider } could not sign you in ({ $error }). Nothing was changed.
oauth-no-code = { $provider } sent no authorization code.
oauth-signed-out-while-linking = You were signed out while linking. Sign in, then link the provider again.
oauth-no-pending-sign-in = There is no sign-in waiting for a handle here. Please sign in again.

# Talking to the provider failed.
oauth-timeout = { $provider } did not answer in time. Nothing was changed; please try again later.
oauth-unreachable = { $provider } cannot be reached right now. Nothing was changed; please try again later.
# $status is the HTTP status the provider answered with (e.g. 500).
oauth-request-refused = { $provider } refused the request ({ $status }). Nothing was changed; please try again.
oauth-discovery-unreadable = { $provider } sent a configuration we cannot read.
oauth-issuer-mismatch = { $provider } is misconfigured (issuer mismatch).
oauth-no-id-token = { $provider } did not send an ID token.
oauth-code-used = This sign-in with { $provider } was already used or has expired. Please sign in again.
oauth-sign-in-refused = { $provider } refused the sign-in. Nothing was changed; please try again.
oauth-sign-in-incomplete = { $provider } did not complete the sign-in. Nothing was changed; please try again.
oauth-profile-unreadable = { $provider } sent a profile we cannot read.
oauth-profile-without-id = { $provider } sent a profile without an id.
oauth-keys-unreadable = { $provider } published signing keys we cannot read.
oauth-token-refused = The sign-in answer from { $provider } could not be verified ({ $reason ->
        [malformed] malformed token
        [algorithm] unsupported signing algorithm
        [unknown-key] unknown signing key
        [unusable-key] unusable signing key
        [signature] bad signature
        [expired] expired
        [audience] issued for another application
        [issuer] wrong issuer
        [not-yet-valid] not valid yet
        [missing-claims] missing claims
        [nonce] it does not belong to this sign-in
        [party] issued to another party
        [subject] no subject
       *[invalid] invalid token
    }). Nothing was changed.

# Accounts and linked sign-ins. Here $provider is the provider's id in the settings ("github").
oauth-identity-linked-elsewhere = This { $provider } account is already linked to another Peerdesk account.
oauth-account-suspended = your account is suspended
oauth-no-email = { $provider } did not share an email address with us. Make one visible to applications in your { $provider } settings, or sign in another way.
oauth-email-taken = An account with the email { $email } already exists. Sign in to it another way, then link { $provider } on your account page.
oauth-email-unusable = { $provider } shared an email address we cannot use ({ $email }). Sign in another way.
oauth-account-exists = This sign-in already has an account: sign in again.
oauth-email-missing = the provider shared no email address
oauth-identity-not-found = linked sign-in not found
oauth-last-sign-in-way = This is your only way to sign in: link another provider or set a password first.
