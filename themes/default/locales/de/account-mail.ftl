## Konto-E-Mails: Adresse bestätigen, Passwort zurücksetzen.

title-email-verified = Adresse bestätigt
title-check-your-email = Schau in dein Postfach
title-forgot-password = Passwort vergessen?
title-reset-password = Neues Passwort wählen

accounts-email-verified = Danke: { $email } ist bestätigt.
accounts-continue = Weiter
accounts-verification-sent = Wir haben einen Link an { $email } geschickt. Öffne ihn, um deine Adresse zu bestätigen.
accounts-back-to-account = Zurück zu deinem Konto
accounts-reset-sent = Falls ein Konto { $email } verwendet, haben wir dorthin einen Link für ein neues Passwort geschickt. Er gilt eine Stunde.
accounts-back-to-sign-in = Zurück zur Anmeldung
accounts-email-off = Diese Seite verschickt keine E-Mails, deshalb geht das hier nicht. Frag bitte jemanden aus der Administration.
accounts-too-many-emails = zu viele E-Mails von deiner Adresse angefordert: versuch es in { $wait } wieder
accounts-link-invalid = Dieser Link ist ungültig. Prüf, ob du ihn vollständig kopiert hast, oder fordere einen neuen an.
accounts-link-used = Dieser Link wurde schon benutzt. Fordere bei Bedarf einen neuen an.
accounts-link-expired = Dieser Link ist abgelaufen. Fordere einen neuen an.
accounts-link-old-address = Dieser Link ging an eine Adresse, die das Konto nicht mehr verwendet.

login-forgot-password = Passwort vergessen?

account-email-heading = E-Mail-Adresse
account-email-verified = Bestätigt
account-email-unverified = Noch nicht bestätigt
account-email-send-link = Bestätigungslink noch einmal senden
account-email-new = Neue E-Mail-Adresse
account-email-change = Adresse ändern
account-notification-settings = Benachrichtigungen und E-Mails einstellen

forgot-intro = Gib die E-Mail-Adresse deines Kontos ein, dann schicken wir dir einen Link, mit dem du ein neues Passwort wählen kannst.
forgot-email-label = E-Mail-Adresse
forgot-send = Link senden

reset-new-password = Neues Passwort
reset-password-help = Mindestens 10 Zeichen. Alle anderen Sitzungen und API-Tokens werden dabei beendet.
reset-save = Neues Passwort speichern

email-verify-subject = Bestätige deine E-Mail-Adresse für { $site }
email-verify-body = Hallo { $name }, bitte bestätige, dass das deine E-Mail-Adresse für { $site } ist:
email-verify-button = Adresse bestätigen
email-reset-subject = Neues Passwort für { $site }
email-reset-body = Hallo { $name }, jemand (hoffentlich du) möchte dein Passwort bei { $site } zurücksetzen. Hier wählst du ein neues:
email-reset-button = Neues Passwort wählen
email-link-expires = Der Link gilt { $time } und nur einmal.
email-not-you = Falls du dich nicht angemeldet hast, ignoriere diese E-Mail einfach.
email-reset-not-you = Falls du das nicht warst, ignoriere diese E-Mail: Dein Passwort bleibt, wie es ist.
