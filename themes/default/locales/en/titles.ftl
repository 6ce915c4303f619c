## Page titles (the browser tab; the site's name follows).

title-home = Community support
title-categories = Categories
title-tags = Tags
title-tag = Questions tagged { $tag }
title-kb = Knowledge base
title-kb-section = { $section } — knowledge base
title-article-history = History: { $title }
title-article-changes = Changes: { $title }
title-post-history = History: { $title }
title-search = Search
title-search-for = Search: { $query }
title-ask = Ask a question
title-edit = Edit
title-sign-in = Sign in
title-signup = Create an account
title-setup = Set up Peerdesk
title-welcome = Welcome
title-account = Your account
title-admin = Administration
title-queue = Support queue
title-kb-upkeep = Knowledge base upkeep
title-kb-candidates = Worth promoting
title-content-gaps = Content gaps
