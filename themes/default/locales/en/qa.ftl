## Questions and answers: the front page, thread lists, a thread with its posts, categories,
## tags, profiles, a post's history and editing, search, and the error page.

## Shared by several pages.

# A thread's status (badges, search facets). $status: open, answered, solved, closed.
thread-status = { $status ->
    [open] Open
    [answered] Answered
    [solved] Solved
    [closed] Closed
    [unanswered] Unanswered
   *[other] { $status }
}
thread-staff-answered = Staff answered
# Badge next to a staff member's name.
post-badge-staff = Staff
thread-answers = { $count ->
    [one] { $count } answer
   *[other] { $count } answers
}
qa-votes = { $count ->
    [one] { $count } vote
   *[other] { $count } votes
}
qa-pager-previous = ← Previous
qa-pager-next = Next →
# $versions: the versions (or products) the article applies to, as its editor wrote them.
qa-article-applies-to = · applies to { $versions }

## Thread lists (front page, a category, a tag).

home-questions = Questions
home-tabs-label = Question lists
home-products = Products
list-tab-recent = Recent
list-tab-unanswered = Unanswered
list-tab-solved = Solved
list-filter-label = Filter
list-filter-all = All
# The word under a thread's vote and answer counts; $count picks it.
# For screen readers: a thread's votes and answers.
list-stats-label = { $votes ->
    [one] { $votes } vote
   *[other] { $votes } votes
}, { $answers ->
    [one] { $answers } answer
   *[other] { $answers } answers
}
list-votes-word = { $count ->
    [one] vote
   *[other] votes
}
list-answers-word = { $count ->
    [one] answer
   *[other] answers
}
# $name: who asked; $when: e.g. "3 hours ago".
list-asked-by-active = asked by { $name } · active { $when }
list-empty = No questions here yet.
list-pages-label = Pages
list-newer = ← Newer
list-older = Older →

## Categories and tags.

category-question-count = { $count ->
    [one] { $count } question
   *[other] { $count } questions
}
# $duration: e.g. "4 hours".
category-reply-within = Staff usually reply within { $duration }.
category-reply-within-short = staff usually reply within { $duration }
# With business hours: $duration in business time ("4 business hours"), $hours the schedule
# ("Mon–Fri 9:00–17:00, Europe/Berlin").
category-reply-within-hours = Staff usually reply within { $duration } ({ $hours }).
category-ask-about = Ask about { $name }
tags-empty = No tags yet.
tag-heading = Questions tagged { $tag }

## A thread.

# $asked, $active: e.g. "2 days ago".
thread-asked-active = asked { $asked } · active { $active }
# The category's first-response target. $target: the target ("4 hours", or "4 business hours"
# with business hours); $elapsed: time to the first response, or waited so far (business time
# with business hours).
thread-target = { $state ->
    [met] First response within the { $target } target (after { $elapsed }).
    [missed] First response after { $elapsed }, past the { $target } target.
    [waiting] Staff usually reply within { $target }: waiting { $elapsed } so far.
   *[overdue] Past the { $target } first-response target: waiting { $elapsed }.
}
# After thread-target when the category has business hours. $hours: the schedule.
thread-target-hours = Business hours: { $hours }.
thread-promote = Promote to knowledge base
thread-reopen = Reopen
thread-duplicate-of-label = Duplicate of (number or link, optional)
thread-close = Close
thread-since-visit = Since your last visit
thread-since-new-answers = { $count ->
    [one] { $count } new answer
   *[other] { $count } new answers
}
thread-since-new-followups = { $count ->
    [one] { $count } new follow-up
   *[other] { $count } new follow-ups
}
thread-since-new-comments = { $count ->
    [one] { $count } new comment
   *[other] { $count } new comments
}
thread-since-jump = Jump to the first new post
# $link: the other thread.
thread-duplicate-notice = Closed as a duplicate of { $link }.
thread-duplicate-article = The answer is in the knowledge base: { $link }.
# $link: the knowledge-base article.
thread-kb-answered = This question is answered in the knowledge base: { $link }
# $status: the article's status (kb-article-status, in kb.ftl).
thread-kb-article = Knowledge-base article ({ $status }): { $link }
# The customer's products and versions attached to the question.
thread-setup = Setup
thread-followups-heading = { $count ->
    [one] { $count } follow-up from the asker
   *[other] { $count } follow-ups from the asker
}
thread-followup-add = Add a follow-up to your question
thread-followup-body-label = What's new (markdown)
thread-followup-submit = Add follow-up
thread-answers-page = (page { $page } of { $pages })
thread-answer-pages-label = Pages of answers
thread-internal-notes = Internal notes
thread-internal-staff-only = Staff only
thread-internal-explain = Only staff see these: never shown to the customer, never in search.
thread-internal-body-label = Internal note (markdown)
thread-internal-submit = Add internal note
thread-your-answer = Your answer
thread-closed-no-answers = This thread is closed and takes no new answers.
thread-answer-body-label = Answer (markdown)
thread-answer-submit = Post your answer
# $sign_in: a link "Sign in"; $sign_up: a link with thread-create-account.
thread-answer-sign-in = { $sign_in } or { $sign_up } to answer.
thread-create-account = create an account
thread-side-label = Timeline and support

