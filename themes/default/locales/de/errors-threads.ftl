## Was Fragen, Antworten, Kommentare, Bewertungen, Fragenlisten, die Suche und Markdown ablehnen.

## Fragen, Antworten, Kommentare.

threads-title-too-short = Der Titel braucht mindestens { $min } Zeichen: Beschreib kurz, was nicht funktioniert.
threads-title-too-long = Der Titel darf höchstens { $max } Zeichen lang sein.
threads-title-control-characters = Der Titel darf keine Steuerzeichen enthalten.
threads-text-empty = Der Text ist leer.
threads-text-too-long = Der Text hat { $count } Zeichen; erlaubt sind höchstens { $max }.
threads-text-nul = Der Text darf keine NUL-Zeichen enthalten.
threads-comment-empty = Der Kommentar ist leer.
threads-comment-too-long = Ein Kommentar darf höchstens { $max } Zeichen lang sein.
threads-comment-nul = Der Kommentar darf keine NUL-Zeichen enthalten.
markdown-too-large = Dieser Text ergibt { $size ->
        [at-least] mehr als { $kb } KB
       *[exactly] { $kb } KB
    } HTML; erlaubt sind höchstens { $limit } KB. Teil sehr große Tabellen oder Listen auf oder kürze den Text.

## Fragen und Beiträge.

threads-thread-not-found = Diese Frage gibt es nicht.
threads-post-not-found = Diesen Beitrag gibt es nicht.
threads-account-suspended = Dein Konto ist gesperrt.
threads-closed = Diese Frage ist geschlossen.
threads-closed-no-answers = Diese Frage ist geschlossen; neue Antworten sind nicht mehr möglich.
threads-closed-ask-new = Diese Frage ist geschlossen: Stell bitte eine neue Frage.
threads-internal-staff-only = Nur das Team kann interne Notizen schreiben.
threads-followup-asker-only = Nur wer die Frage gestellt hat, kann einen Nachtrag schreiben; antworte oder kommentiere stattdessen.
threads-edit-not-allowed = Nur die Person, die den Beitrag geschrieben hat, das Team und die Moderation können ihn bearbeiten.
threads-vote-value = Eine Bewertung ist 1 (positiv), -1 (negativ) oder 0 (zurücknehmen).
threads-vote-kinds = Nur Fragen und Antworten können bewertet werden.
threads-vote-own-post = Deine eigenen Beiträge kannst du nicht bewerten.
threads-accept-answers-only = Nur eine Antwort kann akzeptiert werden.
threads-accept-not-allowed = Nur wer die Frage gestellt hat, das Team und die Moderation können eine Antwort akzeptieren.
threads-close-not-allowed = Nur das Team und die Moderation können Fragen schließen oder wieder öffnen.
threads-close-action = „action“ ist „close“ oder „reopen“.
threads-duplicate-ref = Gib die doppelte Frage mit ihrer Nummer oder ihrem Link an.
threads-duplicate-unknown = Eine Frage { $id } gibt es nicht.
threads-duplicate-self = Eine Frage kann kein Duplikat von sich selbst oder von ihrem eigenen Duplikat sein.

## Listen und Seiten.

threads-unknown-status = Unbekannter Status „{ $status }“: Möglich sind open, answered, solved und closed.
threads-unknown-sort = Unbekannte Sortierung „{ $sort }“: Möglich sind activity, newest und votes.
threads-unknown-tab = Unbekannter Reiter „{ $tab }“: Möglich sind recent, unanswered und solved.
threads-page-range = Die Seite muss zwischen 1 und { $max } liegen.
threads-page-starts-at-one = Die Seiten beginnen bei 1.
threads-per-page-range = „per_page“ liegt zwischen 1 und { $max }.
threads-no-such-page = Eine Seite { $page } gibt es bei dieser Frage nicht: Ihre Antworten füllen { $pages ->
        [one] eine Seite
       *[other] { $pages } Seiten
    }.

## Suche.

search-error-too-long = Eine Suche darf höchstens { $max } Zeichen lang sein.
search-error-control-characters = Eine Suche darf keine Steuerzeichen enthalten.
search-error-type = „type“ ist „thread“ oder „article“.
search-error-status = „status“ ist open, unanswered, answered, solved oder closed.
search-error-staff = „staff“ ist „true“ oder „false“.
search-error-limit = „limit“ liegt zwischen 1 und { $max }.
search-error-offset = „offset“ ist höchstens { $max }.
search-error-page = Die Seite liegt zwischen 1 und { $max }.
search-error-days = „days“ liegt zwischen 1 und { $max }.
search-error-result-not-found = Dieses Ergebnis gibt es nicht.
search-error-rebuilding = Die Suche ist gerade nicht verfügbar, weil der Suchindex neu aufgebaut wird. Bitte versuch es in ein paar Minuten noch einmal.

## Formulare und Dateien.

http-cross-site-form = Dieses Formular wurde von einer anderen Website abgeschickt. Geh zurück zur Seite und schick es von dort ab.
http-file-not-found = Diese Datei gibt es nicht.
threads-locked = diese Frage ist gesperrt ({ $reason }) und nimmt keine neuen Beiträge an
threads-lock-not-allowed = nur Team und Moderation können Fragen sperren
threads-lock-reason = gib einen Grund für die Sperre an: er wird bei der Frage angezeigt
threads-lock-action = action ist lock oder unlock
threads-move-not-allowed = nur Team und Moderation können Fragen verschieben
threads-pin-not-allowed = nur Team und Moderation können Fragen anheften
threads-pin-action = action ist pin oder unpin
