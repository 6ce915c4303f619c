## Seitentitel (im Browser-Tab; der Name der Seite folgt).

title-home = Community-Support
title-categories = Kategorien
title-tags = Schlagwörter
title-tag = Fragen mit dem Schlagwort { $tag }
title-kb = Wissensdatenbank
title-kb-section = { $section } – Wissensdatenbank
title-article-history = Verlauf: { $title }
title-article-changes = Änderungen: { $title }
title-post-history = Verlauf: { $title }
title-search = Suche
title-search-for = Suche: { $query }
title-ask = Frage stellen
title-edit = Bearbeiten
title-sign-in = Anmelden
title-signup = Konto erstellen
title-setup = Peerdesk einrichten
title-welcome = Willkommen
title-account = Dein Konto
title-admin = Verwaltung
title-queue = Support-Warteschlange
title-kb-upkeep = Pflege der Wissensdatenbank
title-kb-candidates = Lohnt sich zu übernehmen
title-content-gaps = Inhaltslücken
