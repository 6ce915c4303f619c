## The self-service dashboard (/staff/insights) and content gaps (/staff/content-gaps)

nav-insights = Insights
title-insights = Self-service insights
insights-heading = Self-service insights
# $from and $to: the first and last day shown (today).
insights-lead = How customers helped themselves from { $from } to { $to }: what they searched for, how often a suggested answer kept them from asking, and how their questions fared.
insights-period = Period
insights-days = { $days ->
    [one] 1 day
   *[other] { $days } days
}
# A share, e.g. "40%".
insights-percent = { $percent }%

insights-summary-heading = At a glance
insights-searches = Searches
insights-searches-detail = { $clicked } opened a result ({ $percent })
insights-ask-sessions = Visits to the ask page
insights-ask-sessions-detail = { $opened } opened a suggested answer, { $posted } asked a question
insights-deflected = Found their answer before asking
insights-deflected-detail = { $percent } of visits to the ask page opened a suggested answer and asked nothing
insights-questions = Questions asked
insights-questions-detail = { $solved } solved ({ $percent })
insights-kb-share = Answered from the knowledge base
insights-kb-share-detail = { $kb } of { $answered } answered questions
insights-first-response = Median time to first response
insights-first-response-detail = { $count ->
    [one] over 1 first response
   *[other] over { $count } first responses
}
insights-peer-share = First responses from the community
insights-peer-share-detail = { $peers } by the community, { $staff } by staff

insights-charts-heading = Day by day
# The name of each chart ($chart is its key).
insights-chart = { $chart ->
    [searches] Searches
    [ask_sessions] Visits to the ask page
    [questions] Questions asked
    [kb_share] Answered from the knowledge base
    [first_response] Median time to first response
    [solved_rate] Solved
   *[responders] First responses
}
# What the bars show; the darker part is the second half.
insights-legend = { $chart ->
    [searches] Whole bar: searches. Darker: searches where a result was opened.
    [ask_sessions] Whole bar: visits. Darker: visits that opened a suggested answer and asked nothing.
    [questions] Questions asked each day.
    [kb_share] Share of the day's answered questions whose answer links a knowledge-base article.
    [first_response] For the questions asked each day.
    [solved_rate] Share of the day's questions solved so far.
   *[responders] Whole bar: first responses to the day's questions. Darker: from the community.
}
# The chart's text for screen readers: the chart's name and the figure for the whole period.
insights-chart-title = { $name }: { $total } over the period. The numbers for each day are in the table below the chart.
insights-chart-top = Top of the chart: { $top }
insights-show-numbers = Numbers by day
insights-col-day = Day
# The column with the darker part of the bars.
insights-part = { $chart ->
    [searches] With a result opened
    [ask_sessions] Found their answer
   *[responders] From the community
}

insights-gaps-heading = Content gaps
insights-gaps-lead = What people searched for and did not find, most searched first. Each is a question the knowledge base does not answer yet.
insights-gaps-all = All content gaps
insights-gaps-empty = No content gaps in this period.
insights-gaps-lexical = Suggestions by meaning are off, so only searches that found nothing count as gaps.
insights-gaps-caption = Content gaps, similar wordings grouped
insights-gaps-col-search = Searched for
insights-gaps-col-times = Times
insights-gaps-col-last = Last searched
insights-gaps-col-do = What to do
insights-gaps-also = Also searched as: { $wordings }
insights-gaps-more = { $count ->
    [one] and 1 more wording
   *[other] and { $count } more wordings
}
insights-gaps-found-nothing = { $count ->
    [one] once with no result at all
   *[other] { $count } times with no result at all
}
insights-gaps-search = Search
insights-gaps-write = Write an article
insights-gaps-page-lead = { $days ->
    [one] Searches in the last day that found nothing, or only weak matches nobody opened, most searched first.
   *[other] Searches in the last { $days } days that found nothing, or only weak matches nobody opened, most searched first.
} Similar wordings are grouped. Each group is a question the knowledge base does not answer yet.
insights-gaps-year = A year

insights-error-days = The period must be a whole number of days from 1 to { $max }.
insights-error-ask-session = This ask-page visit id is not valid. Reload the ask page.
