## Wörter, die jede Seite braucht: Sprache, Datum, Uhrzeit und Zeitspannen.

language-name = Deutsch

format-date = { $day }. { $month ->
    [1] Jan.
    [2] Feb.
    [3] März
    [4] Apr.
    [5] Mai
    [6] Juni
    [7] Juli
    [8] Aug.
    [9] Sept.
    [10] Okt.
    [11] Nov.
   *[12] Dez.
} { $year }
format-datetime = { $date }, { $time }
format-datetime-zone = { $date }, { $time } { $zone }

time-just-now = gerade eben
time-ago = { $unit ->
    [minute] { $count ->
        [one] vor einer Minute
       *[other] vor { $count } Minuten
    }
    [hour] { $count ->
        [one] vor einer Stunde
       *[other] vor { $count } Stunden
    }
    [day] { $count ->
        [one] gestern
       *[other] vor { $count } Tagen
    }
    [month] { $count ->
        [one] vor einem Monat
       *[other] vor { $count } Monaten
    }
   *[year] { $count ->
        [one] vor einem Jahr
       *[other] vor { $count } Jahren
    }
}
time-in = { $unit ->
    [minute] { $count ->
        [one] in einer Minute
       *[other] in { $count } Minuten
    }
    [hour] { $count ->
        [one] in einer Stunde
       *[other] in { $count } Stunden
    }
    [day] { $count ->
        [one] morgen
       *[other] in { $count } Tagen
    }
    [month] { $count ->
        [one] in einem Monat
       *[other] in { $count } Monaten
    }
   *[year] { $count ->
        [one] in einem Jahr
       *[other] in { $count } Jahren
    }
}

duration-under-a-minute = weniger als eine Minute
duration-minutes = { $count ->
    [one] 1 Minute
   *[other] { $count } Minuten
}
duration-hours = { $count ->
    [one] 1 Stunde
   *[other] { $count } Stunden
}
duration-days = { $count ->
    [one] 1 Tag
   *[other] { $count } Tage
}
duration-hours-minutes = { $hours } Std. { $minutes } Min.
duration-days-hours = { $days } Tage { $hours } Std.
# Geschäftszeit (die Geschäftszeiten einer Kategorie): Stunden werden nie zu Tagen
# zusammengefasst, denn ein Geschäftstag ist so lang, wie der Plan sagt.
duration-business-minutes = { $count ->
    [one] 1 Geschäftsminute
   *[other] { $count } Geschäftsminuten
}
duration-business-hours = { $count ->
    [one] 1 Geschäftsstunde
   *[other] { $count } Geschäftsstunden
}
duration-business-hours-minutes = { $hours } Std. { $minutes } Min. Geschäftszeit
# Die Geschäftszeiten einer Kategorie, wie Menschen sie lesen:
# „Mo–Fr 9:00–17:00 Uhr; Sa 10:00–14:00 Uhr, Europe/Berlin; an 2 Feiertagen geschlossen“.
# $day: mon, tue, wed, thu, fri, sat oder sun.
hours-day = { $day ->
    [mon] Mo
    [tue] Di
    [wed] Mi
    [thu] Do
    [fri] Fr
    [sat] Sa
   *[sun] So
}
# $first, $last: Tage, wie hours-day sie nennt.
hours-day-range = { $first }–{ $last }
# $days: ein Tag oder ein Bereich; $times: „9:00–12:00, 13:00–17:00“.
hours-run = { $days } { $times } Uhr
# $runs: die Abschnitte, mit „; “ verbunden; $zone: Name der Zeitzone (Europe/Berlin);
# $holidays: wie viele Feiertage der Plan nennt.
hours-summary = { $runs }, { $zone }{ $holidays ->
    [0] {""}
    [one] ; an 1 Feiertag geschlossen
   *[other] ; an { $holidays } Feiertagen geschlossen
}

## Der Rahmen jeder Seite: Navigation, Suchfeld, Fußzeile, Sprache und Zeitzone.

nav-skip = Zum Inhalt springen
nav-main = Hauptmenü
nav-kb = Wissensdatenbank
nav-categories = Kategorien
nav-tags = Schlagwörter
nav-ask = Frage stellen
nav-search-label = Fragen und Artikel durchsuchen
nav-search-placeholder = Fragen und Antworten durchsuchen
nav-account = Konto
nav-queue = Warteschlange
nav-kb-upkeep = Wissensdatenbank pflegen
nav-content-gaps = Inhaltslücken
nav-admin = Verwaltung
nav-sign-out = Abmelden
nav-sign-in = Anmelden
nav-sign-up = Registrieren
footer-tagline = Antworten aus der Community und von unserem Team – mit Namen. Betrieben mit Peerdesk.
footer-language = Sprache
footer-language-apply = Sprache wechseln
account-profile-saved = Profil gespeichert.
account-token-created = Token erstellt: Kopier es jetzt, es wird nur einmal angezeigt.
prefs-unknown-language = Diese Sprache gibt es hier nicht.
prefs-unknown-time-zone = Diese Zeitzone kennen wir nicht; bitte wähl eine aus der Liste.

## Admin-Seite: Vorschläge nach Bedeutung (docs/semantic.md)
admin-semantic-heading = Vorschläge nach Bedeutung
admin-semantic-on = An: Das Modell { $model } vergleicht Bedeutungen; { $vectors } Threads haben einen Vektor, { $pending } warten noch darauf.
admin-semantic-loading = Startet: { $vectors } gespeicherte Vektoren sind bisher gelesen. Bis alle da sind, zählen für Vorschläge nur Wörter.
admin-semantic-off-disabled = In der Konfiguration ausgeschaltet (`[search.semantic] enabled = false`): Vorschläge berücksichtigen nur Wörter.
admin-semantic-off-no-model = Aus: In { $dir } liegt kein Modell. Bis eines installiert ist (`scripts/fetch-model`), berücksichtigen Vorschläge nur Wörter.
admin-semantic-off-load-failed = Aus: Das Modell in { $dir } ließ sich nicht laden (der Grund steht im Server-Log). Vorschläge berücksichtigen nur Wörter.

## Atom-Feeds (Titel im Feedreader; die Link-Titel nennen sie auf den Seiten)
# $site: Name der Website; $name: Name der Kategorie oder des Schlagworts; $title: Titel der Frage.
feed-latest = Neueste Fragen · { $site }
feed-solved = Gelöste Fragen · { $site }
feed-kb = Wissensdatenbank · { $site }
feed-category = { $name } · { $site }
feed-tag = Fragen mit dem Schlagwort { $name } · { $site }
feed-thread = Antworten auf „{ $title }“ · { $site }
feed-link-latest = Neueste Fragen (Atom-Feed)
feed-link-solved = Gelöste Fragen (Atom-Feed)
feed-link-kb = Wissensdatenbank (Atom-Feed)
feed-link-category = Diese Kategorie (Atom-Feed)
feed-link-tag = Fragen mit diesem Schlagwort (Atom-Feed)
feed-link-thread = Antworten auf diese Frage (Atom-Feed)
