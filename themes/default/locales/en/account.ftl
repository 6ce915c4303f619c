## Accounts: signing in and up, the welcome after a provider sign-in, the first-admin setup,
## the account page, the ask form, setup entries and the admin page.

## Sign in (login.html)

# $provider is the sign-in provider's name as the site configured it ("Google", "Corp SSO").
login-with-provider = Sign in with { $provider }
login-or-local = or with your Peerdesk account:
login-handle-or-email = Handle or email
login-password = Password
# $link is a link whose text is title-signup ("Create an account").
login-new-here = New here? { $link }.

## Sign up (signup.html)

signup-handle = Handle
signup-handle-help = 3 to 32 letters, digits, _ or -. Shown on your posts.
signup-name = Name (optional)
signup-email = Email
signup-password-help = At least 10 characters.
signup-submit = Create account
# $link is a link whose text is nav-sign-in ("Sign in").
signup-have-account = Have an account? { $link }.

## The first sign-in with a provider (auth-welcome.html)

# $site is the site's name.
welcome-heading = Welcome to { $site }
# $provider: the provider's name; $name and $email: what the provider told us about the person.
# $shown says which of the two are known.
welcome-signed-in = { $shown ->
    [name-email] You signed in with { $provider } as { $name } ({ $email }).
    [name] You signed in with { $provider } as { $name }.
    [email] You signed in with { $provider } ({ $email }).
   *[none] You signed in with { $provider }.
}
welcome-choose-handle = Choose the handle people will see next to your questions and answers.
welcome-handle-help = 3–32 letters, digits, _ or -.
welcome-submit = Create my account

## The first administrator (setup.html, from the one-time link)

admin-setup-lead = Create the first administrator account. This link works once.
admin-setup-job-title = Job title
admin-setup-submit = Create admin account

## The account page (account.html)

account-profile-heading = Profile
account-name-label = Real name
account-title-label = Title (staff sign answers with it)
account-bio-label = About you
account-save-profile = Save profile
account-save = Save

account-preferences-heading = Language and time zone
account-locale-browser = Follow my browser
account-time-zone-label = Time zone
account-time-zone-browser = My browser's time zone
account-time-zone-help = Dates and times on every page are shown in this time zone.

account-setup-heading = My setup
account-setup-help = The products you use. They are attached to your questions automatically, so nobody has to ask. Private entries (an account number, a licence key) are seen by you and staff only.
account-setup-remove = Remove
account-setup-empty = No products yet.
account-setup-add-heading = Add a product
account-setup-add = Add to my setup

account-current-password = Current password
account-new-password = New password
account-change-password = Change password
account-password-help = Changing it signs you out everywhere else and revokes your API tokens.

account-providers-heading = Sign-in providers
# $when is a relative time ("3 days ago").
account-identity-linked = linked { $when }
account-identity-unlink = Unlink
account-identities-empty = No provider is linked to this account.
# $provider is the provider's name.
account-link-provider = Link { $provider }

account-sessions-heading = Sessions
account-sign-out-everywhere = Sign out everywhere

account-tokens-heading = API tokens
# Followed by the token itself.
account-new-token = New token (shown once):
# $when is a date and time.
account-token-created-when = created { $when }
account-token-revoke = Revoke
account-tokens-empty = No tokens.
account-token-name = Token name
account-token-name-placeholder = e.g. my script
account-create-token = Create token

## Setup entries: the products someone uses (account page, ask form, threads)

setup-product = Product
setup-version = Version
setup-platform = Platform
setup-notes = Environment notes
setup-private-check = Private (only me and staff)
setup-version-placeholder = 2.4.1
setup-platform-placeholder = Windows 11
setup-private-title = Only you and staff see this
# A setup entry's visibility badge.
setup-visibility = { $visibility ->
    [private] Private
   *[public] Public
}

## The ask form (ask.html)

