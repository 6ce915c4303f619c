## Error messages shared by every part of the site.

error-internal = Something went wrong on our side. Please try again; if it keeps happening, tell the site's staff.
error-not-found = Not found.
error-already-exists = That already exists (someone may have just created it).
error-still-in-use = This refers to something that no longer exists, or is still in use elsewhere.
error-nul-character = Text cannot contain NUL characters.
error-database-busy = The database is busy or unreachable; please try again shortly.
