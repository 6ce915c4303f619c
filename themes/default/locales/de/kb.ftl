## Die Wissensdatenbank: Startseite und Bereiche, Artikel, der Artikel-Editor, Versionen und
## Änderungen sowie die Seiten fürs Team (Pflege, Kandidaten zum Übernehmen, Inhaltslücken).

# Der Status eines Artikels, wo immer er angezeigt wird.
kb-article-status = { $status ->
    [draft] Entwurf
    [published] veröffentlicht
    [archived] archiviert
   *[other] { $status }
}

kb-breadcrumb = Navigationspfad
kb-new-article = Neuer Artikel
kb-history = Verlauf

## Startseite und Bereiche

# $search und $ask sind Links (kb-home-search-link, kb-home-ask-link).
kb-home-lead = Antworten, die unser Team geprüft hat – entstanden aus den besten gelösten Fragen. Deine ist nicht dabei? { $search } oder { $ask }.
kb-home-search-link = Durchsuch alles
kb-home-ask-link = frag die Community
# $section ist der Name des Bereichs.
kb-home-all-articles = { $count ->
    [one] Der eine Artikel in { $section } →
   *[other] Alle { $count } Artikel in { $section } →
}
kb-home-empty = Noch keine Artikel. Unser Team übernimmt die besten gelösten Fragen hierher.
kb-section-empty = In diesem Bereich gibt es noch keine veröffentlichten Artikel.

## Ein Artikel

kb-article-archived = Archiviert.
kb-article-archived-note = Dieser Artikel wird nicht mehr gepflegt und ist vielleicht nicht mehr aktuell.
kb-article-draft = Entwurf.
kb-article-draft-note = Bis zur Veröffentlichung sieht nur das Team diesen Artikel.
kb-article-verified-by = Geprüft von
kb-article-last-reviewed = Zuletzt geprüft
kb-article-applies-to = Gilt für
kb-article-review-by = Prüfen bis
# Ein Prüfdatum, das schon vorbei ist; $date ist das Datum.
kb-review-by-due = { $date } (fällig)
# $question verlinkt die Frage, $asker hat sie gestellt.
kb-article-source = Entstanden aus der Frage { $question } von { $asker }. Danke!
# Wie kb-article-source; $answer ist ein Link (kb-article-source-answer-link), $answerer hat sie geschrieben.
kb-article-source-with-answer = Entstanden aus der Frage { $question } von { $asker } und der { $answer } von { $answerer }. Danke!
kb-article-source-answer-link = Antwort
kb-article-history-link = { $count ->
    [one] Verlauf (1 Version)
   *[other] Verlauf ({ $count } Versionen)
}

## „War das hilfreich?“

kb-feedback-heading = War das hilfreich?
kb-feedback-thanks = Danke für deine Rückmeldung!
kb-feedback-comment-label = Was hat gefehlt oder war falsch? (optional)
kb-feedback-yes = Ja, hat geholfen
kb-feedback-no = Nein

## Der Team-Bereich unter einem Artikel

kb-staff-heading = Team
# $yes und $no sind die Anzahl der Stimmen.
kb-staff-helpful = Hilfreich: Ja { $yes }, Nein { $no }.
kb-staff-helpful-percent = Hilfreich: Ja { $yes }, Nein { $no } ({ $percent } %).
# Die Antwort auf „War das hilfreich?“ ($helpful: yes oder no).
kb-feedback-answer = { $helpful ->
    [yes] Ja
   *[no] Nein
}
# Wer die Rückmeldung gegeben hat ($anonymous: yes für nicht angemeldete Besucher) und wann.
kb-feedback-by = — { $anonymous ->
    [yes] anonym
   *[no] { $handle }
}, { $when }
kb-article-edit = Bearbeiten
kb-action-publish = Veröffentlichen
kb-action-archive = Archivieren
kb-action-draft = Zurück zum Entwurf
kb-next-review-label = Nächste Prüfung (leer: in 180 Tagen)
kb-mark-reviewed = Als geprüft markieren

## Der Editor (Frage übernehmen, neuen Artikel schreiben, Artikel bearbeiten)

