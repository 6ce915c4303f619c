## Fehler rund um Benachrichtigungen und E-Mail.

notify-unknown-level = unbekannte Beobachtungsstufe „{ $level }“
notify-unknown-delivery = unbekannte Zustellung „{ $delivery }“: erlaubt sind instant, daily, weekly oder never
notify-unknown-kind = unbekannte Art von Benachrichtigung „{ $kind }“
notify-digest-hour-invalid = die Uhrzeit für Zusammenfassungen ist eine volle Stunde von 0 bis 23
notify-unsubscribe-invalid = Dieser Abmeldelink ist ungültig. In deinen E-Mail-Einstellungen kannst du ändern, was wir dir schicken.
notify-not-found = Diese Benachrichtigung gibt es nicht.
notify-bad-page = die Seite ist eine Zahl von 1 bis 10000
notify-mark-what = gib an, was als gelesen markiert werden soll: ids, eine Frage oder all
notify-too-many-ids = höchstens 1000 Benachrichtigungen auf einmal
mail-job-not-found = Diese E-Mail gibt es nicht.
threads-comment-not-found = Diesen Kommentar gibt es nicht.
live-too-many = Gerade sind zu viele Live-Seiten offen; lade die Seite neu, um Neues zu sehen.
