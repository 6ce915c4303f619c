## Moderation: Meldungen, Prüfliste, zurückgehaltene Beiträge, beobachtete Wörter, Beitragsgrenzen.

title-review = Prüfliste
title-my-flags = Meine Meldungen
title-watched-words = Beobachtete Wörter
nav-review = Prüfen
nav-review-count = { $count ->
        [one] 1 Eintrag wartet auf Prüfung
       *[other] { $count } Einträge warten auf Prüfung
    }
admin-watched-words-link = Beobachtete Wörter

screen-held-new-user-links = Beiträge neuer Konten mit Links werden erst nach Freigabe durch die Moderation sichtbar.
screen-held-too-many-links = Beiträge mit so vielen Links werden erst nach Freigabe durch die Moderation sichtbar.
screen-held-watched-word = Er enthält ein Wort, das die Moderation zuerst ansieht.
screen-hidden-by-flags = Mitglieder haben ihn gemeldet; er ist ausgeblendet, bis die Moderation ihn prüft.
screen-resubmitted = Du hast ihn bearbeitet; er wartet auf die Prüfung durch die Moderation.

screen-too-many-questions = Du fragst sehr schnell hintereinander. Bitte warte { $wait }, bevor du wieder fragst.
screen-too-many-answers = Du antwortest sehr schnell hintereinander. Bitte warte { $wait }, bevor du wieder schreibst.
screen-too-many-comments = Du kommentierst sehr schnell hintereinander. Bitte warte { $wait }, bevor du wieder kommentierst.
screen-too-many-votes = Du stimmst sehr schnell hintereinander ab. Bitte warte { $wait }, bevor du wieder abstimmst.
screen-too-many-flags = Du meldest sehr schnell hintereinander. Bitte warte { $wait }, bevor du wieder meldest.
screen-blocked-word = „{ $word }“ ist hier nicht erlaubt; bitte formuliere es anders.
screen-unknown-word-action = unbekannte Aktion „{ $action }“ (block, hold oder flag)
screen-word-empty = gib ein Wort oder ein Muster ein
screen-word-bad-pattern = dieses Muster funktioniert nicht: { $error }
screen-word-exists = „{ $word }“ wird schon beobachtet
screen-too-many-words = höchstens { $max } beobachtete Wörter
screen-word-not-found = beobachtetes Wort nicht gefunden
screen-words-admins-only = nur Admins ändern die beobachteten Wörter

threads-unknown-state = unbekannter Zustand „{ $state }“
threads-merged-into = dieses Thema wurde mit Thema { $id } zusammengeführt
threads-account-silenced = Dein Konto kann gerade lesen, aber nichts schreiben. Die Moderation hebt das zu gegebener Zeit auf.
threads-moderate-not-allowed = das können nur Moderation, Support-Team und Admins
threads-moderate-internal = interne Notizen lassen sich nicht moderieren
threads-already-in-state = das ist schon { $state ->
        [visible] sichtbar
        [held] in der Freigabe
        [hidden] ausgeblendet
       *[deleted] gelöscht
    }
threads-merge-self = ein Thema lässt sich nicht mit sich selbst zusammenführen
threads-merge-unknown = es gibt kein Thema „{ $id }“, in das zusammengeführt werden kann
threads-merge-target-merged = Thema { $id } wurde selbst schon in ein anderes zusammengeführt: nimm dieses
threads-duplicate-text = Denselben Text hast du gerade eben schon geschrieben. Innerhalb von { $minutes } Minuten geht das nicht noch einmal.
threads-edit-deleted = ein gelöschter Beitrag lässt sich nicht bearbeiten
threads-accept-not-visible = nur eine sichtbare Antwort kann angenommen werden

