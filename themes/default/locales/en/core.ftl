## Peerdesk's own words that every page uses: the language, dates, times and durations.
## One file per area; a theme overrides a message by defining the same id in its own locales/en/.

# The language's name in itself, for the language switcher.
language-name = English

# $month is 1–12.
format-date = { $day } { $month ->
    [1] Jan
    [2] Feb
    [3] Mar
    [4] Apr
    [5] May
    [6] Jun
    [7] Jul
    [8] Aug
    [9] Sep
    [10] Oct
    [11] Nov
   *[12] Dec
} { $year }
# $zone is the time zone's abbreviation ("CET"), for the exact time on hover.
format-datetime = { $date }, { $time }
format-datetime-zone = { $date }, { $time } { $zone }

time-just-now = just now
# $unit: minute, hour, day, month, year.
time-ago = { $unit ->
    [minute] { $count ->
        [one] a minute ago
       *[other] { $count } minutes ago
    }
    [hour] { $count ->
        [one] an hour ago
       *[other] { $count } hours ago
    }
    [day] { $count ->
        [one] yesterday
       *[other] { $count } days ago
    }
    [month] { $count ->
        [one] a month ago
       *[other] { $count } months ago
    }
   *[year] { $count ->
        [one] a year ago
       *[other] { $count } years ago
    }
}
time-in = { $unit ->
    [minute] { $count ->
        [one] in a minute
       *[other] in { $count } minutes
    }
    [hour] { $count ->
        [one] in an hour
       *[other] in { $count } hours
    }
    [day] { $count ->
        [one] tomorrow
       *[other] in { $count } days
    }
    [month] { $count ->
        [one] in a month
       *[other] in { $count } months
    }
   *[year] { $count ->
        [one] in a year
       *[other] in { $count } years
    }
}

duration-under-a-minute = less than a minute
duration-minutes = { $count ->
    [one] 1 minute
   *[other] { $count } minutes
}
duration-hours = { $count ->
    [one] 1 hour
   *[other] { $count } hours
}
duration-days = { $count ->
    [one] 1 day
   *[other] { $count } days
}
duration-hours-minutes = { $hours } h { $minutes } min
duration-days-hours = { $days } days { $hours } h
# Business time (a category's business hours): hours are never folded into days, since a
# business day is as long as the schedule says.
duration-business-minutes = { $count ->
    [one] 1 business minute
   *[other] { $count } business minutes
}
duration-business-hours = { $count ->
    [one] 1 business hour
   *[other] { $count } business hours
}
duration-business-hours-minutes = { $hours } h { $minutes } min of business time
# A category's business hours as shown to people:
# "Mon–Fri 9:00–17:00; Sat 10:00–14:00, Europe/Berlin; closed on 2 holidays".
# $day: mon, tue, wed, thu, fri, sat or sun.
hours-day = { $day ->
    [mon] Mon
    [tue] Tue
    [wed] Wed
    [thu] Thu
    [fri] Fri
    [sat] Sat
   *[sun] Sun
}
# $first, $last: days as hours-day words them.
hours-day-range = { $first }–{ $last }
# $days: a day or a range; $times: "9:00–12:00, 13:00–17:00".
hours-run = { $days } { $times }
# $runs: the runs, joined by "; "; $zone: a tz database name (Europe/Berlin); $holidays: how
# many holidays the schedule lists.
hours-summary = { $runs }, { $zone }{ $holidays ->
    [0] {""}
    [one] ; closed on 1 holiday
   *[other] ; closed on { $holidays } holidays
}

## The frame around every page: navigation, search box, footer, language and time zone.

nav-skip = Skip to content
nav-main = Main
nav-kb = Knowledge base
nav-categories = Categories
nav-tags = Tags
nav-ask = Ask a question
nav-search-label = Search questions and articles
nav-search-placeholder = Search questions and answers
nav-account = Account
nav-queue = Queue
nav-kb-upkeep = KB upkeep
nav-content-gaps = Content gaps
nav-admin = Admin
nav-sign-out = Sign out
nav-sign-in = Sign in
nav-sign-up = Sign up
footer-tagline = Answers from the community and from our staff, under their own names. Powered by Peerdesk.
footer-language = Language
footer-language-apply = Change language
account-profile-saved = Profile saved.
account-token-created = Token created: copy it now, it is shown once.
prefs-unknown-language = That language is not offered here.
prefs-unknown-time-zone = That time zone is unknown; pick one from the list.

## Admin page: suggestions by meaning (docs/semantic.md)
admin-semantic-heading = Suggestions by meaning
admin-semantic-on = On: the model { $model } compares meanings; { $vectors } threads have a vector, { $pending } still wait for one.
admin-semantic-loading = Starting: { $vectors } stored vectors read so far. Suggestions match words until all are in.
admin-semantic-off-disabled = Off in the configuration (`[search.semantic] enabled = false`): suggestions match words only.
admin-semantic-off-no-model = Off: there is no model in { $dir }. Suggestions match words only until one is installed (`scripts/fetch-model`).
admin-semantic-off-load-failed = Off: the model in { $dir } did not load (the server log says why). Suggestions match words only.

## Atom feeds (titles in feed readers; the link titles name them on pages)
# $site: the site's name; $name: a category's or tag's name; $title: a question's title.
feed-latest = Latest questions · { $site }
feed-solved = Solved questions · { $site }
feed-kb = Knowledge base · { $site }
feed-category = { $name } · { $site }
feed-tag = Questions tagged { $name } · { $site }
feed-thread = Answers to “{ $title }” · { $site }
feed-link-latest = Latest questions (Atom feed)
feed-link-solved = Solved questions (Atom feed)
feed-link-kb = Knowledge base (Atom feed)
feed-link-category = This category (Atom feed)
feed-link-tag = Questions with this tag (Atom feed)
feed-link-thread = Answers to this question (Atom feed)
