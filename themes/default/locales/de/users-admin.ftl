## Die Benutzerverwaltung (Admins): /admin/users (Suche, Filter, Seiten) und /admin/users/{id}.

title-admin-users = Benutzer
# $handle ist der Benutzername der Person.
title-admin-user = Benutzer @{ $handle }
# Der Link auf /admin. $count ist die Zahl der Konten.
users-admin-link = Benutzer ({ $count })

## Die Liste.
users-admin-filters-label = Benutzer finden
users-admin-search-label = Benutzername, Name oder E-Mail
users-admin-role-label = Rolle
users-admin-any-role = Alle Rollen
users-admin-status-label = Status
users-admin-status-any = Alle
users-admin-status-suspended = Gerade gesperrt
users-admin-new-label = Beigetreten
users-admin-new-any = Jederzeit
users-admin-new-week = In den letzten 7 Tagen
users-admin-filter = Anzeigen
users-admin-clear = Filter zurücksetzen
# $count ist die Zahl der passenden Benutzer.
users-admin-total = { $count ->
        [0] Keine Benutzer
        [one] 1 Benutzer
       *[other] { $count } Benutzer
    }
users-admin-page-of = Seite { $page } von { $pages }
users-admin-none = Zu diesen Filtern passt niemand.
users-admin-pages = Seiten der Benutzerliste
users-admin-table-caption = Passende Benutzer, die neuesten zuerst
users-admin-col-handle = Benutzername
users-admin-col-name = Name
users-admin-col-email = E-Mail
users-admin-col-role = Rolle
users-admin-col-joined = Dabei seit
users-admin-col-last-seen = Zuletzt gesehen
users-admin-col-status = Status
users-admin-unknown = unbekannt
users-admin-suspended-badge = Gesperrt
users-admin-silenced-badge = Stummgeschaltet

## Abgelehnte Filter.
users-admin-query-too-long = die Suche darf höchstens { $max } Zeichen lang sein
users-admin-query-control = die Suche darf keine Steuerzeichen enthalten
users-admin-unknown-status = unbekannter Status „{ $status }“: nimm suspended oder lass das Feld leer
users-admin-unknown-new = unbekannter Wert „{ $new }“ für new: nimm week oder lass das Feld leer
users-admin-bad-page = die Seite muss eine ganze Zahl zwischen 1 und { $max } sein

## Eine Person.
users-admin-back = Alle Benutzer
users-admin-public-profile = Öffentliches Profil
users-admin-account-heading = Konto
users-admin-no-name = kein Name angegeben
users-admin-email-verified = (bestätigt)
users-admin-email-unverified = (nicht bestätigt)
users-admin-sign-in = Anmeldung mit
# $password ist yes oder no; $providers ist die Zahl der verknüpften Anmeldedienste.
users-admin-sign-in-with = { $password ->
        [yes] { $providers ->
            [0] Passwort
            [one] Passwort oder 1 Anmeldedienst
           *[other] Passwort oder { $providers } Anmeldediensten
        }
       *[no] { $providers ->
            [0] nichts (kein Passwort, kein Anmeldedienst)
            [one] nur 1 Anmeldedienst
           *[other] nur { $providers } Anmeldediensten
        }
    }
users-admin-standing = Ansehen
users-admin-standing-value = Vertrauensstufe { $trust }, Reputation { $reputation }
users-admin-in-good-standing = Nicht gesperrt
users-admin-suspension-reason = Grund:
users-admin-manage-heading = Rolle und Sperre
users-admin-manage-help = Eine neue Rolle oder eine Sperre meldet die Person sofort überall ab, auch ihre API-Tokens gelten dann nicht mehr.
users-admin-suspend-help = Tage ab jetzt; 0 hebt eine Sperre auf.
users-admin-suspend-reason = Grund (steht im Audit-Log)
# $count ist die Zahl aller Fragen der Person.
users-admin-threads-heading = { $count ->
        [one] Fragen der Person (1)
       *[other] Fragen der Person ({ $count })
    }
users-admin-col-thread = Frage
users-admin-col-thread-status = Status
users-admin-col-asked = Gestellt
# Eine Frage, die nicht alle sehen. $state: held, hidden, deleted, unlisted, merged.
users-admin-thread-state = { $state ->
        [held] wartet auf Freigabe
        [hidden] ausgeblendet
        [deleted] gelöscht
        [unlisted] nicht gelistet
        [merged] zusammengeführt
       *[other] { $state }
    }
users-admin-threads-more = Die öffentlichen Fragen und Antworten der Person findest du in ihrem Profil.
users-admin-threads-empty = Noch keine Fragen gestellt.
users-admin-setup-heading = Setup der Person
users-admin-setup-empty = Kein Setup gespeichert.
users-admin-sessions-heading = Angemeldet auf
users-admin-col-started = Angemeldet
users-admin-col-last-used = Zuletzt genutzt
users-admin-sessions-empty = Nirgends angemeldet.
users-admin-tokens-heading = API-Tokens
users-admin-col-token-name = Name
users-admin-col-created = Erstellt
users-admin-never-used = nie
users-admin-tokens-empty = Kein gültiges API-Token.
users-admin-identities-heading = Anmeldedienste
users-admin-col-provider = Dienst
users-admin-col-subject = Konto beim Dienst
users-admin-col-provider-email = E-Mail vom Dienst
users-admin-col-linked = Verknüpft
users-admin-identities-empty = Kein Anmeldedienst verknüpft.
users-admin-audit-heading = Audit-Log
users-admin-audit-by = Alles, was die Person getan hat
users-admin-audit-about = Alles, was an ihrem Konto geändert wurde
users-admin-audit-empty = Im Audit-Log steht nichts von ihr oder über sie.
