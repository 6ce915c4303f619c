## Hilfe unter Kunden: Reputation und Vertrauensstufen.

screen-needs-trust-level = { $privilege ->
        [vote_up] Positiv abstimmen
        [vote_down] Negativ abstimmen
        [flag] Melden
        [comment_anywhere] Beiträge anderer kommentieren
        [edit_others] Beiträge anderer bearbeiten
        [retag] Tags anderer ändern
        [move_threads] Themen verschieben
        [flag_hide] Mit einer Meldung ausblenden
        [close] Themen schließen
        [merge] Themen zusammenführen
        [lock] Themen sperren
       *[other] Das
    } kannst du ab Vertrauensstufe { $level } (du bist auf Stufe { $current }). Auf deiner Kontoseite steht, was die nächste Stufe braucht.
peers-trust-not-allowed = Vertrauensstufen setzen nur Moderation, Support-Team und Admins
peers-trust-range = eine Vertrauensstufe ist 0, 1, 2, 3 oder 4
peers-trust-four-staff = Stufe 4 vergeben nur Support-Team und Admins

trust-heading = Vertrauensstufe
trust-level-badge = { $level ->
        [0] Stufe 0 · neu
        [1] Stufe 1 · Einsteiger
        [2] Stufe 2 · Mitglied
        [3] Stufe 3 · Stammgast
       *[4] Stufe 4 · Leitung
    }
trust-your-level = Du bist auf Vertrauensstufe { $level }.
trust-locked = Die Moderation hat sie festgelegt; sie ändert sich nicht von selbst.
trust-next = Stufe { $level } braucht:
trust-need = { $what ->
        [days_visited] { $need } Tage mit Besuch
        [threads_read] { $need } gelesene Themen
        [answers] { $need } Antworten
        [accepted] { $need } angenommene Antworten
       *[flags_agreed] { $need } bestätigte Meldungen
    }
trust-explain = Jede Stufe kann mehr: Stufe 1 positiv abstimmen, melden und Links; Stufe 2 negativ abstimmen, überall kommentieren und mehr schreiben; Stufe 3 Beiträge und Tags anderer bearbeiten, Themen verschieben und Meldungen, die sofort ausblenden; Stufe 4, vom Support-Team vergeben, Themen schließen, zusammenführen und sperren.
trust-set-label = Vertrauensstufe
trust-lock = beibehalten (nicht automatisch ändern)
trust-set = Setzen

user-reputation-heading = Reputation: { NUMBER($count) }
user-reputation-chart = Verdiente Reputation pro Tag im letzten Jahr
user-no-reputation = Noch keine Änderungen der Reputation.
reputation-see-post = der Beitrag
reputation-kind = { $kind ->
        [answer_upvoted] Antwort positiv bewertet
        [question_upvoted] Frage positiv bewertet
        [downvoted] negativ bewertet
        [answer_accepted] Antwort angenommen
        [accepted_an_answer] eine Antwort angenommen
        [article_from_answer] Antwort wurde zum Artikel
        [flag_agreed] Meldung bestätigt
        [deleted_as_spam] Beitrag als Spam gelöscht
       *[other] { $kind }
    }
card-reputation = { NUMBER($count) } Reputation
card-profile = Profil
rep-label = Reputation
