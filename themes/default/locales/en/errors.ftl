## Error messages shared by every part of the site.

error-internal = Something went wrong on our side. Please try again; if it keeps happening, tell the site's staff.
error-not-found = Not found.
error-already-exists = That already exists (someone may have just created it).
error-still-in-use = This refers to something that no longer exists, or is still in use elsewhere.
error-nul-character = Text cannot contain NUL characters.
error-database-busy = The database is busy or unreachable; please try again shortly.
error-no-such-page = no such page
request-form-too-large = the form is too large
request-form-content-type = send the form as application/x-www-form-urlencoded
# $detail is the parser's own (English) words.
request-form-unreadable = the form could not be read: { $detail }
request-body-too-large = the request body is too large
request-json-content-type = send JSON with Content-Type: application/json
request-json-invalid = invalid JSON: { $detail }
request-json-unreadable = the JSON body could not be read: { $detail }
request-query-invalid = invalid query string: { $detail }
request-method-not-allowed = this address does not take that method
auth-local-accounts-off = local accounts are switched off here: sign in with one of the providers
setup-link-not-found = setup link not found (it was used already or has expired)
admin-position-not-a-number = the position is a whole number
admin-suspend-days-not-a-number = days is a whole number (0 lifts the suspension)
admin-suspend-days-range = days is between 0 and { $max }
admin-suspend-self = you cannot suspend yourself
