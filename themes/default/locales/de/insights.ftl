## Die Selbsthilfe-Übersicht (/staff/insights) und Inhaltslücken (/staff/content-gaps)

nav-insights = Selbsthilfe
title-insights = Selbsthilfe auf einen Blick
insights-heading = Selbsthilfe auf einen Blick
# $from und $to: der erste und der letzte gezeigte Tag (heute).
insights-lead = Wie sich Kundinnen und Kunden vom { $from } bis zum { $to } selbst geholfen haben: wonach sie gesucht haben, wie oft eine vorgeschlagene Antwort ihnen eine Frage erspart hat und wie es ihren Fragen ergangen ist.
insights-period = Zeitraum
insights-days = { $days ->
    [one] 1 Tag
   *[other] { $days } Tage
}
# Ein Anteil, z. B. „40 %“.
insights-percent = { $percent } %

insights-summary-heading = Auf einen Blick
insights-searches = Suchen
insights-searches-detail = { $clicked } mit geöffnetem Treffer ({ $percent })
insights-ask-sessions = Besuche der Frageseite
insights-ask-sessions-detail = { $opened } haben eine vorgeschlagene Antwort geöffnet, { $posted } eine Frage gestellt
insights-deflected = Antwort gefunden, ohne zu fragen
insights-deflected-detail = { $percent } der Besuche der Frageseite haben eine vorgeschlagene Antwort geöffnet und nichts gefragt
insights-questions = Gestellte Fragen
insights-questions-detail = { $solved } gelöst ({ $percent })
insights-kb-share = Aus der Wissensdatenbank beantwortet
insights-kb-share-detail = { $kb } von { $answered } beantworteten Fragen
insights-first-response = Mittlere Zeit bis zur ersten Reaktion
insights-first-response-detail = { $count ->
    [one] aus 1 ersten Reaktion
   *[other] aus { $count } ersten Reaktionen
}
insights-peer-share = Erste Reaktionen aus der Community
insights-peer-share-detail = { $peers } von der Community, { $staff } vom Team

insights-charts-heading = Tag für Tag
# Der Name jedes Diagramms ($chart ist sein Schlüssel).
insights-chart = { $chart ->
    [searches] Suchen
    [ask_sessions] Besuche der Frageseite
    [questions] Gestellte Fragen
    [kb_share] Aus der Wissensdatenbank beantwortet
    [first_response] Mittlere Zeit bis zur ersten Reaktion
    [solved_rate] Gelöst
   *[responders] Erste Reaktionen
}
# Was die Balken zeigen; der dunklere Teil ist die zweite Hälfte.
insights-legend = { $chart ->
    [searches] Ganzer Balken: Suchen. Dunkler: Suchen, bei denen ein Treffer geöffnet wurde.
    [ask_sessions] Ganzer Balken: Besuche. Dunkler: Besuche, die eine vorgeschlagene Antwort geöffnet und nichts gefragt haben.
    [questions] Gestellte Fragen pro Tag.
    [kb_share] Anteil der beantworteten Fragen des Tages, deren Antwort auf einen Artikel der Wissensdatenbank verweist.
    [first_response] Für die Fragen, die an diesem Tag gestellt wurden.
    [solved_rate] Anteil der Fragen des Tages, die bisher gelöst sind.
   *[responders] Ganzer Balken: erste Reaktionen auf die Fragen des Tages. Dunkler: aus der Community.
}
# Der Text des Diagramms für Screenreader: sein Name und die Zahl für den ganzen Zeitraum.
insights-chart-title = { $name }: { $total } im Zeitraum. Die Zahlen pro Tag stehen in der Tabelle unter dem Diagramm.
insights-chart-top = Oberkante des Diagramms: { $top }
insights-show-numbers = Zahlen pro Tag
insights-col-day = Tag
# Die Spalte mit dem dunkleren Teil der Balken.
insights-part = { $chart ->
    [searches] Mit geöffnetem Treffer
    [ask_sessions] Antwort gefunden
   *[responders] Aus der Community
}

insights-gaps-heading = Inhaltslücken
insights-gaps-lead = Wonach gesucht und nichts gefunden wurde, das Häufigste zuerst. Jede Zeile ist eine Frage, die die Wissensdatenbank noch nicht beantwortet.
insights-gaps-all = Alle Inhaltslücken
insights-gaps-empty = Keine Inhaltslücken in diesem Zeitraum.
insights-gaps-lexical = Vorschläge nach Bedeutung sind aus, daher zählen nur Suchen ohne Treffer als Lücken.
insights-gaps-caption = Inhaltslücken, ähnliche Formulierungen zusammengefasst
insights-gaps-col-search = Gesucht nach
insights-gaps-col-times = Anzahl
insights-gaps-col-last = Zuletzt gesucht
insights-gaps-col-do = Was tun
insights-gaps-also = Auch gesucht als: { $wordings }
insights-gaps-more = { $count ->
    [one] und 1 weitere Formulierung
   *[other] und { $count } weitere Formulierungen
}
insights-gaps-found-nothing = { $count ->
    [one] einmal ganz ohne Treffer
   *[other] { $count }-mal ganz ohne Treffer
}
insights-gaps-search = Suchen
insights-gaps-write = Artikel schreiben
insights-gaps-page-lead = { $days ->
    [one] Suchen der letzten 24 Stunden, die nichts oder nur schwache Treffer gefunden haben, die niemand geöffnet hat, die häufigsten zuerst.
   *[other] Suchen der letzten { $days } Tage, die nichts oder nur schwache Treffer gefunden haben, die niemand geöffnet hat, die häufigsten zuerst.
} Ähnliche Formulierungen sind zusammengefasst. Jede Gruppe ist eine Frage, die die Wissensdatenbank noch nicht beantwortet.
insights-gaps-year = Ein Jahr

insights-error-days = Der Zeitraum muss eine ganze Zahl von Tagen zwischen 1 und { $max } sein.
insights-error-ask-session = Diese Kennung des Besuchs der Frageseite ist ungültig. Lade die Frageseite neu.
