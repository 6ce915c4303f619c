## Der Support-Bereich: der Verlauf neben einer Frage, das Team-Panel und der Kundenkontext, die
## Warteschlange des Teams mit ihren Kennzahlen und was der Support-Bereich ablehnt.

## Der Verlauf (je ein Eintrag; Namen sind die der Personen).

support-timeline = Verlauf
support-tl-asked = Gefragt von { $name }
support-tl-first-response = Erste Antwort von { $person } ({ $by ->
        [staff] Team
       *[community] Community
    }), Wartezeit: { $after }
support-tl-followup = Nachtrag von { $name }
support-tl-answered = Beantwortet von { $person }
support-tl-earlier-answers = { $count ->
        [one] 1 frühere Antwort
       *[other] { $count } frühere Antworten
    }
support-tl-accepted = Antwort akzeptiert von { $name }
support-tl-closed = Geschlossen von { $person }
support-tl-reopened = Wieder geöffnet von { $person }
support-tl-looking-into = { $person } kümmert sich darum
support-tl-looking-into-group = { $person } kümmert sich darum (Team { $group })
support-tl-referred-person = Von { $by } an { $person } weitergeleitet
support-tl-referred-person-group = Von { $by } an { $person } (Team { $group }) weitergeleitet
support-tl-referred-group = Von { $by } an das Team { $group } weitergeleitet
support-tl-unassigned = Zuweisung aufgehoben von { $name }
support-tl-promised = { $person } meldet sich
support-tl-due = bis { $due }
support-tl-followed-up = { $name } hat sich wie versprochen gemeldet ({ $timing ->
        [on-time] pünktlich
       *[late] verspätet
    })
support-tl-followed-up-for = { $keeper } hat die Zusage von { $name } eingelöst ({ $timing ->
        [on-time] pünktlich
       *[late] verspätet
    })
support-tl-promoted = In die Wissensdatenbank übernommen: { $title }
support-promise-state = { $state ->
        [kept] Eingehalten
        [late] Verspätet eingehalten
        [overdue] Überfällig
        [due] Innerhalb eines Tages fällig
       *[open] Offen
    }
support-quoted = „{ $text }“
support-staff-only = Nur fürs Team
support-new = Neu

## Das Team-Panel neben einer Frage.

support-desk = Support
support-assigned-to = { $to ->
        [both] Zugewiesen an { $person } · Team { $group }
        [group] Zugewiesen an das Team { $group }
       *[person] Zugewiesen an { $person }
    }
support-assigned-you = Du
support-not-assigned = Niemandem zugewiesen.
support-open-promises = Offene Zusagen
support-open-promise = { $name }: bis { $due }
support-promise-mark-kept = Als eingehalten markieren
support-promises-kept-by-reply = Wenn du hier antwortest oder kommentierst, gelten deine eigenen Zusagen als eingehalten.
support-assign-heading = Zuweisen oder weiterleiten
support-assign-member = Teammitglied
support-assign-me = (ich)
support-assign-group = Gruppe
support-assign-note = Notiz für die zugewiesene Person (nur fürs Team)
support-assign-submit = { $again ->
        [yes] Neu zuweisen
       *[no] Zuweisen
    }
support-assign-empty-hint = Lässt du beide Felder leer, wird die Zuweisung aufgehoben.
support-promise-heading = Rückmeldung zusagen
support-promise-within = Ich melde mich innerhalb von
support-promise-within-option = { $unit ->
        [hour] { $count ->
            [one] 1 Stunde
           *[other] { $count } Stunden
        }
        [day] { $count ->
            [one] 1 Tag
           *[other] { $count } Tagen
        }
       *[week] { $count ->
            [one] 1 Woche
           *[other] { $count } Wochen
        }
    }
support-promise-by = …oder bis (deine Ortszeit)
support-promise-note = Was du tun wirst (für die Kundschaft sichtbar)
support-promise-note-placeholder = Mit dem Netzwerk-Team die Firmware-Logs prüfen
support-promise-submit = Zusagen

## Der Kundenkontext (nur fürs Team).

support-context-heading = Kundenprofil
support-context-member-since = Mitglied seit { $when }
support-context-setup = Setup
support-context-no-setup = Kein gespeichertes Setup.
support-context-other-threads = Weitere Fragen
support-context-first-thread = Das ist die erste Frage.
support-context-staff-contact = Bisheriger Kontakt mit dem Team
support-context-contact = { $person } in { $thread }
support-context-no-staff-contact = Bisher kein Kontakt mit dem Team.

## Die Warteschlange des Teams (/staff).

queue-heading = Support-Warteschlange
queue-tabs-label = Warteschlangen
queue-view = { $view ->
        [requested] Person angefragt
        [unanswered] Unbeantwortet
        [overdue] Zielzeit überschritten
        [mine] Mir zugewiesen
        [followups] Offene Nachträge
       *[promises] Meine Zusagen
    }
queue-filter-category = Kategorie
queue-filter-all = Alle
queue-sort-label = Sortierung
queue-sort = { $sort ->
        [oldest] Am längsten wartend
        [newest] Neueste
       *[activity] Letzte Aktivität
    }
