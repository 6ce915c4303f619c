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

user-reputation-heading = Reputation: { $count }
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
        [recommended_by_staff] Antwort vom Support-Team empfohlen
       *[other] { $kind }
    }
card-reputation = { $count } Reputation
card-profile = Profil
rep-label = Reputation

## Badges.
badge-name = { $badge ->
        [first_question] Erste Frage
        [first_answer] Erste Antwort
        [first_accepted] Problem gelöst
        [accepted_10] Helfer
        [accepted_50] Verlässlicher Helfer
        [accepted_250] Support-Held
        [good_answer] Gute Antwort
        [great_answer] Starke Antwort
        [famous_answer] Berühmte Antwort
        [good_question] Gute Frage
        [quick_responder] Schnell zur Stelle
        [welcomer] Willkommen!
        [knowledge_author] Wissensautor
        [editor] Lektor
        [first_flag_agreed] Wachsam
        [streak_7] Stammgast
        [streak_30] Treue Seele
        [customer_corps] Kundenkorps
        [supporter] Unterstützer
        [critic] Kritiker
        [commentator] Kommentator
        [reputation_100] Bekannt
        [reputation_1000] Angesehen
        [reputation_10000] Berühmt
       *[trusted] Vertrauenswürdig
    }
badge-description = { $badge ->
        [first_question] Die erste Frage gestellt.
        [first_answer] Zum ersten Mal eine Frage beantwortet.
        [first_accepted] Die erste Antwort, die angenommen wurde.
        [accepted_10] 10 angenommene Antworten.
        [accepted_50] 50 angenommene Antworten.
        [accepted_250] 250 angenommene Antworten.
        [good_answer] Eine Antwort mit mindestens 5 Punkten.
        [great_answer] Eine Antwort mit mindestens 10 Punkten.
        [famous_answer] Eine Antwort mit mindestens 25 Punkten.
        [good_question] Eine Frage mit mindestens 5 Punkten.
        [quick_responder] Als Erste oder Erster geantwortet, innerhalb der Antwortzeit der Kategorie.
        [welcomer] Als Erste oder Erster die erste Frage eines neuen Mitglieds beantwortet.
        [knowledge_author] Eine Antwort wurde zum Artikel in der Wissensdatenbank.
        [editor] Den Beitrag einer anderen Person verbessert.
        [first_flag_agreed] Die erste Meldung, der die Moderation zugestimmt hat.
        [streak_7] 7 Tage hintereinander da gewesen.
        [streak_30] 30 Tage hintereinander da gewesen.
        [customer_corps] Angenommene Antworten unter Kunden in 3 Kategorien.
        [supporter] Zum ersten Mal positiv abgestimmt.
        [critic] Zum ersten Mal negativ abgestimmt.
        [commentator] 10 Kommentare geschrieben.
        [reputation_100] 100 Reputation erreicht.
        [reputation_1000] 1.000 Reputation erreicht.
        [reputation_10000] 10.000 Reputation erreicht.
       *[trusted] Vertrauensstufe 3 erreicht.
    }

badge-tier = { $tier ->
        [gold] Gold
        [silver] Silber
       *[bronze] Bronze
    }
title-badges = Abzeichen
badges-intro = Abzeichen danken für das, was Kunden hilft. Bronze, Silber und Gold; manche gibt es immer wieder.
badges-held-by = { $count ->
        [one] 1 Person
       *[other] { $count } Personen
    }
badges-holders = Wer es hat
badges-none-yet = Noch niemand hat dieses Abzeichen.
badges-again = Kann mehrmals verdient werden.
user-badges = Abzeichen
user-no-badges = Noch keine Abzeichen.
badge-times = × { $count }
card-badges = { $gold } Gold · { $silver } Silber · { $bronze } Bronze
peers-badge-not-found = Abzeichen nicht gefunden

## Vom Support-Team empfohlen.
post-recommended-badge = Vom Support-Team empfohlen
post-recommended-by = von { $name }
post-recommend = Empfehlen
post-unrecommend = Empfehlung zurücknehmen
support-tl-recommended = Eine Antwort empfohlen von { $person }
threads-recommend-staff-only = Antworten empfiehlt nur das Support-Team
threads-recommend-answers-only = nur eine sichtbare Antwort kann empfohlen werden
threads-recommend-peers-only = das Support-Team empfiehlt Antworten von Kunden, nicht eigene

## Bestenlisten.
title-people = Die größten Helfer
people-intro = Wer am meisten geholfen hat: zuerst angenommene Antworten, dann verdiente Reputation. Kunden und Support-Team stehen getrennt.
people-periods = Zeiträume
people-period = { $period ->
        [week] Diese Woche
        [month] Diesen Monat
       *[all] Insgesamt
    }
people-whole-site = Die ganze Seite
leaders-week-heading = Die größten Helfer dieser Woche
leaders-peers = Kunden helfen Kunden
leaders-staff = Support-Team
leaders-none = Noch niemand — beantworte eine Frage und sei die oder der Erste.
leaders-line = { $accepted ->
        [one] 1 angenommene Antwort
       *[other] { $accepted } angenommene Antworten
    }, { $reputation } Reputation
leaders-more = Alle größten Helfer
peers-unknown-period = unbekannter Zeitraum „{ $period }“ (week, month oder all)
nav-people = Beste Helfer
