## Kategorien, Schlagwörter, gemeinsame Textfelder und die Parameter der Fragen-API.

catalog-category-name-empty = Der Name einer Kategorie hat 1 bis 80 Zeichen.
catalog-category-slug-empty = Die Kategorie braucht ein URL-Kürzel mit Buchstaben oder Ziffern.
catalog-category-not-found = Diese Kategorie gibt es nicht.
catalog-unknown-category = Unbekannte Kategorie „{ $category }“.
catalog-category-slug-taken = Eine Kategorie mit dem URL-Kürzel „{ $slug }“ gibt es schon.
catalog-category-has-threads = { $count ->
        [one] In der Kategorie ist noch 1 Frage.
       *[other] In der Kategorie sind noch { $count } Fragen.
    }
catalog-last-category = Die letzte Kategorie kann nicht gelöscht werden.
catalog-tag-length = Schlagwort „{ $tag }“: Ein Schlagwort hat 1 bis 32 Zeichen.
catalog-tag-needs-letter = Schlagwort „{ $tag }“: Ein Schlagwort braucht einen Buchstaben oder eine Ziffer.
catalog-tag-characters = Schlagwort „{ $tag }“: Erlaubt sind Buchstaben, Ziffern, - . + #
catalog-too-many-tags = Eine Frage hat höchstens 5 Schlagwörter.
catalog-tag-not-found = Dieses Schlagwort gibt es nicht.

# Die Geschäftszeiten einer Kategorie (was die Admin eingab, wurde abgelehnt). Das Format:
# „Europe/Berlin; mon-fri 09:00-17:00; sat 10:00-14:00; holidays 2026-12-24, 2026-12-25“.
hours-too-long = Geschäftszeiten: höchstens { $max } Zeichen.
hours-unknown-zone = Geschäftszeiten: Beginne mit einer Zeitzone wie Europe/Berlin oder UTC, nicht „{ $zone }“.
hours-bad-day = Geschäftszeiten: „{ $day }“ ist kein Tag. Schreib mon, tue, wed, thu, fri, sat, sun oder einen Bereich wie mon-fri.
hours-bad-time = Geschäftszeiten: „{ $time }“ ist keine Zeitspanne wie 09:00-17:00.
hours-end-before-start = Geschäftszeiten: { $range } endet, bevor es beginnt (teile Zeiten über Mitternacht auf zwei Tage auf).
hours-overlapping = Geschäftszeiten: Die Zeiten am { $day } überschneiden sich.
hours-bad-holiday = Geschäftszeiten: Feiertag „{ $date }“ ist kein Datum wie 2026-12-24.
hours-no-open-hours = Geschäftszeiten: Gib mindestens einen Tag mit Öffnungszeiten an, z. B. mon-fri 09:00-17:00.
hours-target-too-long = Das Ziel für die erste Antwort passt nicht in { $days } Tage dieser Geschäftszeiten.

# Textfelder: $field ist der Schlüssel des Feldes (input.rs), $max eine Anzahl Zeichen.
input-too-long = { $field ->
        [name] Der Name
        [title] Die Funktion
        [bio] Der Text „Über dich“
        [token-name] Der Name des Tokens
        [category-name] Der Name der Kategorie
        [category-description] Die Beschreibung der Kategorie
        [tag-description] Die Beschreibung des Schlagworts
        [edit-summary] Die Zusammenfassung der Änderung
        [section-name] Der Name des Bereichs
        [versions-list] Die Liste der Versionen
        [comment] Der Kommentar
        [group-name] Der Name der Gruppe
        [group-description] Die Beschreibung der Gruppe
        [note] Die Notiz
        [promise] Die Zusage
        [version] Die Version
        [platform] Die Plattform
        [environment-notes] Die Beschreibung der Umgebung
        [lock-reason] der Sperrgrund
        [moderation-reason] die Begründung
        [flag-note] die Anmerkung zur Meldung
        [watched-word] ein beobachtetes Wort
        [site-name] Der Name der Website
        [company-name] Der Firmenname
        [logo-url] Die Adresse des Logos
        [intro] Die Einleitung
        [contact-url] Die Kontaktadresse
        [footer-links] Die Links in der Fußzeile
        [link-label] Die Beschriftung eines Links
        [request-reason] Die Begründung
       *[other] Das Feld „{ $field }“
    } darf höchstens { $max } Zeichen lang sein.
input-control-characters = { $field ->
        [name] Der Name
        [title] Die Funktion
        [bio] Der Text „Über dich“
        [token-name] Der Name des Tokens
        [category-name] Der Name der Kategorie
        [category-description] Die Beschreibung der Kategorie
        [tag-description] Die Beschreibung des Schlagworts
        [edit-summary] Die Zusammenfassung der Änderung
        [section-name] Der Name des Bereichs
        [versions-list] Die Liste der Versionen
        [comment] Der Kommentar
        [group-name] Der Name der Gruppe
        [group-description] Die Beschreibung der Gruppe
        [note] Die Notiz
        [promise] Die Zusage
        [version] Die Version
        [platform] Die Plattform
        [environment-notes] Die Beschreibung der Umgebung
        [lock-reason] der Sperrgrund
        [moderation-reason] die Begründung
        [flag-note] die Anmerkung zur Meldung
        [watched-word] ein beobachtetes Wort
        [site-name] Der Name der Website
        [company-name] Der Firmenname
        [logo-url] Die Adresse des Logos
        [intro] Die Einleitung
        [contact-url] Die Kontaktadresse
        [footer-links] Die Links in der Fußzeile
        [link-label] Die Beschriftung eines Links
        [request-reason] Die Begründung
       *[other] Das Feld „{ $field }“
    } darf keine Steuerzeichen enthalten.

## Die Fragen-API (/api/v1). Parameternamen bleiben, wie sie sind.

api-per-page-range = per_page liegt zwischen 1 und 100.
api-unknown-tag = Unbekanntes Schlagwort „{ $tag }“.
api-category-type = category ist ein URL-Kürzel oder eine ID.
api-no-such-endpoint = Diesen API-Endpunkt gibt es nicht.
