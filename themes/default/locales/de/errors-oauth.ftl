## Anmelden über andere Dienste (OAuth2 / OpenID Connect). $provider ist der Name des Dienstes,
## wie ihn die Seite eingerichtet hat („GitHub“, „Corp SSO“); geändert wurde dabei nie etwas.

oauth-provider-not-found = Diesen Anmeldedienst gibt es hier nicht.
oauth-not-started-here = Diese Anmeldung wurde nicht in diesem Browser begonnen oder ist schon abgeschlossen. Bitte melde dich noch einmal an.
oauth-too-slow = Diese Anmeldung hat zu lange gedauert. Bitte melde dich noch einmal an.
oauth-state-mismatch = Diese Antwort gehört nicht zu der Anmeldung, die in diesem Browser begonnen wurde. Bitte melde dich noch einmal an.
oauth-answer-used = Diese Antwort zur Anmeldung wurde schon benutzt. Bitte melde dich noch einmal an.
oauth-cancelled = Du hast die Anmeldung mit { $provider } abgebrochen. Es wurde nichts geändert.
# $error ist der Fehlercode des Dienstes (z. B. server_error).
oauth-provider-error = { $provider } konnte dich nicht anmelden ({ $error }). Es wurde nichts geändert.
oauth-no-code = { $provider } hat keinen Autorisierungscode geschickt.
oauth-signed-out-while-linking = Du wurdest beim Verknüpfen abgemeldet. Melde dich an und verknüpfe den Dienst dann noch einmal.
oauth-no-pending-sign-in = Hier wartet keine Anmeldung auf einen Benutzernamen. Bitte melde dich noch einmal an.

# Die Verbindung zum Dienst hat nicht geklappt.
oauth-timeout = { $provider } hat nicht rechtzeitig geantwortet. Es wurde nichts geändert; bitte versuch es später noch einmal.
oauth-unreachable = { $provider } ist gerade nicht erreichbar. Es wurde nichts geändert; bitte versuch es später noch einmal.
# $status ist der HTTP-Status, mit dem der Dienst geantwortet hat (z. B. 500).
oauth-request-refused = { $provider } hat die Anfrage abgelehnt ({ $status }). Es wurde nichts geändert; bitte versuch es noch einmal.
oauth-discovery-unreadable = { $provider } hat eine Konfiguration geschickt, die wir nicht lesen können.
oauth-issuer-mismatch = { $provider } ist falsch eingerichtet (der Aussteller passt nicht).
oauth-no-id-token = { $provider } hat kein ID-Token geschickt.
oauth-code-used = Diese Anmeldung mit { $provider } wurde schon benutzt oder ist abgelaufen. Bitte melde dich noch einmal an.
oauth-sign-in-refused = { $provider } hat die Anmeldung abgelehnt. Es wurde nichts geändert; bitte versuch es noch einmal.
oauth-sign-in-incomplete = { $provider } hat die Anmeldung nicht abgeschlossen. Es wurde nichts geändert; bitte versuch es noch einmal.
oauth-profile-unreadable = { $provider } hat ein Profil geschickt, das wir nicht lesen können.
oauth-profile-without-id = { $provider } hat ein Profil ohne ID geschickt.
oauth-keys-unreadable = { $provider } veröffentlicht Signaturschlüssel, die wir nicht lesen können.
oauth-token-refused = Die Antwort von { $provider } zur Anmeldung ließ sich nicht prüfen ({ $reason ->
        [malformed] fehlerhaftes Token
        [algorithm] Signaturverfahren nicht unterstützt
        [unknown-key] unbekannter Signaturschlüssel
        [unusable-key] unbrauchbarer Signaturschlüssel
        [signature] ungültige Signatur
        [expired] abgelaufen
        [audience] für eine andere Anwendung ausgestellt
        [issuer] falscher Aussteller
        [not-yet-valid] noch nicht gültig
        [missing-claims] Angaben fehlen
        [nonce] gehört nicht zu dieser Anmeldung
        [party] für jemand anderen ausgestellt
        [subject] kein Subjekt
       *[invalid] ungültiges Token
    }). Es wurde nichts geändert.

# Konten und verknüpfte Anmeldungen. Hier ist $provider die Kennung des Dienstes in den Einstellungen („github“).
oauth-identity-linked-elsewhere = Dieses { $provider }-Konto ist schon mit einem anderen Peerdesk-Konto verknüpft.
oauth-account-suspended = Dein Konto ist gesperrt.
oauth-no-email = { $provider } hat uns keine E-Mail-Adresse mitgeteilt. Mach in deinen Einstellungen bei { $provider } eine Adresse für Anwendungen sichtbar, oder melde dich anders an.
oauth-email-taken = Ein Konto mit der E-Mail-Adresse { $email } gibt es schon. Melde dich dort auf anderem Weg an und verknüpfe dann { $provider } auf deiner Kontoseite.
oauth-email-unusable = { $provider } hat uns eine E-Mail-Adresse mitgeteilt, die wir nicht verwenden können ({ $email }). Bitte melde dich anders an.
oauth-account-exists = Für diese Anmeldung gibt es schon ein Konto: Melde dich noch einmal an.
oauth-email-missing = Der Anmeldedienst hat keine E-Mail-Adresse mitgeteilt.
oauth-identity-not-found = Diese verknüpfte Anmeldung gibt es nicht.
oauth-last-sign-in-way = Das ist deine einzige Möglichkeit, dich anzumelden: Verknüpfe zuerst einen anderen Dienst oder leg ein Passwort fest.
