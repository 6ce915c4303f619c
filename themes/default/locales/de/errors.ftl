## Fehlermeldungen, die überall vorkommen.

error-internal = Bei uns ist etwas schiefgegangen. Bitte versuch es noch einmal; wenn es wieder passiert, sag dem Team der Seite Bescheid.
error-not-found = Nicht gefunden.
error-already-exists = Das gibt es schon (vielleicht hat es gerade jemand angelegt).
error-still-in-use = Das verweist auf etwas, das es nicht mehr gibt, oder wird an anderer Stelle noch gebraucht.
error-nul-character = Text darf keine NUL-Zeichen enthalten.
error-database-busy = Die Datenbank ist ausgelastet oder nicht erreichbar; bitte versuch es gleich noch einmal.
