## The users admin (admins): /admin/users (search, filters, pages) and /admin/users/{id}.

title-admin-users = Users
# $handle is the person's handle.
title-admin-user = User @{ $handle }
# The link on /admin. $count is how many accounts there are.
users-admin-link = Users ({ $count })

## The list.
users-admin-filters-label = Find users
users-admin-search-label = Handle, name or email
users-admin-role-label = Role
users-admin-any-role = Any role
users-admin-status-label = Status
users-admin-status-any = Anyone
users-admin-status-suspended = Suspended now
users-admin-new-label = Joined
users-admin-new-any = Any time
users-admin-new-week = In the last 7 days
users-admin-filter = Show
users-admin-clear = Clear filters
# $count is how many users match the filters.
users-admin-total = { $count ->
        [0] No users
        [one] 1 user
       *[other] { $count } users
    }
users-admin-page-of = page { $page } of { $pages }
users-admin-none = No users match these filters.
users-admin-pages = Pages of users
users-admin-table-caption = Users matching the filters, newest first
users-admin-col-handle = Handle
users-admin-col-name = Name
users-admin-col-email = Email
users-admin-col-role = Role
users-admin-col-joined = Joined
users-admin-col-last-seen = Last seen
users-admin-col-status = Status
users-admin-unknown = unknown
users-admin-suspended-badge = Suspended
users-admin-silenced-badge = Silenced

## Refused filters.
users-admin-query-too-long = the search has at most { $max } characters
users-admin-query-control = the search cannot contain control characters
users-admin-unknown-status = unknown status “{ $status }”: use suspended, or leave it empty
users-admin-unknown-new = unknown value “{ $new }” for new: use week, or leave it empty
users-admin-bad-page = page must be a whole number between 1 and { $max }

## One person.
users-admin-back = All users
users-admin-public-profile = Public profile
users-admin-account-heading = Account
users-admin-no-name = no name given
users-admin-email-verified = (verified)
users-admin-email-unverified = (not verified)
users-admin-sign-in = Signs in with
# $password is yes or no; $providers is how many sign-in providers are linked.
users-admin-sign-in-with = { $password ->
        [yes] { $providers ->
            [0] a password
            [one] a password or 1 provider
           *[other] a password or { $providers } providers
        }
       *[no] { $providers ->
            [0] nothing (no password, no provider)
            [one] 1 provider only
           *[other] { $providers } providers only
        }
    }
users-admin-standing = Standing
users-admin-standing-value = trust level { $trust }, reputation { $reputation }
users-admin-in-good-standing = Not suspended
users-admin-suspension-reason = Reason:
users-admin-manage-heading = Role and suspension
users-admin-manage-help = A new role or a suspension signs them out everywhere at once, API tokens included.
users-admin-suspend-help = Days from now; 0 lifts a suspension.
users-admin-suspend-reason = Reason (kept in the audit log)
# $count is how many threads they asked in all.
users-admin-threads-heading = { $count ->
        [one] Their thread (1)
       *[other] Their threads ({ $count })
    }
users-admin-col-thread = Thread
users-admin-col-thread-status = Status
users-admin-col-asked = Asked
# A thread that is not shown to everyone. $state: held, hidden, deleted, unlisted, merged.
users-admin-thread-state = { $state ->
        [held] waiting for approval
        [hidden] hidden
        [deleted] deleted
        [unlisted] unlisted
        [merged] merged
       *[other] { $state }
    }
users-admin-threads-more = Their public threads and answers are on their profile.
users-admin-threads-empty = They have not asked anything yet.
users-admin-setup-heading = Their setup
users-admin-setup-empty = No setup saved.
users-admin-sessions-heading = Signed in on
users-admin-col-started = Signed in
users-admin-col-last-used = Last used
users-admin-sessions-empty = Not signed in anywhere.
users-admin-tokens-heading = API tokens
users-admin-col-token-name = Name
users-admin-col-created = Created
users-admin-never-used = never
users-admin-tokens-empty = No valid API token.
users-admin-identities-heading = Sign-in providers
users-admin-col-provider = Provider
users-admin-col-subject = Account at the provider
users-admin-col-provider-email = Email from the provider
users-admin-col-linked = Linked
users-admin-identities-empty = No sign-in provider linked.
users-admin-audit-heading = Audit log
users-admin-audit-by = Everything they did
users-admin-audit-about = Everything done to their account
users-admin-audit-empty = Nothing in the audit log by them or about them.
