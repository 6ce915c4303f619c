## Konten: Anmelden und Registrieren, die Begrüßung nach der Anmeldung über einen Dienst, die
## Einrichtung des ersten Admins, die Kontoseite, das Frageformular, Setup-Einträge und die
## Verwaltung.

## Anmelden (login.html)

# $provider ist der Name des Anmeldedienstes, wie ihn die Seite eingerichtet hat.
login-with-provider = Mit { $provider } anmelden
login-or-local = oder mit deinem Peerdesk-Konto:
login-handle-or-email = Benutzername oder E-Mail
login-password = Passwort
# $link ist ein Link mit dem Text von title-signup („Konto erstellen“).
login-new-here = Neu hier? { $link }.

## Registrieren (signup.html)

signup-handle = Benutzername
signup-handle-help = 3 bis 32 Buchstaben, Ziffern, _ oder -. Steht bei deinen Beiträgen.
signup-name = Name (optional)
signup-email = E-Mail
signup-password-help = Mindestens 10 Zeichen.
signup-submit = Konto erstellen
# $link ist ein Link mit dem Text von nav-sign-in („Anmelden“).
signup-have-account = Du hast schon ein Konto? { $link }.

## Erste Anmeldung über einen Dienst (auth-welcome.html)

# $site ist der Name der Seite.
welcome-heading = Willkommen bei { $site }
# $provider: der Dienst; $name und $email: was der Dienst über die Person mitgeteilt hat.
# $shown sagt, welche der beiden bekannt sind.
welcome-signed-in = { $shown ->
    [name-email] Du hast dich mit { $provider } als { $name } ({ $email }) angemeldet.
    [name] Du hast dich mit { $provider } als { $name } angemeldet.
    [email] Du hast dich mit { $provider } ({ $email }) angemeldet.
   *[none] Du hast dich mit { $provider } angemeldet.
}
welcome-choose-handle = Wähl jetzt den Benutzernamen, den andere neben deinen Fragen und Antworten sehen.
welcome-handle-help = 3–32 Buchstaben, Ziffern, _ oder -.
welcome-submit = Mein Konto erstellen

## Der erste Admin (setup.html, über den Einmal-Link)

admin-setup-lead = Leg das erste Administratorkonto an. Dieser Link funktioniert nur einmal.
admin-setup-job-title = Funktion
admin-setup-submit = Admin-Konto erstellen

## Die Kontoseite (account.html)

account-profile-heading = Profil
account-name-label = Echter Name
account-title-label = Funktion (damit unterschreibt das Team seine Antworten)
account-bio-label = Über dich
account-save-profile = Profil speichern
account-save = Speichern

account-preferences-heading = Sprache und Zeitzone
account-locale-browser = Wie im Browser
account-time-zone-label = Zeitzone
account-time-zone-browser = Zeitzone des Browsers
account-time-zone-help = Datum und Uhrzeit stehen auf allen Seiten in dieser Zeitzone.

account-setup-heading = Mein Setup
account-setup-help = Die Produkte, die du nutzt. Sie werden automatisch an deine Fragen angehängt, damit niemand nachfragen muss. Private Einträge (eine Kundennummer, einen Lizenzschlüssel) sehen nur du und das Team.
account-setup-remove = Entfernen
account-setup-empty = Noch keine Produkte.
account-setup-add-heading = Produkt hinzufügen
account-setup-add = Zu meinem Setup hinzufügen

account-current-password = Aktuelles Passwort
account-new-password = Neues Passwort
account-change-password = Passwort ändern
account-password-help = Danach bist du überall sonst abgemeldet, und deine API-Tokens gelten nicht mehr.

account-providers-heading = Anmeldedienste
# $when ist eine relative Zeit („vor 3 Tagen“).
account-identity-linked = verknüpft { $when }
account-identity-unlink = Verknüpfung lösen
account-identities-empty = Mit diesem Konto ist kein Anmeldedienst verknüpft.
# $provider ist der Name des Dienstes.
account-link-provider = { $provider } verknüpfen

account-sessions-heading = Sitzungen
account-sign-out-everywhere = Überall abmelden

account-tokens-heading = API-Tokens
# Danach folgt das Token selbst.
account-new-token = Neues Token (wird nur einmal angezeigt):
# $when ist Datum und Uhrzeit.
account-token-created-when = erstellt am { $when }
account-token-revoke = Widerrufen
account-tokens-empty = Keine Tokens.
account-token-name = Name des Tokens
account-token-name-placeholder = z. B. mein Skript
account-create-token = Token erstellen

## Setup-Einträge: die Produkte, die jemand nutzt (Kontoseite, Frageformular, Fragen)

setup-product = Produkt
setup-version = Version
setup-platform = Plattform
setup-notes = Hinweise zur Umgebung
setup-private-check = Privat (nur für mich und das Team)
setup-version-placeholder = 2.4.1
setup-platform-placeholder = Windows 11
setup-private-title = Das sehen nur du und das Team
# Das Sichtbarkeits-Abzeichen eines Setup-Eintrags.
setup-visibility = { $visibility ->
    [private] Privat
   *[public] Öffentlich
}

## Das Frageformular (ask.html)

