## Benachrichtigungen: die Glocke, die Benachrichtigungsseite, Beobachten, E-Mail-Einstellungen, E-Mails.

title-notifications = Benachrichtigungen
title-notification-preferences = Benachrichtigungseinstellungen
title-unsubscribe = Abmelden

bell-title = Benachrichtigungen

notify-unread-count = { $count ->
        [0] Nichts Ungelesenes.
        [one] 1 ungelesene Benachrichtigung.
       *[other] { $count } ungelesene Benachrichtigungen.
    }
notify-filter-label = Anzeigen
notify-show-all = Alle anzeigen
notify-show-unread = Nur ungelesene
notify-preferences-link = E-Mail-Einstellungen
notify-mark-all-read = Alle als gelesen markieren
notify-mark-read = Als gelesen markieren
notify-mark-thread-read = Diese Frage als gelesen markieren
notify-none = Noch keine Benachrichtigungen. Sobald jemand deine Frage beantwortet oder dir antwortet, siehst du es hier.
notify-none-unread = Du bist auf dem neuesten Stand.
notify-unread-mark = Ungelesen:
notify-pages-label = Seiten der Benachrichtigungen
notify-summary = { $kind ->
        [answer] { $count ->
            [one] 1 neue Antwort
           *[other] { $count } neue Antworten
        }
        [comment] { $count ->
            [one] 1 neuer Kommentar
           *[other] { $count } neue Kommentare
        }
        [mention] { $count ->
            [one] 1 Erwähnung
           *[other] { $count } Erwähnungen
        }
        [watched_post] { $count ->
            [one] 1 neuer Beitrag
           *[other] { $count } neue Beiträge
        }
        [new_question] neue Frage
        [customer_followup] { $count ->
            [one] 1 Nachtrag vom Kunden
           *[other] { $count } Nachträge vom Kunden
        }
        [badge] { $count ->
            [one] 1 neues Abzeichen
           *[other] { $count } neue Abzeichen
        }
       *[other] { $count ->
            [one] 1 Neuigkeit
           *[other] { $count } Neuigkeiten
        }
    }

notify-answer = { $who } hat deine Frage „{ $title }“ beantwortet
notify-comment = { $who } hat deinen Beitrag in „{ $title }“ kommentiert
notify-mention = { $who } hat dich in „{ $title }“ erwähnt
notify-accepted = { $who } hat deine Antwort in „{ $title }“ akzeptiert
notify-referred = Deine Frage „{ $title }“ wurde an { $to } übergeben, der sich ab jetzt darum kümmert
notify-promise-made = { $who } meldet sich zu „{ $title }“ bis { $due } bei dir
notify-promise-kept = { $who } hat sich zu „{ $title }“ wie versprochen gemeldet
notify-closed = { $duplicate ->
        [yes] { $who } hat „{ $title }“ als Duplikat einer anderen Frage geschlossen
       *[no] { $who } hat deine Frage „{ $title }“ geschlossen
    }
notify-reopened = { $who } hat deine Frage „{ $title }“ wieder geöffnet
notify-promoted = Aus deiner Frage „{ $title }“ ist ein Artikel in der Wissensdatenbank geworden
notify-article-from-answer = Aus deiner Antwort in „{ $title }“ ist ein Artikel in der Wissensdatenbank geworden
notify-watched-post = { $who } hat in „{ $title }“ geschrieben
notify-new-question = { $who } hat „{ $title }“ gefragt
notify-assigned = { $who } hat „{ $title }“ dir oder deinem Team zugewiesen
notify-customer-followup = { $who } hat zu „{ $title }“ etwas nachgetragen
notify-promise-due = Deine Zusage zu „{ $title }“ ist um { $due } fällig
notify-promise-overdue = Deine Zusage zu „{ $title }“ ist überfällig (fällig war sie um { $due })
notify-moderated = { $what ->
        [question] Deine Frage
        [answer] Deine Antwort
        [followup] Dein Nachtrag
        [comment] Dein Kommentar
        [edit] Deine Änderung
       *[post] Dein Beitrag
    } in „{ $title }“ { $action ->
        [hidden] { $by ->
            [flags] ist nach Meldungen von Mitgliedern vorerst verborgen, bis das Moderationsteam sie geprüft hat
           *[moderator] wurde vom Moderationsteam verborgen
        }
        [deleted] wurde vom Moderationsteam gelöscht
        [restored] wurde vom Moderationsteam wiederhergestellt und ist wieder für alle sichtbar
        [approved] { $what ->
            [edit] wurde vom Moderationsteam übernommen und ist jetzt sichtbar
           *[other] wurde vom Moderationsteam freigegeben und ist jetzt öffentlich
        }
       *[rejected] wurde vom Moderationsteam abgelehnt
    }
