## Fragen und Antworten: Startseite, Fragenlisten, eine Frage mit ihren Beiträgen, Kategorien,
## Schlagwörter, Profile, Bearbeitungsverlauf und Bearbeiten, Suche und die Fehlerseite.

## Von mehreren Seiten genutzt.

thread-status = { $status ->
    [open] Offen
    [answered] Beantwortet
    [solved] Gelöst
    [closed] Geschlossen
    [unanswered] Unbeantwortet
   *[other] { $status }
}
thread-staff-answered = Vom Team beantwortet
post-badge-staff = Team
thread-answers = { $count ->
    [one] { $count } Antwort
   *[other] { $count } Antworten
}
qa-votes = { $count ->
    [one] { $count } Stimme
   *[other] { $count } Stimmen
}
qa-pager-previous = ← Zurück
qa-pager-next = Weiter →
qa-article-applies-to = · gilt für { $versions }

## Fragenlisten (Startseite, Kategorie, Schlagwort).

home-questions = Fragen
home-tabs-label = Fragenlisten
home-products = Produkte
list-tab-recent = Neueste
list-tab-unanswered = Unbeantwortet
list-tab-solved = Gelöst
list-filter-label = Filter
list-filter-all = Alle
# For screen readers: a thread's votes and answers.
list-stats-label = { $votes ->
    [one] { $votes } Stimme
   *[other] { $votes } Stimmen
}, { $answers ->
    [one] { $answers } Antwort
   *[other] { $answers } Antworten
}
list-votes-word = { $count ->
    [one] Stimme
   *[other] Stimmen
}
list-answers-word = { $count ->
    [one] Antwort
   *[other] Antworten
}
list-asked-by-active = gefragt von { $name } · aktiv { $when }
list-empty = Hier gibt es noch keine Fragen.
list-pages-label = Seiten
list-newer = ← Neuere
list-older = Ältere →

## Kategorien und Schlagwörter.

category-question-count = { $count ->
    [one] { $count } Frage
   *[other] { $count } Fragen
}
category-reply-within = Übliche Antwortzeit des Teams: { $duration }.
category-reply-within-short = übliche Antwortzeit des Teams: { $duration }
# Mit Geschäftszeiten: $duration in Geschäftszeit („4 Geschäftsstunden“), $hours der Plan
# („Mo–Fr 9:00–17:00 Uhr, Europe/Berlin“).
category-reply-within-hours = Übliche Antwortzeit des Teams: { $duration } ({ $hours }).
category-ask-about = Frage zu { $name } stellen
tags-empty = Noch keine Schlagwörter.
tag-heading = Fragen mit dem Schlagwort { $tag }

## Eine Frage.

thread-asked-active = gefragt { $asked } · aktiv { $active }
thread-target = { $state ->
    [met] Zeit bis zur ersten Antwort: { $elapsed } – innerhalb der Zielzeit ({ $target }).
    [missed] Zeit bis zur ersten Antwort: { $elapsed } – länger als die Zielzeit ({ $target }).
    [waiting] Übliche Antwortzeit des Teams: { $target }. Bisherige Wartezeit: { $elapsed }.
   *[overdue] Zielzeit für die erste Antwort ({ $target }) überschritten. Bisherige Wartezeit: { $elapsed }.
}
# Nach thread-target, wenn die Kategorie Geschäftszeiten hat. $hours: der Plan.
thread-target-hours = Geschäftszeiten: { $hours }.
thread-promote = In die Wissensdatenbank übernehmen
thread-reopen = Wieder öffnen
thread-duplicate-of-label = Duplikat von (Nummer oder Link, optional)
thread-close = Schließen
thread-since-visit = Seit deinem letzten Besuch
thread-since-new-answers = { $count ->
    [one] { $count } neue Antwort
   *[other] { $count } neue Antworten
}
thread-since-new-followups = { $count ->
    [one] { $count } neuer Nachtrag
   *[other] { $count } neue Nachträge
}
thread-since-new-comments = { $count ->
    [one] { $count } neuer Kommentar
   *[other] { $count } neue Kommentare
}
thread-since-jump = Zum ersten neuen Beitrag springen
thread-duplicate-notice = Als Duplikat von { $link } geschlossen.
thread-duplicate-article = Die Antwort steht in der Wissensdatenbank: { $link }.
thread-kb-answered = Diese Frage wird in der Wissensdatenbank beantwortet: { $link }
thread-kb-article = Artikel in der Wissensdatenbank ({ $status }): { $link }
thread-setup = Setup
thread-followups-heading = { $count ->
    [one] { $count } Nachtrag zur Frage
   *[other] { $count } Nachträge zur Frage
}
thread-followup-add = Einen Nachtrag zu deiner Frage schreiben
thread-followup-body-label = Was gibt es Neues? (Markdown)
thread-followup-submit = Nachtrag hinzufügen
thread-answers-page = (Seite { $page } von { $pages })
thread-answer-pages-label = Seiten mit Antworten
thread-internal-notes = Interne Notizen
thread-internal-staff-only = Nur fürs Team
thread-internal-explain = Nur das Team sieht diese Notizen: nie für die Kundschaft sichtbar, nie in der Suche.
thread-internal-body-label = Interne Notiz (Markdown)
thread-internal-submit = Interne Notiz hinzufügen
thread-your-answer = Deine Antwort
thread-closed-no-answers = Diese Frage ist geschlossen; neue Antworten sind nicht mehr möglich.
thread-answer-body-label = Antwort (Markdown)
thread-answer-submit = Antwort veröffentlichen
thread-answer-sign-in = { $sign_in } oder { $sign_up }, um zu antworten.
thread-create-account = ein Konto erstellen
thread-side-label = Verlauf und Support