ask-lead = Schreib, was du versucht hast und was passiert ist. Leute, die das Produkt kennen, antworten öffentlich – so findet auch die nächste Person die Antwort.
ask-check-similar = Nach ähnlichen Fragen suchen
ask-own-heading = Geht es um eine deiner offenen Fragen?
ask-add-followup = Meinen Text als Nachtrag hinzufügen
ask-followup-help = Mit einem Nachtrag bleibt alles an einem Ort: Alle, die geholfen haben, sehen ihn, und niemand fragt dich noch einmal nach dem, was du schon geschrieben hast.
ask-title-label = Titel
ask-title-help = Beschreib das Problem in einem Satz, z. B. „Router verliert jeden Abend nach dem Firmware-Update das WLAN“.
ask-similar-label = Ähnliche beantwortete Fragen
ask-similar-heading = Schon beantwortet – hilft dir eine davon?
ask-no-similar = Noch keine ähnlichen beantworteten Fragen – stell deine Frage ruhig.
# $duration ist eine Zeitspanne („4 Stunden“, im Nominativ).
ask-staff-reply-within = Antwortzeit des Teams: meist { $duration }.
# Mit Geschäftszeiten: $duration in Geschäftszeit, $hours der Plan.
ask-staff-reply-within-hours = Antwortzeit des Teams: meist { $duration } ({ $hours }).
ask-setup-legend = Dein Setup
# $link ist ein Link mit dem Text von ask-setup-help-link.
ask-setup-help = Wird an deine Frage angehängt, damit niemand nachfragen muss. Änderungen hier aktualisieren auch { $link }. Private Angaben sehen nur du und das Team.
ask-setup-help-link = dein gespeichertes Setup
ask-setup-max = { $count ->
    [one] Eine Frage nimmt 1 Setup-Eintrag mit: Der zuletzt aktualisierte ist angehakt. Hakst du mehr an, kommen ein neuer Eintrag und der zuletzt aktualisierte mit.
   *[other] Eine Frage nimmt bis zu { $count } Setup-Einträge mit: Die zuletzt aktualisierten sind angehakt. Hakst du mehr an, kommen ein neuer Eintrag und die zuletzt aktualisierten mit.
}
# $product ist der Name des Produkts (der Kategorie).
ask-setup-attach = Mein Setup für { $product } anhängen
ask-setup-add-another = Setup für ein weiteres Produkt hinzufügen
ask-setup-add-first = Dein Setup für dieses Produkt hinzufügen
ask-setup-remember = In meinem Setup speichern
ask-body-label = Details (Markdown)
ask-tags-help = Bis zu 5, durch Kommas getrennt: wlan, firmware
ask-post = Frage veröffentlichen
ask-preview = Vorschau

## Die Verwaltung (admin.html)

admin-name = Name
admin-slug = URL-Kürzel
admin-description = Beschreibung
admin-position = Position
admin-first-response = Ziel für die erste Antwort
admin-questions = Fragen
admin-actions = Aktionen
# Die Schreibweise ist fest: eine Zahl mit d (Tage), h (Stunden) oder m (Minuten).
admin-first-response-placeholder = 4h
admin-first-response-hint = z. B. 4h, 30m, 1d (h = Stunden, m = Minuten, d = Tage); leer für kein Ziel
admin-business-hours = Geschäftszeiten
# Die Schreibweise ist fest (englische Tagesnamen, 24-Stunden-Zeiten, ISO-Daten): nur die
# Erklärung wird übersetzt.
admin-business-hours-placeholder = Europe/Berlin; mon-fri 09:00-17:00
admin-business-hours-hint = Geschäftszeiten: Das Ziel für die erste Antwort zählt nur, solange geöffnet ist (leer: rund um die Uhr). Eine Zeitzone, dann Tage mit Uhrzeiten, dann Feiertage (ganze Tage geschlossen), getrennt durch Semikolons, zum Beispiel:
admin-business-hours-example = Europe/Berlin; mon-fri 09:00-17:00; sat 10:00-14:00; holidays 2026-12-24, 2026-12-25
admin-save = Speichern
admin-delete = Löschen
admin-new-category = Neue Kategorie
admin-create-category = Kategorie erstellen

admin-groups-heading = Team-Gruppen
admin-groups-help = Gruppen, an die eine Frage weitergegeben werden kann, z. B. Netzwerk. Mitglieder sind Teammitglieder oder Admins.
admin-group-remove = entfernen
# Für Screenreader: $name ist der Name des Mitglieds, $group der der Gruppe.
admin-group-remove-member = { $name } aus { $group } entfernen
admin-group-no-members = keine Mitglieder
admin-group-add-label = Teammitglied hinzufügen (Benutzername)
admin-group-add = Hinzufügen
admin-new-group = Neue Gruppe
admin-create-group = Gruppe erstellen

admin-tag = Schlagwort
admin-save-tag = Schlagwort speichern

admin-users-heading = Benutzer
admin-role-column = Rolle
admin-suspension = Sperre
admin-role-of = Rolle von { $handle }
# Die Rolle eines Benutzers.
admin-role = { $role ->
    [member] Mitglied
    [staff] Team
    [moderator] Moderator
    [admin] Admin
   *[other] { $role }
}
admin-set-role = Rolle festlegen
# $when ist Datum und Uhrzeit.
admin-suspended-until = bis { $when }
admin-suspend-days-label = Sperrdauer für { $handle } in Tagen
admin-suspend-change = Aufheben / ändern
admin-suspend = Sperren (Tage)
signup-honeypot = Dieses Feld leer lassen