queue-filter-show = Anzeigen
queue-table-caption = { $view ->
        [requested] Fragen, bei denen nach einer Person gefragt wurde
        [unanswered] Unbeantwortete Fragen
        [overdue] Fragen über der Zielzeit
        [mine] Mir zugewiesene Fragen
        [followups] Fragen mit offenen Nachträgen
       *[promises] Fragen mit meinen Zusagen
    }
queue-col-thread = Frage
queue-col-category = Kategorie
queue-col-asked = Gefragt
queue-col-first-response = Erste Antwort
queue-col-assigned = Zugewiesen
queue-col-promise-due = Zusage fällig
queue-asked-by = von { $name }
queue-followup-when = Nachtrag { $when }
queue-target-badge = { $state ->
        [overdue] Überfällig
       *[met] Innerhalb der Zielzeit
    }
queue-target = { $state ->
        [overdue] { $elapsed } (Zielzeit { $target })
        [waiting] fällig bis { $due }
        [missed] verspätet ({ $elapsed })
       *[none] keine Zielzeit
    }
queue-pager-label = Seiten
queue-pager-previous = Zurück
queue-pager-next = Weiter
queue-empty = Hier ist nichts mehr zu tun. Gut gemacht!
queue-metrics-heading = So läuft es im Support
queue-metrics-caption = Mittlere Zeit bis zur ersten Antwort, nach Zeitpunkt der Frage
queue-metrics-target = Zielzeit
queue-metrics-last-days = Letzte { $days } Tage
queue-metrics-within-target = Innerhalb der Zielzeit ({ $days } Tage)
queue-metrics-waiting = Wartend
queue-metrics-all = Alle
queue-within-of = { $within } von { $total }
queue-metrics-peers = Zuerst von der Community beantwortet ({ $days } Tage)
queue-peer-share = { $share } % – { $peers } von der Community, { $staff } vom Team
queue-metrics-promises = Pünktlich eingehaltene Zusagen (fällig in den letzten { $days } Tagen)
queue-promise-share = { $share } % – { $on_time } pünktlich, { $late } verspätet, { $missed } verpasst
queue-promises-upcoming = { $count } noch nicht fällig

## Was der Support-Bereich ablehnt.

support-staff-only-action = Das kann nur das Team.
support-target-invalid = Zielzeit für die erste Antwort „{ $target }“: Schreib sie wie 4h, 30m, 2d oder 1h30m (höchstens 30 Tage).
support-no-group = Eine Team-Gruppe „{ $group }“ gibt es nicht.
support-group-name = Ein Gruppenname hat 1 bis 60 Zeichen, mit Buchstaben oder Ziffern.
support-group-exists = Eine Gruppe „{ $name }“ gibt es schon.
support-group-not-found = Diese Gruppe gibt es nicht.
support-no-user = Eine Person „{ $handle }“ gibt es nicht.
support-member-not-staff = { $handle } gehört nicht zum Team: Nur Team-Mitglieder und Admins können Support-Gruppen beitreten.
support-member-action = „action“ ist „add“ oder „remove“.
support-admins-only-groups = Nur Admins verwalten Team-Gruppen.
support-assign-closed = Diese Frage ist geschlossen: Öffne sie wieder, bevor du sie zuweist.
support-assign-not-staff = { $handle } ist kein aktives Team-Mitglied: Fragen gehen an Team-Mitglieder.
support-assign-nobody = Gib ein Team-Mitglied oder eine Gruppe an, der die Frage zugewiesen werden soll.
support-promise-past = Eine Rückmeldung kannst du nur für einen späteren Zeitpunkt zusagen.
support-promise-too-far = Sag eine Rückmeldung innerhalb von { $days } Tagen zu.
support-promise-not-found = Diese Zusage gibt es nicht.
support-due-format = Zeitpunkt der Rückmeldung „{ $due }“: Gib Datum und Uhrzeit an, etwa 2026-11-24T15:00.
support-due-range = Der Zeitpunkt der Rückmeldung „{ $due }“ liegt außerhalb des möglichen Bereichs.
support-due-missing = Sag, wann du dich meldest.
support-offset-number = Die Zeitzonen-Verschiebung ist eine Zahl von Minuten.
support-offset-range = Die Zeitzonen-Verschiebung liegt außerhalb des möglichen Bereichs.
support-unknown-queue = Unbekannte Warteschlange „{ $queue }“: Möglich sind unanswered, overdue, mine, followups und promises.
support-unknown-sort = Unbekannte Sortierung „{ $sort }“: Möglich sind oldest, newest und activity.
support-setup-empty = Gib eine Version, eine Plattform oder ein paar Hinweise zum Produkt an.
support-setup-not-found = Diesen Setup-Eintrag gibt es nicht.
support-setup-full = Ein Setup hat höchstens { $max } Einträge: Entfern zuerst einen.
support-setup-unknown-entry = Unbekannter Setup-Eintrag.
support-category-in-setups = { $count ->
        [one] 1 Setup-Eintrag von Kunden nennt
       *[other] { $count } Setup-Einträge von Kunden nennen
    } dieses Produkt; es kann nicht gelöscht werden.
support-setup-saved = Setup gespeichert.
support-setup-removed = Setup-Eintrag entfernt.
