## Konten, Sitzungen und Begrenzungen: was Registrieren, Anmelden, Profil, API-Tokens und die
## Seiten für bestimmte Rollen sagen, wenn sie etwas ablehnen.

# Die Rollen bleiben englisch: So werden sie eingegeben (CLI, API).
accounts-unknown-role = Unbekannte Rolle „{ $role }“: Möglich sind member, staff, moderator oder admin.
accounts-handle-length = Ein Benutzername hat 3 bis 32 Zeichen.
accounts-handle-characters = Ein Benutzername besteht nur aus Buchstaben, Ziffern, _ und -.
accounts-handle-start = Ein Benutzername fängt mit einem Buchstaben oder einer Ziffer an.
accounts-email-invalid = Bitte gib eine gültige E-Mail-Adresse ein.
accounts-password-too-short = Ein Passwort hat mindestens 10 Zeichen.
accounts-password-too-long = Ein Passwort hat höchstens 1024 Zeichen.
accounts-handle-taken = Den Benutzernamen „{ $handle }“ gibt es schon.
accounts-email-taken = Mit dieser E-Mail-Adresse gibt es schon ein Konto – melde dich stattdessen an.
accounts-user-not-found = Diesen Benutzer gibt es nicht.
accounts-wrong-credentials = Benutzername, E-Mail oder Passwort stimmt nicht.
accounts-suspended = Dieses Konto ist gesperrt.
accounts-last-admin = Der letzte Admin kann die Admin-Rolle nicht abgeben.
accounts-current-password-wrong = Das aktuelle Passwort stimmt nicht.
accounts-token-not-found = Dieses Token gibt es nicht.
accounts-setup-link-not-found = Diesen Einrichtungslink gibt es nicht (er wurde schon benutzt oder ist abgelaufen).

# Begrenzungen: $wait ist die Wartezeit („2 Minuten“, „1 Stunde“).
accounts-too-many-sign-ins = Zu viele fehlgeschlagene Anmeldungen: Bitte warte { $wait } und versuch es dann noch einmal.
accounts-too-many-sign-ups = Zu viele neue Konten von deiner Adresse: Bitte warte { $wait } und versuch es dann noch einmal.
accounts-too-many-wrong-tokens = Zu viele Anfragen mit einem falschen API-Token: Bitte warte { $wait } und versuch es dann noch einmal.
limits-contention = Gerade ist hier zu viel los; bitte versuch es noch einmal.

## Seiten und API-Aufrufe für Angemeldete oder bestimmte Rollen.

session-sign-in-required = Bitte melde dich an, um weiterzumachen.
session-moderators-only = Diese Seite ist für das Team und die Moderation.
session-curators-only = Das können nur Team, Moderation und Admins.
session-staff-only = Das kann nur das Team.
session-admins-only = Diese Seite ist für Admins.
session-form-expired = Dieses Formular ist abgelaufen oder kam von einer anderen Seite: Lade die Seite neu und versuch es noch einmal.
session-bearer-missing = Nutze `Authorization: Bearer <token>`.
session-bearer-required = Dieser Aufruf braucht `Authorization: Bearer <token>`.
session-token-invalid = Das API-Token ist ungültig oder wurde widerrufen.

## Die Datenbank und das Ereignisprotokoll (Bereitschaftsprüfung und `peerdesk events`).

# $reason ist die Fehlermeldung der Datenbank selbst.
db-unreachable = Die Datenbank antwortet nicht: { $reason }
events-lease-lost = Die Zuständigkeit (Lease) für { $consumer } ist verloren gegangen.
events-consumer-name-invalid = „{ $name }“ ist kein gültiger Consumer-Name (nur Buchstaben, Ziffern und -_.@:).
accounts-signup-honeypot = dieses Formular hat ein Programm ausgefüllt, kein Mensch: lass das versteckte Feld „website“ leer