notify-flag-outcome = { $outcome ->
        [agreed] Das Moderationsteam gibt dir recht: Danke für deine Meldung zu { $target ->
            [comment] einem Kommentar in „{ $title }“
            [feedback] einer Rückmeldung zu einem Artikel
           *[post] einem Beitrag in „{ $title }“
        }
       *[dismissed] Das Moderationsteam hat sich deine Meldung zu { $target ->
            [comment] einem Kommentar in „{ $title }“
            [feedback] einer Rückmeldung zu einem Artikel
           *[post] einem Beitrag in „{ $title }“
        } angesehen und nichts geändert
    }
notify-silenced = { $lifted ->
        [yes] Du kannst wieder schreiben: Das Moderationsteam hat deine Schreibsperre aufgehoben
       *[no] Das Moderationsteam hat dir bis { $until } eine Schreibsperre gegeben: Lesen kannst du weiter, schreiben aber nicht
    }
notify-merged = Deine Frage „{ $duplicate }“ wurde vom Moderationsteam mit „{ $title }“ zusammengeführt: { $answers ->
        [0] dort geht es weiter
        [one] ihre Antwort steht jetzt auch dort
       *[other] ihre { $answers } Antworten stehen jetzt auch dort
    }
notify-badge = Du hast das Abzeichen „{ badge-name }“ bekommen ({ $tier ->
        [gold] Gold
        [silver] Silber
       *[bronze] Bronze
    }) – herzlichen Glückwunsch!

notify-kind-answer = Antworten auf meine Fragen
notify-kind-comment = Kommentare zu meinen Beiträgen
notify-kind-mention = Erwähnungen (@name)
notify-kind-accepted = Meine Antwort wurde akzeptiert
notify-kind-referred = Meine Frage wurde an jemanden vom Team übergeben
notify-kind-promise-made = Eine Zusage, sich zu meiner Frage zu melden
notify-kind-promise-kept = Eine Zusage zu meiner Frage wurde eingehalten
notify-kind-closed = Meine Frage wurde geschlossen
notify-kind-reopened = Meine Frage wurde wieder geöffnet
notify-kind-promoted = Aus meiner Frage wurde ein Wissensartikel
notify-kind-article-from-answer = Aus meiner Antwort wurde ein Wissensartikel
notify-kind-watched-post = Neue Beiträge in beobachteten Fragen, Kategorien und Tags
notify-kind-new-question = Neue Fragen in beobachteten Kategorien und Tags
notify-kind-assigned = Mir oder meinem Team zugewiesene Fragen (Team)
notify-kind-customer-followup = Nachträge von Kunden zu Fragen, die ich beantwortet habe oder betreue (Team)
notify-kind-promise-due = Meine Zusage ist in der nächsten Stunde fällig (Team)
notify-kind-promise-overdue = Meine Zusage ist überfällig (Team)
notify-kind-moderated = Entscheidungen des Moderationsteams zu meinen Beiträgen und Änderungen
notify-kind-flag-outcome = Was aus meinen Meldungen geworden ist
notify-kind-silenced = Schreibsperre für mein Konto verhängt oder aufgehoben
notify-kind-merged = Meine Frage wurde mit einer anderen zusammengeführt
notify-kind-badge = Abzeichen, die ich bekomme