kb-editor-promote-heading = In die Wissensdatenbank übernehmen
# $thread verlinkt die Frage.
kb-editor-promote-intro = Aus { $thread }. Formulier den Titel als Beschreibung des Problems und sorg dafür, dass der Text für sich allein verständlich ist.
kb-editor-edit-heading = Artikel bearbeiten
# $article verlinkt den Artikel, $status ist sein Status (kb-article-status), $history ein Link (kb-editor-history-link).
kb-editor-edit-intro = { $article } ({ $status }). Jede Änderung bleibt im { $history } erhalten; wenn du speicherst, gilt der Artikel als von dir geprüft.
kb-editor-history-link = Verlauf
kb-editor-answer-legend = Antwort, aus der der Artikel entsteht
kb-editor-answer-accepted = (akzeptiert)
kb-editor-title = Titel
kb-editor-section = Bereich
kb-editor-applies-to = Gilt für Versionen (durch Kommas getrennt)
kb-editor-review-by-edit = Prüfen bis (leer: bleibt, oder in 180 Tagen, falls es schon vorbei ist)
kb-editor-review-by-new = Prüfen bis (leer: in 180 Tagen)
kb-editor-body = Text (Markdown)
kb-editor-summary = Zusammenfassung der Änderung
kb-editor-save = Speichern
kb-editor-save-draft = Als Entwurf speichern
kb-editor-preview = Vorschau

## Versionen und Änderungen

kb-revisions-caption = Versionen, neueste zuerst
kb-revisions-col-from = Von
kb-revisions-col-to = Bis
kb-revisions-col-revision = Version
kb-revisions-col-editor = Bearbeitet von
kb-revisions-col-summary = Zusammenfassung
kb-revisions-col-when = Wann
kb-revisions-compare-from = Vergleichen ab Version { $number }
kb-revisions-compare-to = Vergleichen bis Version { $number }
kb-revisions-restore = Wiederherstellen
kb-revisions-compare = Vergleichen
kb-diff-heading = Änderungen von Version { $from } zu { $to }
kb-diff-stats = { $inserted ->
    [one] 1 Zeile hinzugefügt
   *[other] { $inserted } Zeilen hinzugefügt
}, { $deleted } entfernt.
# $old und $new sind der Titel vorher und nachher.
kb-diff-title = Titel: { $old } → { $new }
kb-diff-applies-to = Gilt für: { $old } → { $new }
kb-diff-section-changed = Der Bereich hat sich geändert.
kb-diff-lines-label = Geänderte Zeilen
kb-diff-same = Der Text ist in beiden Versionen gleich.

## Team: Pflege der Wissensdatenbank

kb-upkeep-col-article = Artikel
kb-upkeep-col-review-by = Prüfen bis
kb-upkeep-col-helpful = Hilfreich
kb-upkeep-col-updated = Aktualisiert
# Anteil der „Ja“-Stimmen an $total Stimmen.
kb-upkeep-helpful-share = { $percent } % von { $total }
kb-upkeep-due-heading = Prüfung fällig
kb-upkeep-due-note = Veröffentlichte Artikel, deren Prüfdatum vorbei ist oder { $days ->
    [one] innerhalb eines Tages
   *[other] innerhalb von { $days } Tagen
} ansteht.
kb-upkeep-due-empty = Nichts ist fällig.
kb-upkeep-worst-heading = Am wenigsten hilfreich
kb-upkeep-worst-note = Veröffentlichte Artikel mit mindestens { $votes } Stimmen, die mit dem kleinsten Anteil an „Ja“ zuerst.
kb-upkeep-worst-empty = Noch nicht genug Stimmen.
kb-upkeep-drafts-heading = Entwürfe
kb-upkeep-drafts-empty = Keine Entwürfe.
kb-upkeep-archived-heading = Archiviert
kb-upkeep-archived-empty = Nichts archiviert.

## Team: Fragen, die sich zum Übernehmen lohnen

kb-candidates-lead = Gelöste Fragen, die noch nicht in der Wissensdatenbank stehen – die lohnendsten zuerst.
kb-candidates-ranking = So wird sortiert: Jedes Mal, wenn die Frage erneut gestellt wurde (eine spätere Frage mit passendem Titel oder eine als Duplikat davon geschlossene Frage), gibt es 5 Punkte, für jede Stimme zur Frage (Plus- minus Minusstimmen) 2 Punkte und für alle vollen 50 Aufrufe 1 Punkt. Die Priorität ist die Summe; bei Gleichstand kommt die neuere Frage zuerst.
kb-candidates-col-question = Frage
kb-candidates-col-asked-again = Erneut gefragt
kb-candidates-col-votes = Stimmen
kb-candidates-col-views = Aufrufe
kb-candidates-col-priority = Priorität
kb-candidates-promote = Übernehmen
kb-candidates-empty = Alle gelösten Fragen stehen schon in der Wissensdatenbank.