flags-unknown-reason = unbekannter Grund „{ $reason }“
flags-unknown-target = „{ $target }“ lässt sich nicht melden
flags-other-needs-text = sag kurz, was nicht stimmt
flags-own-post = eigene Beiträge kannst du nicht melden
flags-duplicate-needs-thread = nenne das Thema, das es doppelt
flags-duplicate-unknown = es gibt kein Thema „{ $id }“
flags-duplicate-self = ein Thema kann nicht sein eigenes Duplikat sein
flags-already-flagged = du hast das schon gemeldet; die Moderation sieht es sich an
flags-held-edit-not-found = diese Bearbeitung wartet nicht mehr

review-not-allowed = prüfen können nur Moderation, Support-Team und Admins
review-unknown-action = unbekannte Aktion „{ $action }“
review-deleted-restore-first = das ist gelöscht: stell es zuerst wieder her
review-feedback-not-found = diese Rückmeldung gibt es nicht mehr
review-days-range = eine Zahl von Tagen von 1 bis { $max }, 0 hebt es auf
review-not-yourself = dein eigenes Konto kannst du nicht einschränken
review-team-admins-only = Support-Team, Moderation und Admins können nur Admins einschränken
review-silence-not-forever = stummschalten geht für einige Tage; um jemanden dauerhaft auszuschließen, sperre das Konto

post-state-note = { $state ->
        [held] Wartet auf Freigabe: { $reason }
        [flagged] Vorerst ausgeblendet: { $reason }
        [hidden] Von der Moderation ausgeblendet: { $reason }
       *[deleted] Von der Moderation gelöscht: { $reason }
    }
post-resubmit = Bearbeite ihn, um ihn erneut zur Prüfung einzureichen.
post-edit-pending = Deine letzte Bearbeitung wartet auf die Freigabe durch die Moderation.

flag-open = Melden
flag-why = Was stimmt nicht?
flag-reason = { $reason ->
        [spam] Spam
        [rude] Unhöflich oder beleidigend
        [off_topic] Gehört nicht hierher
        [duplicate] Ein Duplikat
        [needs_staff] Braucht jemanden vom Support-Team
        [watched_word] Ein beobachtetes Wort
       *[other] Etwas anderes
    }
flag-duplicate-of = Duplikat von (Themennummer oder Link)
flag-note = Was die Moderation wissen sollte
flag-submit = Meldung senden

thread-merge-label = Zusammenführen mit Thema
thread-merge = Zusammenführen
thread-unlist = Aus Listen nehmen
thread-relist = Wieder auflisten
thread-state-notice = { $state ->
        [held] Diese Frage wartet auf die Freigabe durch die Moderation; nur du und die Moderation sehen sie.
        [hidden] Diese Frage wurde von der Moderation ausgeblendet; nur die fragende Person und die Moderation sehen sie.
        [deleted] Diese Frage wurde gelöscht; nur die fragende Person und die Moderation sehen sie.
        [unlisted] Dieses Thema ist aus den Listen genommen: Es steht in keiner Liste und keiner Suche, und nur die fragende Person und die Moderation können es öffnen.
       *[other] Dieses Thema ist nicht öffentlich.
    }

review-counts = { $flagged ->
        [one] 1 gemeldeter Eintrag
       *[other] { $flagged } gemeldete Einträge
    }, { $held ->
        [one] 1 wartet auf Freigabe
       *[other] { $held } warten auf Freigabe
    }. Älteste zuerst.
review-filter-reason = Grund
review-filter-category = Kategorie
review-any = Alle
review-filter = Filtern
review-kind = { $kind ->
        [flagged] Gemeldet
        [held] Wartet auf Freigabe
       *[held_edit] Bearbeitung wartet auf Freigabe
    }
review-target = { $target ->
        [post] { $kind ->
            [question] Frage
            [answer] Antwort
            [followup] Nachtrag
           *[other] Beitrag
        }
        [comment] Kommentar
        [feedback] Rückmeldung zu einem Artikel
       *[edit] Bearbeitung
    }
review-by = von
review-author-restricted = stummgeschaltet oder gesperrt
review-waiting-since = wartet seit { $when }
review-state = { $state ->
        [held] wartet auf Freigabe
        [hidden] ausgeblendet
        [deleted] gelöscht
       *[visible] sichtbar
    }
