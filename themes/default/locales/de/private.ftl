## Private Fragen, „Ich brauche weiter Hilfe“ und die Einstellungen der Website.

# So heißt jemand, der seine Frage als „ein Kunde“ veröffentlicht hat.
qa-a-customer = ein Kunde

ask-private-check = Nur das Team darf das sehen
ask-private-help = Für Fragen zu Konto, Rechnung oder Lizenz: Nur du und unser Team sehen die Frage.

private-badge = Privat
private-note = Nur die fragende Person und das Team sehen diese Frage: Sie steht in keiner Liste, keiner Suche und keinem Feed.
private-offer-heading = Unser Team schlägt vor, diese Frage zu veröffentlichen
private-offer-lead = Die Antwort kann anderen mit demselben Problem helfen. Veröffentliche sie unter deinem Namen oder als „ein Kunde“. Deine Angaben zur Umgebung und interne Notizen des Teams bleiben in jedem Fall privat.
private-publish-heading = Diese Frage veröffentlichen?
private-publish-lead = Sie ist gerade privat. Veröffentlicht hilft sie anderen mit demselben Problem, die Antwort zu finden. Deine Angaben zur Umgebung bleiben in jedem Fall privat.
private-publish-named = Unter meinem Namen veröffentlichen
private-publish-anonymous = Als „ein Kunde“ veröffentlichen
private-keep = Privat lassen
private-offer-button = Veröffentlichen vorschlagen
private-offer-waiting = Vorschlag gesendet: Die fragende Person entscheidet.
private-make-button = Privat machen

person-button = Ich brauche weiter Hilfe von { $company }
person-reason-label = Was fehlt noch? Ein Satz genügt.
person-submit = Eine Person von { $company } anfragen
person-waiting = { $mine ->
        [yes] Du hast { $when } nach einer Person gefragt. Das Team von { $company } kümmert sich hier darum.
       *[no] Die fragende Person hat { $when } nach einer Person gefragt. Das Team von { $company } kümmert sich hier darum.
    }
person-picked-up = { $name } aus unserem Team kümmert sich darum.

support-tl-staff-requested = { $name } hat nach einer Person gefragt
support-tl-publish-offered = { $person } hat vorgeschlagen, diese Frage zu veröffentlichen
support-tl-publish-declined = Die fragende Person lässt die Frage privat
support-tl-published = Von der fragenden Person veröffentlicht
support-tl-made-private = Privat gemacht von { $person }

threads-private-forbidden = Fragen zu { $category } sind öffentlich: Nimm das Häkchen bei „Nur das Team darf das sehen“ heraus.
threads-private-not-allowed = Nur die fragende Person und das Team können eine Frage privat machen.
threads-publish-offer-staff-only = Nur das Team kann vorschlagen, eine private Frage zu veröffentlichen.
threads-not-private = Diese Frage ist nicht privat.
threads-publish-asker-only = Nur die fragende Person kann eine private Frage veröffentlichen.
threads-unknown-consent = Unbekannte Wahl „{ $choice }“: Erlaubt sind named, anonymous oder decline.
threads-request-asker-only = Nur die fragende Person kann bei dieser Frage nach einer Person fragen.
threads-request-reason-required = Sag in einem Satz, was noch fehlt.
threads-request-pending = Du hast schon nach einer Person gefragt: Das Team antwortet hier.
threads-request-not-yet = Du kannst nach einer Person fragen, sobald jemand aus der Community geantwortet hat oder die Antwortzeit abgelaufen ist.

site-name-required = Die Website braucht einen Namen.
site-unknown-language = Eine Oberflächensprache „{ $language }“ gibt es nicht.
site-unknown-time-zone = „{ $zone }“ ist keine Zeitzone (nimm einen Namen wie Europe/Berlin).
site-bad-url = { $field ->
        [logo-url] Die Adresse des Logos
        [contact-url] Die Kontaktadresse
       *[other] Jeder Link in der Fußzeile
    } muss eine Webadresse (https://…) oder ein Pfad auf dieser Website (/…) sein.
site-bad-footer-link = Schreib jeden Link in der Fußzeile als „Beschriftung | https://…“: „{ $line }“
site-too-many-links = Höchstens { $max } Links in der Fußzeile.
site-admins-only = Nur Admins können die Einstellungen der Website ändern.

queue-metrics-requests = Nach einer Person gefragt (letzte { $days } Tage)
queue-requests = { $asked } · { $waiting } warten noch
queue-requested-badge = Person angefragt

catalog-unknown-private-rule = „{ $rule }“ ist keine Regel für private Fragen: Erlaubt sind optional, required oder forbidden.
admin-private-questions = Private Fragen
admin-private-rule = { $rule ->
        [required] Immer privat
        [forbidden] Nie privat
       *[optional] Wer fragt, entscheidet
    }

title-site-settings = Einstellungen der Website
settings-saved = Einstellungen gespeichert.
settings-identity = Name und Logo
settings-site-name = Name der Website
settings-company-name = Firmenname
settings-company-help = Kunden fragen nach einer Person aus dieser Firma („Ich brauche weiter Hilfe von …“). Leer: der Name der Website.
settings-logo-url = Adresse des Logos
settings-logo-help = Ein Bild unter https://… oder ein Pfad auf dieser Website. Leer: Der Name der Website wird gezeigt.
settings-home = Startseite und Fußzeile
settings-intro = Einleitung
settings-intro-help = Ein kurzer Willkommenstext über dem Suchfeld der Startseite (Markdown, höchstens 1.000 Zeichen).
settings-contact-url = Kontaktseite
settings-footer-links = Links in der Fußzeile
settings-footer-help = Ein Link pro Zeile: Beschriftung | https://… (höchstens 10).
settings-defaults = Voreinstellungen für Besucher
settings-language = Sprache
settings-from-config = Wie konfiguriert
settings-time-zone = Zeitzone
settings-time-zone-help = Ein IANA-Name wie Europe/Berlin; leer: wie konfiguriert. Die Browser der Besucher nennen weiterhin ihre eigene.
settings-privacy = Private Fragen
settings-moderators-see-private = Moderatoren dürfen private Fragen öffnen (Team und Admins immer)
footer-contact = Kontakt

home-heading = Wie können wir helfen?
home-search-placeholder = Beschreib dein Problem, z. B. „Router verliert WLAN“
home-search-button = Suchen
home-kb-heading = Wissensdatenbank
home-kb-more = Alle { $count } Artikel

threads-duplicate-private = Eine öffentliche Frage kann nicht auf eine private verweisen: Deren Titel wäre für alle sichtbar.
threads-merge-private = Eine private und eine öffentliche Frage lassen sich nicht zusammenführen: Die fragende Person muss ihre zuerst veröffentlichen.