## One post (question, answer, follow-up or internal note).

# For screen readers. $kind: question, answer, followup, internal; $name: the author.
post-label = { $kind ->
    [question] question by { $name }
    [answer] answer by { $name }
    [followup] follow-up by { $name }
   *[internal] internal note by { $name }
}
# $direction: up or down.
post-vote = { $direction ->
    [up] Vote up
   *[down] Vote down
}
post-score-label = score
post-accepted-title = Accepted answer
post-accepted = Accepted
post-new-since-visit = New since your last visit
post-followup-label = Follow-up from the asker
# $when: the date and time.
post-created = { $kind ->
    [question] asked { $when }
    [answer] answered { $when }
    [followup] followed up { $when }
   *[internal] noted { $when }
}
# $when: e.g. "3 days ago"; $count: how many revisions the post has.
post-edited = edited { $when } ({ $count ->
    [one] { $count } revision
   *[other] { $count } revisions
})
post-edit = Edit
post-accept = Accept this answer
post-comments-label = Comments
post-comment-new = New
post-comment-add = Add a comment
post-comment-label = Comment
post-comment-submit = Comment

## A user's profile.

user-reputation = { $count ->
    [one] { $count } reputation
   *[other] { $count } reputation
}
user-member-since = member since { $when }
user-questions = Questions
user-no-questions = No questions yet.
user-answers = Answers
user-no-answers = No answers yet.
user-answer-accepted = accepted

## A post's edit history and the edit form.

history-heading = Edit history
# $link: the thread.
history-of-post = Of a post in { $link }.
history-revision = Revision { $number }
# $editor: who edited (a link); $when: the date and time.
history-by = by { $editor }, { $when }
history-title-label = Title:
# $kind: question, answer, followup, internal.
edit-heading = { $kind ->
    [question] Edit question
    [answer] Edit answer
    [followup] Edit follow-up
    [internal] Edit internal note
   *[other] Edit post
}
edit-in-thread = In { $link }. Every edit is kept in the history.
edit-title-label = Title
edit-tags-label = Tags
edit-body-label = Text (markdown)
edit-summary-label = Edit summary
edit-save = Save edit
edit-preview = Preview

## Search.

search-heading = Search
search-submit = Search
search-hint = Use "quotes" for a phrase and -word to leave a word out.
# $exact: yes, or no when the count is an estimate.
search-results = { $exact ->
    [no] { $count ->
        [one] About { $count } result
       *[other] About { $count } results
    }
   *[yes] { $count ->
        [one] { $count } result
       *[other] { $count } results
    }
}
search-prompt = Type what you are looking for
# $words: the words as typed, separated by commas.
search-fuzzy = Not found as typed: { $words }. Close matches are shown instead.
search-relaxed = No result had every word; these have some of them.
search-badge-kb = Knowledge base
# $link: a link with search-ask-community.
search-nothing-found = Nothing found. Try other words, or { $link }: staff and peers answer in public.
search-ask-community = ask the community
search-refine-label = Refine
search-estimates = Counts are estimates (~).
search-clear-filters = Clear filters
search-facet-status = Status
search-facet-staff = Answered by staff
search-facet-type = Type
search-facet-product = Product
# $type: thread or article.
search-type = { $type ->
    [thread] Questions
    [article] Articles
   *[other] { $type }
}

## The error page. $code: the error's code; the message below the heading says more.

error-page-heading = { $code ->
    [not_found] Not found
    [forbidden] Not allowed
    [too_large] Too large
    [internal] Something went wrong
   *[other] That did not work
}
error-page-back = Back to the questions

## Content language (what a thread is written in, not the interface's).
search-facet-language = Language
# $lang: en, de (the languages search detects).
content-language = { $lang ->
    [en] English
    [de] German
   *[other] { $lang }
}
search-error-lang = lang is en or de

thread-lock = Lock
thread-unlock = Unlock
thread-lock-reason-label = Reason for locking
thread-locked-notice = Locked by a moderator: { $reason }. No new answers or comments.
thread-locked-no-answers = This thread is locked and takes no new answers.
thread-move-label = Move to
thread-move = Move
thread-pin = Pin to the top
thread-unpin = Unpin
thread-pinned = Pinned