review-flagged-automatically = Automatisch gemeldet
review-duplicate-of = Duplikat von Thema { $id }
review-proposed-edit = Vorgeschlagene Bearbeitung
review-reason-label = Begründung (sieht die Person, die es geschrieben hat)
review-action = { $action ->
        [approve] Freigeben
        [dismiss] Meldungen verwerfen
        [hide] Ausblenden
        [restore] Wiederherstellen
        [reject] Ablehnen
       *[delete] Löschen
    }
review-edit = Beitrag bearbeiten
review-thread-actions = Aktionen für das Thema (sperren, verschieben, zusammenführen)
review-silence-days = Person stummschalten für
review-suspend-days = Konto sperren für
review-days = { $count ->
        [one] 1 Tag
       *[other] { $count } Tage
    }
review-forever = dauerhaft
review-silence = Stummschalten
review-suspend = Sperren
review-empty = Nichts wartet auf Prüfung. Gut gemacht.
review-pages = Seiten der Prüfliste

my-flags-intro = Was du gemeldet hast und was die Moderation entschieden hat.
my-flags-when = Wann
my-flags-what = Was
my-flags-reason = Warum
my-flags-outcome = Ergebnis
my-flags-status = { $status ->
        [agreed] Die Moderation hat zugestimmt und gehandelt
        [dismissed] Die Moderation hat sie verworfen
       *[open] Wartet auf die Moderation
    }
my-flags-none = Du hast noch nichts gemeldet.

words-intro = Beiträge mit diesen Wörtern werden abgelehnt, zur Freigabe zurückgehalten oder veröffentlicht und gemeldet. Wörter passen als ganze Wörter, egal ob groß oder klein; * steht für beliebige Buchstaben. Support-Team und Moderation werden nie geprüft.
words-pattern = Wort oder Muster
words-regex = Es ist ein regulärer Ausdruck
words-action-label = Was passiert
words-action = { $action ->
        [block] Beitrag ablehnen
        [hold] Zur Freigabe zurückhalten
       *[flag] Veröffentlichen und melden
    }
words-add = Hinzufügen
words-added = Hinzugefügt
words-remove = Entfernen
words-is-regex = Muster
words-none = Noch keine beobachteten Wörter.

accounts-signup-too-fast = Das ging sehr schnell. Bitte prüfe das Formular und schick es noch einmal ab.

# A group of notifications about no thread (a silence, a flag on article feedback).
notify-group-account = Dein Konto

## Closing with a reason.
thread-close-reason-label = Grund
thread-close-reason-none = (kein Grund)
thread-close-reason = { $reason ->
        [off_topic] Gehört nicht hierher
        [duplicate] Ein Duplikat
        [resolved_elsewhere] Anderswo gelöst
        [not_reproducible] Nicht nachvollziehbar
       *[other] Ein anderer Grund
    }
thread-closed-because = Von der Moderation geschlossen: { $reason ->
        [off_topic] gehört nicht hierher.
        [duplicate] ein Duplikat einer anderen Frage.
        [resolved_elsewhere] anderswo gelöst.
        [not_reproducible] das Problem ist nicht nachvollziehbar.
       *[other] der Grund steht im Thema.
    }
threads-unknown-close-reason = unbekannter Grund „{ $reason }“ (off_topic, duplicate, resolved_elsewhere, not_reproducible, other)

## A member's profile, for moderators.
user-moderate-heading = Moderation
user-moderate-lift = aufheben

# Neben einem Thema: gelöste Themen und Artikel zur selben Sache.
thread-related-heading = Ähnliche Fragen
# Nur für Moderation: Themen, die wohl dasselbe fragen, mit einem Knopf zum Zusammenführen.
thread-duplicates-heading = Mögliche Duplikate
thread-duplicates-help = Diese Themen lesen sich fast gleich. Beim Zusammenführen wandern die Beiträge dieses Themas in das gewählte.
thread-merge-into-this = Dieses Thema dorthin zusammenführen