ask-lead = Say what you tried and what happened. People who know the product answer in public, so the next person finds the answer too.
ask-check-similar = Check for similar questions
ask-own-heading = Is this about one of your open questions?
ask-add-followup = Add what I wrote as a follow-up
ask-followup-help = A follow-up keeps everything in one place: everyone who helped sees it, and nobody asks you again for what you already told them.
ask-title-label = Title
ask-title-help = Describe the problem in one sentence, e.g. "Router drops WiFi every evening after the firmware update".
ask-similar-label = Similar answered questions
ask-similar-heading = Already answered — does one of these help?
ask-no-similar = No similar answered questions yet: go ahead and ask.
# $duration is a span of time ("4 hours").
ask-staff-reply-within = Staff usually reply within { $duration }.
# With business hours: $duration in business time, $hours the schedule.
ask-staff-reply-within-hours = Staff usually reply within { $duration } ({ $hours }).
ask-setup-legend = Your setup
# $link is a link whose text is ask-setup-help-link.
ask-setup-help = Attached to your question so nobody has to ask. Changes here also update { $link }. Private details are seen by you and staff only.
ask-setup-help-link = your saved setup
ask-setup-max = { $count ->
    [one] A question carries 1 setup entry: the one you updated most recently is ticked. If you tick more, a new entry and the most recently updated go with it.
   *[other] A question carries up to { $count } setup entries: those you updated most recently are ticked. If you tick more, a new entry and the most recently updated go with it.
}
# $product is the product's (category's) name.
ask-setup-attach = Attach my { $product } setup
ask-setup-add-another = Add another product's setup
ask-setup-add-first = Add your setup for this product
ask-setup-remember = Remember it in my setup
ask-body-label = Details (markdown)
ask-tags-help = Up to 5, separated by commas: wifi, firmware
ask-post = Post your question
ask-preview = Preview

## The admin page (admin.html)

admin-name = Name
admin-slug = Slug
admin-description = Description
admin-position = Position
admin-first-response = First-response target
admin-questions = Questions
admin-actions = Actions
# The target's syntax is fixed: a number with d (days), h (hours) or m (minutes).
admin-first-response-placeholder = 4h
admin-first-response-hint = e.g. 4h, 30m, 1d; empty for none
admin-business-hours = Business hours
# The schedule's syntax is fixed (English day names, 24-hour times, ISO dates): only the
# explanation is translated.
admin-business-hours-placeholder = Europe/Berlin; mon-fri 09:00-17:00
admin-business-hours-hint = Business hours: the first-response target counts only while they are open (empty: around the clock). A time zone, then days with hours, then holidays (whole days closed), separated by semicolons, for example:
admin-business-hours-example = Europe/Berlin; mon-fri 09:00-17:00; sat 10:00-14:00; holidays 2026-12-24, 2026-12-25
admin-save = Save
admin-delete = Delete
admin-new-category = New category
admin-create-category = Create category

admin-groups-heading = Staff groups
admin-groups-help = Teams a thread can be referred to, such as Networking. Members are staff or admins.
admin-group-remove = remove
# For screen readers: $name is the member's name, $group the group's.
admin-group-remove-member = Remove { $name } from { $group }
admin-group-no-members = no members
admin-group-add-label = Add staff member (handle)
admin-group-add = Add
admin-new-group = New group
admin-create-group = Create group

admin-tag = Tag
admin-save-tag = Save tag

admin-users-heading = Users
admin-role-column = Role
admin-suspension = Suspension
admin-role-of = Role of { $handle }
# A user's role.
admin-role = { $role ->
    [member] member
    [staff] staff
    [moderator] moderator
    [admin] admin
   *[other] { $role }
}
admin-set-role = Set role
# $when is a date and time.
admin-suspended-until = until { $when }
admin-suspend-days-label = Days to suspend { $handle }
admin-suspend-change = Lift / change
admin-suspend = Suspend (days)
signup-honeypot = Leave this field empty
