## Fehlermeldungen, die überall vorkommen.

error-internal = Bei uns ist etwas schiefgegangen. Bitte versuch es noch einmal; wenn es wieder passiert, sag dem Team der Seite Bescheid.
error-not-found = Nicht gefunden.
error-already-exists = Das gibt es schon (vielleicht hat es gerade jemand angelegt).
error-still-in-use = Das verweist auf etwas, das es nicht mehr gibt, oder wird an anderer Stelle noch gebraucht.
error-nul-character = Text darf keine NUL-Zeichen enthalten.
error-database-busy = Die Datenbank ist ausgelastet oder nicht erreichbar; bitte versuch es gleich noch einmal.
error-no-such-page = Diese Seite gibt es nicht.
request-form-too-large = Das Formular ist zu groß.
request-form-content-type = Schick das Formular als application/x-www-form-urlencoded.
request-form-unreadable = Das Formular ließ sich nicht lesen: { $detail }
request-body-too-large = Die Anfrage ist zu groß.
request-json-content-type = Schick JSON mit Content-Type: application/json.
request-json-invalid = Ungültiges JSON: { $detail }
request-json-unreadable = Der JSON-Inhalt ließ sich nicht lesen: { $detail }
request-query-invalid = Ungültige Abfrageparameter: { $detail }
request-method-not-allowed = Diese Adresse nimmt diese Methode nicht an.
auth-local-accounts-off = Lokale Konten sind hier abgeschaltet: Melde dich bei einem der Anbieter an.
setup-link-not-found = Einrichtungslink nicht gefunden (er wurde schon benutzt oder ist abgelaufen).
admin-position-not-a-number = Die Position muss eine ganze Zahl sein.
admin-suspend-days-not-a-number = Die Tage müssen eine ganze Zahl sein (0 hebt die Sperre auf).
admin-suspend-days-range = Die Tage liegen zwischen 0 und { $max }.
admin-suspend-self = Du kannst dich nicht selbst sperren.
