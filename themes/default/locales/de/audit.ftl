## Das Prüfprotokoll (Administration).

title-audit = Prüfprotokoll
admin-audit-link = Prüfprotokoll: Wer hat was getan
audit-intro = Jede Aktion von Moderation, Team und Administration, neueste zuerst. Einträge werden nie geändert oder gelöscht.
audit-actor = Wer
audit-action-label = Aktion
audit-object = Objekt
audit-object-id = Objekt-ID
audit-from = Von
audit-until = Bis
audit-any = Alle
audit-filter = Filtern
audit-when = Wann
audit-reason = Grund oder Notiz
audit-change = Vorher → nachher
audit-system = das System
audit-none = Zu diesen Filtern passt nichts.
audit-pages = Seiten des Prüfprotokolls
audit-action = { $action ->
        [thread_made_private] Privat gemacht
        [publish_offered] Veröffentlichen vorgeschlagen
        [thread_published] Von der fragenden Person veröffentlicht
        [user_role_changed] Rolle geändert
        [user_suspended] Sperre geändert
        [token_created] API-Token erstellt
        [thread_closed] Frage geschlossen
        [thread_reopened] Frage wieder geöffnet
        [thread_moved] Frage verschoben
        [thread_locked] Frage gesperrt
        [thread_unlocked] Frage entsperrt
        [thread_pinned] Frage angeheftet
        [thread_unpinned] Frage nicht mehr angeheftet
        [thread_assigned] Frage zugewiesen
        [thread_unassigned] Zuweisung aufgehoben
        [post_edited] Fremden Beitrag bearbeitet
        [article_status_changed] Artikelstatus geändert
        [article_published] Artikel veröffentlicht
        [setting_changed] Einstellung geändert
        [category_changed] Kategorie geändert
        [post_hidden] Beitrag ausgeblendet
        [post_deleted] Beitrag gelöscht
        [post_restored] Beitrag wiederhergestellt
        [post_approved] Beitrag freigegeben
        [flag_resolved] Meldung entschieden
        [thread_merged] Thema zusammengeführt
        [thread_unlisted] Thema aus Listen genommen
        [thread_relisted] Thema wieder aufgelistet
        [user_silenced] Stummschaltung geändert
        [edit_approved] Zurückgehaltene Bearbeitung freigegeben
        [edit_rejected] Zurückgehaltene Bearbeitung abgelehnt
        [trust_level_changed] Vertrauensstufe gesetzt
       *[other] { $action }
    }
audit-object-kind = { $kind ->
        [user] Benutzer
        [thread] Frage
        [post] Beitrag
        [article] Artikel
        [category] Kategorie
        [group] Team-Gruppe
        [setting] Einstellung
        [token] API-Token
        [comment] Kommentar
        [flag] Meldung
       *[other] { $kind }
    }
audit-unknown-action = unbekannte Aktion „{ $action }“
audit-bad-date = { $field }: „{ $value }“ ist kein Datum (JJJJ-MM-TT)
audit-bad-number = { $field }: „{ $value }“ ist keine Zahl
