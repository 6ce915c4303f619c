## Die Wissensdatenbank: Artikel, Bereiche, Versionen, Rückmeldungen und ihre API.

# Die Status bleiben englisch: So werden sie in der API angegeben.
kb-unknown-article-status = Unbekannter Artikelstatus „{ $status }“: Möglich sind draft, published oder archived.
kb-article-not-found = Diesen Artikel gibt es nicht.
kb-section-not-found = Diesen Bereich gibt es nicht.
kb-revision-not-found = Diese Version gibt es nicht.
kb-only-curators-promote = Nur Team, Moderation und Admins können Fragen in die Wissensdatenbank übernehmen.
kb-only-curators-write = Nur Team, Moderation und Admins können Artikel für die Wissensdatenbank schreiben.
kb-only-curators-edit = Nur Team, Moderation und Admins können Artikel der Wissensdatenbank bearbeiten.
kb-only-curators-status = Nur Team, Moderation und Admins können Artikel veröffentlichen oder archivieren.
kb-only-curators-review = Nur Team, Moderation und Admins können Artikel prüfen.
kb-only-curators-restore = Nur Team, Moderation und Admins können Versionen wiederherstellen.
kb-only-curators-list = Nur Team, Moderation und Admins können Entwürfe und archivierte Artikel auflisten.
# $path ist die Adresse des Artikels (/kb/12/router-admin-passwort).
kb-thread-already-promoted = Diese Frage ist schon in der Wissensdatenbank: { $path }
kb-new-article-status = Ein neuer Artikel ist entweder veröffentlicht oder ein Entwurf.
kb-no-accepted-answer = Diese Frage hat keine akzeptierte Antwort: Wähl die Antwort aus, die übernommen werden soll.
kb-post-not-an-answer = Der gewählte Beitrag ist keine Antwort in dieser Frage.
kb-edit-conflict = Inzwischen hat jemand Version { $revision } gespeichert: Lade den Artikel neu und mach deine Änderung dann noch einmal.
kb-patch-empty = Nichts zu ändern: Schick title, body, section, applies_to, review_by oder status.
kb-too-much-feedback = Du hast sehr oft auf „War das hilfreich?“ geantwortet: Bitte warte { $wait } und versuch es dann noch einmal.
kb-section-name-too-short = Der Name des Bereichs braucht mindestens 2 Zeichen mit Buchstaben oder Ziffern.
kb-version-too-long = Die Version „{ $version }“ ist länger als 40 Zeichen.
kb-too-many-versions = Ein Artikel gilt für höchstens 20 Versionen.
kb-review-date-format = Das Prüfdatum ist ein Datum wie 2027-05-31 (JJJJ-MM-TT).
kb-review-date-range = Das Prüfdatum muss zwischen heute und in zehn Jahren liegen.

## Seiten und API-Parameter der Wissensdatenbank. Parameternamen bleiben, wie sie sind.

kb-title-promote = In die Wissensdatenbank übernehmen
kb-title-new-article = Neuer Artikel
kb-title-edit-article = Artikel bearbeiten
kb-status-action-invalid = action ist publish, archive oder draft.
kb-revision-number-invalid = Versionen sind ab 1 nummeriert.
kb-helpful-invalid = helpful ist yes oder no.
kb-feedback-no-cookie = Dein Browser hat das Sitzungs-Cookie nicht mitgeschickt: Lade den Artikel neu (mit eingeschalteten Cookies) und versuch es noch einmal.
kb-soon-range = soon liegt zwischen 0 und 365 Tagen.
kb-api-limit-range = limit liegt zwischen 1 und 200.
kb-api-offset-range = offset liegt zwischen 0 und 1000000.

## Zusammenfassungen von Versionen, die die Seite für die Bearbeitenden schreibt (gespeichert mit
## der Version, in deren Sprache). $thread und $revision sind Nummern.

kb-summary-promoted = Aus Frage { $thread } übernommen
kb-summary-restored = Version { $revision } wiederhergestellt