notify-preferences-saved = Deine Einstellungen sind gespeichert.
notify-email-off = Diese Seite verschickt noch keine E-Mails: Alles findest du unter der Glocke.
notify-preferences-caption = Wie wir dich zu jeder Art von Benachrichtigung per E-Mail informieren. Unter der Glocke siehst du sie immer.
notify-preferences-kind = Benachrichtigung
notify-delivery = { $delivery ->
        [instant] Sofort
        [daily] Tägliche Zusammenfassung
        [weekly] Wöchentliche Zusammenfassung
       *[never] Nie
    }
notify-digest-hour-label = Zusammenfassungen senden um (deine Zeit)
notify-digest-hour = { $hour }:00 Uhr
notify-watched-heading = Kategorien und Tags, die du beobachtest
notify-watched-none = Du beobachtest keine Kategorie und keinen Tag. Mit „Beobachten“ auf der Seite einer Kategorie oder eines Tags erfährst du von neuen Fragen dort.
notify-topic-level = { $level ->
        [watching] Jeder Beitrag
        [first_post] Nur neue Fragen
       *[none] Nicht beobachtet
    }

watch-label = Benachrichtigungen zu dieser Frage
watch-level = { $level ->
        [watching] Beobachten
        [muted] Stumm
       *[normal] Normal
    }
watch-help = { $level ->
        [watching] Du erfährst von jedem neuen Beitrag.
        [muted] Du hörst von dieser Frage gar nichts mehr.
       *[normal] Du erfährst nur, was dich betrifft: Antworten auf deine Frage, Antworten an dich, Erwähnungen.
    }
watch-save = Speichern
watch-topic-label = Beobachten

live-new = { $kind ->
        [comment] { $count ->
            [one] 1 neuer Kommentar
           *[other] { $count } neue Kommentare
        }
       *[answer] { $count ->
            [one] 1 neue Antwort
           *[other] { $count } neue Antworten
        }
    }
live-show = anzeigen

unsubscribe-what-digest = die täglichen und wöchentlichen Zusammenfassungen
unsubscribe-what-all = alle Benachrichtigungs-E-Mails
unsubscribe-confirm = Keine E-Mails mehr über { $what }?
unsubscribe-button = Abmelden
unsubscribe-done = Erledigt: Du bekommst keine E-Mails mehr über { $what }.
unsubscribe-change-later = E-Mail-Einstellungen ändern

email-open-link = Ansehen
email-moderator-wrote = Das Moderationsteam schreibt dazu:
email-badge-thanks = Danke, dass du anderen hier hilfst.
email-badge-link = Abzeichen ansehen
email-footer-why = Du bekommst diese E-Mail, weil du ein Konto bei { $site } hast.
email-footer-preferences = E-Mail-Einstellungen
email-footer-unsubscribe = Diese E-Mails abbestellen
email-digest-daily-subject = Deine tägliche Zusammenfassung von { $site }
email-digest-weekly-subject = Deine wöchentliche Zusammenfassung von { $site }
email-digest-intro = { $period ->
        [weekly] Hallo { $name }, das ist diese Woche passiert.
       *[daily] Hallo { $name }, das ist seit gestern passiert.
    }
email-digest-notifications = Für dich
email-digest-solved = Neu gelöst in dem, was du beobachtest
email-digest-articles = Neue Artikel in dem, was du beobachtest

admin-mail-heading = E-Mail
admin-mail-off = Kein SMTP-Server eingestellt (`[email] smtp_host`): Es werden keine E-Mails verschickt.
admin-mail-counts = Wartend: { $pending } · verschickt: { $sent } · nicht nötig (vorher gelesen): { $dropped } · aufgegeben: { $failed }
admin-mail-failures = Aufgegebene E-Mails, neueste zuerst
admin-mail-to = An
admin-mail-kind = Art
admin-mail-attempts = Versuche
admin-mail-reason = Letzter Fehler
admin-mail-when = Aufgegeben

notify-publish-offered = { $who } schlägt vor, deine private Frage „{ $title }“ zu veröffentlichen: Du entscheidest
notify-staff-requested = { $who } möchte bei „{ $title }“ Hilfe von einer Person
notify-kind-publish-offered = Vorschläge, meine privaten Fragen zu veröffentlichen
notify-kind-staff-requested = Kunden, die bei von mir beantworteten oder betreuten Fragen eine Person sprechen möchten (Team)