## Ein Beitrag (Frage, Antwort, Nachtrag oder interne Notiz).

post-label = { $kind ->
    [question] Frage von { $name }
    [answer] Antwort von { $name }
    [followup] Nachtrag von { $name }
   *[internal] Interne Notiz von { $name }
}
post-vote = { $direction ->
    [up] Positiv bewerten
   *[down] Negativ bewerten
}
post-score-label = Bewertung
post-accepted-title = Akzeptierte Antwort
post-accepted = Akzeptiert
post-new-since-visit = Neu seit deinem letzten Besuch
post-followup-label = Nachtrag zur Frage
post-created = { $kind ->
    [question] gefragt am { $when }
    [answer] geantwortet am { $when }
    [followup] nachgetragen am { $when }
   *[internal] notiert am { $when }
}
post-edited = bearbeitet { $when } ({ $count ->
    [one] { $count } Version
   *[other] { $count } Versionen
})
post-edit = Bearbeiten
post-accept = Diese Antwort akzeptieren
post-comments-label = Kommentare
post-comment-new = Neu
post-comment-add = Kommentar schreiben
post-comment-label = Kommentar
post-comment-submit = Kommentieren

## Ein Profil.

user-reputation = { $count ->
    [one] { $count } Reputationspunkt
   *[other] { $count } Reputationspunkte
}
user-member-since = Mitglied seit { $when }
user-questions = Fragen
user-no-questions = Noch keine Fragen.
user-answers = Antworten
user-no-answers = Noch keine Antworten.
user-answer-accepted = akzeptiert

## Bearbeitungsverlauf und Bearbeiten.

history-heading = Bearbeitungsverlauf
history-of-post = Zu einem Beitrag in { $link }.
history-revision = Version { $number }
history-by = von { $editor }, { $when }
history-title-label = Titel:
edit-heading = { $kind ->
    [question] Frage bearbeiten
    [answer] Antwort bearbeiten
    [followup] Nachtrag bearbeiten
    [internal] Interne Notiz bearbeiten
   *[other] Beitrag bearbeiten
}
edit-in-thread = In { $link }. Jede Bearbeitung bleibt im Verlauf erhalten.
edit-title-label = Titel
edit-tags-label = Schlagwörter
edit-body-label = Text (Markdown)
edit-summary-label = Zusammenfassung der Änderung
edit-save = Änderung speichern
edit-preview = Vorschau

## Suche.

search-heading = Suche
search-submit = Suchen
search-hint = Setz eine Wortgruppe in "Anführungszeichen"; mit -wort lässt du ein Wort weg.
search-results = { $exact ->
    [no] { $count ->
        [one] Etwa { $count } Ergebnis
       *[other] Etwa { $count } Ergebnisse
    }
   *[yes] { $count ->
        [one] { $count } Ergebnis
       *[other] { $count } Ergebnisse
    }
}
search-prompt = Gib ein, wonach du suchst
# $words: die Wörter wie eingegeben, mit Kommas getrennt.
search-fuzzy = So nicht gefunden: { $words }. Wir zeigen stattdessen ähnliche Treffer.
search-relaxed = Kein Ergebnis enthielt alle Wörter; diese enthalten einige davon.
search-badge-kb = Wissensdatenbank
search-nothing-found = Nichts gefunden. Versuch es mit anderen Wörtern oder { $link } – Team und Community antworten öffentlich.
search-ask-community = frag die Community
search-refine-label = Eingrenzen
search-estimates = Die Zahlen sind geschätzt (~).
search-clear-filters = Filter zurücksetzen
search-facet-status = Status
search-facet-staff = Antworten vom Team
search-facet-type = Art
search-facet-product = Produkt
search-type = { $type ->
    [thread] Fragen
    [article] Artikel
   *[other] { $type }
}

## Die Fehlerseite.

error-page-heading = { $code ->
    [not_found] Nicht gefunden
    [forbidden] Nicht erlaubt
    [too_large] Zu groß
    [internal] Da ist etwas schiefgelaufen
   *[other] Das hat nicht geklappt
}
error-page-back = Zurück zu den Fragen

## Sprache der Inhalte (in der eine Frage geschrieben ist, nicht die der Oberfläche).
search-facet-language = Sprache
content-language = { $lang ->
    [en] Englisch
    [de] Deutsch
   *[other] { $lang }
}
search-error-lang = lang ist en oder de

thread-lock = Sperren
thread-unlock = Entsperren
thread-lock-reason-label = Grund für die Sperre
thread-locked-notice = Von der Moderation gesperrt: { $reason }. Keine neuen Antworten oder Kommentare.
thread-locked-no-answers = Diese Frage ist gesperrt und nimmt keine neuen Antworten an.
thread-move-label = Verschieben nach
thread-move = Verschieben
thread-pin = Oben anheften
thread-unpin = Nicht mehr anheften
thread-pinned = Angeheftet
